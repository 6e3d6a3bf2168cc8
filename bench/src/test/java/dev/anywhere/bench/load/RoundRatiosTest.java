package dev.anywhere.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The per-round ratio arithmetic: no timing, only numbers. */
class RoundRatiosTest {

    private static final double NAN = Double.NaN;

    @Test
    void eachRoundIsDividedByItsOwnRoundNotByAMedian() {
        // a neighbour slowed round 2 for both arms: per round the gateway is 0.8 of direct every time
        RoundRatios steady = new RoundRatios(RoundRatios.divide(List.of(800.0, 400.0, 880.0), List.of(1000.0, 500.0, 1100.0)),
                List.of(false, false, false));
        assertThat(steady.perRound()).containsExactly(0.8, 0.8, 0.8);
        assertThat(steady.all().spread()).isZero();
        // the ratio of medians pairs one round's gateway with another round's direct arm: 700 / 1000 here
        List<Double> gateway = List.of(800.0, 450.0, 700.0);
        List<Double> direct = List.of(1000.0, 500.0, 1000.0);
        assertThat(RoundRatios.Stats.of(gateway).median() / RoundRatios.Stats.of(direct).median()).isEqualTo(0.7);
        assertThat(new RoundRatios(RoundRatios.divide(gateway, direct), List.of(false, false, false)).all().median()).isEqualTo(0.8);
    }

    @Test
    void aMissingOrNonPositiveDenominatorGivesNoRatioForThatRound() {
        assertThat(RoundRatios.divide(List.of(1.0, 2.0, NAN, 4.0), List.of(2.0, 0.0, 1.0, -1.0))).containsExactly(0.5, NAN, NAN, NAN);
        assertThat(RoundRatios.divide(List.of(1.0, 2.0), List.of(4.0))).containsExactly(0.25, NAN);
    }

    @Test
    void medianMinMaxAndSpreadOverOddAndEvenRounds() {
        RoundRatios.Stats odd = RoundRatios.Stats.of(List.of(0.9, 0.7, NAN, 0.8));
        assertThat(odd.rounds()).isEqualTo(3);
        assertThat(odd.median()).isEqualTo(0.8);
        assertThat(odd.min()).isEqualTo(0.7);
        assertThat(odd.max()).isEqualTo(0.9);
        assertThat(odd.spread()).isCloseTo(0.25, within(1e-12)); // (0.9 - 0.7) / 0.8
        RoundRatios.Stats even = RoundRatios.Stats.of(List.of(1.0, 4.0, 2.0, 3.0));
        assertThat(even.median()).isEqualTo(2.5);
        assertThat(even.spread()).isCloseTo(1.2, within(1e-12));
        RoundRatios.Stats none = RoundRatios.Stats.of(List.of(NAN));
        assertThat(none.rounds()).isZero();
        assertThat(none.median()).isNaN();
        assertThat(none.spread()).isNaN();
    }

    @Test
    void theTrimmedMeanDropsTheExtremeRoundsAndAveragesTheRest() {
        // five rounds: the lowest and the highest left out, the middle three averaged
        assertThat(RoundRatios.Stats.of(List.of(1.423, 0.358, 0.673, 0.600, 0.641)).trimmedMean()).isCloseTo(0.638, within(1e-12));
        // ten rounds: two left out at either end
        assertThat(RoundRatios.Stats.of(List.of(9.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 100.0)).trimmedMean()).isEqualTo(5.5);
        // up to four rounds it is the median: nothing can be averaged without keeping an extreme
        assertThat(RoundRatios.Stats.of(List.of(4.0, 1.0, 2.0, 30.0)).trimmedMean()).isEqualTo(3.0);
        assertThat(RoundRatios.Stats.of(List.of(0.9, 0.1, 0.5)).trimmedMean()).isEqualTo(0.5);
        assertThat(RoundRatios.Stats.of(List.of(0.4, 0.6)).trimmedMean()).isEqualTo(0.5);
        assertThat(RoundRatios.Stats.of(List.of(0.7, NAN)).trimmedMean()).isEqualTo(0.7);
        assertThat(RoundRatios.Stats.of(List.of(NAN)).trimmedMean()).isNaN();
    }

