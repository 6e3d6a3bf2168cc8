package dev.anywhere.lab.site;

import dev.anywhere.directory.embedded.DirectoryServer;
import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.ReplicatedSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.slapd.Slapd;
import dev.anywhere.lab.dns.DnsServer;
import dev.anywhere.lab.dns.ZoneModel;
import dev.anywhere.lab.dns.ZoneSet;
import dev.anywhere.lab.pki.CertificateAuthority;
import dev.anywhere.lab.pki.Validity;
import dev.anywhere.lab.router.HaproxyBalancer;
import dev.anywhere.lab.router.NginxConfig;
import dev.anywhere.lab.router.NginxMiddlebox;
import dev.anywhere.lab.router.Router;
import dev.anywhere.lab.router.RouterRule;
import dev.anywhere.lab.topology.Passwords;
import dev.anywhere.lab.topology.Middlebox;
import dev.anywhere.lab.topology.PortMap;
import dev.anywhere.lab.topology.RuleVariant;
import dev.anywhere.lab.topology.Service;
import dev.anywhere.lab.topology.Topology;
import dev.anywhere.lab.topology.ZoneServer;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.pki.IssuedCertificate;
import dev.anywhere.server.autodiscover.AutodiscoverRedirectServer;
import dev.anywhere.server.configurator.LocalRoles;
import dev.anywhere.directory.addressbook.AddressBookService;
import dev.anywhere.directory.addressbook.LdapAddressBookLoader;
import dev.anywhere.server.endpoints.InterfaceRegistry;
import dev.anywhere.server.endpoints.RpcEndpoints;
import dev.anywhere.server.emsmdb.AddressBookMailboxes;
import dev.anywhere.server.emsmdb.EmsmdbService;
import dev.anywhere.server.nspi.NspiService;
import dev.anywhere.server.gateway.AdminServer;
import dev.anywhere.server.gateway.BackendResolver;
import dev.anywhere.server.configurator.ServiceHost;
import dev.anywhere.server.configurator.ServiceHostSettings;
import dev.anywhere.server.events.EventLog;
import dev.anywhere.server.endpoints.DceAuthentication;
import dev.anywhere.server.endpoints.InterfaceRegistry;
import dev.anywhere.server.rfr.Rfr;
import dev.anywhere.server.rfr.ServerNames;
import dev.anywhere.server.gateway.DirectoryCredentials;
import dev.anywhere.server.gateway.Gateway;
import dev.anywhere.server.gateway.TlsEngine;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The site's servers in one JVM on loopback. {@link #start(Plan, Consumer)} starts the whole topology (docs/architecture.md §1):
 * the provider's DNS with the public zone, DC1 (directory and internal DNS), EX1 (service host, gateway with a
 * certificate from the lab CA), the optional nginx middlebox, and the router on the public address; with the
 * topology's faults already applied. {@link #start(Options, Consumer)} starts DC1's directory and EX1 only (benchmarks).
 */
public final class LabSite implements AutoCloseable {

