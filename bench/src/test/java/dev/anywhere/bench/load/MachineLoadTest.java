package dev.anywhere.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The disturbance arithmetic from /proc/stat counters: no timing, only numbers. */
class MachineLoadTest {

    @Test
    void theAggregateCpuLineIsReadAsBusyStealAndTotalTicks() {
        //                                      user nice system idle iowait irq softirq steal guest guest_nice
        MachineLoad.Counters c = MachineLoad.Counters.parse("cpu  1000 10 500 8000 20 5 30 40 100 0");
        assertThat(c.busy()).isEqualTo(1510); // user + nice + system; guest is inside user
        assertThat(c.steal()).isEqualTo(40);
        assertThat(c.total()).isEqualTo(9605); // user .. steal
        assertThatThrownBy(() -> MachineLoad.Counters.parse("cpu0 1 2 3 4 5 6 7 8"))
                .hasMessage("/proc/stat: not the aggregate cpu line: cpu0 1 2 3 4 5 6 7 8");
    }

    @Test
    void otherProcessesCpuIsTheMachinesBusyTimeLessTheBenchmarksOwn() {
        MachineLoad.Counters a = new MachineLoad.Counters(10_000, 0, 100_000);
        // 5 s on 2 CPUs = 1,000 ticks; 300 ticks busy = 3.0 CPU s, the benchmark used 2.5 of them
        MachineLoad.Counters b = new MachineLoad.Counters(10_300, 0, 101_000);
        MachineLoad.Phase p = MachineLoad.Phase.between(a, b, 2.5, 5.0);
        assertThat(p.otherCpus()).isCloseTo(0.1, within(1e-12)); // 0.5 CPU s over 5 s
        assertThat(p.stealShare()).isZero();
        assertThat(p.disturbed()).isFalse(); // 0.10 is the limit, not above it
        MachineLoad.Phase busy = MachineLoad.Phase.between(a, new MachineLoad.Counters(10_400, 0, 101_000), 2.5, 5.0);
        assertThat(busy.otherCpus()).isCloseTo(0.3, within(1e-12));
        assertThat(busy.disturbed()).isTrue();
    }

    @Test
    void theBenchmarkUsingMoreThanTheMachineCountedIsNoNegativeNeighbour() {
        // /proc/PID/stat and /proc/stat tick separately: the benchmark's own reading may exceed the machine's by a tick
        MachineLoad.Phase p = MachineLoad.Phase.between(new MachineLoad.Counters(0, 0, 0), new MachineLoad.Counters(100, 0, 200), 1.02, 1.0);
        assertThat(p.otherCpus()).isZero();
    }

    @Test
    void stealAboveTwoPercentOfTheMachinesTimeDisturbs() {
        MachineLoad.Counters a = new MachineLoad.Counters(0, 0, 0);
        assertThat(MachineLoad.Phase.between(a, new MachineLoad.Counters(100, 20, 1000), 1.0, 5.0).disturbed()).isFalse(); // 2 %
        MachineLoad.Phase stolen = MachineLoad.Phase.between(a, new MachineLoad.Counters(100, 30, 1000), 1.0, 5.0);
        assertThat(stolen.stealShare()).isCloseTo(0.03, within(1e-12));
        assertThat(stolen.disturbed()).isTrue();
    }

    @Test
    void anArmsLoadIsTheWorseOfItsPhasesAndUnknownIsNeverDisturbed() {
        MachineLoad.Phase bulk = new MachineLoad.Phase(5, 0.01, 0.30);
        MachineLoad.Phase latency = new MachineLoad.Phase(5, 0.03, 0.05);
        MachineLoad.Phase both = bulk.worst(latency);
        assertThat(both.seconds()).isEqualTo(10);
        assertThat(both.stealShare()).isEqualTo(0.03);
        assertThat(both.otherCpus()).isEqualTo(0.30);
        assertThat(MachineLoad.Phase.UNKNOWN.disturbed()).isFalse();
        assertThat(MachineLoad.Phase.between(null, new MachineLoad.Counters(1, 1, 1), 0, 1)).isEqualTo(MachineLoad.Phase.UNKNOWN);
    }
}
