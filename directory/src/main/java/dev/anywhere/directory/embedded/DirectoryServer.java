package dev.anywhere.directory.embedded;

import dev.anywhere.directory.ldap.SiteSeed;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;

/**
 * The {@code anywhere directory serve} role: DC1's directory as a long-running service. Prints nothing; {@link #info()}
 * says where it listens so the command can report it.
 *
 * <pre>{@code
 * try (DirectoryServer dc1 = DirectoryServer.start(dataDir, InetAddress.getByName("127.0.0.1"), 389,
 *         SiteSeed.frankysweb(passwordFromEnv))) {
 *     out.println(dc1.info().url());
 *     ... wait for shutdown ...
 * }
 * }</pre>
 */
public final class DirectoryServer implements AutoCloseable {

    /**
     * Where the server listens and what it serves.
     *
     * @param url {@code ldap://127.0.0.1:389}
     * @param baseDn {@code DC=frankysweb,DC=local}
     * @param configurationDn {@code CN=Configuration,DC=frankysweb,DC=local}
     * @param serviceBindDn the privileged bind for the service host
     * @param dataFile the LDIF the content is kept in
     * @param seededNow whether this start seeded a fresh site
     */
    public record Info(URI url, String baseDn, String configurationDn, String serviceBindDn, Path dataFile,
            boolean seededNow) {
    }

    private final EmbeddedDirectory directory;

    private DirectoryServer(EmbeddedDirectory directory) {
        this.directory = directory;
    }

    public static DirectoryServer start(Path dataDir, InetAddress address, int port, SiteSeed seed) {
        return new DirectoryServer(EmbeddedDirectory.start(dataDir, address, port, seed));
    }

    /** The same over LDAPS; see {@link EmbeddedDirectory#startLdaps}. */
    public static DirectoryServer startLdaps(Path dataDir, InetAddress address, int port, SiteSeed seed,
            javax.net.ssl.SSLContext serverContext, javax.net.ssl.SSLSocketFactory clientSocketFactory) {
        return new DirectoryServer(EmbeddedDirectory.startLdaps(dataDir, address, port, seed, serverContext,
                clientSocketFactory));
    }

    public Info info() {
        return new Info(directory.url(), directory.layout().domainDn(), directory.layout().configurationDn(),
                directory.serviceBindDn(), directory.dataFile(), directory.seededNow());
    }

    public EmbeddedDirectory directory() {
        return directory;
    }

    public void stop() {
        directory.close();
    }

    @Override
    public void close() {
        stop();
    }
}
