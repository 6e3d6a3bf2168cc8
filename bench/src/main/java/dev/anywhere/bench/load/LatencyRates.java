package dev.anywhere.bench.load;

import dev.anywhere.bench.load.RpchBench.Arm;
import dev.anywhere.bench.load.RpchBench.Sample;
import java.util.Map;
import java.util.Optional;

/**
 * The open-loop latency phase's rates and what chose them: {@code --rate N} (every arm, the sealed one included), else
 * the machine kind's fixed rates, else "50 % load" from the warm-up (no kind matched, {@code --rate auto}, the smoke
 * run). Two runs compare latency ratios only at the same load, so a known machine kind gets the same rate every run.
 *
 * @param basis what chose the rates
 * @param kind the machine kind whose rates these are; null unless {@code basis} is {@link Basis#MACHINE_KIND}
 * @param relay calls/s of every relay arm (and the direct arm)
 * @param sealed calls/s of the gateway_sealed arm
 */
record LatencyRates(Basis basis, MachineKind kind, int relay, int sealed) {

    enum Basis { FIXED, MACHINE_KIND, WARM_UP }

    /**
     * Above this share of the slowest relay arm's warm-up maximum a fixed rate is no longer "about half load": latency
     * then measures queueing near saturation, and the ratios do not compare with runs at half load.
     */
    static final double LOAD_WARNING = 0.7;

    /** The JSON's {@code rate_basis} of the warm-up rule, unchanged since it was the only one. */
    static final String WARM_UP_BASIS = "50 % load: half the slowest relay arm's 1 KiB closed-loop maximum in the warm-up round";

    static final String FIXED_BASIS = "fixed (--rate)";

    static final String KIND_BASIS = "machine kind ";

    /** Before the warm-up; {@code ratePerSecond} as {@link RpchBench.Settings#ratePerSecond()}. */
    static LatencyRates choose(int ratePerSecond, Optional<MachineKind> kind) {
        if (ratePerSecond > 0) {
            return new LatencyRates(Basis.FIXED, null, ratePerSecond, ratePerSecond);
        }
        if (ratePerSecond == RpchBench.KIND_RATE && kind.isPresent()) {
            return new LatencyRates(Basis.MACHINE_KIND, kind.get(), kind.get().relayRate(), kind.get().sealedRate());
        }
        // set from the warm-up's maxima before its latency phase
        return new LatencyRates(Basis.WARM_UP, null, RpchBench.WARMUP_RATE, RpchBench.WARMUP_RATE);
    }

    /** Once every arm's 1 KiB maximum of the warm-up is known: the warm-up rule's rates; a fixed rate stays. */
    LatencyRates afterWarmUp(Map<Arm, Sample> maxima) {
        if (basis != Basis.WARM_UP) {
            return this;
        }
        int half = RpchBench.halfLoad(maxima);
        return new LatencyRates(basis, null, half, RpchBench.sealedHalfLoad(maxima, half));
    }

    /** The JSON's {@code settings.rate_basis}. */
    String basisText() {
        return switch (basis) {
            case FIXED -> FIXED_BASIS;
            case MACHINE_KIND -> KIND_BASIS + kind.id();
            case WARM_UP -> WARM_UP_BASIS;
        };
    }

    /** The JSON's {@code settings.latency_rate_sealed_basis}. */
    String sealedBasisText() {
        return switch (basis) {
            case FIXED -> "fixed (--rate), as every arm";
            case MACHINE_KIND -> KIND_BASIS + kind.id() + ": its gateway_sealed rate, about half that arm's warm-up maximum on the"
                    + " kind (its client's protection, not a relay, bounds it); it judges no goal";
            case WARM_UP -> "50 % load of its own: half the gateway_sealed arm's 1 KiB closed-loop maximum in the warm-up round (its"
                    + " client's protection, not a relay, bounds it); it judges no goal";
        };
    }

    /** {@code rate} as a share of {@code max} calls/s, three decimals; NaN without a measured maximum. */
    static double load(int rate, double max) {
        return Double.isNaN(max) || max <= 0 ? Double.NaN : Math.round(1000.0 * rate / max) / 1000.0;
    }

    /**
     * The warning of a fixed rate above {@link #LOAD_WARNING} of the slowest relay arm's warm-up maximum ({@code load});
     * none for the warm-up rule (half by construction) or an unknown load. The rate is not changed: a rate changed per
     * run is what made runs incomparable.
     */
    Optional<String> warning(double load) {
        if (basis == Basis.WARM_UP || Double.isNaN(load) || load <= LOAD_WARNING) {
            return Optional.empty();
        }
        String share = percent(load) + " % of the slowest relay arm's warm-up maximum (above " + percent(LOAD_WARNING) + " %)";
        return Optional.of(basis == Basis.MACHINE_KIND
                ? "the latency rate " + relay + " calls/s is " + share + ": this machine is slower than its kind " + kind.id()
                        + "; latency ratios from this run are not comparable with the kind's other runs"
                : "the latency rate " + relay + " calls/s (--rate) is " + share + ": latency ratios from this run are not comparable"
                        + " with runs at about half load");
    }

    static long percent(double share) {
        return Math.round(100 * share);
    }
}
