package dev.anywhere.analyzer.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * Connects over TCP and, on request, completes a TLS handshake that accepts any certificate, so the analyzer can
 * look at what the server presents and judge it itself (name, chain, dates) instead of failing with the JDK's
 * message. Nothing but the handshake is sent: requests, and above all credentials, go over {@link HttpProbe} with
 * a {@link ServerTrust} that decides.
 */
public final class TlsProbe {

    /** What the TCP connect gave. */
    public enum TcpResult { CONNECTED, REFUSED, TIMEOUT, UNREACHABLE }

    /** The handshake's facts: protocol, cipher and the chain as sent by the server. */
    public record Handshake(String protocol, String cipherSuite, List<X509Certificate> chain) {
    }

    private TlsProbe() {
    }

    /** A plain TCP connect with a timeout, classified. */
    public static TcpResult connect(InetSocketAddress address, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(address, timeoutMillis);
            return TcpResult.CONNECTED;
        } catch (SocketTimeoutException e) {
            return TcpResult.TIMEOUT;
        } catch (java.net.ConnectException e) {
            return e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timed out")
                    ? TcpResult.TIMEOUT : TcpResult.REFUSED;
        } catch (IOException e) {
            return TcpResult.UNREACHABLE;
        }
    }

    /** The handshake with {@code sni} as server name; throws with the peer's reason when it fails. */
    public static Handshake handshake(InetSocketAddress address, String sni, int timeoutMillis) throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {ServerTrust.AcceptAny.INSTANCE}, null);
            Socket plain = new Socket();
            plain.connect(address, timeoutMillis);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, sni, address.getPort(), true)) {
                s.setSoTimeout(timeoutMillis);
                SSLParameters p = s.getSSLParameters();
                if (!Character.isDigit(sni.charAt(0)) && !sni.contains(":")) {
                    p.setServerNames(List.of(new SNIHostName(sni)));
                }
                s.setSSLParameters(p);
                s.startHandshake();
                X509Certificate[] chain = (X509Certificate[]) s.getSession().getPeerCertificates();
                return new Handshake(s.getSession().getProtocol(), s.getSession().getCipherSuite(), List.of(chain));
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("tls: " + e.getMessage(), e);
        }
    }
}
