package dev.anywhere.bench.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.DoublePredicate;
import org.HdrHistogram.Histogram;

/**
 * A ratio computed in each round from arms measured back to back in that round, and its spread across rounds. A ratio
 * of medians pairs one round's gateway with another round's direct arm, so a neighbour's burst in either moves it; per
 * round, both arms saw nearly the same machine, and the spread across rounds shows how much the machine moved.
 * Disturbed rounds ({@link MachineLoad}) are kept in the report but left out of the headline when undisturbed rounds
 * exist.
 */
public record RoundRatios(List<Double> perRound, List<Boolean> disturbed) {

    /** A goal is judged on a ratio only when its rounds spread by at most this much of their median. */
    public static final double JUDGEABLE_SPREAD = 0.15;
    /** ... and over at least this many rounds. */
    public static final int JUDGEABLE_ROUNDS = 3;

    public RoundRatios {
        if (perRound.size() != disturbed.size()) {
            throw new IllegalArgumentException("rounds: " + perRound.size() + " ratios, " + disturbed.size() + " disturbance marks");
        }
        perRound = List.copyOf(perRound);
        disturbed = List.copyOf(disturbed);
    }

    /** {@code numerator[i] / denominator[i]} per round; NaN where either is missing or the denominator is not positive. */
    public static List<Double> divide(List<Double> numerator, List<Double> denominator) {
        List<Double> out = new ArrayList<>(numerator.size());
        for (int i = 0; i < numerator.size(); i++) {
            double n = numerator.get(i);
            double d = i < denominator.size() ? denominator.get(i) : Double.NaN;
            out.add(Double.isNaN(n) || Double.isNaN(d) || d <= 0 ? Double.NaN : n / d);
        }
        return out;
    }

    /** The share of the rounds a {@link Stats#trimmedMean()} leaves out at either end. */
    public static final double TRIM_SHARE = 0.2;

    /**
     * The statistics of some rounds' values (NaN values left out): median, extremes, and the trimmed mean, the mean of
     * the values without the lowest and highest fifth (at least one at either end from three values on).
     */
    public record Stats(int rounds, double median, double min, double max, double trimmedMean) {

        static Stats of(List<Double> values) {
            List<Double> v = values.stream().filter(d -> !Double.isNaN(d) && !Double.isInfinite(d)).sorted(Comparator.naturalOrder()).toList();
            if (v.isEmpty()) {
                return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            int k = v.size();
            double median = k % 2 == 1 ? v.get(k / 2) : (v.get(k / 2 - 1) + v.get(k / 2)) / 2;
            return new Stats(k, median, v.get(0), v.get(k - 1), trimmedMean(v));
        }

        /**
         * Of sorted values. Five rounds: the mean of the middle three. The median keeps one round's value and a mean
         * lets one round's stall move it; this keeps three rounds' information and still drops the extreme round at
         * either end. Up to four values it equals the median.
         */
        private static double trimmedMean(List<Double> sorted) {
            int k = sorted.size();
            int trim = k < 3 ? 0 : Math.max(1, (int) Math.floor(TRIM_SHARE * k));
            double sum = 0;
            for (int i = trim; i < k - trim; i++) {
                sum += sorted.get(i);
            }
            return sum / (k - 2 * trim);
        }

        /** (max − min) ÷ median: how far the rounds disagree, relative to the value; NaN without a positive median. */
        public double spread() {
            return rounds == 0 || !(median > 0) ? Double.NaN : (max - min) / median;
        }
    }

    /** Every round. */
    public Stats all() {
        return Stats.of(perRound);
    }

    /** The rounds not marked disturbed. */
    public Stats undisturbed() {
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < perRound.size(); i++) {
            if (!disturbed.get(i)) {
                v.add(perRound.get(i));
            }
        }
        return Stats.of(v);
    }

    /** What the headline reports: the undisturbed rounds when there are any with a value, else every round. */
    public Stats headline() {
        Stats u = undisturbed();
        return u.rounds() > 0 ? u : all();
    }

