package dev.anywhere.lab.pki;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Reads the certificate chain a TLS server presents, for {@code anywhere cert show HOST:PORT}.
 *
 * <p>The handshake trusts every certificate on purpose: the point is to read the chain, including broken ones, and
 * judge it afterwards with {@link CertificateInfo}. No application data is sent; the connection is closed after the
 * handshake. SNI carries the host name (RFC 6066 3) unless the host is an IP literal.
 */
public final class TlsChainFetcher {

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private TlsChainFetcher() {}

    /** Connects to {@code host:port} (resolved by the JDK) with SNI {@code host}. */
    public static List<X509Certificate> fetch(String host, int port, Duration timeout) throws IOException {
        return fetch(new InetSocketAddress(host, port), host, timeout);
    }

    /**
     * Connects to {@code address} and sends SNI {@code serverName} (like curl's {@code --resolve}), returning the
     * presented chain, leaf first.
     *
     * @param timeout bound on connecting and on each read of the handshake
     * @throws IOException if the connection or handshake fails, with the address in the message
     */
    public static List<X509Certificate> fetch(InetSocketAddress address, String serverName, Duration timeout)
            throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new ReadOnlyTrustManager()}, null);
        } catch (GeneralSecurityException e) {
            throw new IOException("tls fetch: " + address + ": " + e.getMessage(), e);
        }
        Socket raw = new Socket();
        try {
            raw.connect(address, millis);
            raw.setSoTimeout(millis);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, serverName,
                    address.getPort(), true)) {
                SSLParameters parameters = tls.getSSLParameters();
                if (serverName != null && !IP_LITERAL.matcher(serverName).matches()) {
                    parameters.setServerNames(List.of(new SNIHostName(serverName)));
                }
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : tls.getSession().getPeerCertificates()) {
                    chain.add((X509Certificate) c);
                }
                return List.copyOf(chain);
            }
        } catch (IOException e) {
            throw new IOException("tls fetch: " + address + " (sni " + serverName + "): " + e.getMessage()
                    + " (expected: a TLS server presenting a certificate)", e);
        } finally {
            raw.close();
        }
    }

    /** Accepts any server chain: the chain is only read here, never relied on. */
    private static final class ReadOnlyTrustManager extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("client certificates: not used by the fetcher");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("client certificates: not used by the fetcher");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client certificates: not used by the fetcher");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
