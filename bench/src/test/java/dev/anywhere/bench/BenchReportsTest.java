package dev.anywhere.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.bench.load.ArrayBench;
import dev.anywhere.bench.load.RpchBench;
import dev.anywhere.bench.load.SoakRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The text reports of {@code bench rpch}, {@code soak} and {@code array} rendered from real JSON reports
 * (docs/bench-results, copied beside this test) and from the same reports with the rarer branches forced (an arm not
 * run, a disturbed round, a null ratio, errors, a failed verdict): the English is pinned byte for byte, as it was
 * before the texts came from the bundle (docs/performance.md quotes it).
 */
class BenchReportsTest {

    @Test
    void theRpchTableInEnglishIsAsBefore() {
        assertThat(RpchBench.table(rpchReport())).isEqualTo(resource("rpch-run-u.txt"));
        assertThat(RpchBench.table(rpchReportWithEveryBranch())).isEqualTo(resource("rpch-every-branch.txt"));
    }

    @Test
    void theSoakReportInEnglishIsAsBefore() {
        assertThat(new SoakRun.Report(soakReport(), true).text()).isEqualTo(resource("soak-30min.txt"));
        assertThat(new SoakRun.Report(soakReportWithEveryBranch(), false).text()).isEqualTo(resource("soak-every-branch.txt"));
    }

    @Test
    void theArrayReportInEnglishIsAsBefore() {
        assertThat(new ArrayBench.Report(arrayReport(), true).text()).isEqualTo(resource("array-run-5.txt"));
        assertThat(new ArrayBench.Report(arrayReportWithEveryBranch(), false).text()).isEqualTo(resource("array-every-branch.txt"));
    }

    static ObjectNode rpchReport() {
        return json("rpch-run-u.json");
    }

    /** Run U with an arm not run, a disturbed round, a null ratio, a missed target, no spread, a cell without CPU, a transport. */
    static ObjectNode rpchReportWithEveryBranch() {
        ObjectNode r = rpchReport();
        ObjectNode round = (ObjectNode) r.get("rounds").get(0);
        round.put("disturbed", true).putArray("disturbed_arms").add("nginx").add("gateway");
        r.putNull("throughput_vs_haproxy");
        ((ObjectNode) r.get("reasons")).put("throughput_vs_haproxy", "haproxy arm did not run: haproxy not installed");
        ((ObjectNode) r.get("met")).put("cpu_per_gib_vs_haproxy", false);
        ((ObjectNode) r.get("ratios").get("throughput_vs_direct")).putNull("spread").put("basis", "all rounds (none undisturbed)")
                .put("judgeable", true);
        ((ObjectNode) r.get("verdicts").get("sealed_vs_unsealed")).put("rounds", "not_measured");
        ((ObjectNode) r.get("arms").get("gateway").get("relay_cpu_s_per_gib")).putNull("median");
        ObjectNode epoll = r.putObject("transports").putObject("epoll").putObject("ratios");
        epoll.putObject("throughput_vs_nio").put("median", 1.021).put("min", 0.98).put("max", 1.1);
        return r;
    }

    static ObjectNode soakReport() {
        return json("soak-30min.json");
    }

    /** The 30-minute soak with errors before the faults, a fault whose part did not come back and a failed verdict. */
    static ObjectNode soakReportWithEveryBranch() {
        ObjectNode r = soakReport();
        ((ObjectNode) r.get("client_errors_before_faults")).putObject("call").put("virtual connection: rpch.closed (the proxy closed the IN4 channel)", 1);
        ObjectNode fault = (ObjectNode) r.get("faults").get(1);
        fault.put("error", "the directory did not start again within 30 s");
        fault.putObject("worker_outages_ms");
        ObjectNode verdict = (ObjectNode) r.get("verdict");
        verdict.put("ok", false).putArray("reasons").add("2 calls lost outside the faults")
                .add("directory-stop-start: the part did not come back: the directory did not start again within 30 s");
        return r;
    }

    static ObjectNode arrayReport() {
        return json("array-run-5.json");
    }

    /** Array run 5 unpinned, with an arm's errors, a ratio not judgeable, HAProxy not yet marking the member down, a failed verdict. */
    static ObjectNode arrayReportWithEveryBranch() {
        ObjectNode r = arrayReport();
        ((ObjectNode) r.get("machine")).put("placement", "unpinned (every process on every CPU)");
        ObjectNode throughput = (ObjectNode) r.get("throughput");
        ((ObjectNode) throughput.get("arms").get("haproxy_two")).put("errors", 3).put("first_error", "connection closed (HTTP/1.1 header "
                + "parser received no bytes)");
        ((ObjectNode) throughput.get("ratios").fields().next().getValue()).put("judgeable", true).put("basis", "all rounds (none undisturbed)");
        ObjectNode failover = (ObjectNode) r.get("failover");
        ((ObjectNode) failover.get("kill")).put("haproxy_marked_down", "not yet");
        ArrayNode reasons = ((ObjectNode) failover.get("verdict")).put("ok", false).putArray("reasons");
        reasons.add("1 call not in flight at the kill failed");
        return r;
    }

    static ObjectNode json(String name) {
        try {
            return (ObjectNode) new ObjectMapper().readTree(resource(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resource(String name) {
        try (InputStream in = BenchReportsTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
