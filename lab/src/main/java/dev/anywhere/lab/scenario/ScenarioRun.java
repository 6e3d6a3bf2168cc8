package dev.anywhere.lab.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.check.Evidence;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.finding.FindingCatalogue;
import dev.anywhere.analyzer.finding.Severity;
import dev.anywhere.analyzer.profile.OutlookProfile;
import dev.anywhere.analyzer.profile.RefreshPolicy;
import dev.anywhere.analyzer.profile.RohFlags;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.analyzer.report.Vantage;
import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.autodiscover.discovery.AutodiscoverClient;
import dev.anywhere.autodiscover.discovery.BasicCredentials;
import dev.anywhere.autodiscover.discovery.DiscoveryMethod;
import dev.anywhere.autodiscover.discovery.DiscoveryOptions;
import dev.anywhere.autodiscover.discovery.DiscoveryResult;
import dev.anywhere.autodiscover.pox.ProtocolType;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.OutlookProvider;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.site.LabSite;
import dev.anywhere.lab.topology.Service;
import dev.anywhere.lab.topology.Topology;
import dev.anywhere.lab.topology.ZoneServer;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.configurator.ServiceHost;
import dev.anywhere.server.configurator.ServiceHostSettings;
import dev.anywhere.server.events.Event;
import dev.anywhere.server.events.EventId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Puts a running lab site into a {@link Scenario}'s state and reads the outcome: the topology with the scenario's
 * faults, the site state after start (Outlook Anywhere enabled, pending or off; provider and authentication settings;
 * stopped endpoints; a hand edit of the applied {@code /rpc} configuration), the analyzer's options for the scenario's
 * client, and the lab's server-side check that explains what only the server can know.
 */
public final class ScenarioRun {

    /** The mailbox every scenario analyzes. */
    public static final String MAILBOX = "franky@frankysweb.org";
    /** The logon the analyzer uses. */
    public static final String LOGON = "FRANKYSWEB\\franky";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(10);
    /** The password the RPC servers still know in {@code staleRpcPassword}: the user's before a change. */
    static final String STALE_PASSWORD = "Before-The-Change-1";

    private ScenarioRun() {
    }

    /** {@code base} (its own faults replaced by the scenario's) as the lab starts it: faults applied, DC1's split-brain zone dropped when the scenario says so. */
    public static Topology topology(Topology base, Scenario s) {
        Topology t = base.withFaults(s.faults());
        if (!s.site().splitBrain()) {
            List<Topology.Zone> all = t.zones();
            List<Topology.Zone> zones = all.stream().filter(z -> !(z.server() == ZoneServer.DC1 && all.stream()
                    .anyMatch(o -> o.server() == ZoneServer.PROVIDER_DNS && o.origin().equalsIgnoreCase(z.origin())))).toList();
            t = new Topology(t.name(), t.portPolicy(), t.hosts(), zones, t.router(), t.certificates(), t.users(), t.middlebox(),
                    t.faults(), t.array());
        }
        if (!s.members().isEmpty()) {
            List<String> hosts = t.memberHosts();
            s.members().keySet().stream().filter(h -> !hosts.contains(h)).findFirst().ifPresent(h -> {
                throw new IllegalArgumentException("scenario " + s.name() + ": member " + h + " (expected: one of " + hosts + ")");
            });
            // An old certificate: issued by the same CA for fewer names.
            List<Topology.Certificate> certificates = t.certificates().stream().map(c -> Optional.ofNullable(s.members().get(c.host()))
                    .map(Scenario.Member::certificateNames).map(names -> new Topology.Certificate(c.name(), c.host(), c.subject(), names,
                            c.days(), c.key())).orElse(c)).toList();
            t = new Topology(t.name(), t.portPolicy(), t.hosts(), t.zones(), t.router(), certificates, t.users(), t.middlebox(),
                    t.faults(), t.array());
        }
        if (s.site().mailboxServer() != null) {
            t = withMailboxServer(t, s.site().mailboxServer());
        }
        return t.withFaultsApplied();
    }

