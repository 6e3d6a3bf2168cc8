package dev.anywhere.lab.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.anywhere.lab.pki.CertificateAuthority;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.pki.IssuedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real nginx between the client and an RPC over HTTP backend: the stock reverse-proxy configuration breaks RPC over
 * HTTP, the lab's RPC profile (after NGINX's Exchange deployment guide; docs/lab.md) streams both channels. Required under CI=true; skipped when nginx
 * is not installed otherwise.
 */
class NginxMiddleboxTest {

    private static final InetAddress MIDDLEBOX = address("127.0.100.252");
    private static final InetAddress EX1 = address("127.0.100.251");
    private static CertificateAuthority ca;
    private static IssuedCertificate ex1;

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireNginx() {
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(NginxMiddlebox.find().isPresent(), "nginx is not installed (apt-get install nginx)");
        }
        ca = CertificateAuthority.createLab();
        ex1 = ca.issueServerCertificate(CertificateRequest.labDefault());
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort(InetAddress on) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, on)) {
            return s.getLocalPort();
        }
    }

    private NginxMiddlebox nginx(NginxConfig.Profile profile, InetSocketAddress upstream) throws IOException {
        IssuedCertificate.PemFiles pem = ex1.writePem(tmp, "ex1");
        return NginxMiddlebox.start(profile, tmp.resolve("nginx"), new InetSocketAddress(MIDDLEBOX, freePort(MIDDLEBOX)),
                pem.certificateChain(), pem.privateKey(), upstream, CertificateRequest.OA_NAME);
    }

    private static SSLSocket connect(InetSocketAddress to) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.rootCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(to.getAddress(), to.getPort());
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(CertificateRequest.OA_NAME)));
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        s.setSoTimeout(10_000);
        return s;
    }

    private static String head(String method, long length) {
        return method + " /rpc/rpcproxy.dll?ex1.frankysweb.local:6001 HTTP/1.1\r\nHost: oa.frankysweb.org\r\n"
                + "User-Agent: MSRPC\r\nAccept: application/rpc\r\nConnection: Keep-Alive\r\nCache-Control: no-cache\r\n"
                + "Pragma: No-cache\r\nContent-Length: " + length + "\r\n\r\n";
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                fail("connection closed after: " + b);
            }
            b.append((char) c);
        }
        return b.toString();
    }

    @Test
    void stockConfigurationRefusesTheOneGigabyteInChannel() throws Exception {
        int upstreamPort = freePort(EX1);
        try (StreamingBackend backend = new StreamingBackend(new InetSocketAddress(EX1, upstreamPort), ex1);
                NginxMiddlebox nginx = nginx(NginxConfig.Profile.STOCK, new InetSocketAddress(EX1, upstreamPort));
                SSLSocket s = connect(nginx.address())) {
            assertThat(Files.readString(nginx.directory().resolve("conf/nginx.conf")))
                    .contains("client_max_body_size 1m;", "proxy_http_version 1.0;", "proxy_request_buffering on;");
            s.getOutputStream().write(head("RPC_IN_DATA", StreamingBackend.ONE_GIB).getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = readHead(s.getInputStream());
            System.out.println("nginx-stock answers RPC_IN_DATA Content-Length 1073741824 with:\n" + answer);
            // nginx refuses on the Content-Length alone, before reading a byte of the body (client_max_body_size 1m)
            assertThat(answer).startsWith("HTTP/1.1 413 Request Entity Too Large\r\n").containsPattern("Server: nginx/[0-9.]+");
            assertThat(backend.requests.get()).as("requests that reached the backend").isZero();
        }
    }

    @Test
    void rpcConfigurationStreamsBothChannels() throws Exception {
        int upstreamPort = freePort(EX1);
        try (StreamingBackend backend = new StreamingBackend(new InetSocketAddress(EX1, upstreamPort), ex1);
                NginxMiddlebox nginx = nginx(NginxConfig.Profile.RPC_OVER_HTTP, new InetSocketAddress(EX1, upstreamPort));
                SSLSocket in = connect(nginx.address());
                SSLSocket out = connect(nginx.address())) {
            // IN channel: 1 GiB announced, 64 KiB sent; the backend must see them while the request is still open
            OutputStream inStream = in.getOutputStream();
            inStream.write(head("RPC_IN_DATA", StreamingBackend.ONE_GIB).getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[65536];
            inStream.write(chunk);
            inStream.flush();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (backend.inBodyBytes.get() < chunk.length && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(backend.inBodyBytes.get()).as("IN body bytes the backend received before the body ended")
                    .isEqualTo(chunk.length);
            assertThat(backend.lastRequestHead).startsWith("RPC_IN_DATA /rpc/rpcproxy.dll?ex1.frankysweb.local:6001 HTTP/1.1")
                    .contains("Host: oa.frankysweb.org", "Content-Length: 1073741824", "X-Forwarded-For: 127.0.0.1");

            // OUT channel: a 1 GiB response of which the backend sent 20 bytes: they must arrive now, not at the end
            out.getOutputStream().write(head("RPC_OUT_DATA", 76).getBytes(StandardCharsets.US_ASCII));
            out.getOutputStream().write(new byte[76]);
            out.getOutputStream().flush();
            String answer = readHead(out.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("Content-Length: 1073741824");
            assertThat(out.getInputStream().readNBytes(20)).hasSize(20);
        }
    }

    @Test
    void missingBinaryIsAClearError() {
        // the message the lab prints when nginx is missing, checked without uninstalling anything
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NginxMiddlebox.start(java.util.Optional.empty(),
                NginxConfig.Profile.STOCK, tmp, new InetSocketAddress(MIDDLEBOX, 1), tmp.resolve("c"), tmp.resolve("k"),
                new InetSocketAddress(EX1, 1), CertificateRequest.OA_NAME))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("nginx: not installed (expected: the nginx binary on PATH or in /usr/sbin; Debian: apt-get install "
                        + "nginx, then keep its service stopped)");
        assertThat(NginxConfig.Profile.of("nginx-rpc")).isEqualTo(NginxConfig.Profile.RPC_OVER_HTTP);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NginxConfig.Profile.of("haproxy"))
                .hasMessage("nginx profile: haproxy (expected: nginx-stock or nginx-rpc)");
    }
}