    public boolean headlineUndisturbed() {
        return undisturbed().rounds() > 0;
    }

    /**
     * Whether a goal can be judged on this ratio: enough undisturbed rounds that agree enough. Disturbed rounds never
     * judge, however close they lie (a steady neighbour moves every round alike).
     */
    public boolean judgeable() {
        Stats u = undisturbed();
        return u.rounds() >= JUDGEABLE_ROUNDS && u.spread() <= JUDGEABLE_SPREAD;
    }

    /** How the headline rounds stand against a goal. */
    public enum Verdict { MET, MISSED, UNDECIDED, NOT_MEASURED }

    /**
     * {@code MET} when every headline round meets {@code goal}, {@code MISSED} when none does, {@code UNDECIDED} when
     * the rounds straddle it (then no run of this length can say).
     */
    public Verdict verdict(DoublePredicate goal) {
        Stats h = headline();
        if (h.rounds() == 0) {
            return Verdict.NOT_MEASURED;
        }
        boolean useUndisturbed = headlineUndisturbed();
        int meet = 0;
        int n = 0;
        for (int i = 0; i < perRound.size(); i++) {
            double v = perRound.get(i);
            if (Double.isNaN(v) || Double.isInfinite(v) || (useUndisturbed && disturbed.get(i))) {
                continue;
            }
            n++;
            if (goal.test(v)) {
                meet++;
            }
        }
        return meet == n ? Verdict.MET : meet == 0 ? Verdict.MISSED : Verdict.UNDECIDED;
    }

    /** The rounds a headline counts: the undisturbed ones when there are any, else every round. */
    public static List<Boolean> headlineRounds(List<Boolean> disturbed) {
        boolean anyQuiet = disturbed.contains(Boolean.FALSE);
        return disturbed.stream().map(d -> !anyQuiet || !d).toList();
    }

    /**
     * Added latency against a reference's: {@code (arm − floor) ÷ (reference − referenceFloor)}, e.g. the gateway over
     * the direct arm against nginx over its upstream. An arm below its floor (noise) adds 0; NaN when a value is missing
     * or the reference added nothing.
     */
    public static double addedRatio(double arm, double floor, double reference, double referenceFloor) {
        double added = arm - floor;
        double referenceAdded = reference - referenceFloor;
        return Double.isNaN(added) || Double.isNaN(referenceAdded) || referenceAdded <= 0 ? Double.NaN : Math.max(0, added) / referenceAdded;
    }

    /** {@link #addedRatio} round by round. */
    public static List<Double> addedRatios(List<Double> arm, List<Double> floor, List<Double> reference, List<Double> referenceFloor) {
        List<Double> out = new ArrayList<>(arm.size());
        for (int i = 0; i < arm.size(); i++) {
            out.add(addedRatio(arm.get(i), at(floor, i), at(reference, i), at(referenceFloor, i)));
        }
        return out;
    }

    private static double at(List<Double> v, int i) {
        return i < v.size() ? v.get(i) : Double.NaN;
    }

    /**
     * The {@code percentile} of every call of the rounds {@code use} marks, each call counted once: the rounds'
     * histograms added, not a median of the rounds' percentiles. A p99 rests on the slowest 1 % of the calls, a few
     * thousand per round; pooled, on five times as many, so one round's tail event weighs by its share of the calls.
     * NaN without calls.
     */
    public static double pooledPercentile(List<Histogram> rounds, List<Boolean> use, double percentile) {
        Histogram all = new Histogram(3);
        for (int i = 0; i < rounds.size(); i++) {
            if (i < use.size() && use.get(i)) {
                all.add(rounds.get(i));
            }
        }
        return all.getTotalCount() == 0 ? Double.NaN : all.getValueAtPercentile(percentile);
    }

    /** Two runs' headline values agree when they differ by at most {@code tolerance} of the smaller. */
    public static boolean agree(double a, double b, double tolerance) {
        return a > 0 && b > 0 && Math.abs(a - b) <= tolerance * Math.min(a, b);
    }
}
