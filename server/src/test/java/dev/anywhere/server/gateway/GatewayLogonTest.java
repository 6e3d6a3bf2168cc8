package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.SiteInfo;
import dev.anywhere.rpc.ntlm.NtHash;
import dev.anywhere.rpc.ntlm.NtlmClient;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.rpc.ntlm.NtlmHttpHeader;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.events.Event;
import dev.anywhere.server.events.EventId;
import dev.anywhere.server.events.EventLog;
import dev.anywhere.server.testing.RawHttp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logons that need the directory: off the event loops, with a deadline (503, not 401), cached, recorded and slowed
 * when they fail, and the directory's reachability in /health and the event log. The directory here is a test double
 * the test can hang or take down; GatewayDirectoryOutageTest stops a real embedded one.
 */
class GatewayLogonTest {

    private static final SiteInfo SITE = new SiteInfo("frankysweb.local", "FRANKYSWEB", "First Organization", "frankysweb.org");

    @TempDir
    Path dataDir;

    private final Directory directory = new Directory();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private Gateway gateway;

    /** FRANKYSWEB\franky / Secret-1 and FRANKYSWEB\anna / Secret-2; can hang (gate) or be down. */
    static final class Directory implements CredentialVerifier {
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile boolean down;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger probes = new AtomicInteger();

        @Override
        public Optional<String> verifyPassword(String logonName, String password) {
            answer();
            String user = logonName.substring(logonName.indexOf('\\') + 1).toLowerCase(java.util.Locale.ROOT);
            return (user.equals("franky") && password.equals("Secret-1")) || (user.equals("anna") && password.equals("Secret-2"))
                    ? Optional.of("FRANKYSWEB\\" + user) : Optional.empty();
        }

        @Override
        public Optional<byte[]> ntHash(String domain, String user) {
            answer();
            return user.equalsIgnoreCase("franky") ? Optional.of(NtHash.of("Secret-1")) : Optional.empty();
        }

        /** Counted apart, when answered: the gateway probes at start and while the directory is unreachable. */
        @Override
        public void probe() {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            probes.incrementAndGet(); // counted once answered
            if (down) {
                throw new DirectoryException("search for a mailbox: connect error(91) (expected: success)", true, null);
            }
        }

        private void answer() {
            calls.incrementAndGet();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (down) {
                throw new DirectoryException("search for a mailbox: connect error(91) (expected: success)", true, null);
            }
        }

        void hang() {
            gate = new CountDownLatch(1);
        }

        void answerAgain() {
            gate.countDown();
        }
    }

