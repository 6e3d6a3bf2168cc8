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
