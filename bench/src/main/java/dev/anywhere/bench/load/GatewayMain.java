package dev.anywhere.bench.load;

import dev.anywhere.bench.tls.TlsMaterial;
import dev.anywhere.server.gateway.Gateway;
import dev.anywhere.server.gateway.TlsEngine;
import dev.anywhere.server.gateway.rpch.ProxySettings;
import dev.anywhere.server.net.NettyTransport;
import java.nio.file.Path;
import io.netty.handler.ssl.SslContext;
import java.util.Optional;

/**
 * The gateway under test in a JVM of its own, started by {@link GatewayProcess}: {@code <dataDir> <channelLifetime>
 * <receiveWindow> [<tlsMaterialDir>]} (the other proxy settings are the defaults) (HTTPS with that certificate through the gateway's {@link TlsEngine}, else plain HTTP).
 It prints {@code TRANSPORT <transport>} and {@code LISTENING <port>} once the gateway listens, then answers one command per line on stdin:
 * {@code HEAP} (full GCs, then {@code HEAP <used bytes> <committed bytes>}) and {@code QUIT}. End of stdin (the parent
 * is gone) ends the process too, so a crashed benchmark never leaves a gateway behind.
 */
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: GatewayMain <dataDir> <channelLifetimeBytes> <receiveWindowBytes> [<tlsMaterialDir>]");
            System.exit(2);
        }
        ProxySettings proxy = ProxySettings.defaults().withChannelLifetime(Long.parseLong(args[1])).withReceiveWindow(Long.parseLong(args[2]));
        Optional<SslContext> tls = Optional.empty();
        if (args.length == 4) {
            TlsMaterial material = TlsMaterial.load(Path.of(args[3]));
            tls = Optional.of(TlsEngine.server(material.certificateChainFile().toFile(), material.privateKeyFile().toFile()));
            System.err.println("gateway TLS engine: " + TlsEngine.describe());
        }
        Gateway gateway = Topology.startGateway(Path.of(args[0]), proxy, tls, 0);
        // what runs, which may be NIO when the native transport asked for (-Danywhere.transport) did not load
        System.out.println("TRANSPORT " + NettyTransport.configured().describe());
        ChildJvm.listenAndServe(gateway.address().getPort(), gateway);
    }
}
