package dev.anywhere.directory.testing;

import com.unboundid.ldap.sdk.LDAPException;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.SiteLayout;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.slapd.Slapd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenLDAP slapd playing DC1, for interop tests (this module's and, through the test-jar, the server's): the
 * lab's {@link Slapd} on a free loopback port with a random rootdn password, seeded.
 *
 * <p>The configuration (schemas, access rules, content sync) is {@link Slapd#configure}'s; this harness seeds the
 * site through {@link Slapd#seed} and binds tests as the service account.
 *
 * <pre>{@code
 * SlapdServer.assumeAvailable();                     // skips without slapd, fails when CI=true
 * try (SlapdServer slapd = SlapdServer.start(tempDir, SiteSeed.frankysweb("pw"))) {
 *     LdapSiteDirectory dc1 = LdapSiteDirectory.connect(slapd.serviceSettings("pw"));
 * }
 * }</pre>
 */
public final class SlapdServer implements AutoCloseable {

    public static final Path SLAPD = Slapd.SLAPD;

    private final SiteSeed seed;
    private final String rootPassword;
    private final Slapd slapd;

    private SlapdServer(SiteSeed seed, String rootPassword, Slapd slapd) {
        this.seed = seed;
        this.rootPassword = rootPassword;
        this.slapd = slapd;
    }

    /** Whether slapd and slapadd are installed (Debian: {@code apt-get install slapd ldap-utils}). */
    public static boolean available() {
        return Slapd.available();
    }

    /** Skips the calling test without slapd, except when {@code CI=true}, where a missing slapd fails it. */
    public static void assumeAvailable() {
        if (available()) {
            return;
        }
        String message = "slapd: not installed at " + SLAPD + " (expected: apt-get install slapd ldap-utils)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }

    /** Configures, starts and seeds slapd in {@code dir} (which should be empty). */
    public static SlapdServer start(Path dir, SiteSeed seed) throws IOException, InterruptedException {
        String rootPassword = randomSecret();
        Slapd.configure(dir, seed, rootPassword, Optional.empty());
        Slapd slapd = Slapd.start(dir, "127.0.0.1", freePort());
        SlapdServer server = new SlapdServer(seed, rootPassword, slapd);
        try {
            slapd.seed(seed, rootPassword);
        } catch (LDAPException | RuntimeException e) {
            server.close();
            throw new IllegalStateException("slapd seeding: " + e + " (expected: success); log " + server.log(), e);
        }
        return server;
    }

    public URI url() {
        return slapd.url();
    }

    public int port() {
        return slapd.port();
    }

    public SiteLayout layout() {
        return new SiteLayout(seed.site());
    }

    /** slapd's rootdn, which bypasses every olcAccess rule. */
    public String rootDn() {
        return Slapd.rootDn(layout());
    }

    public String rootPassword() {
        return rootPassword;
    }

    public String serviceBindDn() {
        return seed.serviceBindDn();
    }

    /** Settings bound as the service account (its password is whatever the seed gave it). */
    public LdapSettings serviceSettings(String servicePassword) {
        return LdapSettings.of(url(), serviceBindDn(), servicePassword, seed.site());
    }

    /** slapd's stderr. */
    public Path log() {
        return slapd.log();
    }

    public boolean running() {
        return slapd.running();
    }

    /** Stops slapd (SIGTERM, then SIGKILL after 10 s) and waits for it. Idempotent. */
    @Override
    public void close() {
        slapd.close();
    }

    /** Stops and starts slapd again on the same port with the same data (reconnect tests). */
    public void restart() throws IOException, InterruptedException {
        slapd.restart();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("free loopback port", e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
