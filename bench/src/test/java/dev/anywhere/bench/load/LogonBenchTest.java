package dev.anywhere.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench logon} with tiny numbers on free loopback ports: real logons (directory, sealed EMSMDB bind, RopLogon)
 * through a gateway process, and the report's shape. No timing is asserted.
 */
class LogonBenchTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void logonsThroughTheGatewayAreCountedWithTheCpuOfEachParty() throws Exception {
        List<String> progress = new ArrayList<>();
        ObjectNode r = new LogonBench(new LogonBench.Settings(0.5, 2, 2, Duration.ofSeconds(20)), progress::add).run(dir);
        assertThat(r.get("failures").asLong()).as(r.path("first_failure").asText()).isZero();
        assertThat(r.get("logons").asLong()).isPositive();
        assertThat(r.get("logons_per_s").asDouble()).isPositive();
        assertThat(r.get("rounds")).hasSize(2);
        for (JsonNode round : r.get("rounds")) {
            assertThat(round.get("logons").asLong()).as(round.toString()).isPositive();
            assertThat(round.get("logon_ms_p50").asDouble()).isPositive();
            assertThat(round.has("disturbed")).isTrue();
        }
        for (String party : List.of("client", "gateway", "endpoints", "directory")) {
            JsonNode cpu = r.get("cpu_ms_per_logon").get(party);
            assertThat(cpu.isNull() || cpu.asDouble() >= 0).as(party).isTrue(); // /proc counts in 10 ms ticks
            JsonNode s = r.get("stats").get("cpu_ms_per_logon_" + party);
            assertThat(s.get("per_round")).hasSize(2);
            assertThat(s.has("judgeable")).isTrue();
        }
        assertThat(r.get("stats").get("logons_per_s").get("rounds").asInt()).isEqualTo(2);
        assertThat(r.get("settings").get("rpc_auth").asText()).isEqualTo("privacy");
        assertThat(progress).anyMatch(l -> l.startsWith("warm-up")).anyMatch(l -> l.startsWith("round 2"));
        assertThat(LogonBench.text(r)).contains("mailbox logons through the gateway", "CPU ms per logon, gateway", "round 1: ");
    }

    @Test
    void settingsAreChecked() {
        Duration t = Duration.ofSeconds(10);
        assertThatThrownBy(() -> new LogonBench.Settings(0.1, 4, 3, t)).hasMessage("seconds: 0.1 (expected: 0.5..600)");
        assertThatThrownBy(() -> new LogonBench.Settings(5, 0, 3, t)).hasMessage("workers: 0 (expected: 1..64)");
        assertThatThrownBy(() -> new LogonBench.Settings(5, 65, 3, t)).hasMessage("workers: 65 (expected: 1..64)");
        assertThatThrownBy(() -> new LogonBench.Settings(5, 4, 0, t)).hasMessage("rounds: 0 (expected: 1..20)");
        assertThat(LogonBench.Settings.smoke().rounds()).isEqualTo(1);
    }
}