    @Test
    void theP99HeadlineReproducesBetweenTheQuietRunsTAndUWhereTheRoundP99DidNot() {
        // p99_added_vs_nginx per round in runs T and U (docs/bench-results/rpch-2026-12-06-run-t.json, -run-u.json),
        // two quiet full runs of the same tree: from each round's p99 of every call ...
        RoundRatios tRound = quiet(2.602, 0.451, 0.510, 0.666, 0.520);
        RoundRatios uRound = quiet(1.544, 0.709, 0.664, 2.860, 0.716);
        assertThat(RoundRatios.agree(tRound.headline().median(), uRound.headline().median(), 0.15)).isFalse(); // 0.520, 0.716: 38 %
        // ... and from each round's typical half-second (the median of its turns' p99s)
        RoundRatios tTurn = quiet(1.423, 0.358, 0.673, 0.600, 0.641);
        RoundRatios uTurn = quiet(0.624, 0.467, 0.552, 0.622, 0.515);
        assertThat(RoundRatios.agree(tTurn.headline().median(), uTurn.headline().median(), 0.15)).isFalse(); // 0.641, 0.552: 16 %
        assertThat(tTurn.headline().trimmedMean()).isCloseTo(0.638, within(1e-12));
        assertThat(uTurn.headline().trimmedMean()).isCloseTo(0.563, within(1e-12));
        assertThat(RoundRatios.agree(tTurn.headline().trimmedMean(), uTurn.headline().trimmedMean(), 0.15)).isTrue(); // 13 %
    }

    private static RoundRatios quiet(Double... perRound) {
        return new RoundRatios(List.of(perRound), java.util.Collections.nCopies(perRound.length, false));
    }

    @Test
    void theHeadlineLeavesDisturbedRoundsOutUnlessEveryRoundWasDisturbed() {
        RoundRatios r = new RoundRatios(List.of(0.80, 0.50, 0.82, 0.81), List.of(false, true, false, false));
        assertThat(r.all().median()).isCloseTo(0.805, within(1e-12));
        assertThat(r.headline().median()).isEqualTo(0.81);
        assertThat(r.headline().rounds()).isEqualTo(3);
        assertThat(r.headlineUndisturbed()).isTrue();
        RoundRatios allDisturbed = new RoundRatios(List.of(0.80, 0.50, 0.82), List.of(true, true, true));
        assertThat(allDisturbed.headlineUndisturbed()).isFalse();
        assertThat(allDisturbed.headline().median()).isEqualTo(0.80);
    }

    @Test
    void aGoalIsJudgeableOnlyOnThreeRoundsWithinFifteenPercent() {
        assertThat(new RoundRatios(List.of(0.80, 0.86, 0.83), List.of(false, false, false)).judgeable()).isTrue(); // 0.06 / 0.83 = 7 %
        assertThat(new RoundRatios(List.of(0.70, 0.90, 0.80), List.of(false, false, false)).judgeable()).isFalse(); // 25 %
        assertThat(new RoundRatios(List.of(0.80, 0.81), List.of(false, false)).judgeable()).isFalse(); // two rounds
        // three rounds, but one disturbed: the two undisturbed ones are not enough
        assertThat(new RoundRatios(List.of(0.80, 0.81, 0.82), List.of(false, true, false)).judgeable()).isFalse();
        // every round disturbed: close together, but a steady neighbour moves every round alike
        assertThat(new RoundRatios(List.of(0.50, 0.51, 0.52), List.of(true, true, true)).judgeable()).isFalse();
    }

    @Test
    void theVerdictSaysWhetherEveryRoundMeetsTheGoalNoneOrSome() {
        List<Boolean> quiet = List.of(false, false, false);
        assertThat(new RoundRatios(List.of(0.81, 0.85, 0.90), quiet).verdict(v -> v >= 0.8)).isEqualTo(RoundRatios.Verdict.MET);
        assertThat(new RoundRatios(List.of(0.51, 0.65, 0.70), quiet).verdict(v -> v >= 0.8)).isEqualTo(RoundRatios.Verdict.MISSED);
        assertThat(new RoundRatios(List.of(0.75, 0.85, 0.90), quiet).verdict(v -> v >= 0.8)).isEqualTo(RoundRatios.Verdict.UNDECIDED);
        // the disturbed round that missed does not count while undisturbed ones exist
        assertThat(new RoundRatios(List.of(0.81, 0.40, 0.90), List.of(false, true, false)).verdict(v -> v >= 0.8))
                .isEqualTo(RoundRatios.Verdict.MET);
        assertThat(new RoundRatios(List.of(NAN, NAN), List.of(false, false)).verdict(v -> v >= 0.8))
                .isEqualTo(RoundRatios.Verdict.NOT_MEASURED);
    }

    @Test
    void twoRunsAgreeWithinFifteenPercentOfTheSmaller() {
        assertThat(RoundRatios.agree(0.80, 0.92, 0.15)).isTrue(); // 0.12 <= 0.12
        assertThat(RoundRatios.agree(0.51, 0.73, 0.15)).isFalse(); // runs A and B of issue 19
        assertThat(RoundRatios.agree(0.0, 0.0, 0.15)).isFalse();
    }

