package dev.anywhere.directory.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.anywhere.directory.ChangeSubscription;
import dev.anywhere.directory.ReplicaSwitch;
import dev.anywhere.directory.embedded.EmbeddedDirectory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client of two replicas uses the nearest, moves to the other while it is down (saying so, and moving its change
 * following along), and comes back once it answers again and has caught up.
 */
class ReplicatedSiteDirectoryTest {

    private static final String PASSWORD = "Service-Secret-1";

    @TempDir
    Path tmp;

    private static LdapSiteDirectory client(EmbeddedDirectory d) {
        return LdapSiteDirectory.open(d.settings(d.serviceBindDn(), PASSWORD)
                .withChangelogInterval(Duration.ofMillis(100)).withTimeout(Duration.ofSeconds(2)));
    }

    @Test
    void movesToTheNextReplicaWhileTheNearestIsDownAndBackWhenItReturns() {
        EmbeddedDirectory near = EmbeddedDirectory.start(tmp.resolve("dc1"), InetAddress.getLoopbackAddress(), 0,
                SiteSeed.frankysweb(PASSWORD));
        int nearPort = near.port();
        java.net.URI nearUrl = near.url(); // a stopped server no longer knows its port
        List<ReplicaSwitch> switches = new CopyOnWriteArrayList<>();
        AtomicInteger notified = new AtomicInteger();
        try (EmbeddedDirectory far = EmbeddedDirectory.start(tmp.resolve("dc2"), InetAddress.getLoopbackAddress(), 0,
                SiteSeed.frankysweb(PASSWORD));
                LdapSiteDirectory farWriter = far.connect(PASSWORD);
                ReplicatedSiteDirectory directory = ReplicatedSiteDirectory.of(List.of(client(near), client(far)),
                        Duration.ofMillis(200))) {
            // Only the far replica lacks EX1's /rpc object: which one answered is visible.
            farWriter.removeRpcVirtualDirectory("EX1");
            directory.onReplicaSwitch(switches::add);
            assertThat(directory.rpcVirtualDirectory("EX1")).isPresent();
            try (ChangeSubscription feed = directory.watch(notified::incrementAndGet)) {
                near.close();
                assertThat(directory.rpcVirtualDirectory("EX1")).as("read from the far replica").isEmpty();
                assertThat(switches).hasSize(1);
                assertThat(switches.get(0).from()).isEqualTo(nearUrl);
                assertThat(switches.get(0).to()).isEqualTo(far.url());
                assertThat(switches.get(0).nearest()).isFalse();
                assertThat(switches.get(0).reason()).contains("(expected: success)").doesNotContain(PASSWORD);
                // the feed moved: a notification for the switch, then one for a change written on the far replica
                await().atMost(Duration.ofSeconds(5)).until(() -> notified.get() >= 1);
                int before = notified.get();
                farWriter.putRpcVirtualDirectory(new dev.anywhere.directory.model.RpcHttpVirtualDirectory("EX1", 0,
                        java.util.Optional.empty(), java.util.Optional.empty(), 0, 0));
                await().atMost(Duration.ofSeconds(5)).until(() -> notified.get() > before);

                near = EmbeddedDirectory.start(tmp.resolve("dc1"), InetAddress.getLoopbackAddress(), nearPort,
                        SiteSeed.frankysweb(PASSWORD));
                await().atMost(Duration.ofSeconds(10)).until(() -> switches.size() == 2);
                assertThat(switches.get(1).to()).isEqualTo(nearUrl);
                assertThat(switches.get(1).nearest()).isTrue();
                assertThat(directory.current().settings().url()).isEqualTo(nearUrl);
            }
        } finally {
            near.close();
        }
    }

    @Test
    void aReplicaIsCaughtUpWhenItHasSeenEveryProvidersLatestChange() {
        Map<String, String> inUse = Map.of("001", "20261206150000.000001Z#000000#001#000000",
                "002", "20261206150500.000001Z#000000#002#000000");
        assertThat(ReplicatedSiteDirectory.covers(inUse, inUse)).isTrue();
        assertThat(ReplicatedSiteDirectory.covers(Map.of("001", "20261206150000.000001Z#000000#001#000000",
                "002", "20261206150600.000001Z#000000#002#000000"), inUse)).isTrue();
        assertThat(ReplicatedSiteDirectory.covers(Map.of("001", "20261206150000.000001Z#000000#001#000000",
                "002", "20261206150400.000001Z#000000#002#000000"), inUse)).as("behind on DC2's changes").isFalse();
        assertThat(ReplicatedSiteDirectory.covers(Map.of("001", "20261206150000.000001Z#000000#001#000000"), inUse))
                .as("never saw DC2").isFalse();
        assertThat(ReplicatedSiteDirectory.covers(Map.of(), Map.of())).as("nothing to compare").isTrue();
    }

    @Test
    void noReplicaOrOneTwiceIsRefused() {
        assertThatThrownBy(() -> ReplicatedSiteDirectory.of(List.of(), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("replicas: none (expected: at least one directory URL)");
        LdapSettings settings = LdapSettings.of(java.net.URI.create("ldap://127.0.0.1:1"), "cn=x", "pw", SiteSeed.FRANKYSWEB);
        assertThatThrownBy(() -> ReplicatedSiteDirectory.of(List.of(LdapSiteDirectory.open(settings),
                LdapSiteDirectory.open(settings)), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("replicas: ldap://127.0.0.1:1 given twice (expected: each once)");
    }
}
