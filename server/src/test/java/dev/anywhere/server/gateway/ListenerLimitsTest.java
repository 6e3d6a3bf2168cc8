package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.directory.SiteInfo;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.testing.RawHttp;
import dev.anywhere.server.testing.TestCertificate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener's limits against the probes of a hostile client: idle TCP, idle TLS, slowloris, idle keep-alive, too
 * many connections. Short timeouts (via {@link ListenerLimits}) keep the test quick; every wait is bounded.
 */
class ListenerLimitsTest {

    private static final Duration SHORT = Duration.ofMillis(400);
    private static final ListenerLimits LIMITS = ListenerLimits.defaults().withTlsHandshakeTimeout(SHORT)
            .withRequestHeaderTimeout(SHORT).withKeepAliveTimeout(SHORT);

    /** An authenticated echo request: answered 200 with keep-alive. */
    private static final String ECHO = "RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: oa.frankysweb.org\r\nContent-Length: 0\r\n"
            + "Authorization: " + GatewayTest.BASIC + "\r\n\r\n";

    private static TestCertificate certificate;

    @TempDir
    Path dataDir;

    private Gateway gateway;
    private SimpleMeterRegistry metrics;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = TestCertificate.create("oa.frankysweb.org");
    }

    private void start(ListenerLimits limits) throws Exception {
        start(limits, GatewayTest.CREDENTIALS);
    }

    private void start(ListenerLimits limits, CredentialVerifier credentials) throws Exception {
        new AppliedConfigFile(dataDir).write(new RpcVdirConfig("EX1", true, EnumSet.of(HttpAuthScheme.BASIC), false,
                ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(6001))), 1, Instant.now());
        metrics = new SimpleMeterRegistry();
        gateway = Gateway.start(new Gateway.Options(dataDir, "EX1", new InetSocketAddress("127.0.0.1", 0),
                Optional.of(certificate.serverContext()), credentials, "oa.frankysweb.org",
                Gateway.ntlmIdentity("EX1", new SiteInfo("frankysweb.local", "FRANKYSWEB", "First Organization", "frankysweb.org")))
                .withListenerLimits(limits), metrics);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private Socket tcp() throws IOException {
        Socket s = new Socket("127.0.0.1", gateway.address().getPort());
        s.setSoTimeout(5000);
        return s;
    }

    private SSLSocket tls() throws Exception {
        SSLSocket s = (SSLSocket) certificate.clientContext().getSocketFactory().createSocket("127.0.0.1", gateway.address().getPort());
        s.setSoTimeout(5000);
        s.startHandshake();
        return s;
    }

    /** Reads until the gateway closes the connection (bounded by the socket's 5 s timeout); the time it took. */
    private static Duration untilClosed(Socket s, Instant since) throws IOException {
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // whatever was in flight (a close_notify is consumed by the TLS socket)
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open after " + Duration.between(since, Instant.now()).toMillis() + " ms", e);
        } catch (IOException e) {
            // a reset, or the TLS socket's complaint about it: closed as well
        }
        return Duration.between(since, Instant.now());
    }

    private double timeouts(String which) {
        return metrics.get("anywhere.gateway.connections.timeouts").tag("timeout", which).counter().count();
    }

    @Test
    void aTcpConnectionThatNeverSendsAClientHelloIsClosedAfterTheHandshakeTimeout() throws Exception {
        start(LIMITS);
        Instant before = Instant.now(); // the deadline starts at accept, after this
        try (Socket s = tcp()) {
            assertThat(untilClosed(s, before)).isBetween(SHORT, Duration.ofSeconds(3));
        }
        assertThat(timeouts("tls_handshake")).isEqualTo(1);
    }

    @Test
    void aTlsConnectionThatNeverSendsARequestIsClosedAfterTheRequestHeaderTimeout() throws Exception {
        start(LIMITS);
        Instant before = Instant.now(); // the deadline starts when the gateway ends the handshake, after this
        try (SSLSocket s = tls()) {
            assertThat(untilClosed(s, before)).isBetween(SHORT, Duration.ofSeconds(3));
        }
        assertThat(timeouts("request_header")).isEqualTo(1);
        assertThat(timeouts("tls_handshake")).isZero();
    }

    /**
     * Slowloris: a byte every 50 ms keeps any read-idle timer from firing; the request-header deadline counts the whole
     * head and closes every one of them.
     */
    @Test
    void slowlorisConnectionsAreClosedAfterTheRequestHeaderTimeoutThoughBytesKeepComing() throws Exception {
        start(LIMITS);
        byte[] head = ("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: oa.frankysweb.org\r\nUser-Agent: MSRPC\r\n"
                + "X-Padding: " + "a".repeat(200) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                sockets.add(tcp());
            }
            Instant opened = Instant.now();
            int closed = 0;
            for (int i = 0; i < head.length && closed < sockets.size(); i++) {
                closed = 0;
                for (Socket s : sockets) {
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write(head[i]);
                        out.flush();
                    } catch (IOException e) {
                        closed++;
                    }
                }
                Thread.sleep(50);
            }
            for (Socket s : sockets) {
                assertThat(untilClosed(s, opened)).isLessThan(Duration.ofSeconds(3));
            }
            // 200 bytes at 50 ms would take 10 s: the head was cut well before it could end
            assertThat(Duration.between(opened, Instant.now())).isLessThan(Duration.ofSeconds(5));
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        // plain HTTP on the TLS listener: the first bytes end the handshake phase, the request phase cuts them
        assertThat(timeouts("request_header")).isEqualTo(10);
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheKeepAliveTimeout() throws Exception {
        start(LIMITS);
        try (SSLSocket s = tls()) {
            RawHttp http = new RawHttp(s);
            Instant before = Instant.now(); // the deadline starts when the response is written, after this
            RawHttp.Response r = http.send(ECHO).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 Success");
            assertThat(r.header("Connection")).isEqualTo("keep-alive");
            assertThat(untilClosed(s, before)).isBetween(SHORT, Duration.ofSeconds(3));
        }
        assertThat(timeouts("keep_alive")).isEqualTo(1);
        assertThat(timeouts("request_header")).isZero();
    }

    /** Only a channel's body is exempt: an echo whose four announced body bytes never come is cut like a slow head. */
    @Test
    void anEchoWhoseBodyNeverComesIsClosedAfterTheRequestHeaderTimeout() throws Exception {
        start(LIMITS);
        Instant before = Instant.now();
        try (Socket s = tcp()) {
            s.getOutputStream().write(("RPC_OUT_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: oa.frankysweb.org\r\nContent-Length: 4\r\n"
                    + "Authorization: " + GatewayTest.BASIC + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(untilClosed(s, before)).isBetween(SHORT, Duration.ofSeconds(3));
        }
        assertThat(timeouts("request_header")).isEqualTo(1);
    }

    /**
     * While a logon waits for the directory the gateway does not read: the client's body cannot arrive, so that wait
     * must not count against the request deadline.
     */
    @Test
    void aSlowLogonDoesNotCountAgainstTheRequestDeadline() throws Exception {
        start(LIMITS, new CredentialVerifier() {
            @Override
            public Optional<String> verifyPassword(String logonName, String password) {
                try {
                    Thread.sleep(SHORT.toMillis() * 2); // the directory is slow
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return GatewayTest.CREDENTIALS.verifyPassword(logonName, password);
            }

            @Override
            public Optional<byte[]> ntHash(String domain, String user) {
                return Optional.empty();
            }
        });
        try (Socket s = tcp()) {
            RawHttp http = new RawHttp(s);
            http.send("RPC_OUT_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: oa.frankysweb.org\r\nContent-Length: 4\r\n"
                    + "Authorization: " + GatewayTest.BASIC + "\r\n\r\n");
            Thread.sleep(100); // the head alone first: the body comes while the logon is pending
            RawHttp.Response r = http.send(new byte[] {(byte) 0xf8, (byte) 0xe8, 0x18, 0x08}).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 Success");
        }
        assertThat(timeouts("request_header")).isZero();
    }

    @Test
    void aRequestInTimeKeepsTheConnectionAcrossSeveralKeepAlivePeriods() throws Exception {
        start(LIMITS);
        try (SSLSocket s = tls()) {
            RawHttp http = new RawHttp(s);
            for (int i = 0; i < 4; i++) {
                Thread.sleep(SHORT.toMillis() / 2);
                assertThat(http.send(ECHO).read().status()).isEqualTo(200);
            }
        }
        assertThat(timeouts("keep_alive") + timeouts("request_header")).isZero();
    }

    @Test
    void connectionsAboveTheCapAreClosedAtAcceptAndCounted() throws Exception {
        start(LIMITS.withMaxConnections(2).withTlsHandshakeTimeout(Duration.ofSeconds(10)).withRequestHeaderTimeout(Duration.ofSeconds(10)));
        try (SSLSocket first = tls(); SSLSocket second = tls(); Socket third = tcp()) {
            assertThat(third.getInputStream().read()).isEqualTo(-1);
            assertThat(metrics.get("anywhere.gateway.connections.refused").tag("reason", "limit").counter().count()).isEqualTo(1);
            assertThat(metrics.get("anywhere.gateway.connections.open").gauge().value()).isEqualTo(2);
            first.close();
            // once one closed, a new connection is served
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3))
                    .until(() -> metrics.get("anywhere.gateway.connections.open").gauge().value() == 1);
            try (SSLSocket fourth = tls()) {
                RawHttp.Response r = new RawHttp(fourth).send(ECHO).read();
                assertThat(r.status()).isEqualTo(200);
            }
        }
    }

    /** The probe's finding: a 400 said keep-alive, then the connection hung. Now every generated error closes. */
    @Test
    void aDecoderFailureGets400WithConnectionCloseAndTheConnectionCloses() throws Exception {
        start(LIMITS);
        try (Socket s = tcp()) {
            RawHttp http = new RawHttp(s);
            RawHttp.Response r = http.send("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: oa.frankysweb.org\r\n"
                    + "Content-Length: 0\r\nBad Header: x\r\n\r\n").read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(http.closedByPeer()).isTrue();
        }
        try (Socket s = tcp()) {
            RawHttp http = new RawHttp(s);
            RawHttp.Response r = http.send("GET /owa/ HTTP/1.1\r\nHost: oa.frankysweb.org\r\n\r\n").read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(http.closedByPeer()).isTrue();
        }
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> ListenerLimits.defaults().withKeepAliveTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("keep-alive timeout: 0 (expected: more than 0 s)");
        assertThatThrownBy(() -> ListenerLimits.defaults().withMaxConnections(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maximum connections: 0 (expected: 1 or more)");
        assertThatThrownBy(() -> ListenerLimits.defaults().withIoThreads(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("I/O threads: -1 (expected: 0 for one per CPU, or 1 to 256)");
        assertThatThrownBy(() -> ListenerLimits.defaults().withIoThreads(257))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("I/O threads: 257 (expected: 0 for one per CPU, or 1 to 256)");
    }

    /**
     * One event loop per CPU by default, not Netty's two: pinned to one CPU, two loops only take turns on it, and a
     * virtual connection's IN and OUT channels would wake two threads for every call (docs/performance.md).
     */
    @Test
    void oneEventLoopPerCpuByDefault() throws Exception {
        start(ListenerLimits.defaults());
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThat(gateway.ioThreads()).isEqualTo(cpus);
        assertThat(gateway.health().json()).contains("\"ioThreads\":" + cpus + ",");
    }

    @Test
    void ioThreadsSetTheEventLoops() throws Exception {
        start(LIMITS.withIoThreads(3));
        assertThat(gateway.ioThreads()).isEqualTo(3);
        assertThat(gateway.health().json()).contains("\"ioThreads\":3,");
        try (Socket s = tcp()) {
            RawHttp.Response r = new RawHttp(s).send(ECHO).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 Success");
        }
    }
}
