package dev.anywhere.bench.load;

import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.server.gateway.BackendResolver;
import dev.anywhere.server.gateway.DirectoryCredentials;
import dev.anywhere.server.gateway.Gateway;
import dev.anywhere.server.gateway.rpch.ProxySettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The soak's gateway in a JVM of its own, so that a fault can really kill it ({@code kill -9}): EX1's gateway as the
 * product runs it, with logons checked against the directory (which the soak stops and starts), the configuration the
 * configurator applied in {@code <dataDir>}, and EX1's port 6001 translated to where the soak's endpoints listen.
 * Arguments: {@code <dataDir> <ldapUrl> <bindDn> <bindPasswordFile> <listenPort> <endpointPort> <channelLifetimeBytes>}
 * (the password comes from a file, never the command line, which {@code ps} shows). Prints {@code LISTENING <port>},
 * then answers {@code HEAP} until {@code QUIT} or the end of stdin (see {@link ChildJvm}).
 */
public final class SoakGatewayMain {

    /** The RPC endpoint port clients ask for (EX1's store); the gateway relays it to the soak's endpoints. */
    static final int STORE_PORT = 6001;

    private SoakGatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: SoakGatewayMain <dataDir> <ldapUrl> <bindDn> <bindPasswordFile> <listenPort> <endpointPort> "
                    + "<channelLifetimeBytes>");
            System.exit(2);
        }
        String password = Files.readString(Path.of(args[3]), StandardCharsets.UTF_8).trim();
        // open, not connect: a gateway restarted while the directory is down still starts and answers 401 until it is back
        LdapSiteDirectory directory = LdapSiteDirectory.open(LdapSettings.of(URI.create(args[1]), args[2], password, SiteSeed.FRANKYSWEB));
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        BackendResolver backends = BackendResolver.of(Map.of()).withOverride(lo, "ex1", "ex1." + SiteSeed.FRANKYSWEB.dnsDomain(), "localhost")
                .withoutSystemDns().withPortTranslation(Map.of(STORE_PORT, Integer.parseInt(args[5])));
        Gateway gateway = Gateway.start(new Gateway.Options(Path.of(args[0]), "EX1", new InetSocketAddress(lo, Integer.parseInt(args[4])),
                Optional.empty(), new DirectoryCredentials(directory), SoakTopology.PROXY_HOST, Gateway.ntlmIdentity("EX1", SiteSeed.FRANKYSWEB))
                .withBackendResolver(backends).withProxySettings(ProxySettings.defaults().withChannelLifetime(Long.parseLong(args[6]))),
                new SimpleMeterRegistry());
        ChildJvm.listenAndServe(gateway.address().getPort(), gateway, directory);
    }
}
