package dev.anywhere.lab.site;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The RPC proxy echo as Outlook sends it ({@code RPC_IN_DATA}, Content-Length 0), over TLS with the site's trust
 * anchors and the external host name as SNI. The analyzer's proxy checks replace it; the lab uses it until then.
 *
 * @see [MS-RPCH] 2.1.2.1.5 Echo Request, 2.1.2.1.6 Echo Response
 */
public final class EchoProbe {

    /** What came back: status line, the WWW-Authenticate offers, and the body length. */
    public record Answer(String statusLine, List<String> wwwAuthenticate, int bodyLength) {
        public int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    private EchoProbe() {
    }

    public static Answer send(InetSocketAddress proxy, String host, List<X509Certificate> trust, Optional<String> basicUserPassword)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        for (int i = 0; i < trust.size(); i++) {
            ks.setCertificateEntry("ca" + i, trust.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        Socket plain = new Socket();
        plain.connect(proxy, 5000);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, proxy.getPort(), true)) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(host)));
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.setSoTimeout(5000);
            StringBuilder req = new StringBuilder("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: " + host
                    + "\r\nUser-Agent: MSRPC\r\nAccept: application/rpc\r\nCache-Control: no-cache\r\nConnection: Keep-Alive\r\n"
                    + "Pragma: No-cache\r\nContent-Length: 0\r\n");
            basicUserPassword.ifPresent(up -> req.append("Authorization: Basic ")
                    .append(Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8))).append("\r\n"));
            OutputStream out = s.getOutputStream();
            out.write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String head = readHead(in);
            String[] lines = head.split("\r\n");
            List<String> offers = new ArrayList<>();
            int length = 0;
            for (String line : lines) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("www-authenticate:")) {
                    offers.add(line.substring(17).trim());
                } else if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            int body = in.readNBytes(length).length;
            return new Answer(lines[0], offers, body);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0 || b.length() > 16384) {
                throw new IOException("proxy closed the connection before a complete response head");
            }
            b.append((char) c);
        }
        return b.toString();
    }
}
