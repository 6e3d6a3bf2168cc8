package dev.anywhere.server.configurator;

import static org.awaitility.Awaitility.await;

import dev.anywhere.directory.embedded.EmbeddedDirectory;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.server.events.EventId;
import dev.anywhere.server.events.EventLog;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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

    private static boolean has(EventLog events, EventId id) {
        return !events.read(e -> e.id() == id).isEmpty();
    }
}
