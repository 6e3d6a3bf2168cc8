package dev.anywhere.bench.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The p99 goal's headline: added latency per cycle of turns. In a round's latency phase the arms take turns, so turn
 * {@code i} of the direct arm, the gateway, nginx and its upstream lie within one cycle (seconds apart; {@link
 * RpchBench#latencyPhase}). Per block of {@link #BLOCK} adjacent cycles, each arm's figure is the median of its turns'
 * p99s in the block and the block's ratio is {@link RoundRatios#addedRatio}; the headline is the median over every
 * block of the headline rounds (about 50 in a full run, instead of five round values). Chosen on runs V, W, X and Y
 * by a rule stated before their figures (docs/performance.md, "A p99 per cycle of turns").
 *
 * <p>A block where nginx added nothing over its upstream (a zero or negative denominator) has no ratio: it is left out
 * of the median and counted ({@link Stats#leftOut()}); a turn without calls is NaN and leaves its block out the same way.
 *
 * @param gateway per round, each of the gateway's turns' p99 in µs in the order of the turns
 * @param direct the same of the direct arm
 * @param nginx the same of nginx
 * @param upstream the same of nginx's upstream gateway
 * @param disturbed per round, whether it was disturbed ({@link MachineLoad})
 */
public record CycleRatios(List<List<Double>> gateway, List<List<Double>> direct, List<List<Double>> nginx, List<List<Double>> upstream,
        List<Boolean> disturbed) {

    /** Adjacent cycles per block: two half-second turns per arm (a second of each arm's calls per ratio). */
    public static final int BLOCK = 2;

    public CycleRatios {
        gateway = List.copyOf(gateway);
        direct = List.copyOf(direct);
        nginx = List.copyOf(nginx);
        upstream = List.copyOf(upstream);
        disturbed = List.copyOf(disturbed);
    }

    /** Every block ratio of round {@code round} (0-based), NaN where not computable; empty without enough turns. */
    public List<Double> blocks(int round) {
        return perBlock(round, RoundRatios::addedRatio);
    }

    /** {@code f(gateway, direct, nginx, upstream)} of each block of the round, each arm's figure its turns' median. */
    private List<Double> perBlock(int round, Block f) {
        List<Double> g = at(gateway, round);
        List<Double> d = at(direct, round);
        List<Double> n = at(nginx, round);
        List<Double> u = at(upstream, round);
        int cycles = Math.min(Math.min(g.size(), d.size()), Math.min(n.size(), u.size()));
        List<Double> out = new ArrayList<>();
        for (int c = 0; c + BLOCK <= cycles; c += BLOCK) {
            out.add(f.of(block(g, c), block(d, c), block(n, c), block(u, c)));
        }
        return out;
    }

    private interface Block {
        double of(double gateway, double direct, double nginx, double upstream);
    }

    /** The median of an arm's turns {@code [from, from + BLOCK)}; NaN when one of them is NaN (a turn without calls). */
    private static double block(List<Double> turns, int from) {
        List<Double> v = turns.subList(from, from + BLOCK);
        return v.stream().anyMatch(x -> x == null || x.isNaN()) ? Double.NaN : RpchBench.median(v.stream().sorted().toList());
    }

    private static List<Double> at(List<List<Double>> rounds, int round) {
        return round < rounds.size() && rounds.get(round) != null ? rounds.get(round) : List.of();
    }

    /** Per round: the median of its block ratios (NaN without one) — what the per-round verdict and judgeability read. */
    public RoundRatios perRound() {
        List<Double> v = new ArrayList<>();
        for (int r = 0; r < disturbed.size(); r++) {
            v.add(RoundRatios.Stats.of(blocks(r)).median());
        }
        return new RoundRatios(v, disturbed);
    }

    /**
     * The headline: every block of the headline rounds ({@link RoundRatios#headlineRounds}: the undisturbed ones when
     * any exists, else every round) at once.
     */
    public Stats headline() {
        return Stats.of(headlineBlocks(RoundRatios::addedRatio));
    }

    /**
     * What the gateway added over the direct arm ({@code reference} false) or nginx over its upstream (true), µs: the
     * median over the headline blocks, beside the ratio; NaN without blocks.
     */
    public double addedMicros(boolean reference) {
        return RoundRatios.Stats.of(headlineBlocks((g, d, n, u) -> reference ? n - u : g - d)).median();
    }

    private List<Double> headlineBlocks(Block f) {
        List<Boolean> use = RoundRatios.headlineRounds(disturbed);
        List<Double> all = new ArrayList<>();
        for (int r = 0; r < use.size(); r++) {
            if (use.get(r)) {
                all.addAll(perBlock(r, f));
            }
        }
        return all;
    }

    /**
     * The blocks' median and quartiles (the interquartile range is the spread: half of the blocks lie in it), over
     * {@code blocks} ratios, {@code leftOut} blocks not computable, and the median's standard error: the standard
     * deviation of the medians of {@link #RESAMPLES} bootstrap resamples of the blocks (drawn with replacement, a fixed
     * seed, so a report reads the same every time it is computed). It says how far the median of another run of the
     * same length can be expected to fall from this one by sampling alone ({@link #twoRunDifference95()}).
     */
    public record Stats(int blocks, int leftOut, double median, double lowerQuartile, double upperQuartile, double standardError) {

        /** Bootstrap resamples behind {@link #standardError}. */
        static final int RESAMPLES = 2000;

        static Stats of(List<Double> values) {
            List<Double> v = values.stream().filter(d -> !d.isNaN() && !d.isInfinite()).sorted(Comparator.naturalOrder()).toList();
            int leftOut = values.size() - v.size();
            if (v.isEmpty()) {
                return new Stats(0, leftOut, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            // the quartiles as the medians of the lower and upper half (the median in both when the count is odd)
            return new Stats(v.size(), leftOut, RpchBench.median(v), RpchBench.median(v.subList(0, v.size() / 2 + v.size() % 2)),
                    RpchBench.median(v.subList(v.size() / 2, v.size())), bootstrapStandardError(v));
        }

        private static double bootstrapStandardError(List<Double> sorted) {
            int n = sorted.size();
            java.util.SplittableRandom random = new java.util.SplittableRandom(19);
            double[] draw = new double[n];
            double[] medians = new double[RESAMPLES];
            double sum = 0;
            for (int r = 0; r < RESAMPLES; r++) {
                for (int i = 0; i < n; i++) {
                    draw[i] = sorted.get(random.nextInt(n));
                }
                java.util.Arrays.sort(draw);
                medians[r] = n % 2 == 1 ? draw[n / 2] : (draw[n / 2 - 1] + draw[n / 2]) / 2;
                sum += medians[r];
            }
            double mean = sum / RESAMPLES;
            double squares = 0;
            for (double m : medians) {
                squares += (m - mean) * (m - mean);
            }
            return Math.sqrt(squares / RESAMPLES);
        }

        /** The interquartile range; NaN without blocks. */
        public double interquartileRange() {
            return upperQuartile - lowerQuartile;
        }

        /** The standard error relative to the median; NaN without blocks or with a median of 0. */
        public double relativeStandardError() {
            return median == 0 ? Double.NaN : standardError / median;
        }

        /**
         * How far apart, relative to the median, two independent runs of this length land in 95 % of cases by sampling
         * alone: 1.96 × √2 × the relative standard error. Issue 19's "two runs within 15 %" needs it well below 0.15.
         */
        public double twoRunDifference95() {
            return 1.96 * Math.sqrt(2) * relativeStandardError();
        }
    }
}