    @Test
    void addedLatencyIsTheArmsDeltaOverTheReferencesDelta() {
        // gateway 292 over direct 215 against nginx 713 over upstream 558 (run R's p50 medians)
        assertThat(RoundRatios.addedRatio(292, 215, 713, 558)).isCloseTo(77.0 / 155, within(1e-12));
        assertThat(RoundRatios.addedRatio(200, 215, 713, 558)).isZero(); // below its floor: noise, adds nothing
        assertThat(RoundRatios.addedRatio(292, 215, 558, 558)).isNaN(); // the reference added nothing
        assertThat(RoundRatios.addedRatio(292, 215, 500, 558)).isNaN();
        assertThat(RoundRatios.addedRatio(NAN, 215, 713, 558)).isNaN();
        assertThat(RoundRatios.addedRatios(List.of(300.0, 200.0, 300.0), List.of(200.0, 250.0, 200.0), List.of(500.0, 500.0, 500.0),
                List.of(300.0, 300.0))).containsExactly(0.5, 0.0, NAN);
    }

    @Test
    void aPooledPercentileCountsEveryCallOnceNotTheMedianOfTheRoundsPercentiles() {
        // 1,000 calls a round; 20 slow ones (2 ms) in the first round, 9 in each of the others
        List<Histogram> rounds = List.of(round(980, 20), round(991, 9), round(991, 9));
        List<Double> perRoundP99 = rounds.stream().map(h -> (double) h.getValueAtPercentile(99)).toList();
        assertThat(perRoundP99).containsExactly(2000.0, 100.0, 100.0);
        assertThat(RoundRatios.Stats.of(perRoundP99).median()).isEqualTo(100.0); // the median of rounds: two rounds hide the tail
        // 38 of 3,000 calls (1.3 %) took 2 ms: the p99 of the calls is 2 ms
        List<Boolean> all = List.of(true, true, true);
        assertThat(RoundRatios.pooledPercentile(rounds, all, 99)).isEqualTo(2000.0);
        assertThat(RoundRatios.pooledPercentile(rounds, all, 50)).isEqualTo(100.0);
        // only the rounds marked count; none marked: no value
        assertThat(RoundRatios.pooledPercentile(rounds, List.of(false, true, true), 99)).isEqualTo(100.0);
        assertThat(RoundRatios.pooledPercentile(rounds, List.of(false, false, false), 99)).isNaN();
    }

    private static Histogram round(int fast, int slow) {
        Histogram h = new Histogram(3);
        h.recordValueWithCount(100, fast);
        h.recordValueWithCount(2000, slow);
        return h;
    }

    @Test
    void theHeadlineRoundsAreTheUndisturbedOnesUnlessNoneIs() {
        assertThat(RoundRatios.headlineRounds(List.of(false, true, false))).containsExactly(true, false, true);
        assertThat(RoundRatios.headlineRounds(List.of(true, true))).containsExactly(true, true);
        assertThat(RoundRatios.headlineRounds(List.of())).isEmpty();
    }

    @Test
    void roundsAndMarksMustPair() {
        assertThatThrownBy(() -> new RoundRatios(List.of(1.0, 2.0), List.of(false)))
                .hasMessage("rounds: 2 ratios, 1 disturbance marks");
    }

    @Test
    void theReportNodeCarriesEveryRoundAndReadsBack() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode into = m.createObjectNode();
        RoundRatios r = new RoundRatios(List.of(0.8, NAN, 0.9, 0.5), List.of(false, false, false, true));
        RpchBench.ratioNode(m, into, "throughput_vs_direct", r);
        var n = into.get("throughput_vs_direct");
        assertThat(n.get("median").asDouble()).isCloseTo(0.85, within(1e-9));
        assertThat(n.get("trimmed_mean").asDouble()).isCloseTo(0.85, within(1e-9)); // two headline rounds: their mean
        assertThat(n.get("rounds").asInt()).isEqualTo(2);
        assertThat(n.get("basis").asText()).isEqualTo("undisturbed rounds");
        assertThat(n.get("judgeable").asBoolean()).isFalse();
        assertThat(n.get("median_all_rounds").asDouble()).isEqualTo(0.8);
        assertThat(n.get("per_round").toString()).isEqualTo("[0.8,null,0.9,0.5]");
        assertThat(n.get("disturbed").toString()).isEqualTo("[false,false,false,true]");
        RoundRatios back = RpchBench.fromNode(n);
        assertThat(back.perRound()).containsExactly(0.8, NAN, 0.9, 0.5);
        assertThat(back.disturbed()).containsExactly(false, false, false, true);
    }
}
