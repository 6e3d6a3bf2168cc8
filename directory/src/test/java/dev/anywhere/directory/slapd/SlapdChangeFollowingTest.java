package dev.anywhere.directory.slapd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.directory.ChangeMechanism;
import dev.anywhere.directory.ChangeSubscription;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.directory.testing.SlapdServer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 4533 content sync against slapd's syncprov, including losing and regaining the server. */
class SlapdChangeFollowingTest {

    private static final String PASSWORD = "Sync-Me-1";

    @TempDir
    Path dir;

    @Test
    void contentSyncReconnectsAfterSlapdRestart() throws Exception {
        SlapdServer.assumeAvailable();
        try (SlapdServer slapd = SlapdServer.start(dir, SiteSeed.frankysweb(PASSWORD));
                LdapSiteDirectory client = LdapSiteDirectory.connect(slapd.serviceSettings(PASSWORD))) {
            Semaphore changes = new Semaphore(0);
            try (ChangeSubscription watch = client.watch(changes::release)) {
                assertThat(watch.mechanism()).isEqualTo(ChangeMechanism.CONTENT_SYNC);
                Thread.sleep(200);
                assertThat(changes.availablePermits()).isZero();

                slapd.restart();
                // the feed reconnects (1 s back-off) and, once live again, fires once for what it may have missed
                assertThat(changes.tryAcquire(5, TimeUnit.SECONDS)).as("fired on reconnect").isTrue();
                changes.drainPermits();

                RpcHttpVirtualDirectory vdir = client.rpcVirtualDirectory("EX1").orElseThrow();
                client.putRpcVirtualDirectory(vdir.withExternalClientAuthenticationMethod(ClientAuthenticationMethod.BASIC));
                assertThat(changes.tryAcquire(2, TimeUnit.SECONDS)).as("fired after change").isTrue();
            }
        }
    }

    @Test
    void closingTheSubscriptionStopsNotifications() throws Exception {
        SlapdServer.assumeAvailable();
        try (SlapdServer slapd = SlapdServer.start(dir, SiteSeed.frankysweb(PASSWORD));
                LdapSiteDirectory client = LdapSiteDirectory.connect(slapd.serviceSettings(PASSWORD))) {
            CountDownLatch fired = new CountDownLatch(1);
            ChangeSubscription watch = client.watch(fired::countDown);
            Thread.sleep(300);
            watch.close();
            client.removeRpcVirtualDirectory("EX1");
            assertThat(fired.await(700, TimeUnit.MILLISECONDS)).isFalse();
        }
    }
}
