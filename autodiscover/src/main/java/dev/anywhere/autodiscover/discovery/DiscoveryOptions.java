package dev.anywhere.autodiscover.discovery;

import dev.anywhere.rpc.input.InvalidValue;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything one discovery run needs. Build with {@link #builder(String)}.
 *
 * @param emailAddress the address to discover settings for
 * @param credentials what to answer a 401 with; empty sends no credentials
 * @param resolveOverrides curl-like {@code --resolve}: {@code host:port} (lower case) to the address to connect to,
 *        consulted before DNS
 * @param dnsServer the DNS server dnsjava queries (A, AAAA, SRV); empty uses the system resolver
 * @param trustAnchorsPem PEM files of CA certificates trusted in addition to the JDK's default anchors (the system's
 *        trust store); empty trusts only those
 * @param insecure accept any server certificate (still recorded); for labs only
 * @param excluded the discovery methods not to run, like Outlook's {@code Exclude*} values
 * @param allowedRedirectHosts hosts the user consented to be redirected to (and to send credentials to), like
 *        Outlook's {@code RedirectServers}; lower case
 * @param stepTimeout the limit for each DNS query, TCP connect, TLS handshake and HTTP response (default 10 s)
 * @param httpsPort the port for the HTTPS candidates (443; tests use a high port)
 * @param httpPort the port for the HTTP redirect GET (80; tests use a high port)
 * @param scp where to look up service connection points; empty skips SCP
 */
public record DiscoveryOptions(String emailAddress, Optional<Credentials> credentials,
        Map<String, InetAddress> resolveOverrides, Optional<InetSocketAddress> dnsServer,
        List<Path> trustAnchorsPem, boolean insecure, Set<DiscoveryMethod> excluded,
        Set<String> allowedRedirectHosts, Duration stepTimeout, int httpsPort, int httpPort,
        Optional<ScpSettings> scp) {

    /** Outlook and [MS-OXDSCLI] stop after this many redirections. */
    public static final int MAX_REDIRECTS = 10;

    public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Refuses what no run can use as a keyed {@link InvalidValue}, so the command line says it in its reader's language:
     * an address without local part or domain ({@code discovery.email}), a step timeout not above zero
     * ({@code discovery.step-timeout}), a port outside 1..65535 ({@code discovery.https-port}, {@code discovery.http-port}).
     */
    public DiscoveryOptions {
        Objects.requireNonNull(emailAddress, "emailAddress");
        int at = emailAddress.lastIndexOf('@');
        if (at < 1 || at == emailAddress.length() - 1) {
            throw new InvalidValue("discovery.email", emailAddress, "email address: " + emailAddress + " (expected: local@domain)");
        }
        Objects.requireNonNull(credentials, "credentials");
        resolveOverrides = Map.copyOf(resolveOverrides);
        Objects.requireNonNull(dnsServer, "dnsServer");
        trustAnchorsPem = List.copyOf(trustAnchorsPem);
        excluded = excluded.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(excluded));
        allowedRedirectHosts = Set.copyOf(allowedRedirectHosts);
        Objects.requireNonNull(stepTimeout, "stepTimeout");
        if (stepTimeout.isNegative() || stepTimeout.isZero()) {
            throw new InvalidValue("discovery.step-timeout", stepTimeout.toString(), "step timeout: " + stepTimeout + " (expected: > 0)");
        }
        checkPort("https", httpsPort);
        checkPort("http", httpPort);
        Objects.requireNonNull(scp, "scp");
    }

    private static void checkPort(String scheme, int port) {
        if (port < 1 || port > 65535) {
            throw new InvalidValue("discovery." + scheme + "-port", Integer.toString(port),
                    scheme + " port: " + port + " (expected: 1..65535)");
        }
    }

    public static Builder builder(String emailAddress) {
        return new Builder(emailAddress);
    }

    /** The domain part of the email address, lower case. */
    public String domain() {
        return emailAddress.substring(emailAddress.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    public boolean runs(DiscoveryMethod method) {
        return !excluded.contains(method);
    }

    /** Builder; every switch defaults to Outlook's behaviour with nothing excluded. */
    public static final class Builder {
        private String emailAddress;
        private Credentials credentials;
        private final Map<String, InetAddress> resolve = new LinkedHashMap<>();
        private InetSocketAddress dnsServer;
        private final List<Path> trustAnchorsPem = new ArrayList<>();
        private boolean insecure;
        private final Set<DiscoveryMethod> excluded = EnumSet.noneOf(DiscoveryMethod.class);
        private final Set<String> allowedRedirectHosts = new LinkedHashSet<>();
        private Duration stepTimeout = DEFAULT_STEP_TIMEOUT;
        private int httpsPort = 443;
        private int httpPort = 80;
        private ScpSettings scp;

        private Builder(String emailAddress) {
            this.emailAddress = emailAddress;
        }

        public Builder emailAddress(String v) { emailAddress = v; return this; }
        public Builder credentials(Credentials v) { credentials = v; return this; }
        public Builder dnsServer(InetSocketAddress v) { dnsServer = v; return this; }
        /** Trusts the CA certificates in this PEM file besides the JDK's anchors (replaces earlier files; null: none). */
        public Builder trustAnchorsPem(Path v) { return trustAnchorsPem(v == null ? List.of() : List.of(v)); }

        /** Trusts the CA certificates in these PEM files besides the JDK's anchors (replaces earlier files). */
        public Builder trustAnchorsPem(List<Path> v) {
            trustAnchorsPem.clear();
            trustAnchorsPem.addAll(v);
            return this;
        }
        public Builder insecure(boolean v) { insecure = v; return this; }
        public Builder stepTimeout(Duration v) { stepTimeout = v; return this; }
        public Builder httpsPort(int v) { httpsPort = v; return this; }
        public Builder httpPort(int v) { httpPort = v; return this; }
        public Builder scp(ScpSettings v) { scp = v; return this; }
        public Builder exclude(DiscoveryMethod m) { excluded.add(m); return this; }
        public Builder excludeScpLookup() { return exclude(DiscoveryMethod.SCP); }
        public Builder excludeHttpsRootDomain() { return exclude(DiscoveryMethod.HTTPS_ROOT_DOMAIN); }
        public Builder excludeHttpsAutoDiscoverDomain() { return exclude(DiscoveryMethod.HTTPS_AUTODISCOVER_DOMAIN); }
        public Builder excludeHttpRedirect() { return exclude(DiscoveryMethod.HTTP_REDIRECT); }
        public Builder excludeSrvRecord() { return exclude(DiscoveryMethod.SRV_RECORD); }

        /** Consent to redirects to {@code host} (and to sending it credentials), like {@code --allow-redirect}. */
        public Builder allowRedirect(String host) {
            allowedRedirectHosts.add(host.toLowerCase(Locale.ROOT));
            return this;
        }

        public Builder resolve(String host, int port, InetAddress address) {
            resolve.put(host.toLowerCase(Locale.ROOT) + ":" + port, address);
            return this;
        }

        /** Parses curl's {@code --resolve HOST:PORT:ADDR}: see {@link ResolveOverride#parse}. */
        public Builder resolve(String spec) {
            ResolveOverride o = ResolveOverride.parse(spec);
            return resolve(o.host(), o.port(), o.address());
        }

        public DiscoveryOptions build() {
            return new DiscoveryOptions(emailAddress, Optional.ofNullable(credentials), resolve,
                    Optional.ofNullable(dnsServer), trustAnchorsPem, insecure, excluded,
                    allowedRedirectHosts, stepTimeout, httpsPort, httpPort, Optional.ofNullable(scp));
        }
    }
}
