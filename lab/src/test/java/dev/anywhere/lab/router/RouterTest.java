package dev.anywhere.lab.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.lab.pki.CertificateAuthority;
import dev.anywhere.lab.pki.TlsChainFetcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The router on a loopback address: DNAT relays bytes intact both ways; each rule variant behaves as named. */
class RouterTest {

    private static final InetAddress PUBLIC = address("127.0.0.20");
    private static final InetAddress INSIDE = address("127.0.100.251");
    private static ServerSocket echo;
    private static ExecutorService pool;

    @BeforeAll
    static void startEchoServer() throws IOException {
        echo = new ServerSocket(0, 100, INSIDE);
        pool = Executors.newCachedThreadPool();
        pool.submit(() -> {
            while (!echo.isClosed()) {
                Socket s;
                try {
                    s = echo.accept();
                } catch (IOException e) {
                    return null;
                }
                pool.submit(() -> {
                    // a slow-ish echo: reads and writes in 8 KiB steps, so the relay's backpressure is exercised
                    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        byte[] b = new byte[8192];
                        for (int n; (n = in.read(b)) > 0; ) {
                            out.write(b, 0, n);
                        }
                    }
                    return null;
                });
            }
            return null;
        });
    }

    @AfterAll
    static void stop() throws IOException {
        echo.close();
        pool.shutdownNow();
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

    @Test
    void relaysBytesIntactBothWaysUnderConcurrency() throws Exception {
        int port = freePort(PUBLIC);
        try (Router router = Router.start(PUBLIC, List.of(RouterRule.forward(port, new InetSocketAddress(INSIDE, echo.getLocalPort()))),
                Optional.empty(), 80)) {
            int connections = 50;
            int size = 1 << 20;
            ExecutorService clients = Executors.newFixedThreadPool(connections * 2);
            try {
                List<Future<String[]>> results = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    results.add(clients.submit(() -> {
                        byte[] data = new byte[size];
                        new SecureRandom().nextBytes(data);
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress(PUBLIC, port), 5000);
                            s.setSoTimeout(30_000);
                            Future<?> writer = clients.submit(() -> {
                                s.getOutputStream().write(data);
                                s.shutdownOutput();
                                return null;
                            });
                            MessageDigest back = MessageDigest.getInstance("SHA-256");
                            InputStream in = s.getInputStream();
                            byte[] b = new byte[16384];
                            long total = 0;
                            for (int n; total < size && (n = in.read(b)) > 0; total += n) {
                                back.update(b, 0, n);
                            }
                            writer.get(30, TimeUnit.SECONDS);
                            return new String[] {hex(MessageDigest.getInstance("SHA-256").digest(data)), hex(back.digest()),
                                    String.valueOf(total)};
                        }
                    }));
                }
                for (Future<String[]> r : results) {
                    String[] sums = r.get(60, TimeUnit.SECONDS);
                    assertThat(sums[2]).isEqualTo(String.valueOf(size));
                    assertThat(sums[1]).as("SHA-256 of what came back").isEqualTo(sums[0]);
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(router.relayedBytes()).isEqualTo(2L * connections * size);
            assertThat(router.connections()).isEqualTo(connections);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void absentRuleRefusesTheConnection() throws Exception {
        int port = freePort(PUBLIC);
        try (Router router = Router.start(PUBLIC, List.of(RouterRule.absent(port)), Optional.empty(), 80)) {
            assertThat(router.listening(port)).isEmpty();
            assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress(PUBLIC, port), 2000))
                    .isInstanceOf(ConnectException.class).hasMessageContaining("Connection refused");
        }
    }

    @Test
    void wrongHostAcceptsThenClosesWithoutAByte() throws Exception {
        int port = freePort(PUBLIC);
        // DC1's address at a port where nothing listens: the router accepts, the inside connect is refused
        InetSocketAddress wrong = new InetSocketAddress(address("127.0.100.250"), freePort(address("127.0.100.250")));
        try (Router router = Router.start(PUBLIC, List.of(RouterRule.forward(port, wrong)), Optional.empty(), 80);
                Socket s = new Socket()) {
            s.connect(new InetSocketAddress(PUBLIC, port), 2000);
            s.setSoTimeout(5000);
            int first;
            try {
                s.getOutputStream().write("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                first = s.getInputStream().read();
            } catch (IOException reset) {
                first = -1; // a reset is as good as an end of stream here
            }
            assertThat(first).as("first byte from the wrong host").isEqualTo(-1);
        }
    }

    @Test
    void routerPageAnswersWithItsOwnSelfSignedCertificate() throws Exception {
        int port = freePort(PUBLIC);
        var pageCert = Router.selfSignedPageCertificate(CertificateAuthority.createLab());
        try (Router router = Router.start(PUBLIC, List.of(RouterRule.routerPage(port)), Optional.of(pageCert), 80)) {
            List<X509Certificate> chain = TlsChainFetcher.fetch(new InetSocketAddress(PUBLIC, port), "oa.frankysweb.org",
                    Duration.ofSeconds(5));
            assertThat(chain.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=" + Router.PAGE_NAME);
            assertThat(chain.get(0).getIssuerX500Principal()).isEqualTo(chain.get(0).getSubjectX500Principal());

            SSLContext trustAll = SSLContext.getInstance("TLS");
            trustAll.init(null, new TrustManager[] {new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] c, String a) { }

                public void checkServerTrusted(X509Certificate[] c, String a) { }

                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            try (SSLSocket s = (SSLSocket) trustAll.getSocketFactory().createSocket(PUBLIC, port)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write(("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: oa.frankysweb.org\r\n"
                        + "Content-Length: 1073741824\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("server: LabRouter/1.0")
                        .contains("<title>Lab Router - Login</title>");
            }
        }
    }

    @Test
    void routerPageOverTlsNeedsACertificate() {
        assertThatThrownBy(() -> Router.start(PUBLIC, List.of(RouterRule.routerPage(4443)), Optional.empty(), 80))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("router rule 4443: router page over TLS without a certificate (expected: the router's own certificate)");
    }

    @Test
    void ruleValidation() {
        assertThatThrownBy(() -> new RouterRule(443, RouterRule.Action.FORWARD, Optional.empty()))
                .hasMessage("router rule 443: FORWARD with target Optional.empty (expected: a target exactly for FORWARD)");
        assertThatThrownBy(() -> RouterRule.absent(0)).hasMessage("router rule port: 0 (expected: 1..65535)");
    }
}
