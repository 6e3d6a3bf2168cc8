package dev.anywhere.directory.testing;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import dev.anywhere.directory.ldap.DirectorySchema;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteLayout;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.ldap.SiteSeeder;
import dev.anywhere.directory.ldap.SshaPassword;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenLDAP slapd playing DC1, for interop tests (this module's and, through the test-jar, the server's).
 *
 * <p>Given a scratch directory it writes a {@code cn=config} (loaded with {@code slapadd -n0}): modules back_mdb and
 * syncprov; schemas core, cosine, inetorgperson and Anywhere's ({@link DirectorySchema#openLdapConfigLdif()}, which
 * also defines Samba's {@code sambaNTPassword}); an mdb database for {@code DC=frankysweb,DC=local} with rootdn
 * {@code cn=admin,DC=frankysweb,DC=local}; the syncprov overlay (RFC 4533 content sync); and {@code olcAccess} rules:
 * {@code userPassword} and {@code sambaNTPassword} are readable only by the service account and Administrator (others
 * may only authenticate against {@code userPassword}), authenticated users read everything else, only the two
 * privileged accounts write, anonymous binds see the root DSE and schema only. Then it starts
 * {@code /usr/sbin/slapd -h ldap://127.0.0.1:PORT/ -F DIR/slapd.d -d 0} on a free loopback port, waits until it
 * answers and seeds the site through {@link SiteSeeder} / {@link LdapSiteDirectory}.
 *
 * <pre>{@code
 * SlapdServer.assumeAvailable();                     // skips without slapd, fails when CI=true
 * try (SlapdServer slapd = SlapdServer.start(tempDir, SiteSeed.frankysweb("pw"))) {
 *     LdapSiteDirectory dc1 = LdapSiteDirectory.connect(slapd.serviceSettings("pw"));
 * }
 * }</pre>
 */
public final class SlapdServer implements AutoCloseable {

    public static final Path SLAPD = Path.of("/usr/sbin/slapd");
    public static final Path SLAPADD = Path.of("/usr/sbin/slapadd");
    public static final Path SCHEMA_DIR = Path.of("/etc/ldap/schema");
    public static final Path MODULE_DIR = Path.of("/usr/lib/ldap");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path dir;
    private final int port;
    private final SiteSeed seed;
    private final String rootPassword;
    private Process process;

    private SlapdServer(Path dir, int port, SiteSeed seed, String rootPassword) {
        this.dir = dir;
        this.port = port;
        this.seed = seed;
        this.rootPassword = rootPassword;
    }

    /** Whether slapd and slapadd are installed (Debian: {@code apt-get install slapd ldap-utils}). */
    public static boolean available() {
        return Files.isExecutable(SLAPD) && Files.isExecutable(SLAPADD) && Files.isDirectory(SCHEMA_DIR);
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
        SlapdServer server = new SlapdServer(dir, freePort(), seed, randomSecret());
        server.configure();
        server.launch();
        try {
            server.seed();
        } catch (LDAPException | RuntimeException e) {
            server.close();
            throw new IllegalStateException("slapd seeding: " + e + " (expected: success); log " + server.log(), e);
        }
        return server;
    }

    public URI url() {
        return URI.create("ldap://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public SiteLayout layout() {
        return new SiteLayout(seed.site());
    }

    /** slapd's rootdn, which bypasses every olcAccess rule. */
    public String rootDn() {
        return "cn=admin," + layout().domainDn();
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
        return dir.resolve("slapd.log");
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Stops slapd (SIGTERM, then SIGKILL after 10 s) and waits for it. Idempotent. */
    @Override
    public void close() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Stops and starts slapd again on the same port with the same data (reconnect tests). */
    public void restart() throws IOException, InterruptedException {
        close();
        launch();
    }

    private void configure() throws IOException, InterruptedException {
        Path config = dir.resolve("slapd.d");
        Path data = dir.resolve("data");
        Files.createDirectories(config);
        Files.createDirectories(data);
        SiteLayout layout = layout();
        String svc = seed.serviceBindDn();
        String admin = seed.administratorDn();
        String privileged = " by dn.exact=\"" + svc + "\" write by dn.exact=\"" + admin + "\" write";
        StringBuilder ldif = new StringBuilder();
        ldif.append("dn: cn=config\nobjectClass: olcGlobal\ncn: config\n")
                .append("olcPidFile: ").append(dir.resolve("slapd.pid")).append('\n')
                .append("olcArgsFile: ").append(dir.resolve("slapd.args")).append("\n\n");
        ldif.append("dn: cn=module{0},cn=config\nobjectClass: olcModuleList\ncn: module{0}\n")
                .append("olcModulePath: ").append(MODULE_DIR).append('\n')
                .append("olcModuleLoad: back_mdb\nolcModuleLoad: syncprov\n\n");
        ldif.append("dn: cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: schema\n\n");
        for (String name : DirectorySchema.OPENLDAP_PREREQUISITES) {
            ldif.append("include: file://").append(SCHEMA_DIR.resolve(name + ".ldif")).append("\n\n");
        }
        ldif.append(DirectorySchema.openLdapConfigLdif()).append('\n');
        ldif.append("dn: olcDatabase={-1}frontend,cn=config\nobjectClass: olcDatabaseConfig\n")
                .append("objectClass: olcFrontendConfig\nolcDatabase: {-1}frontend\n")
                .append("olcAccess: {0}to dn.base=\"\" by * read\n")
                .append("olcAccess: {1}to dn.base=\"cn=Subschema\" by * read\n\n");
        ldif.append("dn: olcDatabase={0}config,cn=config\nobjectClass: olcDatabaseConfig\nolcDatabase: {0}config\n")
                .append("olcAccess: {0}to * by * none\n\n");
        ldif.append("dn: olcDatabase={1}mdb,cn=config\nobjectClass: olcDatabaseConfig\nobjectClass: olcMdbConfig\n")
                .append("olcDatabase: {1}mdb\n")
                .append("olcSuffix: ").append(layout.domainDn()).append('\n')
                .append("olcDbDirectory: ").append(data).append('\n')
                .append("olcRootDN: ").append(rootDn()).append('\n')
                .append("olcRootPW: ").append(SshaPassword.encode(rootPassword)).append('\n')
                .append("olcDbIndex: objectClass eq\nolcDbIndex: entryCSN,entryUUID eq\n")
                .append("olcDbIndex: sAMAccountName,userPrincipalName,proxyAddresses,legacyExchangeDN,mail eq\n")
                .append("olcAccess: {0}to attrs=userPassword,sambaNTPassword").append(privileged)
                .append(" by anonymous auth by * none\n")
                .append("olcAccess: {1}to *").append(privileged).append(" by users read by * none\n\n");
        ldif.append("dn: olcOverlay={0}syncprov,olcDatabase={1}mdb,cn=config\nobjectClass: olcOverlayConfig\n")
                .append("objectClass: olcSyncProvConfig\nolcOverlay: {0}syncprov\n");
        Path configLdif = dir.resolve("config.ldif");
        Files.writeString(configLdif, ldif.toString());
        run(List.of(SLAPADD.toString(), "-n0", "-F", config.toString(), "-l", configLdif.toString()));
    }

    private void launch() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(SLAPD.toString(), "-h", "ldap://127.0.0.1:" + port + "/",
                "-F", dir.resolve("slapd.d").toString(), "-d", "0");
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        process = builder.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (LDAPConnection probe = new LDAPConnection("127.0.0.1", port)) {
                if (probe.getRootDSE() != null) {
                    return;
                }
            } catch (LDAPException e) {
                // not yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("slapd: exited with " + process.exitValue()
                        + " (expected: running); log: " + Files.readString(log()));
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("slapd: no answer on port " + port + " after " + START_TIMEOUT
                        + " (expected: root DSE); log: " + Files.readString(log()));
            }
            Thread.sleep(50);
        }
    }

    private void seed() throws LDAPException {
        try (LDAPConnection root = new LDAPConnection("127.0.0.1", port, rootDn(), rootPassword)) {
            SiteSeeder.createSkeleton(root, layout());
        }
        try (LdapSiteDirectory directory = LdapSiteDirectory.connect(
                LdapSettings.of(url(), rootDn(), rootPassword, seed.site()))) {
            SiteSeeder.seedSite(directory, seed);
        }
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command.get(0) + ": failed (expected: exit 0): " + output);
        }
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
