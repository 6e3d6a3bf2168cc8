package dev.anywhere.directory.slapd;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.DirectoryText;
import dev.anywhere.directory.ldap.DirectorySchema;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteLayout;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.ldap.SiteSeeder;
import dev.anywhere.directory.ldap.SshaPassword;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP slapd (Debian package {@code slapd}) as a child process: the directory of a site, alone or as one
 * provider of a multi-provider (mirror) pair.
 *
 * <p>{@link #configure} writes a {@code cn=config} into {@code DIR/slapd.d} (loaded with {@code slapadd -n0}): modules
 * back_mdb and syncprov; schemas core, cosine, inetorgperson and Anywhere's ({@link DirectorySchema#openLdapConfigLdif()});
 * an mdb database for the site's domain with rootdn {@code cn=admin,<domain>}; the syncprov overlay (RFC 4533 content
 * sync, which the service host follows and the peer replicates from); {@code olcAccess}: {@code userPassword} and
 * {@code sambaNTPassword} readable only by the service account and Administrator (others may only authenticate),
 * authenticated users read everything else, only the two privileged accounts write, anonymous binds see the root DSE
 * and schema only. With a {@link Replication}: {@code olcServerID}, a {@code refreshAndPersist} consumer of the peer
 * bound as the rootdn, retried every second, and {@code olcMultiProvider} (OpenLDAP 2.5's name for mirror mode), so a
 * write on either provider reaches the other.
 */
public final class Slapd implements AutoCloseable {

    public static final Path SLAPD = Path.of("/usr/sbin/slapd");
    public static final Path SLAPADD = Path.of("/usr/sbin/slapadd");
    public static final Path SCHEMA_DIR = Path.of("/etc/ldap/schema");
    public static final Path MODULE_DIR = Path.of("/usr/lib/ldap");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    /**
     * This provider's part in a multi-provider pair.
     *
     * @param serverId this provider's {@code olcServerID} (1..4095), different on each provider
     * @param peer the other provider's URL
     */
    public record Replication(int serverId, URI peer) {
        public Replication {
            if (serverId < 1 || serverId > 4095) {
                throw new IllegalArgumentException("slapd server id: " + serverId + " (expected: 1..4095)");
            }
        }
    }

    private final Path dir;
    private final String host;
    private final int port;
    private Process process;
    /** Stops {@link #process} if the JVM ends before {@link #close}; null while none runs. */
    private Thread exitHook;

    private Slapd(Path dir, String host, int port) {
        this.dir = dir;
        this.host = host;
        this.port = port;
    }

    /** Whether slapd and slapadd are installed (Debian: {@code apt-get install slapd ldap-utils}). */
    public static boolean available() {
        return Files.isExecutable(SLAPD) && Files.isExecutable(SLAPADD) && Files.isDirectory(SCHEMA_DIR);
    }

    /** The rootdn of the site's database, which bypasses every olcAccess rule (replication binds as it). */
    public static String rootDn(SiteLayout layout) {
        return "cn=admin," + layout.domainDn();
    }

    /**
     * Writes and loads the configuration into {@code dir} (which should be empty); the file holding the rootdn's
     * replication credentials is owner-only.
     */
    public static void configure(Path dir, SiteSeed seed, String rootPassword, Optional<Replication> replication)
            throws IOException, InterruptedException {
        Path config = dir.resolve("slapd.d");
        Path data = dir.resolve("data");
        Files.createDirectories(config);
        Files.createDirectories(data);
        SiteLayout layout = new SiteLayout(seed.site());
        String privileged = " by dn.exact=\"" + seed.serviceBindDn() + "\" write by dn.exact=\"" + seed.administratorDn() + "\" write";
        StringBuilder ldif = new StringBuilder();
        ldif.append("dn: cn=config\nobjectClass: olcGlobal\ncn: config\n")
                .append("olcPidFile: ").append(dir.resolve("slapd.pid")).append('\n')
                .append("olcArgsFile: ").append(dir.resolve("slapd.args")).append('\n');
        replication.ifPresent(r -> ldif.append("olcServerID: ").append(r.serverId()).append('\n'));
        ldif.append('\n');
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
                // back_mdb's map is 10 MiB by default, too small for 10,000 of the lab's mailboxes (adds fail with
                // "entry store failed"); 1 GiB, a sparse file
                .append("olcDbMaxSize: 1073741824\n")
                .append("olcRootDN: ").append(rootDn(layout)).append('\n')
                .append("olcRootPW: ").append(SshaPassword.encode(rootPassword)).append('\n')
                .append("olcDbIndex: objectClass eq\nolcDbIndex: entryCSN,entryUUID eq\n")
                .append("olcDbIndex: sAMAccountName,userPrincipalName,proxyAddresses,legacyExchangeDN,mail eq\n")
                .append("olcAccess: {0}to attrs=userPassword,sambaNTPassword").append(privileged)
                .append(" by anonymous auth by * none\n")
                .append("olcAccess: {1}to *").append(privileged).append(" by users read by * none\n")
                // slapd answers at most 500 entries (olcSizeLimit's default) to anyone but the rootdn; the service
                // account reads every recipient for the address book in one search.
                .append("olcLimits: {0}dn.exact=\"").append(seed.serviceBindDn()).append("\" size=unlimited\n");
        replication.ifPresent(r -> ldif.append("olcSyncrepl: {0}rid=").append(String.format("%03d", r.serverId()))
                .append(" provider=").append(r.peer()).append(" binddn=\"").append(rootDn(layout))
                .append("\" bindmethod=simple credentials=\"").append(rootPassword).append("\" searchbase=\"")
                .append(layout.domainDn()).append("\" type=refreshAndPersist retry=\"1 +\" timeout=3 network-timeout=3\n")
                .append("olcMultiProvider: TRUE\n"));
        ldif.append('\n');
        ldif.append("dn: olcOverlay={0}syncprov,olcDatabase={1}mdb,cn=config\nobjectClass: olcOverlayConfig\n")
                .append("objectClass: olcSyncProvConfig\nolcOverlay: {0}syncprov\n");
        Path configLdif = dir.resolve("config.ldif");
        Files.deleteIfExists(configLdif);
        Files.createFile(configLdif, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(configLdif, ldif.toString());
        run(List.of(SLAPADD.toString(), "-n0", "-F", config.toString(), "-l", configLdif.toString()));
    }

    /** Starts the configured slapd in {@code dir} on {@code host:port}; returns once it answers the root DSE. */
    public static Slapd start(Path dir, String host, int port) throws IOException, InterruptedException {
        Slapd slapd = new Slapd(dir, host, port);
        slapd.launch();
        return slapd;
    }

    /** Creates the site's skeleton as the rootdn and seeds the site through the directory (only on one provider). */
    public void seed(SiteSeed seed, String rootPassword) throws LDAPException {
        SiteLayout layout = new SiteLayout(seed.site());
        try (LDAPConnection root = new LDAPConnection(host, port, rootDn(layout), rootPassword)) {
            SiteSeeder.createSkeleton(root, layout);
        }
        try (LdapSiteDirectory directory = LdapSiteDirectory.connect(LdapSettings.of(url(), rootDn(layout), rootPassword, seed.site()))) {
            SiteSeeder.seedSite(directory, seed);
        }
    }

    public URI url() {
        return URI.create("ldap://" + host + ":" + port);
    }

    public int port() {
        return port;
    }

    /** slapd's output. */
    public Path log() {
        return dir.resolve("slapd.log");
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** The running process's id. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Stops slapd (SIGTERM, then SIGKILL after 10 s) and waits for it. Idempotent. */
    @Override
    public void close() {
        Process p = process;
        if (p == null) {
            return;
        }
        if (exitHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is ending: the hook stops slapd as well
            }
            exitHook = null;
        }
        terminate(p, 10);
        process = null;
    }

    /** Stops and starts slapd again on the same address with the same data. */
    public void restart() throws IOException, InterruptedException {
        close();
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(SLAPD.toString(), "-h", url() + "/", "-F", dir.resolve("slapd.d").toString(),
                "-d", "0");
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        process = builder.start();
        stopAtExit(process);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (LDAPConnection probe = new LDAPConnection(host, port)) {
                if (probe.getRootDSE() != null) {
                    return;
                }
            } catch (LDAPException e) {
                // not yet
            }
            if (!process.isAlive()) {
                throw new DirectoryException(DirectoryText.of(DirectoryText.Key.SLAPD_EXITED, "url", url(), "status", process.exitValue(),
                        "log", Files.readString(log())), false, null);
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new DirectoryException(DirectoryText.of(DirectoryText.Key.SLAPD_NO_ANSWER, "url", url(), "seconds", START_TIMEOUT.toSeconds(),
                        "log", Files.readString(log())), false, null);
            }
            Thread.sleep(50);
        }
    }

    /**
     * slapd in the foreground ({@code -d 0}) does not notice that its parent is gone: ended by Ctrl-C or SIGTERM before
     * {@link #close}, the JVM would leave it holding its address, and the next {@code lab up} could not bind it.
     */
    private void stopAtExit(Process p) {
        exitHook = new Thread(() -> terminate(p, 5), "stop-slapd");
        Runtime.getRuntime().addShutdownHook(exitHook);
    }

    /** SIGTERM, then SIGKILL if slapd has not ended within {@code seconds}; waits as long again for that. */
    private static void terminate(Process p, long seconds) {
        p.destroy();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(seconds, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command.get(0) + ": failed (expected: exit 0): " + output);
        }
    }
}
