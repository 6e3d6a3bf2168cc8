package dev.anywhere.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.bench.load.LatencyRates.Basis;
import dev.anywhere.bench.load.RpchBench.Arm;
import dev.anywhere.bench.load.RpchBench.Sample;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which latency rate a run uses, its load on the machine as it ran, and the warning of a fixed rate near the maximum. */
class LatencyRatesTest {

    private static final MachineKind DEV = new MachineKind("amd-epyc-2", 2, "AMD EPYC", 20_000, 16_000);

    @Test
    void rateBeatsKindBeatsWarmUp() {
        assertThat(LatencyRates.choose(1234, Optional.of(DEV))).isEqualTo(new LatencyRates(Basis.FIXED, null, 1234, 1234));
        assertThat(LatencyRates.choose(RpchBench.KIND_RATE, Optional.of(DEV))).isEqualTo(new LatencyRates(Basis.MACHINE_KIND, DEV, 20_000, 16_000));
        assertThat(LatencyRates.choose(RpchBench.KIND_RATE, Optional.empty()))
                .isEqualTo(new LatencyRates(Basis.WARM_UP, null, RpchBench.WARMUP_RATE, RpchBench.WARMUP_RATE));
        assertThat(LatencyRates.choose(RpchBench.AUTO_RATE, Optional.of(DEV)).basis()).isEqualTo(Basis.WARM_UP); // --rate auto
        assertThat(RpchBench.Settings.full(10, 4).ratePerSecond()).isEqualTo(RpchBench.KIND_RATE); // the default
        assertThat(RpchBench.Settings.smoke().ratePerSecond()).isEqualTo(RpchBench.AUTO_RATE); // the smoke run judges nothing
    }