    @BeforeEach
    void applyConfiguration() throws Exception {
        new AppliedConfigFile(dataDir).write(new RpcVdirConfig("EX1", true, EnumSet.allOf(HttpAuthScheme.class), false,
                ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(6001, 6002, 6004))), 1, Instant.now());
    }

    /** Starts the gateway and lets its start-up probe finish, so that the test alone decides when the directory hangs. */
    private void start(LogonSettings logons) throws Exception {
        gateway = Gateway.start(new Gateway.Options(dataDir, "EX1", new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
                directory, "oa.frankysweb.org", Gateway.ntlmIdentity("EX1", SITE)).withLogonSettings(logons), metrics);
        await().atMost(Duration.ofSeconds(5)).until(() -> directory.probes.get() == 1);
    }

    @AfterEach
    void stop() {
        directory.answerAgain();
        if (gateway != null) {
            gateway.close();
        }
    }

    private RawHttp connect() throws Exception {
        return new RawHttp(new Socket("127.0.0.1", gateway.address().getPort()));
    }

    private static String basic(String user, String password) {
        return "Authorization: Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String echo(long length, String... headers) {
        StringBuilder b = new StringBuilder("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: oa.frankysweb.org\r\n"
                + "Connection: Keep-Alive\r\nContent-Length: " + length + "\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    private List<Event> events(EventId id) {
        return new EventLog(dataDir).read(e -> e.id() == id);
    }

    @Test
    void aLogonTheDirectoryDoesNotAnswerInTimeGets503WithRetryAfterNot401() throws Exception {
        start(LogonSettings.defaults().withDeadline(Duration.ofMillis(300)));
        directory.hang();
        try (RawHttp http = connect()) {
            RawHttp.Response r = http.send(echo(0, basic("FRANKYSWEB\\franky", "Secret-1"))).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 503 Service Unavailable");
            assertThat(r.header("Retry-After")).isEqualTo("5");
            assertThat(r.bodyText()).isEqualTo("the directory did not answer the logon in time; try again shortly\r\n");
        }
        assertThat(gateway.health().up()).isFalse();
        assertThat(gateway.health().json()).contains("\"status\":\"DEGRADED\"")
                .contains("\"directory\":{\"state\":\"UNREACHABLE\"").contains("\"reason\":\"no answer within 300 ms\"");
        await().atMost(Duration.ofSeconds(5)).until(() -> !events(EventId.LOGON_DIRECTORY_UNREACHABLE).isEmpty());
        assertThat(events(EventId.LOGON_DIRECTORY_UNREACHABLE).get(0).data()).containsEntry("reason", "no answer within 300 ms");
        assertThat(metrics.counter("anywhere.gateway.requests", "route", "rpc", "outcome", "directory_unavailable").count()).isEqualTo(1);
    }

    @Test
    void autodiscoverLogonsWaitForTheDirectoryTheSameWay() throws Exception {
        start(LogonSettings.defaults().withDeadline(Duration.ofMillis(300)));
        directory.hang();
        String body = "<Autodiscover/>";
        try (RawHttp http = connect()) {
            RawHttp.Response r = http.send("POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: autodiscover.frankysweb.org\r\n"
                    + "Content-Type: text/xml\r\nContent-Length: " + body.length() + "\r\n" + basic("FRANKYSWEB\\franky", "Secret-1")
                    + "\r\n\r\n" + body).read();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("Retry-After")).isEqualTo("5");
        }
        assertThat(metrics.counter("anywhere.gateway.requests", "route", "autodiscover", "outcome", "directory_unavailable").count())
                .isEqualTo(1);
    }

    @Test
    void whileTheDirectoryHangsCachedLogonsAndOtherConnectionsAreServedAtOnce() throws Exception {
        start(LogonSettings.defaults());
        try (RawHttp first = connect()) {
            assertThat(first.send(echo(0, basic("FRANKYSWEB\\franky", "Secret-1"))).read().status()).isEqualTo(200);
        }
        directory.hang();
        try (RawHttp waiting = connect(); RawHttp other = connect()) {
            waiting.send(echo(0, basic("FRANKYSWEB\\anna", "Secret-2")));
            for (int i = 0; i < 3; i++) {
                assertThat(other.send(echo(0, basic("FRANKYSWEB\\franky", "Secret-1"))).read().status()).isEqualTo(200);
                assertThat(other.send(echo(0)).read().status()).isEqualTo(401);
            }
            directory.answerAgain();
            assertThat(waiting.read().status()).isEqualTo(200);
        }
    }

    @Test
    void theBodyAndAPipelinedRequestSentDuringTheLogonAreHandedOnInOrder() throws Exception {
        start(LogonSettings.defaults());
        directory.hang();
        try (RawHttp http = connect()) {
            // Head, its 4-byte body (as the analyzer sends it), then a second request: all in one write.
            byte[] head = echo(4, basic("FRANKYSWEB\\franky", "Secret-1")).getBytes(StandardCharsets.ISO_8859_1);
            byte[] second = echo(0, basic("FRANKYSWEB\\franky", "Secret-1"), "X-Second: yes").getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = new byte[head.length + 4 + second.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(new byte[] {(byte) 0xf8, (byte) 0xe8, 0x18, 0x08}, 0, all, head.length, 4);
            System.arraycopy(second, 0, all, head.length + 4, second.length);
            http.send(all);
            await().atMost(Duration.ofSeconds(5)).until(() -> directory.calls.get() >= 1);
            directory.answerAgain();
            RawHttp.Response one = http.read();
            RawHttp.Response two = http.read();
            assertThat(one.statusLine()).isEqualTo("HTTP/1.1 200 Success");
            assertThat(two.statusLine()).isEqualTo("HTTP/1.1 200 Success");
            assertThat(two.body()).isEqualTo(RpcProxyRoute.ECHO_PDU);
        }
        // The second request was answered from the cache: one directory call in all.
        assertThat(directory.calls.get()).isEqualTo(1);
    }

    @Test
    void ntlmReadsTheNtHashOffTheEventLoopAndThenFromTheCache() throws Exception {
        start(LogonSettings.defaults());
        for (int round = 0; round < 2; round++) {
            NtlmClient client = new NtlmClient(NtlmCredentials.parse("FRANKYSWEB\\franky", "Secret-1"));
            try (RawHttp http = connect()) {
                String token = http.send(echo(0, "Authorization: " + NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM,
                        client.negotiate()))).read().header("WWW-Authenticate");
                RawHttp.Response r = http.send(echo(0, "Authorization: " + NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM,
                        client.authenticate(Base64.getDecoder().decode(token.substring(5)))))).read();
                assertThat(r.status()).isEqualTo(200);
                // The connection stays authenticated without asking again.
                assertThat(http.send(echo(0)).read().status()).isEqualTo(200);
            }
            directory.hang(); // the second handshake must not need the directory
        }
        assertThat(directory.calls.get()).isEqualTo(1); // one NT hash look-up
    }

    /** The status of one NTLM handshake for franky on a fresh connection. */
    private int ntlmLogon() throws Exception {
        NtlmClient client = new NtlmClient(NtlmCredentials.parse("FRANKYSWEB\\franky", "Secret-1"));
        try (RawHttp http = connect()) {
            String token = http.send(echo(0, "Authorization: " + NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM,
                    client.negotiate()))).read().header("WWW-Authenticate");
            return http.send(echo(0, "Authorization: " + NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM,
                    client.authenticate(Base64.getDecoder().decode(token.substring(5)))))).read().status();
        }
    }

    @Test
    void whileTheDirectoryIsUnreachableLogonsVerifiedWithinIisTokenLifetimeStillPass() throws Exception {
        start(LogonSettings.defaults().withCacheTtl(Duration.ofMillis(200)));
        try (RawHttp http = connect()) {
            assertThat(http.send(echo(0, basic("FRANKYSWEB\\franky", "Secret-1"))).read().status()).isEqualTo(200);
        }
        assertThat(ntlmLogon()).isEqualTo(200);
        Thread.sleep(300); // past the ordinary lifetime: a reachable directory would be asked again
        directory.down = true;
        try (RawHttp http = connect()) {
            // The first logon finds the directory gone: 503, and the gateway now knows it is unreachable.
            assertThat(http.send(echo(0, basic("FRANKYSWEB\\franky", "Secret-1"))).read().status()).isEqualTo(503);
        }
        try (RawHttp http = connect()) {
            assertThat(http.send(echo(0, basic("FRANKYSWEB\\franky", "Secret-1"))).read().status()).isEqualTo(200);
        }
        assertThat(ntlmLogon()).isEqualTo(200); // a recycled channel of an open virtual connection logs on like this
        // Never verified: no outage entry, so the directory is needed and cannot answer (each 503 closes its connection).
        for (String credentials : List.of(basic("FRANKYSWEB\\franky", "Other-1"), basic("FRANKYSWEB\\anna", "Secret-2"))) {
            try (RawHttp http = connect()) {
                assertThat(http.send(echo(0, credentials)).read().status()).isEqualTo(503);
            }
        }
        assertThat(gateway.health().up()).isFalse();
    }

    @Test
    void failedLogonsAreRecordedWithoutTheirPasswordAndTheir401IsHeldMoreEachTime() throws Exception {
        start(LogonSettings.defaults().withThrottle(2, Duration.ofMillis(300), Duration.ofMillis(500)));
        try (RawHttp http = connect()) {
            long[] millis = new long[4];
            for (int i = 0; i < 4; i++) {
                long t0 = System.nanoTime();
                RawHttp.Response r = http.send(echo(0, basic("FRANKYSWEB\\franky", "Guess-" + i))).read();
                millis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertThat(r.status()).isEqualTo(401);
            }
            assertThat(millis[2]).isGreaterThanOrEqualTo(280);
            assertThat(millis[3]).isGreaterThanOrEqualTo(480);
            // The right password is answered at once, throttled or not: no lockout here.
            assertThat(http.send(echo(0, basic("FRANKYSWEB\\franky", "Secret-1"))).read().status()).isEqualTo(200);
        }
        NtlmClient wrong = new NtlmClient(NtlmCredentials.parse("FRANKYSWEB\\franky", "Guess-ntlm"));
        try (RawHttp http = connect()) {
            String token = http.send(echo(0, "Authorization: " + NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM,
                    wrong.negotiate()))).read().header("WWW-Authenticate");
            assertThat(http.send(echo(0, "Authorization: " + NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM,
                    wrong.authenticate(Base64.getDecoder().decode(token.substring(5)))))).read().status()).isEqualTo(401);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> events(EventId.LOGON_FAILED).size() == 5);
        List<Event> failed = events(EventId.LOGON_FAILED);
        assertThat(failed).extracting(e -> e.data().get("delayMillis")).containsExactly("0", "0", "300", "500", "500");
        assertThat(failed.get(0).data()).containsEntry("user", "FRANKYSWEB\\franky").containsEntry("address", "127.0.0.1")
                .containsEntry("scheme", "Basic").containsEntry("reason", "wrong_password_or_unknown_user")
                .containsEntry("failures", "1");
        assertThat(failed.get(4).data()).containsEntry("scheme", "NTLM").containsEntry("reason", "wrong_password");
        assertThat(metrics.counter("anywhere.gateway.logon.failures", "scheme", "basic", "reason",
                "wrong_password_or_unknown_user").count()).isEqualTo(4);
        assertThat(metrics.counter("anywhere.gateway.logon.failures", "scheme", "ntlm", "reason", "wrong_password").count())
                .isEqualTo(1);
        // Never a password or a hash, in the events or the metrics.
        String written = Files.readString(dataDir.resolve(EventLog.FILE_NAME));
        StringBuilder meters = new StringBuilder();
        metrics.getMeters().forEach(m -> meters.append(m.getId()).append('\n'));
        for (String secret : List.of("Guess-0", "Guess-3", "Guess-ntlm", "Secret-1",
                HexFormat.of().formatHex(NtHash.of("Guess-ntlm")), HexFormat.of().formatHex(NtHash.of("Secret-1")))) {
            assertThat(written).doesNotContainIgnoringCase(secret);
            assertThat(meters.toString()).doesNotContainIgnoringCase(secret);
        }
    }

    @Test
    void anUnreachableDirectoryIs503AndDegradedUntilTheProbeFindsItBack() throws Exception {
        start(LogonSettings.defaults().withProbeInterval(Duration.ofMillis(100)));
        directory.down = true;
        try (RawHttp http = connect()) {
            RawHttp.Response r = http.send(echo(0, basic("FRANKYSWEB\\franky", "Secret-1"))).read();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("Retry-After")).isEqualTo("5");
        }
        assertThat(gateway.health().json()).contains("\"state\":\"UNREACHABLE\"")
                .contains("\"reason\":\"search for a mailbox: connect error(91) (expected: success)\"");
        assertThat(events(EventId.LOGON_FAILED)).isEmpty();
        directory.down = false;
        // No logon comes: the probe alone turns it back.
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.health().up());
        assertThat(gateway.health().json()).contains("\"status\":\"UP\"").contains("\"state\":\"REACHABLE\"");
        await().atMost(Duration.ofSeconds(5)).until(() -> !events(EventId.LOGON_DIRECTORY_RECOVERED).isEmpty());
        assertThat(events(EventId.LOGON_DIRECTORY_UNREACHABLE)).hasSize(1);
    }

    @Test
    void aFullLogonPoolAnswers503AtOnce() throws Exception {
        start(LogonSettings.defaults().withPool(1, 0));
        directory.hang();
        try (RawHttp busy = connect(); RawHttp refused = connect()) {
            busy.send(echo(0, basic("FRANKYSWEB\\franky", "Secret-1")));
            await().atMost(Duration.ofSeconds(5)).until(() -> directory.calls.get() == 1);
            RawHttp.Response r = refused.send(echo(0, basic("FRANKYSWEB\\anna", "Secret-2"))).read();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("Retry-After")).isEqualTo("5");
            directory.answerAgain();
            assertThat(busy.read().status()).isEqualTo(200);
        }
    }
}
