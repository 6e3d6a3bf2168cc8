package dev.anywhere.directory.slapd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.directory.testing.SlapdServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real slapd providers in multi-provider (mirror) replication, as the client access array's DC1 and DC2: the site
 * seeded on DC1 appears on DC2, a write on either reaches the other, and a write on DC2 while DC1 is stopped reaches
 * DC1 when it is back.
 */
class SlapdReplicationTest {

    static final String PASSWORD = "Replica-Pass-1";
    static final String ROOT = "Root-Pass-1";

    @TempDir
    Path tmp;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    static boolean externalHostname(LdapSiteDirectory d, String expected) {
        return d.rpcVirtualDirectory("EX1").flatMap(RpcHttpVirtualDirectory::externalHostname).map(expected::equals).orElse(false);
    }

    @Test
    void writesOnEitherProviderReachTheOtherAndAStoppedOneCatchesUp() throws Exception {
        SlapdServer.assumeAvailable();
        SiteSeed seed = SiteSeed.frankysweb(PASSWORD);
        int port1 = freePort();
        int port2 = freePort();
        URI url1 = URI.create("ldap://127.0.0.1:" + port1);
        URI url2 = URI.create("ldap://127.0.0.1:" + port2);
        Slapd.configure(tmp.resolve("dc1"), seed, ROOT, Optional.of(new Slapd.Replication(1, url2)));
        Slapd.configure(tmp.resolve("dc2"), seed, ROOT, Optional.of(new Slapd.Replication(2, url1)));
        assertThat(Files.getPosixFilePermissions(tmp.resolve("dc1/config.ldif")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        try (Slapd dc1 = Slapd.start(tmp.resolve("dc1"), "127.0.0.1", port1);
                Slapd dc2 = Slapd.start(tmp.resolve("dc2"), "127.0.0.1", port2)) {
            dc1.seed(seed, ROOT);
            LdapSettings settings2 = LdapSettings.of(url2, seed.serviceBindDn(), PASSWORD, seed.site());
            // the service account itself arrives on DC2 by replication; until then its bind fails
            await(() -> {
                try (LdapSiteDirectory d2 = LdapSiteDirectory.connect(settings2)) {
                    return d2.rpcVirtualDirectory("EX1").isPresent();
                } catch (RuntimeException notYet) {
                    return false;
                }
            }, "the seeded site on DC2");
            try (LdapSiteDirectory d1 = LdapSiteDirectory.connect(LdapSettings.of(url1, seed.serviceBindDn(), PASSWORD, seed.site()));
                    LdapSiteDirectory d2 = LdapSiteDirectory.connect(settings2)) {
                RpcHttpVirtualDirectory v = d2.rpcVirtualDirectory("EX1").orElseThrow();
                d2.putRpcVirtualDirectory(v.withExternalHostname("mail.frankysweb.org"));
                await(() -> externalHostname(d1, "mail.frankysweb.org"), "DC2's write on DC1");
                d1.putRpcVirtualDirectory(v.withExternalHostname("oa2.frankysweb.org"));
                await(() -> externalHostname(d2, "oa2.frankysweb.org"), "DC1's write on DC2");

                dc1.close();
                assertThatThrownBy(() -> d1.rpcVirtualDirectory("EX1")).isInstanceOf(RuntimeException.class);
                d2.putRpcVirtualDirectory(v.withExternalHostname("oa3.frankysweb.org"));
                dc1.restart();
                await(() -> {
                    try {
                        return externalHostname(d1, "oa3.frankysweb.org");
                    } catch (RuntimeException reconnecting) {
                        return false;
                    }
                }, "DC1 catching up after its restart");
            }
        }
    }
}
