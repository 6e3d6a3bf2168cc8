package dev.anywhere.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak's bounded version: 60 s of mixed load on loopback with each fault struck once (endpoints restarted,
 * directory stopped and started, gateway killed with SIGKILL and restarted). No call that was not in progress at a
 * fault may be lost, none answered twice or wrongly; every fault's part comes back and every client worker works again.
 */
class SoakRunTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(150)
    void eachFaultOnceLosesNoCallOutsideTheFaults() throws Exception {
        List<String> progress = new ArrayList<>();
        SoakRun.Report report = SoakRun.run(SoakRun.Settings.of(Duration.ofSeconds(60)), dir, progress::add);
        JsonNode r = report.json();
        System.out.println(report.text());
        JsonNode calls = r.get("calls");
        assertThat(calls.get("answered").asLong()).as(report.text()).isGreaterThan(1000);
        assertThat(calls.get("lost").asLong()).as(report.text()).isZero();
        assertThat(calls.get("duplicated").asLong()).as(report.text()).isZero();
        assertThat(calls.get("mismatched").asLong()).as(report.text()).isZero();
        assertThat(calls.get("unaccounted").asLong()).as(report.text()).isZero();
        List<String> struck = new ArrayList<>();
        for (JsonNode f : r.get("faults")) {
            struck.add(f.get("fault").asText());
            assertThat(f.has("error")).as(f.toString()).isFalse();
            assertThat(f.get("clients_recovered_ms").asLong()).as("every worker works again: " + f).isGreaterThanOrEqualTo(0);
        }
        assertThat(struck).containsExactly("endpoints-restart", "directory-stop-start", "gateway-kill-9");
        for (String fault : struck) {
            assertThat(r.get("summary_by_fault").get(fault).get("struck").asInt()).as(fault).isEqualTo(1);
        }
        assertThat(r.get("recycles").get("out_channel").asLong() + r.get("recycles").get("in_channel").asLong()).isPositive();
        assertThat(r.get("successes").get("logon_basic").asLong()).isPositive();
        assertThat(r.get("successes").get("logon_ntlm").asLong()).isPositive();
        assertThat(r.get("successes").get("autodiscover").asLong()).isPositive();
        // gateway and endpoints restarted once each: two processes of each; this JVM throughout
        assertThat(r.get("processes")).hasSize(5);
        assertThat(r.get("samples")).hasSize(4);
    }

    @Test
    void tooShortARunIsRefusedWithItsLength() {
        assertThatThrownBy(() -> SoakRun.Settings.of(Duration.ofSeconds(30))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("soak length: 30 s (expected: at least 45 s)");
    }
}
