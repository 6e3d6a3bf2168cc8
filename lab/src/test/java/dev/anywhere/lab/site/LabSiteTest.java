package dev.anywhere.lab.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.lab.topology.RuleVariant;
import dev.anywhere.lab.topology.Middlebox;
import dev.anywhere.lab.topology.DnsAction;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.analyzer.rpch.ProxyAuth;
import dev.anywhere.analyzer.rpch.RpcPing;
import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.analyzer.rpch.RpchFailure;
import dev.anywhere.analyzer.rpch.Transcript;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.pki.TlsChainFetcher;
import dev.anywhere.lab.router.NginxMiddlebox;
import dev.anywhere.lab.router.Router;
import dev.anywhere.lab.topology.Passwords;
import dev.anywhere.lab.topology.PortMap;
import dev.anywhere.lab.topology.PortPolicy;
import dev.anywhere.lab.topology.Topology;
import dev.anywhere.rpc.httpauth.HttpBasic;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The whole site on loopback with shifted ports (the policy a non-root user gets, forced here with its own offset so
 * that the test runs beside a lab on the usual ports): checked as a client on the internet would, and nothing left
 * listening after close.
 */
class LabSiteTest {

    /** Shifted by this much: 53 → 31053, 389 → 31389, 443 → 31443, 80 → 31080. */
    static final PortPolicy TEST_POLICY = PortPolicy.shifted(31000);
    static final String PASSWORD = "Site-Test-Pass-1";

    @TempDir
    Path tmp;

    private LabSite start(Topology topology) throws Exception {
        Topology effective = topology.withPortPolicy(TEST_POLICY).withFaultsApplied();
        List<String> steps = new ArrayList<>();
        LabSite site = LabSite.start(new LabSite.Plan(effective, PortMap.of(effective.portPolicy()), tmp, Passwords.same(PASSWORD),
                Duration.ofMinutes(15)), steps::add);
        assertThat(steps).anyMatch(s -> s.startsWith("router: 127.0.0.20"));
        return site;
    }