    /**
     * Where the site runs.
     *
     * @param dataDir everything the site writes: {@code dc1/} (directory), {@code ex1/} (applied config, events), {@code pki/}
     * @param dc1 DC1's address and LDAP port (0 = any free port)
     * @param ex1 EX1's address and HTTPS port (0 = any free port)
     * @param userPassword the password of every seeded account (the lab's users)
     * @param pollInterval the configurator's poll interval
     */
    public record Options(Path dataDir, InetSocketAddress dc1, InetSocketAddress ex1, String userPassword, Duration pollInterval) {
        public static Options loopback(Path dataDir, String userPassword) throws java.net.UnknownHostException {
            return new Options(dataDir, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0),
                    new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), userPassword, ServiceHostSettings.DEFAULT_POLL_INTERVAL);
        }
    }

    /**
     * The whole site.
     *
     * @param topology the site with its faults applied ({@link Topology#withFaultsApplied()})
     * @param ports real or shifted ports
     * @param dataDir everything the site writes: {@code dc1/}, {@code ex1/}, {@code pki/}, {@code nginx/}
     * @param passwords the users' passwords ({@link Passwords#load})
     * @param pollInterval the configurator's poll interval
     * @param balancerIdleTimeout the array's HAProxy client and server timeout
     */
    public record Plan(Topology topology, PortMap ports, Path dataDir, Passwords passwords, Duration pollInterval,
            Duration balancerIdleTimeout) {
        /** A plan whose load balancer (if any) keeps idle channels open 3 hours, as docs/scale-out.md configures it. */
        public Plan(Topology topology, PortMap ports, Path dataDir, Passwords passwords, Duration pollInterval) {
            this(topology, ports, dataDir, passwords, pollInterval, Duration.ofHours(3));
        }
    }

    private final List<AutoCloseable> started = new ArrayList<>();
    /** NT hashes the RPC servers use instead of the directory's, by user (lower case): {@link #rpcServerChecksPassword}. */
    private final java.util.Map<String, byte[]> rpcServerHashes = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Member> members = new ArrayList<>();
    private final java.util.Map<String, Slapd> replicas = new java.util.LinkedHashMap<>();
    private HaproxyBalancer balancer;
    private DnsServer providerDns;
    private DnsServer internalDns;
    private Router router;
    private NginxMiddlebox middlebox;
    private RpcEndpoints endpoints;
    private AddressBookService addressBook;
    private AutodiscoverRedirectServer redirect;
    private Plan plan;
    private final Path ex1Dir;
    private DirectoryServer directoryServer;
    private LdapSiteDirectory directory;
    private Gateway gateway;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private ServiceHost serviceHost;
    private CertificateAuthority ca;
    private Path trustBundle;

    private LabSite(Options options) {
        this.ex1Dir = options.dataDir().resolve("ex1");
    }

    /** Starts every server, reporting each step to {@code progress}. */
    public static LabSite start(Options options, Consumer<String> progress) throws Exception {
        LabSite site = new LabSite(options);
        try {
            site.startAll(options, progress);
            return site;
        } catch (Exception | Error e) {
            site.close();
            throw e;
        }
    }

    /** Starts the whole site of {@code plan}, reporting each step to {@code progress}; on failure stops what started. */
    public static LabSite start(Plan plan, Consumer<String> progress) throws Exception {
        LabSite site = new LabSite(new Options(plan.dataDir(), null, null, null, plan.pollInterval()));
        site.plan = plan;
        try {
            site.startSite(plan, progress);
            return site;
        } catch (Exception | Error e) {
            site.close();
            throw e;
        }
    }

    private void startSite(Plan plan, Consumer<String> progress) throws Exception {
        Topology t = plan.topology();
        PortMap ports = plan.ports();
        Path pki = plan.dataDir().resolve("pki");
        Path caDir = pki.resolve("ca");
        if (java.nio.file.Files.exists(caDir.resolve("ca.crt"))) {
            ca = CertificateAuthority.load(caDir);
            progress.accept("certificate authority: loaded from " + caDir);
        } else {
            ca = CertificateAuthority.createLab();
            ca.save(caDir);
            progress.accept("certificate authority: created " + CertificateAuthority.LAB_ROOT_SUBJECT);
        }
        trustBundle = ca.writeTrustBundle(pki.resolve("lab-ca.pem"));
        java.util.Map<String, IssuedCertificate.PemFiles> pems = new java.util.LinkedHashMap<>();
        for (String member : t.memberHosts()) {
            Topology.Certificate spec = t.certificateOf(member);
            // certificate faults break EX1's certificate: the one the single site presents
            java.util.Set<dev.anywhere.lab.pki.CertificateFault> faults = member.equals("ex1") ? t.certificateFaults() : java.util.Set.of();
            IssuedCertificate cert = ca.issueServerCertificate(CertificateRequest.builder(spec.subject().substring(3))
                    .dnsNames(spec.dnsNames().toArray(String[]::new)).validity(Validity.days(spec.days()))
                    .keyType(spec.key()).faults(faults).build());
            pems.put(member, cert.writePem(pki, spec.name()));
            progress.accept("certificate authority: issued " + spec.subject() + " " + spec.dnsNames() + " for " + member
                    + (faults.isEmpty() ? "" : " with faults " + faults));
        }
        IssuedCertificate.PemFiles pem = pems.get("ex1");

        providerDns = DnsServer.start(ports.socket(t, "provider-dns", Service.DNS), zones(t, ZoneServer.PROVIDER_DNS, ports));
        started.add(providerDns);
        progress.accept("provider DNS: " + address(providerDns.address()) + " serving " + providerDns.zones());

        SiteSeed seed = new SiteSeed(SiteSeed.FRANKYSWEB, plan.passwords().byUser(), false);
        InetSocketAddress ldap = ports.socket(t, "dc1", Service.LDAP);
        java.net.URI dc1Url;
        if (t.array() != null && !t.array().directories().isEmpty()) {
            startReplicas(plan, seed, progress);
            dc1Url = replicas.get("dc1").url();
        } else {
            directoryServer = DirectoryServer.start(plan.dataDir().resolve("dc1"), ldap.getAddress(), ldap.getPort(), seed);
            started.add(directoryServer);
            dc1Url = directoryServer.info().url();
        }
        internalDns = DnsServer.start(ports.socket(t, "dc1", Service.DNS), zones(t, ZoneServer.DC1, ports));
        started.add(internalDns);
        progress.accept("DC1: directory on " + dc1Url + ", DNS " + address(internalDns.address())
                + " serving " + internalDns.zones());
        directory = LdapSiteDirectory.connect(serviceSettings(plan, dc1Url));
        started.add(directory);
        for (String host : mailboxServers(t)) {
            // before the members start: their configurator lists it in ValidPorts and RFR knows its FQDN from the first pass
            directory.putServer(new dev.anywhere.directory.model.ExchangeServer(serverName(host), host + "."
                    + SiteSeed.FRANKYSWEB.dnsDomain(), true));
            progress.accept("DC1: server " + serverName(host) + " (mailbox server: RPC endpoints, no Client Access role)");
        }
        if (t.array() != null) {
            spreadMailboxes(t);
            for (String member : t.memberHosts()) {
                awaitOnEveryReplica(plan, serverName(member));
            }
            progress.accept("DC1: servers " + t.memberHosts().stream().map(h -> h.toUpperCase(java.util.Locale.ROOT)).toList()
                    + ", mailboxes spread over them (Administrator on " + serverName(t.memberHosts().get(1)) + ")");
        }

        for (int i = 0; i < t.memberHosts().size(); i++) {
            String member = t.memberHosts().get(i);
            SiteDirectory nearest = directory;
            if (!replicas.isEmpty()) {
                // each member follows its nearest replica, through connections of its own, and the others while it is down
                String replica = t.array().directoryOf(i);
                List<LdapSiteDirectory> ordered = new ArrayList<>();
                ordered.add(LdapSiteDirectory.connect(serviceSettings(plan, replicas.get(replica).url())));
                for (String other : replicas.keySet()) {
                    if (!other.equals(replica)) {
                        ordered.add(LdapSiteDirectory.open(serviceSettings(plan, replicas.get(other).url())));
                    }
                }
                nearest = ReplicatedSiteDirectory.of(ordered, ReplicatedSiteDirectory.DEFAULT_PROBE_INTERVAL);
                started.add(nearest);
                progress.accept(serverName(member) + ": follows " + replica.toUpperCase(java.util.Locale.ROOT) + " ("
                        + ordered.stream().map(d -> d.settings().url().toString()).collect(java.util.stream.Collectors.joining(", "))
                        + ", nearest first)");
            }
            members.add(startMember(plan, member, pems.get(member), nearest, progress));
        }
        for (String host : mailboxServers(t)) {
            startEndpoints(plan, host, directory, progress);
        }
        Member first = members.get(0);
        endpoints = first.endpoints();
        serviceHost = first.serviceHost();
        gateway = first.gateway();

        if (t.array() != null) {
            List<HaproxyBalancer.Member> backends = new ArrayList<>();
            for (Member m : members) {
                backends.add(new HaproxyBalancer.Member(m.host(), m.gateway().address(), m.admin().orElseThrow().address().getPort()));
            }
            InetSocketAddress listen = ports.socket(t, t.array().balancer(), Service.HTTPS);
            balancer = HaproxyBalancer.start(plan.dataDir().resolve("haproxy"), listen, backends, plan.balancerIdleTimeout());
            started.add(balancer);
            progress.accept("load balancer: haproxy (TCP, round robin, /health checks) on " + address(listen) + " -> "
                    + backends.stream().map(b -> b.name() + " " + address(b.gateway())).toList() + ", pid " + balancer.pid());
        }

        InetSocketAddress httpsInside = ports.socket(t, "ex1", Service.HTTPS);
        if (t.middlebox() != Middlebox.NONE) {
            InetSocketAddress listen = ports.socket(t, "middlebox", Service.HTTPS);
            middlebox = NginxMiddlebox.start(NginxConfig.Profile.of(t.middlebox().id()), plan.dataDir().resolve("nginx"), listen,
                    pem.certificateChain(), pem.privateKey(), httpsInside, CertificateRequest.OA_NAME);
            started.add(middlebox);
            progress.accept("middlebox: nginx (" + t.middlebox().id() + ") on " + address(listen) + " -> " + address(httpsInside)
                    + ", pid " + middlebox.pid());
        }

        List<RouterRule> rules = new ArrayList<>();
        int ex1Https = t.host("ex1").flatMap(h -> h.port(Service.HTTPS)).orElse(443);
        for (Topology.RuleChange rule : t.ruleVariants().values()) {
            int publicPort = ports.port(rule.port());
            rules.add(switch (rule.variant()) {
                case ABSENT -> RouterRule.absent(publicPort);
                case ROUTER_PAGE -> RouterRule.routerPage(publicPort);
                case FORWARD, WRONG_HOST -> {
                    Topology.Target target = t.parseTarget(rule.to());
                    // the middlebox sits between the router and EX1's HTTPS port
                    boolean viaMiddlebox = middlebox != null && rule.variant() == RuleVariant.FORWARD
                            && target.host().equals("ex1") && target.port() == ex1Https;
                    yield RouterRule.forward(publicPort, viaMiddlebox ? middlebox.address() : ports.socket(t, target));
                }
            });
        }
        router = Router.start(t.address("router"), rules, Optional.of(Router.selfSignedPageCertificate(ca)), ports.port(80));
        started.add(router);
        progress.accept("router: " + t.address("router").getHostAddress() + " " + rules);
    }

    /** The zones {@code server} serves, SOA and NS generated, A values resolved to addresses, SRV ports mapped. */
    static ZoneSet zones(Topology t, ZoneServer server, PortMap ports) {
        List<ZoneModel> models = new ArrayList<>();
        String serverAddress = t.host(server.host()).orElseThrow().address();
        for (Topology.Zone z : t.zones()) {
            if (z.server() != server) {
                continue;
            }
            boolean hasNs1 = z.records().stream().anyMatch(r -> r.name().equalsIgnoreCase("ns1"));
            ZoneModel.Builder b = ZoneModel.builder(z.origin()).soa("ns1", "hostmaster", 2026010101L).ns("ns1");
            if (!hasNs1) {
                b.a("ns1", serverAddress);
            }
            for (Topology.DnsRecord r : z.records()) {
                switch (r.type()) {
                    case A -> b.a(r.name(), t.addressOf(r.value()));
                    case CNAME -> b.cname(r.name(), r.value());
                    case SRV -> {
                        String[] p = r.value().trim().split("\\s+");
                        b.srv(r.name(), Integer.parseInt(p[0]), Integer.parseInt(p[1]), ports.port(Integer.parseInt(p[2])), p[3]);
                    }
                }
            }
            models.add(b.build());
        }
        return ZoneSet.of(models);
    }

    private static String address(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static LdapSettings serviceSettings(Plan plan, java.net.URI url) {
        return LdapSettings.of(url, new dev.anywhere.directory.ldap.SiteLayout(SiteSeed.FRANKYSWEB).userDn(SiteSeed.SERVICE_ACCOUNT),
                plan.passwords().of(SiteSeed.SERVICE_ACCOUNT), SiteSeed.FRANKYSWEB);
    }

    /**
     * DC1 and DC2 as two slapd providers replicating each other (multi-provider, mirror mode): the site is seeded on
     * DC1 and reaches DC2 by replication; returns once DC2 lets the service account bind and read the site. The
     * rootdn's password (replication binds with it) is random, kept only in the replicas' owner-only configuration.
     */
    private void startReplicas(Plan plan, SiteSeed seed, Consumer<String> progress) throws Exception {
        if (!Slapd.available()) {
            throw new dev.anywhere.directory.DirectoryException(dev.anywhere.directory.DirectoryText.of(
                    dev.anywhere.directory.DirectoryText.Key.SLAPD_MISSING, "binary", Slapd.SLAPD), false, null);
        }
        Topology t = plan.topology();
        List<String> names = t.array().directories();
        byte[] secret = new byte[18];
        new java.security.SecureRandom().nextBytes(secret);
        String rootPassword = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            InetSocketAddress peer = plan.ports().socket(t, names.get((i + 1) % names.size()), Service.LDAP);
            Path dir = plan.dataDir().resolve(name);
            deleteTree(dir);
            Slapd.configure(dir, seed, rootPassword, Optional.of(new Slapd.Replication(i + 1,
                    java.net.URI.create("ldap://" + address(peer)))));
        }
        for (String name : names) {
            InetSocketAddress listen = plan.ports().socket(t, name, Service.LDAP);
            Slapd slapd = Slapd.start(plan.dataDir().resolve(name), listen.getAddress().getHostAddress(), listen.getPort());
            started.add(slapd);
            replicas.put(name, slapd);
            progress.accept(name.toUpperCase(java.util.Locale.ROOT) + ": slapd on " + slapd.url() + " (multi-provider with "
                    + names.stream().filter(n -> !n.equals(name)).toList() + "), pid " + slapd.pid());
        }
        replicas.get("dc1").seed(seed, rootPassword);
        awaitOnEveryReplica(plan, "EX1");
        progress.accept("DC1: site seeded, replicated to " + names.subList(1, names.size()));
    }

    /**
     * Waits until every replica serves {@code server}'s object to the service account, so that a member's first pass
     * on its nearest replica finds what was written on DC1 (a pass that does not is a permanent error, 2002).
     */
    private void awaitOnEveryReplica(Plan plan, String server) throws InterruptedException {
        for (String name : replicas.keySet()) {
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (true) {
                try (LdapSiteDirectory d = LdapSiteDirectory.connect(serviceSettings(plan, replicas.get(name).url()))) {
                    if (d.server(server).isPresent()) {
                        break;
                    }
                } catch (RuntimeException notYet) {
                    // the service account has not replicated yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + ": the site did not replicate within 15 s (expected: "
                            + "server " + server + " readable as the service account); log " + replicas.get(name).log());
                }
                Thread.sleep(50);
            }
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
    }

    /** The directory's server name of a member host: {@code ex2} is EX2. */
    static String serverName(String host) {
        return host.toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * The array's extra Exchange servers in the directory (the seed has DC1 and EX1), and mailboxes spread over them:
     * Administrator's mailbox moves to the second member, so clients of one site name different mailbox servers.
     */
    private void spreadMailboxes(Topology t) {
        String dns = SiteSeed.FRANKYSWEB.dnsDomain();
        for (String host : t.memberHosts()) {
            directory.putServer(new dev.anywhere.directory.model.ExchangeServer(serverName(host), host + "." + dns, true));
        }
        String second = serverName(t.memberHosts().get(1));
        directory.mailboxByLogonName("Administrator").ifPresent(m -> directory.putMailbox(new dev.anywhere.directory.model.Mailbox(
                m.samAccountName(), m.userPrincipalName(), m.displayName(), m.primarySmtpAddress(), m.proxyAddresses(),
                m.legacyExchangeDn(), second, m.mapiEnabled(), m.blockRpcHttp(), m.targetAddress())));
    }

    /**
     * One Exchange server of the site, as the lab runs it on its own loopback address.
     *
     * @param host the topology's host name ({@code ex1})
     * @param server the directory's server name ({@code EX1})
     * @param dataDir its applied configuration, events and roles
     * @param endpoints its RPC endpoints, when it has their ports
     * @param serviceHost its configurator, following the directory
     * @param gateway its gateway ({@code /rpc/rpcproxy.dll}, {@code /autodiscover})
     * @param admin its admin listener ({@code /health}, {@code /metrics}), when the topology gives it an admin port
     * @param metrics its gateway's meters
     */
    public record Member(String host, String server, Path dataDir, RpcEndpoints endpoints, ServiceHost serviceHost, Gateway gateway,
            Optional<AdminServer> admin, PrometheusMeterRegistry metrics) {
    }

    private Member startMember(Plan plan, String hostName, IssuedCertificate.PemFiles pem, SiteDirectory directory,
            Consumer<String> progress) throws Exception {
        Topology t = plan.topology();
        PortMap ports = plan.ports();
        String server = serverName(hostName);
        Path dir = plan.dataDir().resolve(hostName);
        InetAddress address = t.address(hostName);
        Topology.Host host = t.host(hostName).orElseThrow();
        RpcEndpoints memberEndpoints = startEndpoints(plan, hostName, directory, progress);
        if (memberEndpoints != null) {
            LocalRoles.register(dir, false, true);
        }
        LocalRoles.register(dir, true, false);
        new ServiceHostSettings(plan.pollInterval(), true).write(dir);
        ServiceHost configurator = new ServiceHost(directory, server, dir, new EventLog(dir), Clock.systemUTC(), ServiceHost.Timing.EXCHANGE);
        configurator.start();
        started.add(configurator);
        progress.accept(server + ": service host (configurator) running, poll interval " + plan.pollInterval().toMinutes()
                + " min + change notifications");
        // The server's hosts file: every Exchange server's names lead to its endpoints, its own name and localhost to
        // its own, and no name leaves loopback; with shifted ports, the port clients ask for (593) reaches where the
        // endpoint listens (10593).
        java.util.Map<Integer, Integer> translation = new java.util.HashMap<>();
        for (Service service : Service.RPC) {
            host.port(service).filter(p -> ports.port(p) != p).ifPresent(p -> translation.put(p, ports.port(p)));
        }
        BackendResolver backends = BackendResolver.of(java.util.Map.of()).withOverride(address, "localhost");
        for (String other : java.util.stream.Stream.concat(t.memberHosts().stream(), mailboxServers(t).stream()).toList()) {
            backends = backends.withOverride(t.address(other), other, other + "." + SiteSeed.FRANKYSWEB.dnsDomain());
        }
        backends = backends.withoutSystemDns().withPortTranslation(translation);
        PrometheusMeterRegistry meters = hostName.equals("ex1") ? metrics : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Gateway memberGateway = Gateway.start(new Gateway.Options(dir, server, ports.socket(t, hostName, Service.HTTPS),
                Optional.of(TlsEngine.server(pem.certificateChain().toFile(), pem.privateKey().toFile())),
                new DirectoryCredentials(directory), CertificateRequest.OA_NAME, Gateway.ntlmIdentity(server, SiteSeed.FRANKYSWEB))
                .withBackendResolver(backends), meters);
        started.add(memberGateway);
        progress.accept(server + ": gateway on https://" + address(memberGateway.address()) + " (/rpc/rpcproxy.dll, /autodiscover)");
        Optional<AdminServer> admin = Optional.empty();
        if (host.port(Service.ADMIN).isPresent()) {
            AdminServer a = AdminServer.start(ports.socket(t, hostName, Service.ADMIN), meters, memberGateway::health);
            started.add(a);
            admin = Optional.of(a);
            progress.accept(server + ": admin listener on http://" + address(a.address()) + " (/health, /metrics)");
        }
        if (host.port(Service.HTTP).isPresent()) {
            redirect = AutodiscoverRedirectServer.start(new AutodiscoverRedirectServer.Options(ports.socket(t, hostName, Service.HTTP),
                    Optional.of(SiteSeed.FRANKYSWEB.smtpDomain()), memberGateway.address().getPort()));
            started.add(redirect);
            progress.accept(server + ": Autodiscover HTTP redirect on http://" + address(redirect.address()));
        }
        return new Member(hostName, server, dir, memberEndpoints, configurator, memberGateway, admin, meters);
    }


    /**
     * The RPC endpoints of the Exchange server on {@code hostName} (store, referral, address book, EPM over HTTP, as
     * many as the topology gives it ports), or null when it has none: NSPI and EMSMDB answer from the site's address
     * book snapshot, RFR from the directory's server objects, and NTLM binds are verified with the users' NT hashes
     * (as the RPC server's own account store sees them: {@link #rpcServerChecksPassword}).
     */
    private RpcEndpoints startEndpoints(Plan plan, String hostName, SiteDirectory directory, Consumer<String> progress) throws Exception {
        Topology t = plan.topology();
        PortMap ports = plan.ports();
        String server = serverName(hostName);
        InetAddress address = t.address(hostName);
        Topology.Host host = t.host(hostName).orElseThrow();
        List<Integer> rpcPorts = new ArrayList<>();
        for (Service service : Service.RPC) {
            host.port(service).ifPresent(p -> rpcPorts.add(ports.port(p)));
        }
        if (rpcPorts.isEmpty()) {
            return null;
        }
        if (addressBook == null) {
            // The address book (NSPI on 6004) answers from a snapshot read off the event loop, refreshed each
            // minute; one snapshot serves every server.
            addressBook = AddressBookService.start(new LdapAddressBookLoader(this.directory), Duration.ofSeconds(10),
                    Duration.ofMinutes(1));
            started.add(addressBook);
        }
        // The store (EMSMDB on 6001) logs mailboxes on from the same snapshot, as Exchange 2010 would.
        InterfaceRegistry interfaces = new InterfaceRegistry()
                .register(new NspiService(addressBook::current, UUID.randomUUID()).asInterface())
                .register(new EmsmdbService(EmsmdbService.Options.exchange2010(server, ""),
                        new AddressBookMailboxes(addressBook::current), Clock.systemUTC()).asInterface());
        // RFR answers from the directory's server objects, held in memory and refreshed off the event loops.
        ServerNames serverNames = ServerNames.refreshing(directory::servers, java.time.Duration.ofMinutes(5));
        started.add(serverNames);
        String fqdn = hostName + "." + SiteSeed.FRANKYSWEB.dnsDomain();
        interfaces.register(Rfr.iface(() -> serverNames.fqdn(server).orElse(fqdn), serverNames));
        DirectoryCredentials credentials = new DirectoryCredentials(directory);
        // The endpoints verify NTLM binds with the users' NT hashes, read through the service bind as the gateway does,
        // unless the lab made the RPC servers' account store differ from the gateway's.
        RpcEndpoints e = RpcEndpoints.start(RpcEndpoints.Options.defaults(address).withPorts(rpcPorts).withExtra(interfaces)
                .withAuthentication(DceAuthentication.of(Gateway.ntlmIdentity(server, SiteSeed.FRANKYSWEB),
                        (domain, user) -> Optional.ofNullable(rpcServerHashes.get(user.toLowerCase(java.util.Locale.ROOT)))
                                .or(() -> credentials.ntHash(domain, user))).withMetrics(metrics)));
        started.add(e);
        progress.accept(server + ": RPC endpoints (ncacn_http) on " + address.getHostAddress() + " " + e.ports());
        return e;
    }

    /**
     * The site's Exchange servers that are no member: hosts named {@code ex<number>} besides the members, each a mailbox
     * server with RPC endpoints only (no gateway, no RPC virtual directory).
     */
    static List<String> mailboxServers(Topology t) {
        return t.hosts().stream().map(Topology.Host::name).filter(n -> n.matches("ex[0-9]{1,2}") && !t.memberHosts().contains(n))
                .toList();
    }

    /**
     * From now on the RPC servers verify {@code user}'s NTLM binds against {@code password} (an account store that
     * differs from the one the gateway checks HTTP logons against: a domain controller that has not replicated a
     * password change); the gateway keeps accepting the current password.
     */
    public void rpcServerChecksPassword(String user, String password) {
        rpcServerHashes.put(user.toLowerCase(java.util.Locale.ROOT), dev.anywhere.rpc.ntlm.NtHash.of(password));
    }


    private void startAll(Options options, Consumer<String> progress) throws Exception {
        Path pki = options.dataDir().resolve("pki");
        progress.accept("certificate authority: issuing oa.frankysweb.org + autodiscover.frankysweb.org");
        ca = CertificateAuthority.createLab();
        trustBundle = ca.writeTrustBundle(pki.resolve("lab-ca.pem"));
        IssuedCertificate cert = ca.issueServerCertificate(CertificateRequest.labDefault());
        IssuedCertificate.PemFiles pem = cert.writePem(pki, "ex1");

        SiteSeed seed = new SiteSeed(SiteSeed.FRANKYSWEB, passwords(options.userPassword()), false);
        directoryServer = DirectoryServer.start(options.dataDir().resolve("dc1"), options.dc1().getAddress(), options.dc1().getPort(), seed);
        started.add(directoryServer);
        progress.accept("DC1: directory on " + directoryServer.info().url());

        directory = LdapSiteDirectory.connect(LdapSettings.of(directoryServer.info().url(), seed.serviceBindDn(),
                options.userPassword(), SiteSeed.FRANKYSWEB));
        started.add(directory);

        // The RPC endpoints role arrives with the RPC over HTTP proxy; until then the configurator says it is missing.
        LocalRoles.register(ex1Dir, true, false);
        new ServiceHostSettings(options.pollInterval(), true).write(ex1Dir);
        ServiceHost host = new ServiceHost(directory, "EX1", ex1Dir, new EventLog(ex1Dir), Clock.systemUTC(), ServiceHost.Timing.EXCHANGE);
        host.start();
        started.add(host);
        progress.accept("EX1: service host (configurator) running, poll interval " + options.pollInterval().toMinutes() + " min + change notifications");

        gateway = Gateway.start(new Gateway.Options(ex1Dir, "EX1", options.ex1(),
                Optional.of(TlsEngine.server(pem.certificateChain().toFile(), pem.privateKey().toFile())),
                new DirectoryCredentials(directory), CertificateRequest.OA_NAME, Gateway.ntlmIdentity("EX1", SiteSeed.FRANKYSWEB)), metrics);
        started.add(gateway);
        progress.accept("EX1: gateway on https://" + gateway.address().getHostString() + ":" + gateway.address().getPort() + "/rpc/rpcproxy.dll");
    }

    private static java.util.Map<String, String> passwords(String password) {
        java.util.Map<String, String> all = new java.util.HashMap<>();
        SiteSeed.USERS.forEach(u -> all.put(u, password));
        return all;
    }

    /** The plan of a whole-site start; empty for {@link #start(Options, Consumer)}. */
    public Optional<Plan> plan() {
        return Optional.ofNullable(plan);
    }

    public Optional<DnsServer> providerDns() {
        return Optional.ofNullable(providerDns);
    }

    public Optional<DnsServer> internalDns() {
        return Optional.ofNullable(internalDns);
    }

    /** The address book EX1's endpoints serve (NSPI), when the site runs them. */
    public Optional<AddressBookService> addressBook() {
        return Optional.ofNullable(addressBook);
    }

    /** EX1's RPC endpoints, when the site runs them. */
    public Optional<RpcEndpoints> endpoints() {
        return Optional.ofNullable(endpoints);
    }

    public Optional<Router> router() {
        return Optional.ofNullable(router);
    }

    /** The site's Exchange servers in topology order: EX1 alone, or every member of the array. */
    public List<Member> members() {
        return List.copyOf(members);
    }

    /** The array's slapd providers by host name ({@code dc1}, {@code dc2}); empty when DC1 is the embedded directory. */
    public java.util.Map<String, Slapd> replicas() {
        return java.util.Collections.unmodifiableMap(replicas);
    }

    /** The array's load balancer, when the topology has one. */
    public Optional<HaproxyBalancer> balancer() {
        return Optional.ofNullable(balancer);
    }

    public Optional<NginxMiddlebox> middlebox() {
        return Optional.ofNullable(middlebox);
    }

    public LdapSiteDirectory directory() {
        return directory;
    }

    /** The meters of EX1's gateway, in Prometheus form for an admin listener. */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    public Gateway gateway() {
        return gateway;
    }

    /** EX1's service host (the configurator), to ask for a pass as a change notification would. */
    public Optional<ServiceHost> serviceHost() {
        return Optional.ofNullable(serviceHost);
    }

    public CertificateAuthority ca() {
        return ca;
    }

    public Path trustBundle() {
        return trustBundle;
    }

    public Path ex1DataDir() {
        return ex1Dir;
    }

    public EventLog ex1Events() {
        return new EventLog(ex1Dir);
    }

    @Override
    public void close() {
        List<AutoCloseable> reverse = new ArrayList<>(started);
        Collections.reverse(reverse);
        for (AutoCloseable c : reverse) {
            try {
                c.close();
            } catch (Exception e) {
                // Stop the rest regardless.
            }
        }
        started.clear();
    }
}
