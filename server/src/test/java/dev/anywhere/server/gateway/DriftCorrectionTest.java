package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.directory.SiteInfo;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.configurator.LocalRoles;
import dev.anywhere.server.configurator.ServiceHost;
import dev.anywhere.server.configurator.ServiceHostSettings;
import dev.anywhere.server.events.Event;
import dev.anywhere.server.events.EventId;
import dev.anywhere.server.events.EventLog;
import dev.anywhere.server.testing.MemorySiteDirectory;
import dev.anywhere.server.testing.RawHttp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand edits of {@code rpc-vdir.json} against a running service host and gateway on one data directory: with drift
 * correction on (the default) the gateway never applies them and the file is restored within about a second; with it
 * off they take effect until the next pass, as in Exchange.
 */
class DriftCorrectionTest {

    /** "About a second": the service host looks every 200 ms; the margin is for a loaded build machine. */
    private static final Duration RESTORED_WITHIN = Duration.ofMillis(1500);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private final MemorySiteDirectory directory = new MemorySiteDirectory();
    private AppliedConfigFile applied;
    private EventLog events;
    private ServiceHost host;
    private Gateway gateway;
    private RpcVdirConfig good;

    @BeforeEach
    void start() throws Exception {
        applied = new AppliedConfigFile(dataDir);
        events = new EventLog(dataDir);
        new LocalRoles(true, true, true).write(dataDir);
        directory.putRpcVirtualDirectory(new RpcHttpVirtualDirectory("EX1", 0, Optional.empty(), Optional.empty(), 0, 0)
                .withExternalHostname("oa.frankysweb.org").withExternalClientAuthenticationMethod(ClientAuthenticationMethod.NTLM)
                .withIisAuthenticationMethods(EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM)).withSslOffloading(true));
        host = new ServiceHost(directory, "EX1", dataDir, events, Clock.systemUTC(), ServiceHost.Timing.EXCHANGE);
        host.start();
        gateway = Gateway.start(new Gateway.Options(dataDir, "EX1", new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
                GatewayTest.CREDENTIALS, "oa.frankysweb.org",
                Gateway.ntlmIdentity("EX1", new SiteInfo("frankysweb.local", "FRANKYSWEB", "First Organization", "frankysweb.org"))),
                new SimpleMeterRegistry());
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.config().current().enabled());
        good = applied.read().orElseThrow().config();
        assertThat(good.authentication()).containsExactlyInAnyOrder(HttpAuthScheme.NTLM, HttpAuthScheme.BASIC);
        assertThat(good.validPorts().permits("evil", 3389)).isFalse();
    }

    @AfterEach
    void stop() {
        gateway.close();
        host.close();
    }

    /** As an administrator in an editor: the file saved in place, the digest left as it was. */
    private void editByHand() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(applied.path().toFile());
        root.put("validPorts", root.get("validPorts").asText() + ";evil:3389");
        root.putArray("authentication").add("Basic");
        Files.writeString(applied.path(), JSON.writeValueAsString(root));
    }

    /** Writes the switch and waits until the service host has seen it (servicehost-status.json says so). */
    private void driftCorrection(boolean on) throws Exception {
        new ServiceHostSettings(ServiceHostSettings.DEFAULT_POLL_INTERVAL, true, on).write(dataDir);
        await().atMost(Duration.ofSeconds(2)).until(() -> Files.readString(dataDir.resolve(ServiceHost.STATUS_FILE))
                .contains("\"driftCorrection\" : " + on));
    }

    private boolean restored() {
        try {
            return applied.read().map(s -> s.writtenByConfigurator() && s.config().equals(good)).orElse(false);
        } catch (Exception e) {
            return false;
        }
    }

    /** Watches the gateway while the file is edited until it is restored: the edit must never be in force. */
    private void assertNeverAppliedUntilRestored() throws Exception {
        long deadline = System.nanoTime() + RESTORED_WITHIN.toNanos();
        while (!restored()) {
            RpcVdirConfig inForce = gateway.config().current();
            assertThat(inForce.validPorts().permits("evil", 3389)).as("evil:3389 permitted by the gateway").isFalse();
            assertThat(inForce).isEqualTo(good);
            assertThat(System.nanoTime()).as("rpc-vdir.json restored within " + RESTORED_WITHIN).isLessThan(deadline);
            Thread.sleep(5);
        }
        assertThat(gateway.config().current()).isEqualTo(good);
    }

    private List<Event> reverted() {
        return events.read(e -> e.id() == EventId.REVERTED_MANUAL_CHANGE);
    }

    private RawHttp.Response connectTo(String target) throws Exception {
        try (RawHttp http = new RawHttp(new Socket("127.0.0.1", gateway.address().getPort()))) {
            return http.send("RPC_IN_DATA /rpc/rpcproxy.dll?" + target + " HTTP/1.1\r\nHost: oa.frankysweb.org\r\n"
                    + "Content-Length: 1073741824\r\nAuthorization: " + GatewayTest.BASIC + "\r\n\r\n").read();
        }
    }

    @Test
    void aHandAddedValidPortIsNeverPermittedAndTheFileIsRestoredWithinASecond() throws Exception {
        editByHand();
        assertNeverAppliedUntilRestored();
        await().atMost(Duration.ofSeconds(1)).until(() -> reverted().size() == 1);
        Event e = reverted().get(0);
        assertThat(e.data()).containsEntry("items", "authentication,validPorts")
                .containsEntry("file", applied.path().toString());
        assertThat(e.message()).contains("was changed by hand (authentication 'Basic' instead of 'NTLM, Basic'; "
                + "validPorts added evil:3389)").contains("it was not applied");
        assertThat(connectTo("evil:3389").statusLine()).isEqualTo("HTTP/1.0 503 RPC Error: 6ba");
        // The repair needs no directory: nothing was read from it since the start.
        assertThat(host.passes()).isEqualTo(1);
    }

    @Test
    void aDeletedFileIsRestored() throws Exception {
        Files.delete(applied.path());
        assertRestoredWith3901("deleted", "of EX1 was deleted; it was not applied");
    }

    @Test
    void garbageIsRestored() throws Exception {
        Files.writeString(applied.path(), "{\"enabled\": true, \"validPorts\": \"*:1-65535\"");
        assertRestoredWith3901("unreadable", "could not be read (rpc-vdir.json: not JSON");
    }

    private void assertRestoredWith3901(String items, String message) throws Exception {
        assertNeverAppliedUntilRestored();
        await().atMost(Duration.ofSeconds(1)).until(() -> reverted().size() == 1);
        assertThat(reverted().get(0).data()).containsEntry("items", items);
        assertThat(reverted().get(0).message()).contains(message);
    }

    @Test
    void withDriftCorrectionOffAHandEditStaysUntilTheNextPassAsInExchange() throws Exception {
        driftCorrection(false);
        assertThat(events.read(e -> e.id() == EventId.DRIFT_CORRECTION_DISABLED)).hasSize(1);
        editByHand();
        await().atMost(Duration.ofSeconds(1)).until(() -> gateway.config().current().validPorts().permits("evil", 3389));
        assertThat(gateway.config().current().authentication()).containsExactly(HttpAuthScheme.BASIC);
        // Several drift checks later the edit is still there: nothing but a pass overwrites it.
        Thread.sleep(4 * ServiceHost.DRIFT_CHECK.toMillis());
        assertThat(applied.read().orElseThrow().writtenByConfigurator()).isFalse();
        assertThat(reverted()).isEmpty();

        host.requestPass();
        await().atMost(Duration.ofSeconds(2)).until(() -> restored() && reverted().size() == 1);
        await().atMost(Duration.ofSeconds(1)).until(() -> !gateway.config().current().validPorts().permits("evil", 3389));
        assertThat(reverted().get(0).data()).containsEntry("items", "authentication,validPorts");
        assertThat(events.read(e -> e.id() == EventId.DRIFT_CORRECTION_DISABLED)).hasSize(1);
    }

    @Test
    void switchingDriftCorrectionBackOnEndsAStandingHandEditAtOnce() throws Exception {
        driftCorrection(false);
        editByHand();
        await().atMost(Duration.ofSeconds(1)).until(() -> gateway.config().current().validPorts().permits("evil", 3389));
        new ServiceHostSettings(ServiceHostSettings.DEFAULT_POLL_INTERVAL, true, true).write(dataDir);
        await().atMost(RESTORED_WITHIN).until(() -> restored() && gateway.config().current().equals(good) && reverted().size() == 1);
        assertThat(host.passes()).isEqualTo(1);
    }
}
