package dev.anywhere.directory.embedded;

import static org.awaitility.Awaitility.await;

import dev.anywhere.directory.ChangeMechanism;
import dev.anywhere.directory.ChangeSubscription;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change feed that loses the directory tells its listener once, so the service host reads the directory, finds it
 * unreachable and reports the outage, instead of waiting silently for changes that cannot come.
 */
class ChangeFeedOutageTest {

    private static final String PASSWORD = "Service-Secret-1";

    @TempDir
    Path dataDir;

    @Test
    void stoppingTheDirectoryFiresOnceAndItsReturnFiresAgain() {
        EmbeddedDirectory embedded = EmbeddedDirectory.start(dataDir, InetAddress.getLoopbackAddress(), 0, SiteSeed.frankysweb(PASSWORD));
        int port = embedded.port();
        AtomicInteger fired = new AtomicInteger();
        try (LdapSiteDirectory directory = LdapSiteDirectory.open(embedded.settings(embedded.serviceBindDn(), PASSWORD)
                .withChangelogInterval(Duration.ofMillis(100)).withTimeout(Duration.ofSeconds(2)));
                ChangeSubscription feed = directory.watch(fired::incrementAndGet, ChangeMechanism.CHANGELOG)) {
            embedded.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> fired.get() == 1);
            // Polls keep failing: no more calls for the same outage.
            await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> fired.get() == 1);
            embedded = EmbeddedDirectory.start(dataDir, InetAddress.getLoopbackAddress(), port, SiteSeed.frankysweb(PASSWORD));
            await().atMost(Duration.ofSeconds(10)).until(() -> fired.get() == 2);
        } finally {
            embedded.close();
        }
    }
}
