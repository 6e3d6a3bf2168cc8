package dev.anywhere.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anywhere.lab.router.HaproxyBalancer;
import dev.anywhere.rpc.testing.Peers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench array --smoke} on loopback with Debian's HAProxy: two gateway processes behind it carry the bulk load
 * together, and one killed with SIGKILL in the middle of a load run loses no call that was not in flight at the kill;
 * every client it cut off reopens through HAProxy on the survivor and is answered again. Needs haproxy (skipped without
 * it on a dev machine, failed without it when CI=true); run under the port lock like the other multi-process tests.
 */
class ArrayBenchTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void twoMembersShareTheLoadAndAMemberKilledUnderLoadLosesNoCallNotInFlight() throws Exception {
        Peers.require(HaproxyBalancer.find().isPresent(), "haproxy");
        List<String> progress = new ArrayList<>();
        ArrayBench.Report report = ArrayBench.run(ArrayBench.Settings.smokeRun(), dir, progress::add);
        System.out.println(report.text());
        JsonNode t = report.json().get("throughput");
        for (String arm : List.of("gateway", "haproxy_one", "haproxy_two")) {
            assertThat(t.get("arms").get(arm).get("throughput_mib_per_s").get("median").asDouble()).as(arm + ": " + t).isPositive();
            assertThat(t.get("arms").get(arm).get("errors").asLong()).as(arm + ": " + t).isZero();
        }
        // both members relayed: round robin spread the channels over them
        assertThat(t.get("arms").get("haproxy_two").get("gw2_share_of_members_cpu").get("median").asDouble()).as(t.toString())
                .isBetween(0.1, 0.9);
        assertThat(t.get("two_vs_one").isNumber()).as(t.toString()).isTrue();
        assertThat(t.get("ratios").get("cpu_per_gib_two_vs_one").get("per_round")).hasSize(1);
        assertThat(t.get("cpu_per_gib_two_vs_gateway").isNumber()).as(t.toString()).isTrue();

        JsonNode f = report.json().get("failover");
        String text = report.text();
        assertThat(f.get("calls").get("lost").asLong()).as(text).isZero();
        assertThat(f.get("calls").get("mismatched").asLong()).as(text).isZero();
        assertThat(f.get("calls").get("answered_after_kill").asLong()).as(text).isPositive();
        assertThat(f.get("clients").get("broken_by_kill").asInt()).as(text).isPositive();
        assertThat(f.get("clients").get("not_recovered").asInt()).as(text).isZero();
        assertThat(f.get("clients").get("broken_otherwise").asInt()).as(text).isZero();
        assertThat(f.get("recovery_ms").get("max").asDouble()).as(text).isPositive();
        assertThat(f.get("verdict").get("ok").asBoolean()).as(text).isTrue();
        assertThat(report.ok()).isTrue();
    }

    @Test
    void settingsOutsideTheirRangesAreRefusedWithWhatWasExpected() {
        assertThatThrownBy(() -> new ArrayBench.Settings(5, 0, 8, 16, 25, true, true, false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("rounds: 0 (expected: 1..20)");
        assertThatThrownBy(() -> new ArrayBench.Settings(5, 5, 65, 16, 25, true, true, false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("connections: 65 (expected: 1..64)");
        assertThatThrownBy(() -> new ArrayBench.Settings(5, 5, 8, 0, 25, true, true, false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("failover clients: 0 (expected: 1..256)");
        assertThatThrownBy(() -> new ArrayBench.Settings(5, 5, 8, 16, 2000, true, true, false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("failover rate: 2000 calls/s per client (expected: 1..1000)");
    }
}
