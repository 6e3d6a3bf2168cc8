package dev.anywhere.bench.load;

import dev.anywhere.server.gateway.AdminServer;
import dev.anywhere.server.gateway.Gateway;
import dev.anywhere.server.gateway.rpch.ProxySettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One member of the bench's client access array in a JVM of its own ({@link ArrayMember}), so that the failover run
 * can kill it with SIGKILL: the bench gateway ({@link Topology#startGateway}) plus the admin listener whose
 * {@code /health} HAProxy checks, as every member of a production array has (docs/scale-out.md). Arguments:
 * {@code <dataDir> <receiveWindowBytes>}. Prints {@code ADMIN <port>} and {@code LISTENING <port>}, then answers
 * {@code HEAP} until {@code QUIT} or the end of stdin (see {@link ChildJvm}).
 */
public final class ArrayGatewayMain {

    private ArrayGatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ArrayGatewayMain <dataDir> <receiveWindowBytes>");
            System.exit(2);
        }
        Gateway gateway = Topology.startGateway(Path.of(args[0]), ProxySettings.defaults().withReceiveWindow(Long.parseLong(args[1])),
                Optional.empty(), 0);
        AdminServer admin = AdminServer.start(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), gateway::health);
        System.out.println("ADMIN " + admin.address().getPort());
        ChildJvm.listenAndServe(gateway.address().getPort(), admin, gateway);
    }
}
