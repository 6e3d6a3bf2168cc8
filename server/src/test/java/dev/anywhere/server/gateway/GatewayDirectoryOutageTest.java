package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anywhere.directory.embedded.DirectoryServer;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.events.EventId;
import dev.anywhere.server.events.EventLog;
import dev.anywhere.server.testing.RawHttp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway against the real embedded directory, which the tests stop and start again, or load with binds. */
class GatewayDirectoryOutageTest {

    private static final String PASSWORD = "Service-Secret-1";

    @TempDir
    Path dataDir;

    @TempDir
    Path directoryData;

    private DirectoryServer dc1;
    private LdapSiteDirectory directory;
    private Gateway gateway;

    @BeforeEach
    void startDirectory() throws Exception {
        dc1 = DirectoryServer.start(directoryData, InetAddress.getLoopbackAddress(), 0, SiteSeed.frankysweb(PASSWORD));
        directory = LdapSiteDirectory.open(dc1.directory().settings(dc1.directory().serviceBindDn(), PASSWORD)
                .withTimeout(Duration.ofSeconds(2)));
        directory.setPassword("franky", "Franky-Secret-1");
        new AppliedConfigFile(dataDir).write(new RpcVdirConfig("EX1", true, EnumSet.allOf(HttpAuthScheme.class), false,
                ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(6001, 6002, 6004))), 1, Instant.now());
    }

    private void startGateway(LogonSettings logons) throws Exception {
        gateway = Gateway.start(new Gateway.Options(dataDir, "EX1", new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
                new DirectoryCredentials(directory), "oa.frankysweb.org", Gateway.ntlmIdentity("EX1", SiteSeed.FRANKYSWEB))
                .withLogonSettings(logons), new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        directory.close();
        dc1.close();
    }

    private static String echo(String user, String password) {
        return "RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: oa.frankysweb.org\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n"
                + "Authorization: Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))
                + "\r\n\r\n";
    }

    private int logon(String user, String password) throws Exception {
        try (RawHttp http = new RawHttp(new Socket("127.0.0.1", gateway.address().getPort()))) {
            return http.send(echo(user, password)).read().status();
        }
    }

    private boolean has(EventId id) {
        return !new EventLog(dataDir).read(e -> e.id() == id).isEmpty();
    }

    @Test
    void stoppingTheDirectoryTurnsLogonsTo503AndHealthDegradedAndItsReturnTurnsThemBack() throws Exception {
        startGateway(LogonSettings.defaults().withProbeInterval(Duration.ofMillis(200)));
        assertThat(logon("FRANKYSWEB\\franky", "Franky-Secret-1")).isEqualTo(200);
        int port = dc1.info().url().getPort();
        dc1.stop();

        // A logon the cache knows goes on; one that needs the directory gets 503, not 401.
        assertThat(logon("FRANKYSWEB\\franky", "Franky-Secret-1")).isEqualTo(200);
        assertThat(logon("FRANKYSWEB\\franky", "Not-Cached-1")).isEqualTo(503);
        assertThat(gateway.health().up()).isFalse();
        assertThat(gateway.health().json()).contains("\"status\":\"DEGRADED\"").contains("\"state\":\"UNREACHABLE\"");
        await().atMost(Duration.ofSeconds(5)).until(() -> has(EventId.LOGON_DIRECTORY_UNREACHABLE));
        assertThat(has(EventId.LOGON_FAILED)).isFalse();

        dc1 = DirectoryServer.start(directoryData, InetAddress.getLoopbackAddress(), port, SiteSeed.frankysweb(PASSWORD));
        await().atMost(Duration.ofSeconds(15)).until(() -> gateway.health().up());
        await().atMost(Duration.ofSeconds(5)).until(() -> has(EventId.LOGON_DIRECTORY_RECOVERED));
        assertThat(logon("FRANKYSWEB\\franky", "Not-Cached-1")).isEqualTo(401);
        assertThat(logon("franky", "Franky-Secret-1")).isEqualTo(200);
    }

    @Test
    void fiftyClientsLoggingOnAtOnceWithTheRightPasswordAreAllLetIn() throws Exception {
        // No cache: every one of the 300 logons binds to the directory. (The race in the embedded directory shows
        // more reliably without the gateway in between: ConcurrentBindTest in the directory module.)
        startGateway(LogonSettings.defaults().withCacheTtl(Duration.ZERO));
        AtomicInteger refused = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(50);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 50; c++) {
                done.add(clients.submit(() -> {
                    try (RawHttp http = new RawHttp(new Socket("127.0.0.1", gateway.address().getPort()))) {
                        for (int i = 0; i < 6; i++) {
                            if (http.send(echo("FRANKYSWEB\\franky", "Franky-Secret-1")).read().status() != 200) {
                                refused.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(refused.get()).as("right passwords refused out of 300 logons").isZero();
    }
}
