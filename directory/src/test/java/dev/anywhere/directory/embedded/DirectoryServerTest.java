package dev.anywhere.directory.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.directory.ChangeMechanism;
import dev.anywhere.directory.ChangeSubscription;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.model.OutlookProvider;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryServerTest {

    private static final String PASSWORD = "Serve-Me-1";

    @TempDir
    Path dataDir;

    @Test
    void infoDescribesTheListener() throws Exception {
        try (DirectoryServer dc1 = DirectoryServer.start(dataDir, InetAddress.getByName("127.0.0.1"), 0,
                SiteSeed.frankysweb(PASSWORD))) {
            DirectoryServer.Info info = dc1.info();
            assertThat(info.url().toString()).isEqualTo("ldap://127.0.0.1:" + dc1.directory().port());
            assertThat(info.baseDn()).isEqualTo("DC=frankysweb,DC=local");
            assertThat(info.configurationDn()).isEqualTo("CN=Configuration,DC=frankysweb,DC=local");
            assertThat(info.serviceBindDn()).isEqualTo("CN=svc-anywhere,CN=Users,DC=frankysweb,DC=local");
            assertThat(info.dataFile()).isEqualTo(dataDir.resolve("directory.ldif"));
            assertThat(info.seededNow()).isTrue();
            try (LdapSiteDirectory client = LdapSiteDirectory.connect(
                    LdapSettings.of(info.url(), info.serviceBindDn(), PASSWORD, SiteSeed.FRANKYSWEB))) {
                assertThat(client.servers()).hasSize(2);
            }
        }
    }

    @Test
    void changelogFollowerSurvivesAServerRestart() throws Exception {
        DirectoryServer dc1 = DirectoryServer.start(dataDir, InetAddress.getLoopbackAddress(), 0,
                SiteSeed.frankysweb(PASSWORD));
        int port = dc1.directory().port();
        LdapSiteDirectory client = LdapSiteDirectory.connect(dc1.directory().settings(dc1.info().serviceBindDn(), PASSWORD)
                .withTimeout(Duration.ofSeconds(2)));
        CountDownLatch fired = new CountDownLatch(1);
        try (ChangeSubscription watch = client.watch(fired::countDown)) {
            assertThat(watch.mechanism()).isEqualTo(ChangeMechanism.CHANGELOG);
            Thread.sleep(300);
            dc1.stop();
            Thread.sleep(600); // a few failed polls
            dc1 = DirectoryServer.start(dataDir, InetAddress.getLoopbackAddress(), port, SiteSeed.frankysweb("unused"));
            try (LdapSiteDirectory writer = LdapSiteDirectory.connect(
                    dc1.directory().settings(dc1.info().serviceBindDn(), PASSWORD))) {
                writer.putProvider(new OutlookProvider("EXCH", Optional.empty(), Optional.of("ex1.frankysweb.local"), 1, 0));
            }
            assertThat(fired.await(3, TimeUnit.SECONDS)).isTrue();
            assertThat(client.provider("EXCH").orElseThrow().server()).contains("ex1.frankysweb.local");
        } finally {
            client.close();
            dc1.stop();
        }
    }

    @Test
    void pollingFallbackNoticesChanges() throws Exception {
        try (DirectoryServer dc1 = DirectoryServer.start(dataDir, InetAddress.getLoopbackAddress(), 0,
                SiteSeed.frankysweb(PASSWORD));
                LdapSiteDirectory client = LdapSiteDirectory.connect(dc1.directory()
                        .settings(dc1.info().serviceBindDn(), PASSWORD).withPollingInterval(Duration.ofMillis(150)))) {
            CountDownLatch fired = new CountDownLatch(1);
            try (ChangeSubscription watch = client.watch(fired::countDown, ChangeMechanism.POLLING)) {
                assertThat(watch.mechanism()).isEqualTo(ChangeMechanism.POLLING);
                Thread.sleep(300);
                assertThat(fired.getCount()).isEqualTo(1);
                client.putProvider(new OutlookProvider("WEB", Optional.empty(), Optional.empty(), 5, 0));
                assertThat(fired.await(2, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void userChangesDoNotWakeConfigurationFollowers() throws Exception {
        try (DirectoryServer dc1 = DirectoryServer.start(dataDir, InetAddress.getLoopbackAddress(), 0,
                SiteSeed.frankysweb(PASSWORD));
                LdapSiteDirectory client = dc1.directory().connect(PASSWORD)) {
            CountDownLatch fired = new CountDownLatch(1);
            try (ChangeSubscription watch = client.watch(fired::countDown)) {
                Thread.sleep(300);
                client.setPassword("franky", "Other-Passw0rd");
                assertThat(fired.await(800, TimeUnit.MILLISECONDS)).isFalse();
            }
        }
    }
}
