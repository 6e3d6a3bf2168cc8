package dev.anywhere.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.bench.BenchText;
import dev.anywhere.bench.load.RpchBench.Arm;
import dev.anywhere.bench.load.RpchBench.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The added-latency keys of the report, from fixed per-round figures: no network, no timing. */
class RpchLatencyReportTest {

    private static final double NAN = Double.NaN;

    /**
     * Five quiet rounds of direct, gateway, nginx and upstream with fixed p50s, p99s and median-turn p99s, and turns:
     * four in round 1 (the gateway's second block 3,000 µs slower), two in each later round.
     */
    private static ObjectNode report() {
        Map<Arm, List<Sample>> samples = new EnumMap<>(Arm.class);
        // round p99s: round 1 has a stall in the gateway's phase, round 4 one in nginx's
        samples.put(Arm.DIRECT, rounds(Arm.DIRECT, 150, new double[] {500, 500, 500, 500, 500}, new double[] {400, 400, 400, 400, 400}));
        samples.put(Arm.GATEWAY, rounds(Arm.GATEWAY, 260, new double[] {4500, 1100, 1400, 1300, 1500},
                new double[] {1400, 1000, 1100, 1300, 900}));
        samples.put(Arm.NGINX, rounds(Arm.NGINX, 650, new double[] {2500, 2500, 2500, 6500, 2500},
                new double[] {2400, 2400, 2400, 2400, 2400}));
        samples.put(Arm.UPSTREAM, rounds(Arm.UPSTREAM, 500, new double[] {1000, 1000, 1000, 1000, 1000},
                new double[] {900, 900, 900, 900, 900}));
        Map<Arm, List<List<Double>>> turns = new EnumMap<>(Arm.class);
        turns.put(Arm.DIRECT, List.of(List.of(400.0, 400.0, 400.0, 400.0), twice(400), twice(400), twice(400), twice(400)));
        turns.put(Arm.GATEWAY, List.of(List.of(1400.0, 1400.0, 4400.0, 4400.0), twice(1000), twice(1100), twice(1300), twice(900)));
        turns.put(Arm.NGINX, List.of(List.of(2400.0, 2400.0, 2400.0, 2400.0), twice(2400), twice(2400), twice(2400), twice(2400)));
        turns.put(Arm.UPSTREAM, List.of(List.of(900.0, 900.0, 900.0, 900.0), twice(900), twice(900), twice(900), twice(900)));
        return report(samples, turns);
    }

    private static List<Double> twice(double p99) {
        return List.of(p99, p99);
    }

    private static ObjectNode report(Map<Arm, List<Sample>> samples) {
        return report(samples, Map.of());
    }

    /** The report of these arms' rounds and turns (no latency histograms, no idle, recycling or handshake phase). */
    private static ObjectNode report(Map<Arm, List<Sample>> samples, Map<Arm, List<List<Double>>> turns) {
        Map<Arm, String> unavailable = new EnumMap<>(Arm.class);
        for (Arm a : Arm.values()) {
            if (!samples.containsKey(a)) {
                unavailable.put(a, "not in this test");
            }
        }
        int rounds = samples.values().iterator().next().size();
        RpchBench.Settings settings = new RpchBench.Settings(1, 1, 1, 1024, 1024, 100, rounds, 0, true, Duration.ofSeconds(1), false, 0,
                false, 0x10000);
        Map<Arm, List<Histogram>> latencies = new EnumMap<>(Arm.class);
        RpchBench bench = new RpchBench(settings, line -> { });
        turns.forEach((arm, perRound) -> perRound.forEach(t -> bench.keepTurns(arm, t)));
        return bench.report(samples, latencies, unavailable, IdleProbe.Result.skipped(0, "disabled"), null, List.of());
    }

