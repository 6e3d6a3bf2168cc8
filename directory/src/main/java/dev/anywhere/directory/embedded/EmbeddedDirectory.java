package dev.anywhere.directory.embedded;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.InMemoryPasswordEncoder;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.OperationType;
import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.DirectoryText;
import dev.anywhere.directory.SiteInfo;
import dev.anywhere.directory.ldap.DirectorySchema;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteLayout;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.ldap.SiteSeeder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * DC1's directory in-process: an UnboundID {@link InMemoryDirectoryServer} with the Anywhere schema, listening on one
 * address and port, persisted to {@code <dataDir>/directory.ldif} after every write, with a {@code cn=changelog}
 * (so {@link LdapSiteDirectory#watch} follows changes within about 250 ms) and {@link SecretAttributeGuard}'s access
 * control. On first start (no data file) it seeds the site from a {@link SiteSeed}; later starts load the file and
 * ignore the seed.
 *
 * <p>Passwords are stored as {@code {SSHA}}; simple binds verify them. Seeding binds as an internal
 * {@code cn=Directory Manager} whose random password lives only in this object.
 */
public final class EmbeddedDirectory implements AutoCloseable {

    /** The data file inside the data directory. */
    public static final String DATA_FILE = "directory.ldif";
    /** Change records kept for followers. */
    public static final int CHANGELOG_ENTRIES = 10_000;
    static final String INTERNAL_ROOT_DN = "cn=Directory Manager";

    private final InMemoryDirectoryServer server;
    private final LdifPersistence persistence;
    private final SiteSeed seed;
    private final boolean seededNow;
    private final InetAddress address;
    private final SSLSocketFactory clientSocketFactory;

    private EmbeddedDirectory(InMemoryDirectoryServer server, LdifPersistence persistence, SiteSeed seed,
            boolean seededNow, InetAddress address, SSLSocketFactory clientSocketFactory) {
        this.server = server;
        this.persistence = persistence;
        this.seed = seed;
        this.seededNow = seededNow;
        this.address = address;
        this.clientSocketFactory = clientSocketFactory;
    }

    /**
     * Starts listening on {@code address:port} (port 0 picks a free one) with the content of {@code dataDir}, seeding
     * it from {@code seed} when the directory has no data file yet.
     */
    public static EmbeddedDirectory start(Path dataDir, InetAddress address, int port, SiteSeed seed) {
        return start(dataDir, address, port, seed, null, null);
    }

    /**
     * Like {@link #start(Path, InetAddress, int, SiteSeed)} but speaking LDAPS (TLS from the first byte, as on port
     * 636) with {@code serverContext}'s key; {@code clientSocketFactory} must trust that certificate and is what
     * {@link #settings} hands to clients (seeding included). The certificate should name the address (IP SAN),
     * since {@link LdapSiteDirectory} verifies host names.
     */
    public static EmbeddedDirectory startLdaps(Path dataDir, InetAddress address, int port, SiteSeed seed,
            SSLContext serverContext, SSLSocketFactory clientSocketFactory) {
        return start(dataDir, address, port, seed, serverContext, clientSocketFactory);
    }

    private static EmbeddedDirectory start(Path dataDir, InetAddress address, int port, SiteSeed seed,
            SSLContext serverContext, SSLSocketFactory clientSocketFactory) {
        SiteLayout layout = new SiteLayout(seed.site());
        String rootPassword = randomSecret();
        try {
            Files.createDirectories(dataDir);
            Path file = dataDir.resolve(DATA_FILE);
            LdifPersistence persistence = new LdifPersistence(file);

            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(layout.domainDn());
            config.setSchema(DirectorySchema.unboundIdSchema());
            config.setListenerConfigs(serverContext == null
                    ? InMemoryListenerConfig.createLDAPConfig("ldap", address, port, null)
                    : InMemoryListenerConfig.createLDAPSConfig("ldaps", address, port,
                            serverContext.getServerSocketFactory(), clientSocketFactory));
            config.setMaxChangeLogEntries(CHANGELOG_ENTRIES);
            config.addAdditionalBindCredentials(INTERNAL_ROOT_DN, rootPassword);
            config.setPasswordEncoders(passwordEncoder());
            config.setAuthenticationRequiredOperationTypes(OperationType.ADD, OperationType.DELETE,
                    OperationType.MODIFY, OperationType.MODIFY_DN);
            config.addInMemoryOperationInterceptor(new SecretAttributeGuard(Set.of(new DN(seed.serviceBindDn()),
                    new DN(seed.administratorDn()), new DN(INTERNAL_ROOT_DN))));
            config.addInMemoryOperationInterceptor(persistence);
            config.setVendorName("Anywhere");

            InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
            boolean seedNow = !Files.exists(file);
            if (!seedNow) {
                server.importFromLDIF(true, file.toFile());
            }
            if (!seedNow) {
                persistence.attach(server); // a fresh directory is saved once, after seeding (see seed)
            }
            try {
                server.startListening();
            } catch (LDAPException e) {
                Optional<java.net.BindException> cause = bindFailure(address, port);
                if (cause.isPresent()) {
                    // The operating system's words (address in use …), quoted as the server's are.
                    throw new DirectoryException(DirectoryText.of(DirectoryText.Key.EMBEDDED_LISTEN, "address",
                            address.getHostAddress() + ":" + port, "cause", cause.get().getMessage()), false, cause.get());
                }
                throw e;
            }
            EmbeddedDirectory directory = new EmbeddedDirectory(server, persistence, seed, seedNow, address,
                    clientSocketFactory);
            if (seedNow) {
                try {
                    directory.seed(rootPassword);
                } catch (RuntimeException | LDAPException e) {
                    server.shutDown(true);
                    throw e;
                }
            }
            return directory;
        } catch (LDAPException e) {
            throw new DirectoryException(DirectoryText.of(DirectoryText.Key.EMBEDDED_START, "address", address.getHostAddress() + ":" + port,
                    "code", e.getResultCode()), false, e);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded directory data dir " + dataDir, e);
        }
    }

    /**
     * Why the listener could not start, as the operating system says it. UnboundID reports only "local error" and
     * drops the cause, so the same socket is bound once more to learn it.
     */
    private static Optional<java.net.BindException> bindFailure(InetAddress address, int port) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress(address, port));
            return Optional.empty();
        } catch (java.net.BindException e) {
            return Optional.of(e);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * How {@code userPassword} values are encoded and checked on simple bind. Not UnboundID's salted digest encoder:
     * it keeps the one {@code MessageDigest} it is given and uses it from every bind thread without a lock, so
     * concurrent binds corrupted each other's digests and refused right passwords.
     */
    static InMemoryPasswordEncoder passwordEncoder() {
        return new SshaPasswordEncoder();
    }

    private void seed(String rootPassword) throws LDAPException {
        try (LdapSiteDirectory directory = LdapSiteDirectory.connect(settings(INTERNAL_ROOT_DN, rootPassword))) {
            SiteSeeder.createSkeleton(directory.ldap(), new SiteLayout(seed.site()));
            SiteSeeder.seedSite(directory, seed);
        }
        // One export after the whole seed, not one per add: the generated address book is hundreds of entries.
        persistence.attach(server);
        persistence.save();
    }

    public URI url() {
        String host = address.getHostAddress();
        String scheme = clientSocketFactory == null ? "ldap://" : "ldaps://";
        return URI.create(scheme + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    public int port() {
        return server.getListenPort();
    }

    public SiteInfo site() {
        return seed.site();
    }

    public SiteLayout layout() {
        return new SiteLayout(seed.site());
    }

    /** {@code CN=svc-anywhere,CN=Users,DC=frankysweb,DC=local}. */
    public String serviceBindDn() {
        return seed.serviceBindDn();
    }

    public Path dataFile() {
        return persistence.file();
    }

    /** Whether this start seeded the site (true) or loaded it from the data file (false). */
    public boolean seededNow() {
        return seededNow;
    }

    /** Settings for an {@link LdapSiteDirectory} bound as {@code bindDn}. */
    public LdapSettings settings(String bindDn, String password) {
        LdapSettings plain = LdapSettings.of(url(), bindDn, password, seed.site());
        return clientSocketFactory == null ? plain : plain.withSslSocketFactory(clientSocketFactory);
    }

    /** A directory client bound as the service account. */
    public LdapSiteDirectory connect(String servicePassword) {
        return LdapSiteDirectory.connect(settings(serviceBindDn(), servicePassword));
    }

    /** Stops listening, after a last snapshot. Idempotent. */
    @Override
    public void close() {
        persistence.save();
        server.shutDown(true);
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
