package dev.anywhere.cli;

import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.addressbook.AddressBookService;
import dev.anywhere.directory.addressbook.LdapAddressBookLoader;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.server.configurator.LocalRoles;
import dev.anywhere.server.emsmdb.AddressBookMailboxes;
import dev.anywhere.server.emsmdb.EmsmdbService;
import dev.anywhere.server.endpoints.DceAuthentication;
import dev.anywhere.server.endpoints.InterfaceRegistry;
import dev.anywhere.server.endpoints.RpcEndpoints;
import dev.anywhere.server.gateway.CredentialVerifier;
import dev.anywhere.server.gateway.DirectoryCredentials;
import dev.anywhere.server.gateway.Gateway;
import dev.anywhere.server.nspi.NspiService;
import dev.anywhere.server.rfr.Rfr;
import dev.anywhere.server.rfr.ServerNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** EX1's RPC endpoints behind the RPC over HTTP proxy. */
@Command(name = "endpoints", mixinStandardHelpOptions = true, description = "Run the RPC endpoints: ncacn_http "
        + "listeners (RPC over HTTP v1 and v2 legs from the proxy) serving the endpoint mapper and management "
        + "interfaces, and optionally plain ncacn_ip_tcp. With the directory (its service account's password from "
        + "--bind-password-file or the environment) they also serve Exchange's interfaces: the referral service "
        + "(RFR), the address book (NSPI, read from the directory every minute) and the store (EMSMDB), and verify "
        + "NTLM-authenticated binds (connect, integrity, privacy) with the users' NT hashes. Without it only the "
        + "endpoint mapper and management, with anonymous NTLM binds.")
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

    @Mixin
    DirectoryOptions directory;

    @Option(names = "--server", paramLabel = "NAME", description = "The server's NetBIOS name in NTLM challenges "
            + "(default: ${DEFAULT-VALUE}).")
    String server = "EX1";

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
        CredentialVerifier credentials = CredentialVerifier.NONE;
        InterfaceRegistry exchange = new InterfaceRegistry();
        List<AutoCloseable> started = new ArrayList<>();
        try {
            directory.password();
            SiteDirectory dir = directory.open();
            credentials = new DirectoryCredentials(dir);
            started.addAll(registerExchange(exchange, dir));
        } catch (UserError e) {
            spec.commandLine().getErr().println("anywhere: warning: " + e.getMessage()
                    + "; serving the endpoint mapper and management only (RFR, NSPI and EMSMDB need the directory), "
                    + "and only anonymous NTLM binds will be accepted.");
        }
        DceAuthentication authentication = DceAuthentication.of(Gateway.ntlmIdentity(server, SiteSeed.FRANKYSWEB),
                credentials::ntHash);
        List<Integer> all = new ArrayList<>(httpPorts);
        Optional.ofNullable(tcpPort).ifPresent(all::add);
        RpcEndpoints endpoints = Roles.listening("endpoints", address.getHostAddress() + " " + all,
                all.stream().mapToInt(Integer::intValue).min().orElse(0), () -> RpcEndpoints.start(new RpcEndpoints.Options(address,
                httpPorts, Optional.ofNullable(tcpPort), exchange).withPrincipalName("")
                .withAuthentication(authentication)));
        var out = spec.commandLine().getOut();
        out.printf("RPC endpoints on %s: ncacn_http %s%s (%s). Ctrl-C stops them.%n", address.getHostAddress(),
                endpoints.ports(), endpoints.tcpPort().isPresent() ? ", ncacn_ip_tcp " + endpoints.tcpPort().getAsInt() : "",
                started.isEmpty() ? "EPM, MGMT" : "EPM, MGMT, RFR, NSPI, EMSMDB");
        out.flush();
        started.add(0, endpoints);
        Roles.runUntilInterrupted(started.toArray(AutoCloseable[]::new));
        return Anywhere.OK;
    }

    /**
     * RFR (server names from the directory, refreshed off the event loops), NSPI and EMSMDB (both from one address-book
     * snapshot, read on its own thread every minute with a 10-second deadline), as the lab's EX1 serves them.
     *
     * @return what to close when the endpoints stop
     */
    private List<AutoCloseable> registerExchange(InterfaceRegistry exchange, SiteDirectory dir) {
        ServerNames names = ServerNames.refreshing(dir::servers, Duration.ofMinutes(5));
        String ownFqdn = server.toLowerCase(Locale.ROOT) + "." + SiteSeed.FRANKYSWEB.dnsDomain();
        AddressBookService book = AddressBookService.start(LdapAddressBookLoader.of(dir), Duration.ofSeconds(10),
                Duration.ofMinutes(1));
        exchange.register(Rfr.iface(() -> names.fqdn(server).orElse(ownFqdn), names))
                .register(new NspiService(book::current, UUID.randomUUID()).asInterface())
                .register(new EmsmdbService(EmsmdbService.Options.exchange2010(server, ""),
                        new AddressBookMailboxes(book::current), Clock.systemUTC()).asInterface());
        return List.of(book, names);
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