    @Test
    void rateIsParsedFromTheCommandLine() {
        assertThat(RpchBench.parseRate(null)).isEqualTo(RpchBench.KIND_RATE);
        assertThat(RpchBench.parseRate("auto")).isEqualTo(RpchBench.AUTO_RATE);
        assertThat(RpchBench.parseRate("0")).isEqualTo(RpchBench.AUTO_RATE);
        assertThat(RpchBench.parseRate("20000")).isEqualTo(20_000);
        for (String bad : new String[] {"-1", "fast", "Auto", ""}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RpchBench.parseRate(bad))
                    .hasMessage("rate: " + bad + " (expected: auto (or 0), or 1..1000000)");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RpchBench.Settings.full(1, 4).withRate(RpchBench.parseRate("1000001")))
                .hasMessage("rate: 1000001 (expected: auto (or 0), or 1..1000000)");
    }

    @Test
    void onlyTheWarmUpRuleTakesItsRateFromTheWarmUp() {
        Map<Arm, Sample> maxima = maxima(39_510, 33_000);
        assertThat(LatencyRates.choose(RpchBench.AUTO_RATE, Optional.empty()).afterWarmUp(maxima))
                .isEqualTo(new LatencyRates(Basis.WARM_UP, null, 19_755, 16_500));
        LatencyRates kind = LatencyRates.choose(RpchBench.KIND_RATE, Optional.of(DEV));
        assertThat(kind.afterWarmUp(maxima)).isSameAs(kind);
    }

    @Test
    void theLoadIsTheRateOverTheWarmUpMaximumAndAbove70PercentWarns() {
        LatencyRates kind = LatencyRates.choose(RpchBench.KIND_RATE, Optional.of(DEV));
        assertThat(LatencyRates.load(20_000, 39_510)).isEqualTo(0.506); // run V's slowest relay arm
        assertThat(LatencyRates.load(20_000, Double.NaN)).isNaN();
        assertThat(kind.warning(0.506)).isEmpty();
        assertThat(kind.warning(0.7)).isEmpty(); // 20,000 of 28,572: at the line, not above it
        assertThat(kind.warning(LatencyRates.load(20_000, 28_000))).contains("the latency rate 20000 calls/s is 71 % of the slowest relay"
                + " arm's warm-up maximum (above 70 %): this machine is slower than its kind amd-epyc-2; latency ratios from this run are"
                + " not comparable with the kind's other runs");
        assertThat(LatencyRates.choose(30_000, Optional.of(DEV)).warning(LatencyRates.load(30_000, 39_510))).contains("the latency rate"
                + " 30000 calls/s (--rate) is 76 % of the slowest relay arm's warm-up maximum (above 70 %): latency ratios from this run"
                + " are not comparable with runs at about half load");
        assertThat(kind.warning(Double.NaN)).isEmpty();
        assertThat(LatencyRates.choose(RpchBench.AUTO_RATE, Optional.empty()).warning(0.9)).isEmpty(); // half by construction
    }

    @Test
    void theReportSaysTheKindTheBasisAndTheLoad() {
        ObjectNode report = emptyReport();
        Map<Arm, Sample> maxima = maxima(26_000, 32_000);
        RpchBench.putRates(report, LatencyRates.choose(RpchBench.KIND_RATE, Optional.of(DEV)), Optional.of(DEV), maxima, 16_000);
        assertThat(report.get("machine").get("kind").asText()).isEqualTo("amd-epyc-2");
        ObjectNode set = (ObjectNode) report.get("settings");
        assertThat(set.get("rate_basis").asText()).isEqualTo("machine kind amd-epyc-2");
        assertThat(set.get("latency_load").asDouble()).isEqualTo(0.769);
        assertThat(set.get("latency_load_sealed").asDouble()).isEqualTo(0.5);
        assertThat(set.get("latency_rate_sealed").asInt()).isEqualTo(16_000);
        assertThat(set.get("latency_rate_sealed_basis").asText()).startsWith("machine kind amd-epyc-2: its gateway_sealed rate");
        assertThat(set.get("latency_load_warning").asText()).contains("is 77 % of", "slower than its kind amd-epyc-2");

        report = emptyReport();
        RpchBench.putRates(report, LatencyRates.choose(RpchBench.AUTO_RATE, Optional.empty()).afterWarmUp(maxima), Optional.empty(),
                maxima, -1);
        set = (ObjectNode) report.get("settings");
        assertThat(report.get("machine").get("kind").isNull()).isTrue();
        assertThat(set.get("rate_basis").asText()).isEqualTo(LatencyRates.WARM_UP_BASIS);
        assertThat(set.get("latency_load").asDouble()).isEqualTo(0.5);
        assertThat(set.get("latency_rate_sealed").isNull()).isTrue();
        assertThat(set.get("latency_load_sealed").isNull()).isTrue();
        assertThat(set.get("latency_load_warning").isNull()).isTrue();

        report = emptyReport();
        RpchBench.putRates(report, LatencyRates.choose(100, Optional.of(DEV)), Optional.of(DEV), new EnumMap<>(Arm.class), 100);
        set = (ObjectNode) report.get("settings");
        assertThat(report.get("machine").get("kind").asText()).isEqualTo("amd-epyc-2"); // detected, though --rate chose
        assertThat(set.get("rate_basis").asText()).isEqualTo("fixed (--rate)");
        assertThat(set.get("latency_load").isNull()).isTrue(); // no warm-up maximum
        assertThat(set.get("latency_load_warning").isNull()).isTrue();
    }

    private static ObjectNode emptyReport() {
        ObjectNode r = new ObjectMapper().createObjectNode();
        r.putObject("machine");
        r.putObject("settings").put("rate_per_second", 20_000);
        return r;
    }

    static Map<Arm, Sample> maxima(double slowestRelay, double sealed) {
        Map<Arm, Sample> m = new EnumMap<>(Arm.class);
        m.put(Arm.DIRECT, sample(Arm.DIRECT, 10_000)); // no relay: not the slowest relay arm
        m.put(Arm.NGINX, sample(Arm.NGINX, slowestRelay));
        m.put(Arm.GATEWAY, sample(Arm.GATEWAY, slowestRelay * 2));
        m.put(Arm.GATEWAY_SEALED, sample(Arm.GATEWAY_SEALED, sealed));
        return m;
    }

    private static Sample sample(Arm arm, double max) {
        return new Sample(arm, max, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, MachineLoad.Phase.UNKNOWN);
    }
}
