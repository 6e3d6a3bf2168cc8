package dev.anywhere.server.configurator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anywhere.directory.embedded.EmbeddedDirectory;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.ReplicatedSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.server.events.EventId;
import dev.anywhere.server.events.EventLog;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory that goes away while the service host follows its changes is reported at once (2001), not at the next
 * poll 15 minutes later, and its return too (3904). The embedded directory is stopped and started again mid-test.
 */
class ServiceHostOutageTest {

    private static final String PASSWORD = "Service-Secret-1";

    @TempDir
    Path dataDir;

    @TempDir
    Path directoryData;

    @Test
    void stoppingTheDirectoryWhileFollowingChangesWrites2001AndItsReturn3904() throws Exception {
        EmbeddedDirectory dc1 = EmbeddedDirectory.start(directoryData, InetAddress.getLoopbackAddress(), 0, SiteSeed.frankysweb(PASSWORD));
        int port = dc1.port();
        new ServiceHostSettings(Duration.ofMinutes(15), true).write(dataDir);
        new LocalRoles(true, true, true).write(dataDir);
        EventLog events = new EventLog(dataDir);
        try (LdapSiteDirectory directory = LdapSiteDirectory.open(dc1.settings(dc1.serviceBindDn(), PASSWORD)
                .withChangelogInterval(Duration.ofMillis(100)).withTimeout(Duration.ofSeconds(2)));
                ServiceHost host = new ServiceHost(directory, "EX1", dataDir, events, Clock.systemUTC(),
                        new ServiceHost.Timing(Duration.ofMillis(300), ServiceHost.DISABLED_RECHECK))) {
            host.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> has(events, EventId.CHANGE_FOLLOWING_STARTED));
            dc1.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> has(events, EventId.TRANSIENT_EXCEPTION));
            dc1 = EmbeddedDirectory.start(directoryData, InetAddress.getLoopbackAddress(), port, SiteSeed.frankysweb(PASSWORD));
            await().atMost(Duration.ofSeconds(15)).until(() -> has(events, EventId.DIRECTORY_RECOVERED));
        } finally {
            dc1.close();
        }
    }

    /**
     * Given two replicas, the loss of the nearest moves the service host to the other (3905, not 2001), and a change
     * written there is applied: its change following moved along.
     */
    @Test
    void withTwoReplicasTheLossOfTheNearestMovesToTheOtherAndItsChangesAreApplied(@TempDir Path farData) throws Exception {
        EmbeddedDirectory dc1 = EmbeddedDirectory.start(directoryData, InetAddress.getLoopbackAddress(), 0, SiteSeed.frankysweb(PASSWORD));
        new ServiceHostSettings(Duration.ofMinutes(15), true).write(dataDir);
        new LocalRoles(true, true, true).write(dataDir);
        EventLog events = new EventLog(dataDir);
        try (EmbeddedDirectory dc2 = EmbeddedDirectory.start(farData, InetAddress.getLoopbackAddress(), 0, SiteSeed.frankysweb(PASSWORD));
                LdapSiteDirectory dc2Writer = dc2.connect(PASSWORD);
                ReplicatedSiteDirectory directory = ReplicatedSiteDirectory.of(List.of(client(dc1), client(dc2)), Duration.ofMillis(200));
                ServiceHost host = new ServiceHost(directory, "EX1", dataDir, events, Clock.systemUTC(),
                        new ServiceHost.Timing(Duration.ofMillis(300), ServiceHost.DISABLED_RECHECK))) {
            host.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> has(events, EventId.CHANGE_FOLLOWING_STARTED)
                    && has(events, EventId.SUCCESSFULLY_CHECKED));
            String dc1Url = dc1.url().toString();
            dc1.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> has(events, EventId.DIRECTORY_REPLICA_SWITCHED));
            var switched = events.read(e -> e.id() == EventId.DIRECTORY_REPLICA_SWITCHED).get(0);
            assertThat(switched.data()).containsEntry("from", dc1Url).containsEntry("to", dc2.url().toString());
            assertThat(switched.message()).startsWith("The directory replica " + dc1Url + " cannot be used (");
            int updates = events.read(e -> e.id() == EventId.UPDATED_RPC_VIRTUAL_DIRECTORY).size();
            dc2Writer.removeRpcVirtualDirectory("EX1");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> events.read(e -> e.id() == EventId.UPDATED_RPC_VIRTUAL_DIRECTORY).size() > updates);
            assertThat(has(events, EventId.TRANSIENT_EXCEPTION)).isFalse();
        } finally {
            dc1.close();
        }
    }

    private static LdapSiteDirectory client(EmbeddedDirectory d) {
        return LdapSiteDirectory.open(d.settings(d.serviceBindDn(), PASSWORD)
                .withChangelogInterval(Duration.ofMillis(100)).withTimeout(Duration.ofSeconds(2)));
    }

    private static boolean has(EventLog events, EventId id) {
        return !events.read(e -> e.id() == id).isEmpty();
    }
}
