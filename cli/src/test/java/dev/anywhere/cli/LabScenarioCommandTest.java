package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.lab.topology.PortPolicy;
import dev.anywhere.lab.topology.Topology;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code anywhere lab scenarios} and {@code anywhere lab --scenario NAME} on a topology shifted by 35500 (its own
 * offset): the scenario is announced with what it breaks, the analyzer's verdict is printed, and the exit code is 1
 * when the problem is found, 0 when the scenario is healthy, 2 for an unknown name.
 */
class LabScenarioCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Anywhere.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path topology() throws Exception {
        Path file = tmp.resolve("site.json");
        // EX1 on an address of its own: its RPC endpoint ports are never shifted, and other labs may run meanwhile
        java.nio.file.Files.writeString(file, Topology.frankysweb().withPortPolicy(PortPolicy.shifted(35500)).toJson()
                .replace("127.0.100.251", "127.0.136.251"));
        return file;
    }

    @Test
    void listsEveryScenarioWithItsExpectedFinding() {
        assertThat(run("lab", "scenarios")).isEqualTo(0);
        assertThat(out.toString()).contains("SCENARIO", "healthy", "(none: all green)", "oa-pending", "config.pending",
                "cert-self-signed", "tls.self-signed", "internal-client-takes-external-path");
    }

    @Test
    void aScenarioIsAnnouncedAnalyzedAndExitsOneWhenFound() throws Exception {
        assertThat(run("lab", "--topology", topology().toString(), "--scenario", "dns-missing-oa")).as(err.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("Scenario dns-missing-oa: the provider's zone has no A record for oa.frankysweb.org",
                "The analyzer should say: dns.host-not-found",
                "Scenario dns-missing-oa: the analyzer says dns.host-not-found (expected: dns.host-not-found), as expected",
                "Site stopped");
    }

    @Test
    void theHealthyScenarioExitsZero() throws Exception {
        assertThat(run("lab", "--topology", topology().toString(), "--scenario", "healthy")).as(out.toString()).isEqualTo(0);
        assertThat(out.toString()).contains("the analyzer says nothing: every check passed (expected: nothing), as expected");
    }

    /** The array's scenarios bring their topology: cas-array, its HAProxy and slapd started and stopped by the command. */
    @Test
    void anArrayScenarioRunsOnTheArrayAndExitsOneWhenFound() {
        boolean haproxy = dev.anywhere.lab.router.HaproxyBalancer.find().isPresent() && dev.anywhere.directory.slapd.Slapd.available();
        if (!haproxy && "true".equals(System.getenv("CI"))) {
            org.junit.jupiter.api.Assertions.fail("haproxy and slapd are required when CI=true (.ci/run installs them)");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(haproxy, "haproxy or slapd is not installed");
        assertThat(run("lab", "--scenario", "array-member-missed-change")).as(out + "\n" + err).isEqualTo(1);
        assertThat(out.toString()).contains("load balancer: haproxy", "EX2: servicehost.json {\"pollInterval\": \"15m\"",
                "anywhere oa set --server EX2", "  EX2            : Enabled true, Authentication Basic, change notifications off",
                " --array --array-connections 6",
                "the analyzer says array.member-authentication-differs (expected: array.member-authentication-differs), as expected");
    }

    @Test
    void anArrayScenarioRefusesAnotherTopology() throws Exception {
        assertThat(run("lab", "--topology", topology().toString(), "--scenario", "array-member-missed-change")).isEqualTo(2);
        assertThat(err.toString()).contains("--scenario array-member-missed-change runs on the topology cas-array (expected: no --topology with it)");
    }

    @Test
    void anUnknownScenarioIsAUsageError() {
        assertThat(run("lab", "--scenario", "nope")).isEqualTo(2);
        assertThat(err.toString()).contains("--scenario: nope (expected: one of healthy, dns-missing-oa");
    }
}
