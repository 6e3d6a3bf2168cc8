package dev.anywhere.lab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.analyzer.Analyzer;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.lab.router.NginxMiddlebox;
import dev.anywhere.lab.site.LabSite;
import dev.anywhere.lab.topology.Passwords;
import dev.anywhere.lab.topology.PortMap;
import dev.anywhere.lab.topology.PortPolicy;
import dev.anywhere.lab.topology.Topology;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.events.Event;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario of scenarios.json on the whole site (shifted ports, offset 35000): the analyzer's primary finding is
 * the expected one, the set of finding ids is exactly the scenario's, the healthy ones are all green, and nothing is
 * left listening after each site closes. The lab CA is created once and shared.
 */
class ScenariosTest {

    static final PortPolicy POLICY = PortPolicy.shifted(35000);
    static final String PASSWORD = "Scenario-Test-Pass-1";
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(3);
    static final String EX1_ADDRESS = "127.0.135.251";

    @TempDir
    static Path shared;

    static Path caDir;

    @BeforeAll
    static void sharedCa() throws Exception {
        caDir = shared.resolve("ca-source/pki/ca");
        dev.anywhere.lab.pki.CertificateAuthority.createLab().save(caDir);
    }

    @AfterAll
    static void summary() {
        System.out.println("[scenarios] done");
    }

    /**
     * The default site with ports shifted by 35000 and EX1 on an address of its own: its RPC endpoint ports (6001,
     * 6002, 6004) are never shifted, so this keeps the test clear of any other lab running on the machine.
     */
    static Topology site() {
        return Topology.frankysweb().withPortPolicy(POLICY).withHostAddress("ex1", EX1_ADDRESS);
    }

