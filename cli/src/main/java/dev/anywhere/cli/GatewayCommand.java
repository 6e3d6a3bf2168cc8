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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** EX1's HTTPS front end. */
@Command(name = "gateway", mixinStandardHelpOptions = true, description = "Run the gateway: /rpc/rpcproxy.dll on HTTPS (and plain "
        + "HTTP when the applied configuration says SSL offloading), following the configurator's /rpc configuration without restarts.")
final class GatewayCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    TransportOption transport;


    @Spec
    CommandSpec spec;

    @Mixin
    DirectoryOptions directory;

    @Option(names = "--server", paramLabel = "NAME", description = "This server's name (default: ${DEFAULT-VALUE}).")
    String server = "EX1";

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The server's data directory (shared with the service host).")
    Path dataDir;

    @Option(names = "--listen", paramLabel = "ADDR:PORT", description = "Where to listen (default: ${DEFAULT-VALUE}).")
    String listen = LabAddresses.EX1 + ":" + LabAddresses.port(443);

    @Option(names = "--cert", paramLabel = "PEM", description = "Certificate chain (PEM). Without it the gateway speaks plain HTTP only.")
    Path cert;

    @Option(names = "--key", paramLabel = "PEM", description = "Private key of --cert (PKCS#8 PEM).")
    Path key;

    @Option(names = "--admin-listen", paramLabel = "ADDR:PORT", description = "Where /health and /metrics are served (default: ${DEFAULT-VALUE}).")
    String adminListen = "127.0.0.1:0";

    @Option(names = "--endpoints", paramLabel = "ADDR", description = "Where this server's RPC endpoints listen: the server's short name, "
            + "FQDN and localhost lead there, as EX1's hosts file would (default: ${DEFAULT-VALUE}).")
    String endpoints = LabAddresses.EX1;

    @Option(names = "--realm", paramLabel = "NAME", description = "The Basic realm (default: ${DEFAULT-VALUE}).")
    String realm = "oa.frankysweb.org";

    @Option(names = "--http-listen", paramLabel = "ADDR:PORT", description = "Also answer the Autodiscover HTTP redirect method "
            + "here (port 80): GET /autodiscover/autodiscover.xml -> 302 to https://autodiscover.<domain>/autodiscover/autodiscover.xml.")
    String httpListen;

    @Option(names = "--tls-handshake-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "Close a connection whose TLS handshake has not ended this long after accept (default: ${DEFAULT-VALUE}).")
    String tlsHandshakeTimeout;

    @Option(names = "--request-header-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "Close a connection whose request head has not fully arrived this long after its first byte; "
                    + "RPC channels are exempt once their head is in (default: ${DEFAULT-VALUE}).")
    String requestHeaderTimeout;

    @Option(names = "--keep-alive-timeout", paramLabel = "DURATION", defaultValue = "2m",
            description = "Close a connection idle this long between requests (default: ${DEFAULT-VALUE}).")
    String keepAliveTimeout;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "50000",
            description = "Close new connections at accept while this many are open (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--tls-protocols", paramLabel = "LIST", description = "TLS versions offered, comma-separated "
            + "(default: TLSv1.3,TLSv1.2).")
    String tlsProtocols;

    @Option(names = "--tls-ciphers", paramLabel = "LIST", description = "Cipher suites offered, IANA names, comma-separated "
            + "(default: TLS 1.3's three; TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305, see docs/rpc-proxy.md).")
    String tlsCiphers;

    @Option(names = "--tls-session-tickets", negatable = true, defaultValue = "false",
            description = "Issue TLS session tickets (default: off: Samba's RPC over HTTP client stalls on a TLS 1.3 "
                    + "ticket, and Outlook's long-lived channels gain little from resumption; docs/rpc-proxy.md).")
    boolean tlsSessionTickets;

    /** The listener limits from the flags. */
    dev.anywhere.server.gateway.ListenerLimits limits() {
        try {
            return new dev.anywhere.server.gateway.ListenerLimits(duration("--tls-handshake-timeout", tlsHandshakeTimeout),
                    duration("--request-header-timeout", requestHeaderTimeout), duration("--keep-alive-timeout", keepAliveTimeout),
                    maxConnections);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
    }

    /** The TLS policy from the flags. */
    dev.anywhere.server.gateway.TlsPolicy tlsPolicy() {
        try {
            return dev.anywhere.server.gateway.TlsPolicy.parse(tlsProtocols, tlsCiphers).withSessionTickets(tlsSessionTickets);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
    }

    private static java.time.Duration duration(String option, String text) {
        try {
            return dev.anywhere.server.configurator.Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(option + ": " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        dev.anywhere.server.gateway.ListenerLimits limits = limits();
        if ((cert == null) != (key == null)) {
            throw UserError.usage("--cert and --key go together");
        }
        Optional<SslContext> tls = Optional.empty();
        if (cert != null) {
            for (Path p : new Path[] {cert, key}) {
                if (!Files.isReadable(p)) {
                    throw UserError.usage("cannot read " + p);
                }
            }
            try {
                tls = Optional.of(dev.anywhere.server.gateway.TlsEngine.server(cert.toFile(), key.toFile(), tlsPolicy()));
            } catch (javax.net.ssl.SSLException e) {
                throw UserError.usage(e.getMessage());
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
            spec.commandLine().getErr().println("anywhere: warning: " + e.getMessage() + "; every logon will be refused.");
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
        out.printf("Gateway for %s on %s (%s); /health and /metrics on http://%s:%d. Ctrl-C stops it.%n", server, gateway.address(),
                tls.isPresent() ? "HTTPS with " + dev.anywhere.server.gateway.TlsEngine.describe() + ", and HTTP when SSL offloading"
                        : "plain HTTP only", admin.address().getHostString(),
                admin.address().getPort());
        out.flush();
        if (redirect != null) {
            out.printf("Autodiscover HTTP redirect method on http://%s:%d.%n", redirect.address().getHostString(), redirect.address().getPort());
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