    private static List<Sample> rounds(Arm arm, double p50, double[] p99, double[] p99MedianTurn) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < p99.length; i++) {
            out.add(new Sample(arm, NAN, 1e9, 1, 0.2, 0.5, 0.9, 0.6, p50, p99[i], 2 * p99[i], 3 * p99[i], 10_000, 1, 2, 0, null,
                    new MachineLoad.Phase(10, 0, 0), p50, p99MedianTurn[i]));
        }
        return out;
    }

    @Test
    void theP99HeadlineIsTheMedianOverEveryBlockOfTwoCyclesOfTurns() {
        ObjectNode r = report();
        // blocks (gateway - direct) / (nginx - upstream): round 1 1000/1500 and 4000/1500, then 600, 700, 900, 500 over 1500;
        // the median of the six: (700 + 900) / 2 / 1500
        assertThat(r.get("p99_added_vs_nginx").asDouble()).isEqualTo(0.533);
        JsonNode headline = r.get("ratios").get("p99_added_vs_nginx");
        JsonNode blocks = headline.get("blocks");
        assertThat(blocks.get("median").asDouble()).isEqualTo(0.533);
        assertThat(blocks.get("count").asInt()).isEqualTo(6);
        assertThat(blocks.get("left_out").asInt()).isZero();
        assertThat(blocks.get("cycles_per_block").asInt()).isEqualTo(2);
        assertThat(blocks.get("lower_quartile").asDouble()).isEqualTo(0.4); // 500, 600, 700 over 1500: 600
        assertThat(blocks.get("upper_quartile").asDouble()).isEqualTo(0.667); // 900, 1000, 4000: 1000
        assertThat(blocks.get("interquartile_range").asDouble()).isEqualTo(0.267);
        // the median's bootstrap standard error over the six blocks, and what it means for a second run of this length
        double se = blocks.get("standard_error").asDouble();
        assertThat(se).isBetween(0.05, 0.5);
        assertThat(blocks.get("relative_standard_error").asDouble()).isCloseTo(se / 0.5333, org.assertj.core.data.Offset.offset(0.002));
        assertThat(blocks.get("two_run_difference_95").asDouble())
                .isCloseTo(1.96 * Math.sqrt(2) * blocks.get("relative_standard_error").asDouble(), org.assertj.core.data.Offset.offset(0.002));
        // per round the median of its blocks: round 1's (1000 + 4000) / 2 / 1500 is above the goal
        assertThat(headline.get("per_round").toString()).isEqualTo("[1.667,0.4,0.467,0.6,0.333]");
        assertThat(r.get("met").get("p99_added_vs_nginx").asBoolean()).isTrue();
        assertThat(r.get("verdicts").get("p99_added_vs_nginx").get("rounds").asText()).isEqualTo("undecided");
        // its deltas, µs, the medians over the blocks: the gateway's 500, 600, 700, 900, 1000, 4000; nginx's 1500
        assertThat(r.get("p99_added_us_gateway").asDouble()).isEqualTo(800.0);
        assertThat(r.get("p99_added_us_nginx").asDouble()).isEqualTo(1500.0);
        assertThat(RpchBench.table(r)).contains("over 5 undisturbed rounds, NOT judgeable; median of blocks of two slices per arm, "
                + "interquartile range [0.4-0.667] over 6 blocks (0 left out)  (target met) (rounds: undecided)");
        assertThat(RpchBench.table(r, BenchText.of("de"))).contains("NICHT beurteilbar; Median der Blöcke aus zwei Abschnitten je Strecke, "
                + "Interquartilsabstand [0.4-0.667] über 6 Blöcke (0 ausgelassen)");
    }

    @Test
    void theFormerHeadlineTheTrimmedMeanOfTheRoundsTypicalHalfSecondsStaysUnderItsOwnKey() {
        ObjectNode r = report();
        // per round (gateway - direct) / (nginx - upstream) of the median turns' p99s: 1000/1500, 600/1500, 700/1500, 900/1500, 500/1500
        JsonNode former = r.get("ratios").get("p99_added_vs_nginx_trimmed_rounds");
        assertThat(former.get("per_round").toString()).isEqualTo("[0.667,0.4,0.467,0.6,0.333]");
        // the middle three rounds' mean: (600 + 700 + 900) / 3 / 1500; the median would be 700 / 1500
        assertThat(r.get("p99_added_vs_nginx_trimmed_rounds").asDouble()).isEqualTo(0.489);
        assertThat(former.get("trimmed_mean").asDouble()).isEqualTo(0.489);
        assertThat(former.get("median").asDouble()).isEqualTo(0.467);
        assertThat(r.get("p99_added_vs_nginx_median_turn").asDouble()).isEqualTo(0.467); // the same rounds' median
        assertThat(r.get("met").get("p99_added_vs_nginx_trimmed_rounds").asBoolean()).isTrue();
        assertThat(r.get("verdicts").get("p99_added_vs_nginx_trimmed_rounds").get("rounds").asText()).isEqualTo("met");
        // its deltas, µs: the gateway's trimmed mean 733.3, nginx's 1500
        assertThat(r.get("p99_added_us_gateway_trimmed_rounds").asDouble()).isEqualTo(733.333);
        assertThat(r.get("p99_added_us_nginx_trimmed_rounds").asDouble()).isEqualTo(1500.0);
        assertThat(RpchBench.table(r)).contains("\np99_added_vs_nginx_trimmed_rounds 0.489 [0.333-0.667]");
        assertThat(RpchBench.KEYS).contains("p99_added_vs_nginx", "p99_added_vs_nginx_trimmed_rounds");
    }

    @Test
    void theRoundP99RatioStaysBesideItWithItsStalls() {
        ObjectNode r = report();
        // per round from every call's p99: 4000/1500, 600/1500, 900/1500, 800/5500, 1000/1500; the median was the headline
        JsonNode round = r.get("ratios").get("p99_added_vs_nginx_round_p99");
        assertThat(round.get("per_round").toString()).isEqualTo("[2.667,0.4,0.6,0.145,0.667]");
        assertThat(r.get("p99_added_vs_nginx_round_p99").asDouble()).isEqualTo(0.6);
        assertThat(r.get("verdicts").get("p99_added_vs_nginx_round_p99").get("rounds").asText()).isEqualTo("undecided");
        assertThat(r.get("met").get("p99_added_vs_nginx_round_p99").asBoolean()).isTrue();
        assertThat(r.get("p99_added_us_gateway_round_p99").asDouble()).isEqualTo(900.0);
        assertThat(r.get("p99_added_us_nginx_round_p99").asDouble()).isEqualTo(1500.0);
        assertThat(RpchBench.table(r)).contains("p99_added_vs_nginx_round_p99", "latency rate: ");
    }

    @Test
    void eachArmKeepsItsRoundsP99s() {
        ObjectNode r = report();
        assertThat(r.get("arms").get("gateway").get("p99_us_rounds").toString()).isEqualTo("[4500.0,1100.0,1400.0,1300.0,1500.0]");
        assertThat(r.get("arms").get("gateway").get("p99_us_turns").toString()).isEqualTo("[[1400,1400,4400,4400],[1000,1000],[1100,1100],"
                + "[1300,1300],[900,900]]");
    }

    /**
     * One quiet round of four turns: the direct arm's at 400 µs and the upstream's at 900, the gateway's and nginx's
     * given.
     */
    private static ObjectNode oneRoundOfTurns(List<Double> gateway, List<Double> nginx) {
        Map<Arm, List<Sample>> samples = new EnumMap<>(Arm.class);
        double[] one = {1000};
        for (Arm a : List.of(Arm.DIRECT, Arm.GATEWAY, Arm.NGINX, Arm.UPSTREAM)) {
            samples.put(a, rounds(a, 150, one, one));
        }
        return report(samples, Map.of(Arm.DIRECT, List.of(List.of(400.0, 400.0, 400.0, 400.0)), Arm.GATEWAY, List.of(gateway), Arm.NGINX,
                List.of(nginx), Arm.UPSTREAM, List.of(List.of(900.0, 900.0, 900.0, 900.0))));
    }

    @Test
    void aTurnWithoutCallsIsNullInTheReportAndItsBlockIsLeftOut() {
        ObjectNode r = oneRoundOfTurns(List.of(Double.NaN, 2000.0, 2000.0, 2000.0), List.of(2400.0, 2400.0, 2400.0, 2400.0));
        assertThat(r.get("arms").get("gateway").get("p99_us_turns").toString()).isEqualTo("[[null,2000,2000,2000]]");
        assertThat(r.get("p99_added_vs_nginx").asDouble()).isEqualTo(1.067); // the second block alone: 1600 / 1500
        assertThat(r.get("ratios").get("p99_added_vs_nginx").get("blocks").get("left_out").asInt()).isEqualTo(1);
    }

    @Test
    void whereNginxAddedNothingInAnyBlockTheHeadlineIsNullWithAReason() {
        // nginx below its upstream (900) in the first block, equal in the second: no positive denominator
        ObjectNode r = oneRoundOfTurns(List.of(2000.0, 2000.0, 2000.0, 2000.0), List.of(800.0, 800.0, 900.0, 900.0));
        assertThat(r.get("p99_added_vs_nginx").isNull()).isTrue();
        assertThat(r.get("reasons").get("p99_added_vs_nginx").asText()).isEqualTo("nginx added no p99 latency in any block of turns");
        assertThat(r.get("ratios").has("p99_added_vs_nginx")).isFalse();
        assertThat(r.get("met").get("p99_added_vs_nginx").isNull()).isTrue();
        assertThat(r.get("verdicts").has("p99_added_vs_nginx")).isFalse();
    }

    @Test
    void withoutNginxsAddedTailTheHeadlineIsNullWithAReason() {
        Map<Arm, List<Sample>> samples = new EnumMap<>(Arm.class);
        double[] same = {1000, 1000, 1000};
        samples.put(Arm.DIRECT, rounds(Arm.DIRECT, 150, same, same));
        samples.put(Arm.GATEWAY, rounds(Arm.GATEWAY, 260, same, same));
        samples.put(Arm.NGINX, rounds(Arm.NGINX, 650, new double[] {3000, 3000, 3000}, same));
        samples.put(Arm.UPSTREAM, rounds(Arm.UPSTREAM, 500, same, same));
        ObjectNode r = report(samples);
        assertThat(r.get("p99_added_vs_nginx").isNull()).isTrue(); // no turns
        assertThat(r.get("reasons").get("p99_added_vs_nginx").asText()).isEqualTo("no block of 2 latency turns of every arm to pair (--seconds 0.75 or more gives two)");
        assertThat(r.get("p99_added_vs_nginx_trimmed_rounds").isNull()).isTrue();
        assertThat(r.get("reasons").get("p99_added_vs_nginx_trimmed_rounds").asText())
                .isEqualTo("nginx added no p99 latency in any round's median turn");
        assertThat(r.get("p99_added_vs_nginx_round_p99").asDouble()).isZero(); // the gateway added nothing over its floor
    }
}
