package dev.anywhere.lab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.Analyzer;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.directory.slapd.Slapd;
import dev.anywhere.lab.router.HaproxyBalancer;
import dev.anywhere.lab.site.LabSite;
import dev.anywhere.lab.topology.Passwords;
import dev.anywhere.lab.topology.PortMap;
import dev.anywhere.lab.topology.PortPolicy;
import dev.anywhere.lab.topology.Topology;
import dev.anywhere.rpc.testing.Peers;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every array scenario of scenarios.json on {@code cas-array} (HAProxy and two slapd replicas as child processes, ports
 * shifted by 38000): the exact set of finding ids, the expected primary one, the member that differs named (by address
 * when the client compares the members one by one, by its certificate's serial through the balancer), and nothing left
 * listening or running afterwards. One array per scenario, so these are slow: 7–22 s each on a busy machine (the first
 * in a JVM 16–49 s), the idle timeout's 70–74 s (its probe must outlast HAProxy's 60 s).
 */
class ArrayScenariosTest {

    static final PortPolicy POLICY = PortPolicy.shifted(38000);
    static final String PASSWORD = "Array-Scenario-Pass-1";
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path shared;

    static Stream<String> scenarios() {
        return Scenarios.all().stream().filter(Scenario::onArray).map(Scenario::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theAnalyzerNamesTheMemberTheScenarioBroke(String name) throws Exception {
        Peers.require(HaproxyBalancer.find().isPresent(), "haproxy");
        Peers.require(Slapd.available(), "slapd");
        Scenario s = Scenarios.byName(name).orElseThrow();
        Path dir = shared.resolve(name);
        Topology t = ScenarioRun.topology(Topology.casArray().withPortPolicy(POLICY), s);
        PortMap ports = PortMap.of(t.portPolicy());
        ScenarioRun.beforeStart(dir, s);
        List<InetSocketAddress> listeners = new ArrayList<>();
        List<Long> children = new ArrayList<>();
        long t0 = System.nanoTime();
        try (LabSite site = LabSite.start(new LabSite.Plan(t, ports, dir, Passwords.same(PASSWORD), Duration.ofMinutes(15),
                s.balancerIdleTimeout()), x -> { })) {
            for (LabSite.Member m : site.members()) {
                listeners.add(m.gateway().address());
                listeners.add(m.admin().orElseThrow().address());
            }
            listeners.add(site.balancer().orElseThrow().address());
            listeners.add(site.providerDns().orElseThrow().address());
            children.add(site.balancer().orElseThrow().pid());
            site.replicas().values().forEach(r -> children.add(r.pid()));
            List<String> steps = new ArrayList<>();
            ScenarioRun.prepare(site, s, steps::add);
            Report report = ScenarioRun.withServerSide(new Analyzer(ScenarioRun.options(site, s, PASSWORD, ports.port(443),
                    ports.port(80), STEP_TIMEOUT)).run(CheckListener.NONE), site);
            List<String> ids = ScenarioRun.findingIds(report);
            System.out.printf("[array scenario] %-34s %6d ms primary=%s ids=%s%n%s%n", name, (System.nanoTime() - t0) / 1_000_000,
                    ScenarioRun.primary(report).map(Finding::id).orElse("-"), ids, report.root().allFindings().stream()
                            .map(f -> "   " + f.id() + ": " + f.title() + " | " + f.cause()).collect(Collectors.joining("\n")));
            assertThat(ids).as(() -> name + " findings " + steps + ScenariosTest.unexpected(report, s.findings()))
                    .containsExactlyInAnyOrderElementsOf(s.findings());
            Finding primary = ScenarioRun.primary(report).orElseThrow();
            assertThat(primary.id()).isEqualTo(s.expected());
            for (String host : s.members().keySet()) {
                // The member that differs, as an administrator finds it: its address inside, its certificate's serial outside.
                String named = s.client().array().equals("members") ? t.address(host).getHostAddress() + ":" + ports.port(443)
                        : "serial " + certificate(dir, host).getSerialNumber().toString(16) + ",";
                assertThat(primary.title()).as(name + ": names " + host).contains(named);
            }
        }
        for (InetSocketAddress a : listeners) {
            assertThat(ScenariosTest.listening(a)).as("%s still listening after %s", a, name).isFalse();
        }
        for (long pid : children) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("child %d after %s", pid, name).isFalse();
        }
    }

    /** The certificate the lab issued for {@code host}. */
    static X509Certificate certificate(Path dir, String host) throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve("pki").resolve(host + ".crt"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