    /** The single site's scenarios; the array's run in {@link ArrayScenariosTest}. */
    static Stream<String> scenarios() {
        return Scenarios.all().stream().filter(s -> !s.onArray()).map(Scenario::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theAnalyzerSaysWhatTheScenarioBroke(String name) throws Exception {
        Scenario s = Scenarios.byName(name).orElseThrow();
        if (s.needsNginx() && !"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(NginxMiddlebox.find().isPresent(), "nginx is not installed (apt-get install nginx)");
        }
        Path dir = shared.resolve(name);
        copyTree(caDir, dir.resolve("pki/ca"));
        Topology t = ScenarioRun.topology(site(), s);
        PortMap ports = PortMap.of(t.portPolicy());
        List<InetSocketAddress> listeners = new ArrayList<>();
        long t0 = System.nanoTime();
        try (LabSite site = LabSite.start(new LabSite.Plan(t, ports, dir, Passwords.same(PASSWORD), Duration.ofMinutes(15)), x -> { })) {
            listeners.add(site.providerDns().orElseThrow().address());
            listeners.add(site.gateway().address());
            List<String> steps = new ArrayList<>();
            ScenarioRun.prepare(site, s, steps::add);
            Report report = ScenarioRun.withServerSide(new Analyzer(ScenarioRun.options(site, s, PASSWORD, ports.port(443), ports.port(80),
                    STEP_TIMEOUT)).run(CheckListener.NONE), site);
            List<String> ids = ScenarioRun.findingIds(report);
            System.out.printf("[scenario] %-36s %5d ms primary=%s ids=%s%n%s%n", name, (System.nanoTime() - t0) / 1_000_000,
                    ScenarioRun.primary(report).map(Finding::id).orElse("-"), ids, report.root().allFindings().stream().map(f -> "   " + f.id() + ": " + f.title()).collect(java.util.stream.Collectors.joining("\n")));
            assertThat(ids).as(() -> name + " findings" + unexpected(report, s.findings())).containsExactlyInAnyOrderElementsOf(s.findings());
            assertThat(ScenarioRun.primary(report).map(Finding::id)).as(name + " primary").isEqualTo(s.primary());
            assertThat(report.status() == CheckStatus.PASSED).as(name + " all green").isEqualTo(s.healthy());
            // FaultSpaceTest audits the German output of every fault; here every scenario's English (no German, no "{x}").
            assertThat(dev.anywhere.analyzer.text.TextAudit.audit(report.root(), "en")).as(name + " English output").isEmpty();
            if (s.site().manualEdit() != null && s.site().manualEdit().revert()) {
                RpcVdirConfig drifted = site.gateway().config().current();
                Event reverted = ScenarioRun.revert(site);
                assertThat(reverted.id().id()).isEqualTo(3901);
                assertThat(site.gateway().config().current()).isNotEqualTo(drifted);
                Report after = new Analyzer(ScenarioRun.options(site, s, PASSWORD, ports.port(443), ports.port(80), STEP_TIMEOUT))
                        .run(CheckListener.NONE);
                assertThat(after.root().allFindings()).as("after the revert").isEmpty();
            }
            if (s.site().oa().equals("pending")) {
                assertThat(report.root().allFindings().get(0).cause()).contains(ScenarioRun.status(site.ex1DataDir()).orElseThrow()
                        .path("nextPass").asText());
            }
        }
        for (InetSocketAddress a : listeners) {
            assertThat(listening(a)).as("still listening: " + a).isFalse();
        }
        assertThat(listening(new InetSocketAddress("127.0.0.20", ports.port(443)))).as("router").isFalse();
        assertThat(listening(new InetSocketAddress("127.0.100.252", ports.port(443)))).as("nginx").isFalse();
        assertThat(listening(new InetSocketAddress(EX1_ADDRESS, 6001))).as("EX1 store endpoint").isFalse();
        if (s.site().mailboxServer() != null) {
            assertThat(listening(new InetSocketAddress(t.address(s.site().mailboxServer()), 6001))).as("mailbox server's store").isFalse();
        }
    }

    @Test
    void everyScenarioIsDataWithAnExpectation() {
        assertThat(Scenarios.names()).startsWith("healthy").contains("dns-missing-oa", "dns-missing-autodiscover", "dns-wrong-address",
                "no-port-forward", "router-answers-443", "reverse-proxy-stock-nginx", "reverse-proxy-fixed", "cert-self-signed",
                "cert-internal-names-only", "cert-missing-autodiscover-name", "cert-expired", "msstd-mismatch", "oa-disabled",
                "oa-pending", "iis-drift", "auth-mismatch", "validports-deny", "endpoint-down", "stale-profile",
                "internal-client-takes-external-path", "mailbox-on-unlisted-server", "rpc-encryption-required",
                "user-hidden-from-address-book", "rpc-refuses-credentials");
        // The array's, in one block at the end.
        assertThat(Scenarios.all().stream().filter(Scenario::onArray).map(Scenario::name)).containsExactly("array-member-old-certificate",
                "array-member-missed-change", "array-member-stale-autodiscover", "array-balancer-idle-timeout");
        assertThat(Scenarios.names()).endsWith("array-balancer-idle-timeout");
        for (Scenario s : Scenarios.all()) {
            assertThat(s.healthy()).as(s.name()).isEqualTo(s.name().equals("healthy") || s.name().equals("reverse-proxy-fixed"));
            // faults validate against the site they run on
            ScenarioRun.topology(s.onArray() ? Topology.casArray() : Topology.frankysweb(), s).validate();
        }
        assertThat(Scenarios.byName("array-balancer-idle-timeout").orElseThrow().balancerIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(Scenarios.byName("array-member-missed-change").orElseThrow().balancerIdleTimeout()).isEqualTo(Duration.ofHours(3));
        assertThatThrownBy(() -> new Scenario("x", "y", "a.b", List.of("c.d"), null, null, null))
                .hasMessage("scenario x: expected a.b, findings [c.d] (expected: the primary finding listed among the findings, both empty when healthy)");
    }

    @Test
    void arrayDataThatCannotWorkIsRefusedSayingWhy() {
        Scenario.Member old = new Scenario.Member(List.of("oa.frankysweb.org"), null, null);
        Scenario.Client members = new Scenario.Client("inside", null, "members", null, null);
        assertThatThrownBy(() -> new Scenario("x", "y", null, null, null, null, Map.of("ex2", old), null, null, members))
                .hasMessage("scenario x: members, balancer and client.array need \"topology\": \"cas-array\" (expected: an array to break)");
        assertThatThrownBy(() -> new Scenario("x", "y", null, null, "frankysweb-xl", null, null, null, null, null))
                .hasMessage("scenario x: topology frankysweb-xl (expected: cas-array or none)");
        assertThatThrownBy(() -> new Scenario("x", "y", null, null, "cas-array", null, null, null, null, null))
                .hasMessage("scenario x: client.array missing (expected: balancer or members)");
        assertThatThrownBy(() -> new Scenario.Client("outside", null, "members", null, null))
                .hasMessage("client array: members needs vantage inside (expected: the members' own addresses are reached from inside)");
        assertThatThrownBy(() -> new Scenario.Client("outside", null, "round-robin", null, null))
                .hasMessage("client array: round-robin (expected: balancer or members)");
        assertThatThrownBy(() -> new Scenario.Client("outside", null, "balancer", "a minute", null))
                .hasMessage("duration: 'a minute' (expected: a number with ms, s, m, h or d, e.g. 15m)");
        assertThatThrownBy(() -> new Scenario.Balancer("60"))
                .hasMessage("duration: '60' has no unit (expected: e.g. 30s or 15m; only 0 may stand alone)");
        assertThatThrownBy(() -> new Scenario.Member(null, null, 7200))
                .hasMessage("member autodiscoverCacheSeconds: 7200 (expected: 0..3600)");
        Scenario ex3 = new Scenario("x", "y", null, null, "cas-array", null, Map.of("ex3", old), null, null, members);
        assertThatThrownBy(() -> ScenarioRun.topology(Topology.casArray(), ex3))
                .hasMessage("scenario x: member ex3 (expected: one of [ex1, ex2])");
        // The old certificate: EX2's alone, with only the names given.
        Topology t = ScenarioRun.topology(Topology.casArray(), Scenarios.byName("array-member-old-certificate").orElseThrow());
        assertThat(t.certificateOf("ex2").dnsNames()).containsExactly("oa.frankysweb.org");
        assertThat(t.certificateOf("ex1").dnsNames()).containsExactly("oa.frankysweb.org", "autodiscover.frankysweb.org");
    }

    @Test
    void aMembersAutodiscoverCacheIsWrittenBeforeItStarts() throws IOException {
        Path dir = shared.resolve("before-start");
        ScenarioRun.beforeStart(dir, Scenarios.byName("array-member-stale-autodiscover").orElseThrow());
        assertThat(dev.anywhere.server.autodiscover.AutodiscoverSettings.load(dir.resolve("ex2"), "EX2").cacheTtl())
                .isEqualTo(Duration.ofHours(1));
        assertThat(dir.resolve("ex1")).doesNotExist();
    }

    @Test
    void docsLabListsEveryScenario() throws IOException {
        Path doc = Path.of("..", "docs", "lab.md");
        Assumptions.assumeTrue(Files.exists(doc), "docs/lab.md not beside the module");
        assertThat(Files.readString(doc, StandardCharsets.UTF_8)).as("docs/lab.md: regenerate the table from Scenarios.markdownTable()")
                .contains(Scenarios.markdownTable());
    }

    /**
     * For a failure message: each check that reported a finding the scenario does not expect, with its summary and
     * evidence (HTTP or PDU transcript), so that a failure seen once says which request got which answer.
     */
    static String unexpected(Report report, List<String> expected) {
        StringBuilder b = new StringBuilder();
        unexpected(report.root(), expected, b);
        return b.toString();
    }

    private static void unexpected(CheckResult r, List<String> expected, StringBuilder b) {
        if (r.findings().stream().anyMatch(f -> !expected.contains(f.id()))) {
            b.append("\n  ").append(r.id()).append(' ').append(r.status()).append(": ").append(r.summary())
                    .append(' ').append(r.findings().stream().map(Finding::id).toList());
            r.evidence().forEach(e -> b.append("\n    [").append(e.label()).append("] ")
                    .append(e.text().length() > 4000 ? e.text().substring(0, 4000) + "..." : e.text()));
        }
        r.children().forEach(c -> unexpected(c, expected, b));
    }

    static boolean listening(InetSocketAddress a) {
        try (Socket s = new Socket()) {
            s.connect(a, 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
