package dev.anywhere.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The per-mechanism relay figures of {@code bench rpch}: context switches from /proc, perf's system call count. */
class RelayCostMeterTest {

    /**
     * Every thread's switches count, not only the main thread's (all that /proc/PID/status says): a thread other than
     * this one sleeps 20 times, each a voluntary switch, and stays alive while the count is read.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void contextSwitchesSumEveryThreadOfTheProcess() throws Exception {
        List<Long> self = List.of(ProcessHandle.current().pid());
        long before = CpuMeter.contextSwitches(self);
        CountDownLatch slept = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread sleeper = new Thread(() -> {
            try {
                for (int i = 0; i < 20; i++) {
                    Thread.sleep(1);
                }
                slept.countDown();
                done.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                // ends the thread
            }
        });
        sleeper.setDaemon(true);
        sleeper.start();
        try {
            assertThat(slept.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(CpuMeter.contextSwitches(self) - before).isGreaterThanOrEqualTo(20);
        } finally {
            done.countDown();
        }
    }

    /** Threads of one kind count together, whatever number tells them apart. */
    @Test
    void threadKindsDropTheNumbers() {
        assertThat(CpuMeter.threadKind("C2 CompilerThre")).isEqualTo("C2 CompilerThre");
        assertThat(CpuMeter.threadKind("G1 Conc#0")).isEqualTo("G1 Conc");
        assertThat(CpuMeter.threadKind("epollEventLoopG")).isEqualTo("epollEventLoopG");
        assertThat(CpuMeter.threadKind("bench-idle-12")).isEqualTo("bench-idle");
        assertThat(CpuMeter.threadKind("pool-3-thread-1")).isEqualTo("pool-3-thread");
        assertThat(CpuMeter.threadKind("GC Thread#3")).isEqualTo("GC Thread");
        assertThat(CpuMeter.threadKind("42")).isEqualTo("42");
    }

    /** A busy thread's CPU lands under its own kind, not spread over the process. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void cpuIsAttributedToTheKindOfThreadThatSpentIt() throws Exception {
        List<Long> self = List.of(ProcessHandle.current().pid());
        double before = CpuMeter.secondsByThreadKind(self).getOrDefault("busy-meter", 0.0);
        Thread busy = new Thread(() -> {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            long x = 0;
            while (System.nanoTime() < end) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.print("");
            }
            try {
                Thread.sleep(5_000); // alive while the count is read
            } catch (InterruptedException e) {
                // ends the thread
            }
        }, "busy-meter-1");
        busy.setDaemon(true);
        busy.start();
        try {
            Thread.sleep(600);
            assertThat(CpuMeter.secondsByThreadKind(self).getOrDefault("busy-meter", 0.0) - before).isGreaterThanOrEqualTo(0.1);
        } finally {
            busy.interrupt();
        }
    }

    /** The idle window starts once two seconds in a row cost the gateways about the same, whatever the level. */
    @Test
    void theGatewaysAreSettledWhenTwoSecondsAgree() {
        assertThat(IdleProbe.steady(-1, 2.0)).isFalse(); // one second says nothing
        assertThat(IdleProbe.steady(40.0, 17.0)).isFalse(); // still falling after the burst
        assertThat(IdleProbe.steady(17.5, 17.0)).isTrue(); // a cost that stays is steady too
        assertThat(IdleProbe.steady(2.0, 3.5)).isTrue();
        assertThat(IdleProbe.steady(2.0, 3.6)).isFalse();
        // A compiler at an even pace is steady but not done (run Z: 5.3 of 5.9 % idle CPU were C2).
        assertThat(IdleProbe.settled(6.0, 6.2, 5.3)).isFalse();
        assertThat(IdleProbe.settled(1.0, 1.2, 0.4)).isTrue();
        assertThat(IdleProbe.settled(-1, 1.2, 0.0)).isFalse();
    }

    @Test
    void aProcessThatIsGoneCountsNothing() {
        assertThat(CpuMeter.contextSwitches(List.of(Long.MAX_VALUE))).isZero();
    }

    @Test
    void perfsCountIsReadFromItsCsvLine() {
        assertThat(SyscallCount.parse(List.of("# started on Sun Dec  6 23:50:01 2026", "",
                "583214,,raw_syscalls:sys_enter,5012345678,100.00,,"))).isEqualTo(583_214);
        assertThat(SyscallCount.parse(List.of("<not counted>,,raw_syscalls:sys_enter,0,100.00,,"))).isEqualTo(-1);
        assertThat(SyscallCount.parse(List.of("perf: command not found"))).isEqualTo(-1);
    }
}
