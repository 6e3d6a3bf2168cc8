package dev.anywhere.server.testing;

import dev.anywhere.directory.addressbook.AddressBookService;
import dev.anywhere.directory.addressbook.LdapAddressBookLoader;
import dev.anywhere.directory.embedded.EmbeddedDirectory;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.endpoints.DceAuthentication;
import dev.anywhere.server.endpoints.InterfaceRegistry;
import dev.anywhere.server.endpoints.RpcEndpoints;
import dev.anywhere.server.endpoints.RpcInterface;
import dev.anywhere.server.gateway.BackendResolver;
import dev.anywhere.server.gateway.CredentialVerifier;
import dev.anywhere.server.gateway.DirectoryCredentials;
import dev.anywhere.server.gateway.Gateway;
import dev.anywhere.server.gateway.rpch.ProxySettings;
import dev.anywhere.server.nspi.NspiService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * EX1 as every end-to-end test meets it (the analyzer's client, Samba, impacket, exchanger, the rpcping and address
 * book commands): the gateway in front of RPC endpoints that verify DCE/RPC NTLM against the same accounts the gateway
 * checks HTTP logons with, optionally with the seeded directory and its address book served over NSPI. The endpoints
 * listen on an ephemeral port of 127.0.0.1, which the gateway reaches as ex1, ex1.frankysweb.local or localhost; its
 * applied configuration lets that port (or the ports {@link Builder#validPorts} names) through for EX1. What a test
 * needs differently (TLS or plain, SSL required, schemes, proxy settings, more interfaces) its {@link Builder} says.
 */
public final class SecuredRpcSite implements AutoCloseable {

    private final List<AutoCloseable> started;
    private final RpcEndpoints endpoints;
    private final Gateway.Options gatewayOptions;
    private final Gateway gateway;
    private final SimpleMeterRegistry gatewayMetrics;
    private final AddressBookService addressBook;

    private SecuredRpcSite(List<AutoCloseable> started, RpcEndpoints endpoints, Gateway.Options gatewayOptions,
            Gateway gateway, SimpleMeterRegistry gatewayMetrics, AddressBookService addressBook) {
        this.started = started;
        this.endpoints = endpoints;
        this.gatewayOptions = gatewayOptions;
        this.gateway = gateway;
        this.gatewayMetrics = gatewayMetrics;
        this.addressBook = addressBook;
    }

    /** A site whose gateway keeps its applied configuration in {@code dir}/ex1 (and the directory in {@code dir}/dc1). */
    public static Builder in(Path dir) {
        return new Builder(dir);
    }

    public Gateway gateway() {
        return gateway;
    }

    /** The gateway's meters (requests, proxy bytes, flow control acks, pings, failures). */
    public SimpleMeterRegistry gatewayMetrics() {
        return gatewayMetrics;
    }

    /**
     * A second gateway in front of the same endpoints, as configured as the first (a CAS array's other member), on
     * an ephemeral port of 127.0.0.1, counting into {@code metrics}; stopped with the site.
     */
    public Gateway anotherGateway(MeterRegistry metrics) throws InterruptedException {
        Gateway.Options o = gatewayOptions;
        Gateway another = Gateway.start(new Gateway.Options(o.dataDir(), o.server(), new InetSocketAddress("127.0.0.1", 0),
                o.tls(), o.credentials(), o.realm(), o.ntlmIdentity(), o.backends(), o.proxy(), o.logons(), o.limits()),
                metrics);
        started.add(another);
        return another;
    }

    public RpcEndpoints endpoints() {
        return endpoints;
    }

    /** The endpoints' port (ephemeral). */
    public int endpointPort() {
        return endpoints.ports().get(0);
    }

    /** The address book the endpoints serve; only with {@link Builder#withAddressBook}. */
    public AddressBookService addressBook() {
        if (addressBook == null) {
            throw new IllegalStateException("addressBook: none (expected: a site built withAddressBook)");
        }
        return addressBook;
    }

    /** Stops the gateways, the endpoints and the directory, in that order; best effort, as after a failed test. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // best effort: the next one still stops
            }
        }
    }

    /** What differs between the tests; the rest is EX1 of frankysweb. */
    public static final class Builder {

        private final Path dir;
        private CredentialVerifier credentials;
        private String directoryPassword;
        private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
        private Optional<SslContext> tls = Optional.empty();
        private Set<HttpAuthScheme> schemes = EnumSet.of(HttpAuthScheme.NTLM, HttpAuthScheme.BASIC);
        private final InterfaceRegistry extra = new InterfaceRegistry();
        private MeterRegistry endpointMetrics;
        private IntFunction<List<Integer>> validPorts = List::of;
        private final List<Integer> translated = new ArrayList<>();
        private boolean requireSsl;
        private ProxySettings proxySettings = ProxySettings.defaults();
        private RpcEndpoints.ProtocolErrorListener endpointErrors = RpcEndpoints.ProtocolErrorListener.NONE;

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** The accounts of the gateway's HTTP logons and of the endpoints' NTLM (a test's fixed accounts). */
        public Builder credentials(CredentialVerifier verifier) {
            this.credentials = verifier;
            return this;
        }

        /**
         * The seeded frankysweb directory (embedded, its users' password {@code password}) is the site's: its accounts
         * log on, and the endpoints serve its address book over NSPI.
         */
        public Builder withAddressBook(String password) {
            this.directoryPassword = password;
            return this;
        }

        /** Where the gateway listens (default: an ephemeral port of 127.0.0.1). */
        public Builder listen(String address, int port) {
            this.listen = new InetSocketAddress(address, port);
            return this;
        }

        /** HTTPS with this context (default: plain HTTP, as with SSL offloading). */
        public Builder tls(SslContext context) {
            this.tls = Optional.of(context);
            return this;
        }

        /** The virtual directory requires SSL: plain HTTP is refused with {@code 403.4} (default: accepted). */
        public Builder requireSsl() {
            this.requireSsl = true;
            return this;
        }

        /** The RPC proxy's windows, timeouts and channel lifetime (default: RpcProxy's, {@link ProxySettings#defaults}). */
        public Builder proxySettings(ProxySettings settings) {
            this.proxySettings = settings;
            return this;
        }

        /** Where the endpoints report protocol errors (default: nowhere). */
        public Builder endpointErrors(RpcEndpoints.ProtocolErrorListener listener) {
            this.endpointErrors = listener;
            return this;
        }

        /** The HTTP authentication /rpc offers (default: NTLM and Basic). */
        public Builder schemes(HttpAuthScheme first, HttpAuthScheme... more) {
            this.schemes = EnumSet.of(first, more);
            return this;
        }

        /** Another interface the endpoints serve. */
        public Builder serving(RpcInterface iface) {
            extra.register(iface);
            return this;
        }

        /** Counts the endpoints' DCE/RPC security (binds, failures) here. */
        public Builder endpointMetrics(MeterRegistry registry) {
            this.endpointMetrics = registry;
            return this;
        }

        /** EX1's ValidPorts, given the endpoints' port (default: that port alone). */
        public Builder validPorts(IntFunction<List<Integer>> ports) {
            this.validPorts = ports;
            return this;
        }

        /** A well-known port (593, 6004) the gateway translates to the endpoints' port, as clients ask for it. */
        public Builder translating(int wellKnownPort) {
            translated.add(wellKnownPort);
            return this;
        }

        public SecuredRpcSite start() throws Exception {
            List<AutoCloseable> started = new ArrayList<>();
            try {
                AddressBookService addressBook = null;
                CredentialVerifier verifier = credentials;
                if (directoryPassword != null) {
                    EmbeddedDirectory embedded = EmbeddedDirectory.start(dir.resolve("dc1"),
                            InetAddress.getLoopbackAddress(), 0, SiteSeed.frankysweb(directoryPassword));
                    started.add(embedded);
                    LdapSiteDirectory directory = embedded.connect(directoryPassword);
                    started.add(directory);
                    addressBook = AddressBookService.start(new LdapAddressBookLoader(directory), Duration.ofSeconds(30),
                            Duration.ZERO);
                    started.add(addressBook);
                    addressBook.refresh().get(30, TimeUnit.SECONDS);
                    verifier = new DirectoryCredentials(directory);
                    extra.register(new NspiService(addressBook::current, UUID.randomUUID()).asInterface());
                }
                if (verifier == null) {
                    throw new IllegalStateException("credentials: none (expected: credentials(...) or withAddressBook(...))");
                }
                DceAuthentication dce = DceAuthentication.of(Gateway.ntlmIdentity("EX1", SiteSeed.FRANKYSWEB),
                        verifier::ntHash);
                RpcEndpoints endpoints = RpcEndpoints.start(RpcEndpoints.Options.defaults(InetAddress.getByName("127.0.0.1"))
                        .withPorts(List.of(0)).withExtra(extra).withErrors(endpointErrors)
                        .withAuthentication(endpointMetrics == null ? dce : dce.withMetrics(endpointMetrics)));
                started.add(endpoints);
                int port = endpoints.ports().get(0);
                Path data = dir.resolve("ex1");
                new AppliedConfigFile(data).write(new RpcVdirConfig("EX1", true, EnumSet.copyOf(schemes), requireSsl,
                        ValidPorts.forServer("EX1", "ex1.frankysweb.local", validPorts.apply(port))), 1, Instant.now());
                Map<Integer, Integer> translation = new LinkedHashMap<>();
                translated.forEach(p -> translation.put(p, port));
                Gateway.Options options = new Gateway.Options(data, "EX1", listen, tls, verifier, "oa.frankysweb.org",
                        Gateway.ntlmIdentity("EX1", SiteSeed.FRANKYSWEB))
                        .withBackendResolver(BackendResolver.system().withOverride(InetAddress.getByName("127.0.0.1"),
                                "ex1", "ex1.frankysweb.local", "localhost").withPortTranslation(translation))
                        .withProxySettings(proxySettings);
                SimpleMeterRegistry metrics = new SimpleMeterRegistry();
                Gateway gateway = Gateway.start(options, metrics);
                started.add(gateway);
                return new SecuredRpcSite(started, endpoints, options, gateway, metrics, addressBook);
            } catch (Exception | Error e) {
                new SecuredRpcSite(started, null, null, null, null, null).close();
                throw e;
            }
        }
    }
}
