package dev.anywhere.cli;

import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.server.configurator.LocalRoles;
import dev.anywhere.server.endpoints.DceAuthentication;
import dev.anywhere.server.endpoints.InterfaceRegistry;
import dev.anywhere.server.endpoints.RpcEndpoints;
import dev.anywhere.server.gateway.CredentialVerifier;
import dev.anywhere.server.gateway.DirectoryCredentials;
import dev.anywhere.server.gateway.Gateway;
import dev.anywhere.server.rfr.Rfr;
import dev.anywhere.server.rfr.ServerNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** EX1's RPC endpoints behind the RPC over HTTP proxy. */
@Command(name = "endpoints", mixinStandardHelpOptions = true, resourceBundle = "dev.anywhere.cli.endpoints")
final class EndpointsCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    TransportOption transport;


    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "ADDR")
    String listen = LabAddresses.EX1;

    @Option(names = "--ports", paramLabel = "PORT[,PORT…]", split = ",")
    List<String> ports;

    @Option(names = "--tcp-port", paramLabel = "N")
    Integer tcpPort;

    @Mixin
    DirectoryOptions directory;

    @Option(names = "--server", paramLabel = "NAME")
    String server = "EX1";

    @Option(names = "--data-dir", paramLabel = "DIR")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        InetAddress address;
        try {
            address = InetAddress.getByName(listen);
        } catch (UnknownHostException e) {
            throw UserError.usage(CliText.local("roles.unknown-address", "option", "--listen", "host", listen));
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
                throw UserError.unavailable(CliText.local("endpoints.register-failed", "dir", dataDir, "detail", e.getMessage()));
            }
        }
        CredentialVerifier credentials = CredentialVerifier.NONE;
        ServerNames serverNames = ServerNames.of(List.of());
        try {
            directory.password();
            SiteDirectory dir = directory.open();
            credentials = new DirectoryCredentials(dir);
            serverNames = ServerNames.refreshing(dir::servers, Duration.ofMinutes(5));
        } catch (UserError e) {
            spec.commandLine().getErr().println(CliText.local("endpoints.no-directory", "detail", e.getMessage()));
        }
        ServerNames names = serverNames;
        String ownFqdn = server.toLowerCase(Locale.ROOT) + "." + SiteSeed.FRANKYSWEB.dnsDomain();
        InterfaceRegistry exchange = new InterfaceRegistry()
                .register(Rfr.iface(() -> names.fqdn(server).orElse(ownFqdn), names));
        DceAuthentication authentication = DceAuthentication.of(Gateway.ntlmIdentity(server, SiteSeed.FRANKYSWEB),
                credentials::ntHash);
        List<Integer> all = new ArrayList<>(httpPorts);
        Optional.ofNullable(tcpPort).ifPresent(all::add);
        RpcEndpoints endpoints = Roles.listening("endpoints", address.getHostAddress() + " " + all,
                all.stream().mapToInt(Integer::intValue).min().orElse(0), () -> RpcEndpoints.start(new RpcEndpoints.Options(address,
                httpPorts, Optional.ofNullable(tcpPort), exchange).withPrincipalName("")
                .withAuthentication(authentication)));
        var out = spec.commandLine().getOut();
        out.println(CliText.local("endpoints.started", "address", address.getHostAddress(), "ports", endpoints.ports(), "tcp",
                endpoints.tcpPort().isPresent() ? ", ncacn_ip_tcp " + endpoints.tcpPort().getAsInt() : ""));
        out.flush();
        Roles.runUntilInterrupted(endpoints);
        return Anywhere.OK;
    }

    private static int port(String option, String value) {
        try {
            int p = Integer.parseInt(value);
            if (p < 0 || p > 65535) {
                throw UserError.usage(CliText.local("roles.port-bad", "option", option, "port", p));
            }
            return p;
        } catch (NumberFormatException e) {
            throw UserError.usage(CliText.local("endpoints.port-bad", "option", option, "value", value));
        }
    }
}