    private static void enable(LabSite site) throws Exception {
        site.directory().putRpcVirtualDirectory(new RpcHttpVirtualDirectory("EX1", 0, Optional.empty(), Optional.empty(), 0, 0)
                .withExternalHostname(CertificateRequest.OA_NAME)
                .withExternalClientAuthenticationMethod(ClientAuthenticationMethod.NTLM)
                .withIisAuthenticationMethods(EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM)));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!site.gateway().config().current().enabled() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(site.gateway().config().current().enabled()).isTrue();
    }

    static Optional<InetAddress> resolve(String name, InetSocketAddress server) throws IOException {
        SimpleResolver resolver = new SimpleResolver(server);
        resolver.setTimeout(Duration.ofSeconds(2));
        Lookup lookup = new Lookup(name, Type.A);
        lookup.setResolver(resolver);
        lookup.setCache(null);
        Record[] answers = lookup.run();
        return answers == null ? Optional.empty() : Optional.of(((ARecord) answers[0]).getAddress());
    }

    static boolean listening(InetSocketAddress a) {
        try (Socket s = new Socket()) {
            s.connect(a, 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void wholeSiteAnswersAsAClientSeesItAndLeavesNothingBehind() throws Exception {
        List<InetSocketAddress> addresses;
        try (LabSite site = start(Topology.frankysweb())) {
            enable(site);
            InetSocketAddress dns = site.providerDns().orElseThrow().address();
            assertThat(dns).hasToString("/127.0.0.10:31053");
            InetAddress oa = resolve(CertificateRequest.OA_NAME, dns).orElseThrow();
            assertThat(oa.getHostAddress()).isEqualTo("127.0.0.20");
            assertThat(resolve("ex1.frankysweb.local", site.internalDns().orElseThrow().address()).orElseThrow().getHostAddress())
                    .isEqualTo("127.0.100.251");
            InetSocketAddress viaRouter = new InetSocketAddress(oa, 31443);
            EchoProbe.Answer challenge = EchoProbe.send(viaRouter, CertificateRequest.OA_NAME, site.ca().trustAnchors(), Optional.empty());
            assertThat(challenge.status()).isEqualTo(401);
            assertThat(challenge.wwwAuthenticate()).contains("NTLM");
            EchoProbe.Answer echo = EchoProbe.send(viaRouter, CertificateRequest.OA_NAME, site.ca().trustAnchors(),
                    Optional.of(new HttpBasic("FRANKYSWEB\\franky", PASSWORD)));
            assertThat(echo.statusLine()).isEqualTo("HTTP/1.1 200 Success");
            assertThat(echo.bodyLength()).isEqualTo(20);
            assertThat(site.router().orElseThrow().relayedBytes()).isPositive();

            LabState state = LabState.of(site, ProcessHandle.current().pid(), Optional.of(new InetSocketAddress("127.0.100.251", 18080)));
            assertThat(state.portsShifted()).isTrue();
            assertThat(state.portMap()).containsEntry("443", 31443).containsEntry("53", 31053);
            assertThat(state.resolve()).contains("oa.frankysweb.org:31443:127.0.0.20");
            assertThat(state.toJson()).doesNotContain(PASSWORD);
            assertThat(state.admin()).isEqualTo("http://127.0.100.251:18080");
            assertThat(state.services()).containsEntry("ex1/admin", "127.0.100.251:18080");
            state.write(tmp);
            assertThat(LabState.read(tmp)).contains(state);
            // The admin entry above is made up: the test starts no admin listener.
            addresses = state.services().entrySet().stream().filter(e -> !e.getKey().equals("ex1/admin")).map(Map.Entry::getValue)
                    .map(v -> new InetSocketAddress(v.substring(0, v.lastIndexOf(':')),
                    Integer.parseInt(v.substring(v.lastIndexOf(':') + 1)))).toList();
            assertThat(addresses.stream().filter(LabSiteTest::listening)).hasSizeGreaterThanOrEqualTo(6);
        }
        assertThat(addresses.stream().filter(LabSiteTest::listening)).as("listeners after close").isEmpty();
    }

    @Test
    void routerFaultsFromTheTopology() throws Exception {
        Topology broken = Topology.frankysweb().withFaults(new Topology.Faults(
                List.of(new Topology.DnsChange("frankysweb.org", "oa", DnsAction.REMOVE, null)),
                List.of(new Topology.RuleChange(443, RuleVariant.ROUTER_PAGE, null), new Topology.RuleChange(80, RuleVariant.ABSENT, null)),
                List.of(), null));
        try (LabSite site = start(broken)) {
            assertThat(resolve(CertificateRequest.OA_NAME, site.providerDns().orElseThrow().address())).isEmpty();
            var chain = TlsChainFetcher.fetch(new InetSocketAddress("127.0.0.20", 31443), CertificateRequest.OA_NAME, Duration.ofSeconds(5));
            assertThat(chain.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=" + Router.PAGE_NAME);
            assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.20", 31080), 2000))
                    .isInstanceOf(ConnectException.class);
        }
    }

    private static RpchClientOptions tunnel(LabSite site) throws IOException {
        return RpchClientOptions.builder(CertificateRequest.OA_NAME, 31443, "EX1", 6001).trustPem(site.trustBundle())
                .addressOverride(InetAddress.getByName("127.0.0.20")).auth(new ProxyAuth.Basic("FRANKYSWEB\\franky", PASSWORD))
                .timeouts(Duration.ofSeconds(5)).build();
    }

    @Test
    void tunnelThroughTheRouterToTheEndpoints() throws Exception {
        try (LabSite site = start(Topology.frankysweb())) {
            enable(site);
            assertThat(site.endpoints()).isPresent();
            RpcPing.Result ping = RpcPing.run(tunnel(site), false, 3, RpcPing.Probe.IS_SERVER_LISTENING, new Transcript());
            assertThat(ping.bind()).isPresent();
            assertThat(site.router().orElseThrow().relayedBytes()).isPositive();
        }
    }

    @Test
    void stockNginxBreaksTheTunnelWith413() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(NginxMiddlebox.find().isPresent(), "nginx is not installed");
        }
        Topology viaNginx = Topology.frankysweb().withFaults(new Topology.Faults(List.of(), List.of(), List.of(), Middlebox.NGINX_STOCK));
        try (LabSite site = start(viaNginx)) {
            enable(site);
            // the echo (Content-Length 0) still passes: what breaks is the 1 GiB IN channel
            assertThat(EchoProbe.send(new InetSocketAddress("127.0.0.20", 31443), CertificateRequest.OA_NAME, site.ca().trustAnchors(),
                    Optional.of(new HttpBasic("FRANKYSWEB\\franky", PASSWORD))).status()).isEqualTo(200);
            assertThatThrownBy(() -> RpcPing.run(tunnel(site), false, 1, RpcPing.Probe.IS_SERVER_LISTENING, new Transcript()))
                    .isInstanceOf(RpchFailure.class).hasMessageContaining("IN channel request: 413 Request Entity Too Large");
        }
    }

    @Test
    void echoAndTunnelPassThroughNginxWithTheRpcConfiguration() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(NginxMiddlebox.find().isPresent(), "nginx is not installed");
        }
        Topology viaNginx = Topology.frankysweb().withFaults(new Topology.Faults(List.of(), List.of(), List.of(), Middlebox.NGINX_RPC));
        try (LabSite site = start(viaNginx)) {
            enable(site);
            assertThat(site.middlebox()).isPresent();
            EchoProbe.Answer echo = EchoProbe.send(new InetSocketAddress("127.0.0.20", 31443), CertificateRequest.OA_NAME,
                    site.ca().trustAnchors(), Optional.of(new HttpBasic("FRANKYSWEB\\franky", PASSWORD)));
            assertThat(echo.statusLine()).isEqualTo("HTTP/1.1 200 Success");
            assertThat(echo.bodyLength()).isEqualTo(20);
            // the whole tunnel through router and nginx: virtual connection to EX1:6001, MGMT calls over it
            RpcPing.Result ping = RpcPing.run(tunnel(site), false, 3, RpcPing.Probe.IS_SERVER_LISTENING, new Transcript());
            assertThat(ping.bind()).isPresent();
            assertThat(ping.latency().count()).isEqualTo(3);
            long pid = site.middlebox().get().pid();
            site.close();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("nginx after close").isFalse();
        }
    }
}