    /** What must be in place before the site starts: a member's Autodiscover settings file (its cache time). */
    public static void beforeStart(Path dataDir, Scenario s) throws IOException {
        for (Map.Entry<String, Scenario.Member> m : s.members().entrySet()) {
            if (m.getValue().autodiscoverCacheSeconds() != null) {
                Path dir = Files.createDirectories(dataDir.resolve(m.getKey()));
                Files.writeString(dir.resolve(dev.anywhere.server.autodiscover.AutodiscoverSettings.FILE),
                        "# scenario " + s.name() + ": directory answers kept this long\ncacheSeconds = "
                                + m.getValue().autodiscoverCacheSeconds() + "\n");
            }
        }
    }

    /**
     * {@code t} with a mailbox server {@code host} (ex2): RPC endpoints only, on EX1's address with the last byte 253,
     * named in DC1's zone; the lab starts it and puts it in the directory ({@link LabSite}).
     */
    static Topology withMailboxServer(Topology t, String host) {
        Topology.Host ex1 = t.host("ex1").orElseThrow();
        String address = ex1.address().substring(0, ex1.address().lastIndexOf('.') + 1) + "253";
        java.util.Map<Service, Integer> ports = new java.util.LinkedHashMap<>();
        for (Service service : List.of(Service.STORE, Service.REFERRAL, Service.NSPI)) {
            ex1.port(service).ifPresent(p -> ports.put(service, p));
        }
        List<Topology.Host> hosts = new ArrayList<>(t.hosts());
        hosts.add(new Topology.Host(host, address, ports));
        List<Topology.Zone> zones = t.zones().stream().map(z -> z.server() == ZoneServer.DC1 && z.origin().equalsIgnoreCase("frankysweb.local")
                ? new Topology.Zone(z.origin(), z.server(), java.util.stream.Stream.concat(z.records().stream(),
                        java.util.stream.Stream.of(new Topology.DnsRecord(host, dev.anywhere.lab.topology.RecordType.A, host))).toList())
                : z).toList();
        return new Topology(t.name(), t.portPolicy(), hosts, zones, t.router(), t.certificates(), t.users(), t.middlebox(), t.faults(),
                t.array());
    }

