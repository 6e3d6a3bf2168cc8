package dev.anywhere.cli;

import dev.anywhere.server.configurator.LocalRoles;
import dev.anywhere.server.endpoints.RpcEndpoints;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** EX1's RPC endpoints behind the RPC over HTTP proxy. */
@Command(name = "endpoints", mixinStandardHelpOptions = true, description = "Run the RPC endpoints: ncacn_http "
        + "listeners (RPC over HTTP v1 and v2 legs from the proxy) serving the endpoint mapper and management "
        + "interfaces, and optionally plain ncacn_ip_tcp.")
final class EndpointsCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    TransportOption transport;


    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "ADDR", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String listen = LabAddresses.EX1;

    @Option(names = "--ports", paramLabel = "PORT[,PORT…]", split = ",",
            description = "ncacn_http ports (default: 6001,6002,6004,593, shifted by the lab's offset without root).")
    List<String> ports;

    @Option(names = "--tcp-port", paramLabel = "N", description = "Also serve plain ncacn_ip_tcp on this port.")
    Integer tcpPort;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The server's data directory: registers the "
            + "endpoints role so the configurator sees it.")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        InetAddress address;
        try {
            address = InetAddress.getByName(listen);
        } catch (UnknownHostException e) {
            throw UserError.usage("--listen: unknown address '" + listen + "'");
        }
        List<Integer> httpPorts = new ArrayList<>();
        if (ports == null) {
            for (int p : RpcEndpoints.DEFAULT_HTTP_PORTS) {
                httpPorts.add(LabAddresses.port(p));
            }
        } else {
            for (String p : ports) {
                httpPorts.add(port("--ports", p.trim()));
            }
        }
        if (tcpPort != null) {
            port("--tcp-port", tcpPort.toString());
        }
        if (dataDir != null) {
            try {
                LocalRoles.register(dataDir, false, true);
            } catch (IOException e) {
                throw UserError.unavailable("cannot register the endpoints role in " + dataDir + ": " + e.getMessage());
            }
        }
        List<Integer> all = new ArrayList<>(httpPorts);
        Optional.ofNullable(tcpPort).ifPresent(all::add);
        RpcEndpoints endpoints = Roles.listening("endpoints", address.getHostAddress() + " " + all,
                all.stream().mapToInt(Integer::intValue).min().orElse(0), () -> RpcEndpoints.start(new RpcEndpoints.Options(address,
                httpPorts, Optional.ofNullable(tcpPort), new dev.anywhere.server.endpoints.InterfaceRegistry()).withPrincipalName("")));
        var out = spec.commandLine().getOut();
        out.printf("RPC endpoints on %s: ncacn_http %s%s (EPM, MGMT). Ctrl-C stops them.%n", address.getHostAddress(),
                endpoints.ports(), endpoints.tcpPort().isPresent() ? ", ncacn_ip_tcp " + endpoints.tcpPort().getAsInt() : "");
        out.flush();
        Roles.runUntilInterrupted(endpoints);
        return Anywhere.OK;
    }

    private static int port(String option, String value) {
        try {
            int p = Integer.parseInt(value);
            if (p < 0 || p > 65535) {
                throw UserError.usage(option + ": port " + p + " (expected: 0..65535)");
            }
            return p;
        } catch (NumberFormatException e) {
            throw UserError.usage(option + ": '" + value + "' (expected: a port number, e.g. 6001)");
        }
    }
}
