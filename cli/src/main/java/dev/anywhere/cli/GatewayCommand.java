package dev.anywhere.cli;

import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.server.configurator.LocalRoles;
import dev.anywhere.server.events.Event;
import dev.anywhere.server.events.EventLog;
import dev.anywhere.server.gateway.AdminServer;
import dev.anywhere.server.gateway.CredentialVerifier;
import dev.anywhere.server.gateway.DirectoryCredentials;
import dev.anywhere.server.gateway.Gateway;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** EX1's HTTPS front end. */
@Command(name = "gateway", mixinStandardHelpOptions = true, resourceBundle = "dev.anywhere.cli.gateway")
final class GatewayCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    TransportOption transport;


    @Spec
    CommandSpec spec;

    @Mixin
    DirectoryOptions directory;

    @Option(names = "--server", paramLabel = "NAME")
    String server = "EX1";

    @Option(names = "--data-dir", required = true, paramLabel = "DIR")
    Path dataDir;

    @Option(names = "--listen", paramLabel = "ADDR:PORT")
    String listen = LabAddresses.EX1 + ":" + LabAddresses.port(443);

    @Option(names = "--cert", paramLabel = "PEM")
    Path cert;

    @Option(names = "--key", paramLabel = "PEM")
    Path key;

    @Option(names = "--admin-listen", paramLabel = "ADDR:PORT")
    String adminListen = "127.0.0.1:0";

    @Option(names = "--endpoints", paramLabel = "ADDR")
    String endpoints = LabAddresses.EX1;

    @Option(names = "--realm", paramLabel = "NAME")
    String realm = "oa.frankysweb.org";

    @Option(names = "--http-listen", paramLabel = "ADDR:PORT")
    String httpListen;

    @Option(names = "--tls-handshake-timeout", paramLabel = "DURATION", defaultValue = "10s")
    String tlsHandshakeTimeout;

    @Option(names = "--request-header-timeout", paramLabel = "DURATION", defaultValue = "30s")
    String requestHeaderTimeout;

    @Option(names = "--keep-alive-timeout", paramLabel = "DURATION", defaultValue = "2m")
    String keepAliveTimeout;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "50000")
    int maxConnections;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "0")
    int ioThreads;

    @Option(names = "--tls-protocols", paramLabel = "LIST")
    String tlsProtocols;

    @Option(names = "--tls-ciphers", paramLabel = "LIST")
    String tlsCiphers;

    @Option(names = "--tls-session-tickets", negatable = true, defaultValue = "false")
    boolean tlsSessionTickets;

    /** The listener limits from the flags. */
    dev.anywhere.server.gateway.ListenerLimits limits() {
        try {
            return new dev.anywhere.server.gateway.ListenerLimits(duration("--tls-handshake-timeout", tlsHandshakeTimeout),
                    duration("--request-header-timeout", requestHeaderTimeout), duration("--keep-alive-timeout", keepAliveTimeout),
                    maxConnections, ioThreads);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(Inputs.problem(e, CliText.ofLocale()));
        }
    }

    /** The TLS policy from the flags. */
    dev.anywhere.server.gateway.TlsPolicy tlsPolicy() {
        try {
            return dev.anywhere.server.gateway.TlsPolicy.parse(tlsProtocols, tlsCiphers).withSessionTickets(tlsSessionTickets);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(Inputs.problem(e, CliText.ofLocale()));
        }
    }

    private static java.time.Duration duration(String option, String text) {
        try {
            return dev.anywhere.server.configurator.Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(option + ": " + Inputs.problem(e, CliText.ofLocale()));
        }
    }

    @Override
    public Integer call() throws Exception {
        dev.anywhere.server.gateway.ListenerLimits limits = limits();
        if ((cert == null) != (key == null)) {
            throw UserError.usage(CliText.local("gateway.cert-and-key"));
        }
        Optional<SslContext> tls = Optional.empty();
        if (cert != null) {
            Inputs.readable(cert, key);
            try {
                tls = Optional.of(dev.anywhere.server.gateway.TlsEngine.server(cert.toFile(), key.toFile(), tlsPolicy()));
            } catch (javax.net.ssl.SSLException e) {
                // cipher suites the provider lacks: the SSLException carries the keyed refusal as its cause
                throw UserError.usage(e.getCause() instanceof dev.anywhere.rpc.input.InvalidValue keyed
                        ? Inputs.problem(keyed, CliText.ofLocale()) : e.getMessage());
            } catch (IllegalArgumentException e) {
                // a certificate or key file the gateway cannot use (keyed: tls.cert-file, tls.key-*)
                throw UserError.usage(Inputs.problem(e, CliText.ofLocale()));
            }
        }
        SiteDirectory dir = null;
        CredentialVerifier credentials = CredentialVerifier.NONE;
        try {
            directory.password();
            dir = directory.open();
            EventLog gatewayEvents = new EventLog(dataDir);
            dir.onReplicaSwitch(change -> gatewayEvents.write(Event.replicaSwitched(java.time.Instant.now(), change)));
            credentials = new DirectoryCredentials(dir);
        } catch (UserError e) {
            spec.commandLine().getErr().println(CliText.local("gateway.no-directory", "detail", e.getMessage()));
        }
        LocalRoles.register(dataDir, true, false);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        java.net.InetAddress endpointsAddress = Roles.address("--endpoints", endpoints + ":0").getAddress();
        String lower = server.toLowerCase(java.util.Locale.ROOT);
        dev.anywhere.server.gateway.BackendResolver backends = dev.anywhere.server.gateway.BackendResolver.system()
                .withOverride(endpointsAddress, lower, lower + "." + dev.anywhere.directory.ldap.SiteSeed.FRANKYSWEB.dnsDomain(), "localhost");
        InetSocketAddress at = Roles.address("--listen", listen);
        InetSocketAddress adminAt = Roles.address("--admin-listen", adminListen);
        CredentialVerifier verifier = credentials;
        Optional<SslContext> tlsContext = tls;
        Gateway gateway = Roles.listening("gateway", listen, at.getPort(), () -> Gateway.start(new Gateway.Options(dataDir, server, at,
                tlsContext, verifier, realm, Gateway.ntlmIdentity(server, dev.anywhere.directory.ldap.SiteSeed.FRANKYSWEB))
                .withBackendResolver(backends).withListenerLimits(limits), metrics));
        AdminServer admin;
        try {
            admin = Roles.listening("gateway admin listener", adminListen, adminAt.getPort(),
                    () -> AdminServer.start(adminAt, metrics, gateway::health));
        } catch (Exception e) {
            gateway.close();
            throw e;
        }
        dev.anywhere.server.autodiscover.AutodiscoverRedirectServer redirect = null;
        if (httpListen != null) {
            Optional<String> domain = dir == null ? Optional.empty() : Optional.of(dir.site().smtpDomain());
            redirect = dev.anywhere.server.autodiscover.AutodiscoverRedirectServer.start(new dev.anywhere.server.autodiscover
                    .AutodiscoverRedirectServer.Options(Roles.address("--http-listen", httpListen), domain, gateway.address().getPort()));
        }
        var out = spec.commandLine().getOut();
        out.println(CliText.local("gateway.started", "server", server, "address", gateway.address(), "protocols", tls.isPresent()
                ? CliText.local("gateway.https", "engine", dev.anywhere.server.gateway.TlsEngine.describe()) : CliText.local("gateway.plain"),
                "admin", admin.address().getHostString() + ":" + admin.address().getPort()));
        out.flush();
        if (redirect != null) {
            out.println(CliText.local("gateway.redirect", "address", redirect.address().getHostString() + ":" + redirect.address().getPort()));
            out.flush();
        }
        SiteDirectory opened = dir;
        dev.anywhere.server.autodiscover.AutodiscoverRedirectServer port80 = redirect;
        Roles.runUntilInterrupted(admin, gateway, () -> {
            if (port80 != null) {
                port80.close();
            }
            if (opened != null) {
                opened.close();
            }
        });
        return Anywhere.OK;
    }
}
