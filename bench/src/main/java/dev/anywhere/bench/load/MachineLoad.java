package dev.anywhere.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What else the machine did during a phase: CPU stolen by the hypervisor and CPU used by processes other than the
 * benchmark's own (the bench JVM and its relays), from the {@code cpu} line of {@code /proc/stat} against the
 * benchmark's own CPU ({@link CpuMeter}). A phase beside a busy neighbour or under steal measures the neighbour too, so
 * such a phase is marked disturbed, and so is its round.
 */
public final class MachineLoad {

    /** Steal above this share of the machine's CPU time disturbs a phase. */
    static final double STEAL_MAX = 0.02;
    /** Other processes' CPU above this many CPUs (a tenth of one) disturbs a phase. */
    static final double OTHER_CPUS_MAX = 0.10;

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ

    private MachineLoad() {
    }

    /**
     * The machine-wide counters in clock ticks: {@code busy} is user + nice + system (what processes run; guest time is
     * inside user; interrupt and softirq time is charged to no process, so it is left out on both sides), {@code steal}
     * and {@code total} (every field).
     */
    record Counters(long busy, long steal, long total) {

        /** The aggregate {@code cpu  user nice system idle iowait irq softirq steal guest guest_nice} line. */
        static Counters parse(String cpuLine) {
            String[] f = cpuLine.trim().split("\\s+");
            if (!f[0].equals("cpu") || f.length < 9) {
                throw new IllegalArgumentException("/proc/stat: not the aggregate cpu line: " + cpuLine);
            }
            long total = 0;
            // guest and guest_nice (fields 9, 10) are already inside user and nice
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            return new Counters(Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]), Long.parseLong(f[8]), total);
        }

        static Counters read() {
            try {
                return parse(Files.readAllLines(Path.of("/proc/stat")).get(0));
            } catch (IOException | RuntimeException e) {
                return null; // not Linux: no disturbance measured
            }
        }
    }

    /** A phase's start: the machine's counters, the benchmark's own CPU seconds so far, the time. */
    record Mark(Counters counters, double ownCpuSeconds, long nanos) {
    }

    /**
     * One phase: its length, the stolen share of the machine's CPU time, and the CPUs other processes used on average
     * (NaN when /proc/stat could not be read).
     */
    public record Phase(double seconds, double stealShare, double otherCpus) {

        static final Phase UNKNOWN = new Phase(Double.NaN, Double.NaN, Double.NaN);

        /** Between two readings: {@code ownCpuSeconds} is what the benchmark's processes used in between. */
        static Phase between(Counters a, Counters b, double ownCpuSeconds, double seconds) {
            if (a == null || b == null || seconds <= 0) {
                return UNKNOWN;
            }
            long total = b.total() - a.total();
            double steal = total <= 0 ? 0 : (b.steal() - a.steal()) / (double) total;
            double other = Math.max(0, (b.busy() - a.busy()) / TICKS_PER_SECOND - ownCpuSeconds) / seconds;
            return new Phase(seconds, steal, other);
        }

        public boolean disturbed() {
            return stealShare > STEAL_MAX || otherCpus > OTHER_CPUS_MAX;
        }

        /** Both phases of an arm: the worse of each. */
        Phase worst(Phase o) {
            return new Phase(seconds + o.seconds, Math.max(stealShare, o.stealShare), Math.max(otherCpus, o.otherCpus));
        }
    }

    static Mark mark(double ownCpuSeconds) {
        return new Mark(Counters.read(), ownCpuSeconds, System.nanoTime());
    }

    static Phase since(Mark start, double ownCpuSecondsNow) {
        return Phase.between(start.counters(), Counters.read(), ownCpuSecondsNow - start.ownCpuSeconds(),
                (System.nanoTime() - start.nanos()) / 1e9);
    }
}