    /** Sets up the site's state for the scenario; each step is reported to {@code progress} as the command it stands for. */
    public static void prepare(LabSite site, Scenario s, Consumer<String> progress) throws Exception {
        Scenario.Site state = s.site();
        if (state.oa().equals("pending")) {
            site.serviceHost().orElseThrow(() -> new IllegalStateException("scenario " + s.name()
                    + ": no service host (expected: a whole-site lab)"));
            stopFollowing(site.members().get(0));
            progress.accept("servicehost.json: {\"pollInterval\": \"15m\", \"followChanges\": false} (Exchange's default: "
                    + "poll every 15 minutes, no change notifications); next pass "
                    + status(site.ex1DataDir()).map(n -> n.path("nextPass").asText("?")).orElse("?"));
        }
        if (state.certPrincipalName() != null) {
            OutlookProvider p = site.directory().provider("EXPR").orElse(OutlookProvider.defaults("EXPR"));
            site.directory().putProvider(new OutlookProvider("EXPR", Optional.of(state.certPrincipalName()), p.server(), p.ttlHours(),
                    p.rawFlags()));
            progress.accept("anywhere provider set EXPR --cert-principal-name " + state.certPrincipalName());
        }
        if (!state.oa().equals("disabled")) {
            List<String> servers = site.members().stream().map(LabSite.Member::server).toList();
            outlookAnywhere(site, s, servers, state.iisAuth(), state.clientAuth(), progress);
            if (state.oa().equals("enabled")) {
                awaitApplied(site.members(), iisMethods(s, state.iisAuth()));
            }
        }
        for (LabSite.Member m : site.members()) {
            if (!Optional.ofNullable(s.members().get(m.host())).map(Scenario.Member::follows).orElse(true)) {
                stopFollowing(m);
                progress.accept(m.server() + ": servicehost.json {\"pollInterval\": \"15m\", \"followChanges\": false} (Exchange's default: "
                        + "poll every 15 minutes, no change notifications); next pass "
                        + status(m.dataDir()).map(n -> n.path("nextPass").asText("?")).orElse("?"));
            }
        }
        if (state.change() != null) {
            change(site, s, state, progress);
        }
        String account = LOGON.substring(LOGON.indexOf('\\') + 1);
        if (state.mailboxServer() != null) {
            String server = state.mailboxServer().toUpperCase(Locale.ROOT);
            dev.anywhere.directory.model.Mailbox m = site.directory().mailboxByLogonName(account).orElseThrow();
            site.directory().putMailbox(new dev.anywhere.directory.model.Mailbox(m.samAccountName(), m.userPrincipalName(), m.displayName(),
                    m.primarySmtpAddress(), m.proxyAddresses(), m.legacyExchangeDn(), server, m.mapiEnabled(), m.blockRpcHttp(),
                    m.targetAddress()));
            refreshAddressBook(site);
            progress.accept("New-MoveRequest " + account + " -TargetDatabase \"" + server + " Mailbox Database\" (homeMDB on "
                    + server + ", a mailbox server without the Client Access role)");
        }
        if (state.hiddenFromAddressLists()) {
            String dn = site.directory().userDn(account).orElseThrow();
            site.directory().ldap().modify(dn, new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.REPLACE,
                    dev.anywhere.directory.ldap.AdNames.HIDE_FROM_ADDRESS_LISTS, "TRUE"));
            refreshAddressBook(site);
            progress.accept("Set-Mailbox " + account + " -HiddenFromAddressListsEnabled $true");
        }
        if (state.staleRpcPassword()) {
            site.rpcServerChecksPassword(account, STALE_PASSWORD);
            progress.accept("the RPC servers check " + account + "'s NTLM binds against an old password (their domain controller has "
                    + "not replicated the password change); the gateway accepts the current one");
        }
        if (state.endpointsDown()) {
            site.endpoints().orElseThrow().close();
            progress.accept("EX1: RPC endpoints stopped (ports " + site.endpoints().get().ports() + " refuse connections)");
        }
        if (state.manualEdit() != null) {
            // With drift correction on (the default) a hand edit never takes effect; the scenario shows Exchange's
            // behaviour, where it stays until the next pass.
            ServiceHostSettings settings = ServiceHostSettings.read(site.ex1DataDir());
            new ServiceHostSettings(settings.pollInterval(), settings.followChanges(), false).write(site.ex1DataDir());
            await("service host: drift correction off", () -> status(site.ex1DataDir())
                    .map(n -> !n.path("driftCorrection").asBoolean(true)).orElse(false));
            progress.accept("anywhere servicehost --no-drift-correction (servicehost.json: \"driftCorrection\": false; as in "
                    + "Exchange, a hand edit then stays until the configurator's next pass)");
            RpcVdirConfig before = site.gateway().config().current();
            RpcVdirConfig edited = edited(before, state.manualEdit());
            new AppliedConfigFile(site.ex1DataDir()).writeManualEdit(edited);
            await("gateway: hand edit followed", () -> site.gateway().config().current().equals(edited));
            progress.accept("hand edit of " + AppliedConfigFile.FILE_NAME + " (as in IIS Manager or the RpcProxy registry key): "
                    + changes(before, edited));
        }
    }

    /** {@code anywhere oa enable} (or {@code oa set}) on each of {@code servers} with these authentication settings. */
    private static void outlookAnywhere(LabSite site, Scenario s, List<String> servers, List<String> iisAuth, String clientAuth,
            Consumer<String> progress) throws Exception {
        EnumSet<AuthenticationMethod> iis = iisMethods(s, iisAuth);
        ClientAuthenticationMethod client = ClientAuthenticationMethod.parse(clientAuth).orElseThrow(() ->
                new IllegalArgumentException("scenario " + s.name() + ": clientAuth " + clientAuth + " (expected: basic, ntlm, negotiate)"));
        for (String server : servers) {
            site.directory().putRpcVirtualDirectory(new RpcHttpVirtualDirectory(server, 0, Optional.empty(), Optional.empty(), 0, 0)
                    .withExternalHostname(CertificateRequest.OA_NAME).withExternalClientAuthenticationMethod(client)
                    .withIisAuthenticationMethods(iis));
            progress.accept("anywhere oa enable --server " + server + " --external-hostname " + CertificateRequest.OA_NAME + " --client-auth "
                    + clientAuth + " --iis-auth " + String.join(",", iisAuth));
        }
    }

    private static EnumSet<AuthenticationMethod> iisMethods(Scenario s, List<String> iisAuth) {
        EnumSet<AuthenticationMethod> iis = EnumSet.noneOf(AuthenticationMethod.class);
        iisAuth.forEach(a -> iis.add(AuthenticationMethod.parse(a).orElseThrow(() -> new IllegalArgumentException(
                "scenario " + s.name() + ": iisAuth " + a + " (expected: basic, ntlm, negotiate)"))));
        return iis;
    }

    /** Waits until every one of {@code members}' gateways follows an enabled /rpc offering {@code iis}. */
    private static void awaitApplied(List<LabSite.Member> members, Set<AuthenticationMethod> iis) throws InterruptedException {
        Set<HttpAuthScheme> wanted = HttpAuthScheme.fromIisMethods(iis);
        for (LabSite.Member m : members) {
            await(m.server() + " gateway: /rpc applied", () -> m.gateway().config().current().enabled()
                    && m.gateway().config().current().authentication().equals(wanted));
        }
    }

    /** Exchange's default for the member's service host: poll every 15 minutes, no change notifications. */
    private static void stopFollowing(LabSite.Member m) throws Exception {
        new ServiceHostSettings(ServiceHostSettings.DEFAULT_POLL_INTERVAL, false).write(m.dataDir());
        m.serviceHost().requestPass();
        await(m.server() + " service host: change notifications off", () -> status(m.dataDir()).map(n -> !n.path("followChanges")
                .asBoolean(true) && n.path("changeMechanism").asText().equals("none")).orElse(false));
    }

    /**
     * The scenario's change on every server. Members with an Autodiscover cache are asked once before it (as
     * Outlook clients did all along), so that they hold the old answer; the members that follow changes apply it.
     */
    private static void change(LabSite site, Scenario s, Scenario.Site state, Consumer<String> progress) throws Exception {
        for (LabSite.Member m : site.members()) {
            Scenario.Member fault = s.members().get(m.host());
            if (fault != null && fault.autodiscoverCacheSeconds() != null) {
                progress.accept(m.server() + ": Autodiscover asked for " + MAILBOX + " before the change: " + autodiscover(site, m));
            }
        }
        Scenario.Change c = state.change();
        List<String> iisAuth = c.iisAuth().isEmpty() ? state.iisAuth() : c.iisAuth();
        String clientAuth = c.clientAuth() == null ? state.clientAuth() : c.clientAuth();
        outlookAnywhere(site, s, site.members().stream().map(LabSite.Member::server).toList(), iisAuth, clientAuth,
                line -> progress.accept(line.replace("anywhere oa enable", "anywhere oa set")));
        awaitApplied(site.members().stream().filter(m -> Optional.ofNullable(s.members().get(m.host())).map(Scenario.Member::follows)
                .orElse(true)).toList(), iisMethods(s, iisAuth));
    }

    /** One Autodiscover request for the mailbox to {@code m} directly: its EXPR AuthPackage, or why there was none. */
    private static String autodiscover(LabSite site, LabSite.Member m) {
        String password = site.plan().orElseThrow().passwords().of("franky");
        int port = m.gateway().address().getPort();
        String url = "https://" + CertificateRequest.AUTODISCOVER_NAME + ":" + port + "/autodiscover/autodiscover.xml";
        DiscoveryOptions o = DiscoveryOptions.builder(MAILBOX).credentials(new BasicCredentials(LOGON, password))
                .trustAnchorsPem(site.trustBundle()).stepTimeout(APPLY_TIMEOUT)
                .resolve(CertificateRequest.AUTODISCOVER_NAME, port, m.gateway().address().getAddress()).build();
        try (AutodiscoverClient client = new AutodiscoverClient()) {
            DiscoveryResult r = client.post(o, DiscoveryMethod.HTTPS_AUTODISCOVER_DOMAIN, url);
            return r.response().flatMap(x -> x.account()).flatMap(a -> a.protocol(ProtocolType.EXPR)).flatMap(p -> p.authPackage())
                    .map(p -> "EXPR AuthPackage " + p.wireName()).orElse(r.failure().orElse("no EXPR"));
        }
    }

    /** Reads the address book snapshot again now (the endpoints refresh it each minute). */
    private static void refreshAddressBook(LabSite site) throws Exception {
        site.addressBook().orElseThrow(() -> new IllegalStateException("no address book (expected: a site with RPC endpoints)"))
                .refresh().get(APPLY_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The applied configuration in one line, as the story prints it. */
    public static String describe(RpcVdirConfig c) {
        return "enabled=" + c.enabled() + " authentication=" + c.authenticationInOrder().stream().map(HttpAuthScheme::token).toList()
                + " requireSsl=" + c.requireSsl() + " validPorts=" + c.validPorts();
    }

    /** What differs between two configurations, item by item ({@code authentication [NTLM, Basic] -> [Basic]}). */
    static String changes(RpcVdirConfig before, RpcVdirConfig after) {
        List<String> d = new ArrayList<>();
        if (!before.authentication().equals(after.authentication())) {
            d.add("authentication " + before.authenticationInOrder().stream().map(HttpAuthScheme::token).toList() + " -> "
                    + after.authenticationInOrder().stream().map(HttpAuthScheme::token).toList());
        }
        if (!before.validPorts().equals(after.validPorts())) {
            d.add("ValidPorts " + before.validPorts() + " -> " + after.validPorts());
        }
        if (before.requireSsl() != after.requireSsl()) {
            d.add("requireSsl " + before.requireSsl() + " -> " + after.requireSsl());
        }
        return d.isEmpty() ? "no change" : String.join("; ", d);
    }

    private static RpcVdirConfig edited(RpcVdirConfig c, Scenario.ManualEdit edit) {
        Set<HttpAuthScheme> auth = c.authentication();
        if (!edit.authentication().isEmpty()) {
            EnumSet<HttpAuthScheme> a = EnumSet.noneOf(HttpAuthScheme.class);
            edit.authentication().forEach(x -> a.add(HttpAuthScheme.parse(x).orElseThrow(() -> new IllegalArgumentException(
                    "manual edit authentication: " + x + " (expected: basic, ntlm, negotiate)"))));
            auth = a;
        }
        ValidPorts ports = edit.validPorts() == null ? c.validPorts() : ValidPorts.parse(edit.validPorts());
        return new RpcVdirConfig(c.server(), c.enabled(), auth, c.requireSsl(), ports);
    }

    /**
     * Runs the configurator's next pass now (as the 15-minute poll would) and waits for the revert of a hand edit:
     * the gateway back on the directory's configuration and event 3901 written.
     *
     * @return the 3901 event
     */
    public static Event revert(LabSite site) throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        site.serviceHost().orElseThrow().requestPass();
        AppliedConfigFile file = new AppliedConfigFile(site.ex1DataDir());
        await("configurator: hand edit reverted", () -> reverted(site, since).isPresent() && followed(site, file));
        return reverted(site, since).orElseThrow();
    }

    private static boolean followed(LabSite site, AppliedConfigFile file) {
        try {
            return file.read().map(a -> a.writtenByConfigurator() && a.config().equals(site.gateway().config().current())).orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Optional<Event> reverted(LabSite site, Instant since) {
        return site.ex1Events().readAll().stream().filter(e -> e.id() == EventId.REVERTED_MANUAL_CHANGE && !e.time().isBefore(since))
                .findFirst();
    }

    /**
     * The analyzer's options for the scenario's client: outside via the provider's DNS, inside via DC1's; on an array
     * the members compared through the balancer ({@code --array}) or by address ({@code --member}, the single-connection
     * steps pinned to the first member with {@code --resolve}); the idle probe when the client asks for one.
     */
    public static AnalyzeOptions options(LabSite site, Scenario s, String password, int httpsPort, int httpPort, Duration stepTimeout) {
        boolean inside = s.client().vantage().equals("inside");
        InetSocketAddress dns = inside ? site.internalDns().orElseThrow().address() : site.providerDns().orElseThrow().address();
        List<String> resolve = new ArrayList<>();
        Optional<AnalyzeOptions.MemberSurvey> survey = Optional.empty();
        if ("balancer".equals(s.client().array())) {
            survey = Optional.of(new AnalyzeOptions.MemberSurvey(AnalyzeOptions.MemberSurvey.DEFAULT_CONNECTIONS, List.of()));
        } else if ("members".equals(s.client().array())) {
            InetSocketAddress first = site.members().get(0).gateway().address();
            for (String name : List.of(CertificateRequest.OA_NAME, CertificateRequest.AUTODISCOVER_NAME)) {
                resolve.add(name + ":" + first.getPort() + ":" + first.getAddress().getHostAddress());
            }
            survey = Optional.of(new AnalyzeOptions.MemberSurvey(1, site.members().stream()
                    .map(m -> m.gateway().address().getAddress().getHostAddress() + ":" + m.gateway().address().getPort()).toList()));
        }
        return new AnalyzeOptions(MAILBOX, Optional.of(LOGON), Optional.of(password), resolve, Optional.of(dns),
                List.of(site.trustBundle()), inside ? Vantage.INSIDE : Vantage.OUTSIDE, stepTimeout, "en", Optional.empty(), httpsPort,
                httpPort, List.of(), false, Optional.ofNullable(s.client().profile()).map(p -> profile(p, Instant.now())))
                .withIdleProbe(s.client().idle()).withMembers(survey)
                .withRpcEncryption(s.client().encryptRpc());
    }

    /** The analyzer command the options stand for (without the password), for the story to print. */
    public static String command(AnalyzeOptions o) {
        InetSocketAddress dns = o.dnsServer().orElseThrow();
        return "anywhere analyze " + o.target() + " --user '" + o.user().orElse("") + "' --password-env OA_PASSWORD --dns-server "
                + dns.getAddress().getHostAddress() + ":" + dns.getPort()
                + o.trust().stream().map(t -> " --trust " + t).collect(java.util.stream.Collectors.joining())
                + (o.httpsPort() == 443 ? "" : " --https-port " + o.httpsPort() + " --http-port " + o.httpPort())
                + (o.vantage() == Vantage.INSIDE ? " --inside" : "") + (o.profile().isPresent() ? " --profile-dir PROFILES" : "")
                + o.resolve().stream().map(r -> " --resolve " + r).collect(java.util.stream.Collectors.joining())
                + o.members().map(m -> m.addresses().isEmpty() ? " --array --array-connections " + m.connections()
                        : m.addresses().stream().map(a -> " --member " + a).collect(java.util.stream.Collectors.joining())).orElse("")
                + o.idleProbe().map(d -> " --idle-probe " + d.toSeconds() + "s").orElse("")
                + (o.rpcEncryption() ? "" : "   # as an Outlook profile without \"Encrypt data between Microsoft Outlook and Microsoft"
                        + " Exchange\" (RPC bound at PKT_INTEGRITY)");
    }

    static OutlookProfile profile(Scenario.StoredProfile p, Instant now) {
        Instant then = now.minus(Duration.ofHours(p.ageHours()));
        EnumSet<RohFlags> flags = EnumSet.of(RohFlags.USE_ROH, RohFlags.SSL_ONLY, RohFlags.MUTUAL_AUTH, RohFlags.HTTP_FIRST_ON_SLOW);
        RefreshPolicy policy = p.legacy() ? RefreshPolicy.LEGACY : RefreshPolicy.OUTLOOK_2016;
        return new OutlookProfile(MAILBOX, Optional.ofNullable(p.exchServer()), Optional.ofNullable(p.proxyServer()),
                Optional.ofNullable(p.principal()), Optional.ofNullable(p.authScheme()).map(a -> a.toLowerCase(Locale.ROOT)), flags, 1,
                policy, then, then, true, Optional.of(then.plus(Duration.ofHours(1))));
    }

    /**
     * The lab's server-side check, appended to the analyzer's tree: it reads what a client cannot see (the directory,
     * the applied rpc-vdir.json, servicehost-status.json). When the directory says enabled but the gateway has not
     * applied it yet, the client's {@code proxy.rpc-not-found} has a known cause: it becomes {@code config.pending}
     * (the 404 stays in the evidence), saying when the next pass is due.
     */
    public static Report withServerSide(Report report, LabSite site) throws IOException {
        long t0 = System.nanoTime();
        boolean inDirectory = site.directory().rpcVirtualDirectory("EX1").isPresent();
        Optional<AppliedConfigFile.Snapshot> applied;
        try {
            applied = new AppliedConfigFile(site.ex1DataDir()).read();
        } catch (RuntimeException e) {
            applied = Optional.empty();
        }
        boolean appliedEnabled = applied.map(a -> a.config().enabled()).orElse(false);
        String next = status(site.ex1DataDir()).map(n -> n.path("nextPass").asText("unknown")).orElse("unknown");
        Messages text = report.text();
        List<Evidence> evidence = List.of(
                new Evidence(text.get("evidence.directory"), "msExchRpcHttpVirtualDirectory Rpc (Default Web Site) of EX1: " + (inDirectory ? "present (enabled)" : "absent (disabled)")),
                new Evidence(AppliedConfigFile.FILE_NAME, applied.map(a -> describe(a.config()) + ", generation " + a.generation()
                        + (a.writtenByConfigurator() ? "" : ", EDITED BY HAND")).orElse("absent")),
                new Evidence(ServiceHost.STATUS_FILE, status(site.ex1DataDir()).map(JsonNode::toString).orElse("absent")));
        FindingCatalogue catalogue = FindingCatalogue.load(report.language());
        boolean pending = inDirectory && !appliedEnabled;
        String title = text.get("check.lab.server-side.title");
        CheckResult node;
        CheckResult root = report.root();
        if (pending) {
            Finding f = catalogue.finding("config.pending", Map.of("next", next));
            node = new CheckResult("lab.server-side", title, CheckStatus.WARNING, text.get("summary.lab.pending", Map.of("next", next)),
                    ms(t0), evidence, List.of(f), List.of());
            root = explain(root, "proxy.rpc-not-found", f);
        } else {
            String on = text.get("detail.enabled");
            String off = text.get("detail.disabled");
            node = new CheckResult("lab.server-side", title, CheckStatus.PASSED, text.get(applied.map(a -> a.writtenByConfigurator()).orElse(true)
                    ? "summary.lab.state" : "summary.lab.state-edited", Map.of("directory", inDirectory ? on : off, "applied",
                    appliedEnabled ? on : off)), ms(t0), evidence, List.of(), List.of());
        }
        List<CheckResult> children = new ArrayList<>(root.children());
        children.add(node);
        CheckResult newRoot = new CheckResult(root.id(), root.title(), own(root), root.summary(), root.elapsedMillis(), root.evidence(),
                root.findings(), children);
        return report.withRoot(newRoot);
    }

    /** {@code node} with every finding {@code id} replaced by {@code by}, statuses recomputed along the way. */
    private static CheckResult explain(CheckResult node, String id, Finding by) {
        boolean hit = node.findings().stream().anyMatch(f -> f.id().equals(id));
        List<CheckResult> children = node.children().stream().map(c -> explain(c, id, by)).toList();
        if (!hit && children.equals(node.children())) {
            return node;
        }
        List<Finding> findings = node.findings().stream().map(f -> f.id().equals(id) ? by : f).toList();
        List<Evidence> evidence = new ArrayList<>(node.evidence());
        if (hit) {
            evidence.add(new Evidence("lab", "404 -> " + by.id()));
        }
        CheckResult stripped = new CheckResult(node.id(), node.title(), CheckStatus.PASSED, node.summary(), node.elapsedMillis(), evidence,
                findings, List.of());
        CheckStatus own = hit || !node.findings().isEmpty() ? findings.stream().map(f -> f.severity().status())
                .reduce(CheckStatus.PASSED, CheckStatus::worst) : own(stripped);
        return new CheckResult(node.id(), node.title(), own, node.summary(), node.elapsedMillis(), evidence, findings, children);
    }

    /** A node's own status, without what its children contributed: the worst of its findings. */
    private static CheckStatus own(CheckResult node) {
        return node.findings().stream().map(f -> f.severity().status()).reduce(CheckStatus.PASSED, CheckStatus::worst);
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** The primary finding: the first error in tree order, else the first warning. */
    public static Optional<Finding> primary(Report report) {
        List<Finding> all = report.root().allFindings();
        return all.stream().filter(f -> f.severity() == Severity.ERROR).findFirst()
                .or(() -> all.stream().filter(f -> f.severity() == Severity.WARNING).findFirst());
    }

    /** Every finding id of the report, in tree order, each once. */
    public static List<String> findingIds(Report report) {
        return report.root().allFindings().stream().map(Finding::id).distinct().toList();
    }

    /** What servicehost-status.json says, when it exists. */
    public static Optional<JsonNode> status(Path ex1Dir) {
        Path file = ex1Dir.resolve(ServiceHost.STATUS_FILE);
        try {
            return Files.exists(file) ? Optional.of(JSON.readTree(file.toFile())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + APPLY_TIMEOUT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": not within " + APPLY_TIMEOUT.toSeconds() + " s (expected: done)");
            }
            Thread.sleep(20);
        }
    }
}
