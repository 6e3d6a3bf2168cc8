package dev.anywhere.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * CPU seconds consumed so far by this JVM, by the threads of one {@link ThreadGroup} (the gateway's or the endpoints'
 * event loops, see {@link Topology}), and by peer processes (nginx master and workers) read from
 * {@code /proc/PID/stat} (utime + stime, in clock ticks of 1/100 s: Linux' USER_HZ); and those processes' context
 * switches, which say how often a relay's threads wait and wake, whatever the neighbours' load.
 */
public final class CpuMeter {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final double TICKS_PER_SECOND = 100.0;

    private CpuMeter() {
    }

    /** This process: user + system CPU seconds. */
    public static double processSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /** The live threads of {@code group} (and its subgroups): user + system CPU seconds. */
    public static double groupSeconds(ThreadGroup group) {
        return group(group, false);
    }

    /** The live threads of {@code group}: user-mode CPU seconds only. */
    public static double groupUserSeconds(ThreadGroup group) {
        return group(group, true);
    }

    private static double group(ThreadGroup group, boolean userOnly) {
        Thread[] threads = new Thread[group.activeCount() + 32];
        int n = group.enumerate(threads, true);
        long nanos = 0;
        for (int i = 0; i < n; i++) {
            long t = userOnly ? THREADS.getThreadUserTime(threads[i].getId()) : THREADS.getThreadCpuTime(threads[i].getId());
            if (t > 0) {
                nanos += t;
            }
        }
        return nanos / 1e9;
    }

    /** Processes {@code pids}: utime + stime seconds from /proc; processes that are gone count 0. */
    public static double processesSeconds(Collection<Long> pids) {
        double s = 0;
        for (long pid : pids) {
            s += procSeconds(pid);
        }
        return s;
    }

    /** Processes {@code pids}: utime seconds only. */
    public static double processesUserSeconds(Collection<Long> pids) {
        double s = 0;
        for (long pid : pids) {
            s += proc(pid, true);
        }
        return s;
    }

    /**
     * Processes {@code pids}: context switches so far, voluntary (the thread waited: epoll_wait, a futex) and
     * involuntary (the scheduler took the CPU), summed over every thread ({@code /proc/PID/task/TID/status}; the
     * process's own status counts its main thread only). Threads that ended between two readings take their counts
     * with them, so a difference is a slight undercount; a relay's threads live as long as it does.
     */
    public static long contextSwitches(Collection<Long> pids) {
        long n = 0;
        for (long pid : pids) {
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    n += threadContextSwitches(task.resolve("status"));
                }
            } catch (IOException | RuntimeException e) {
                // the process is gone: it counts 0
            }
        }
        return n;
    }

    private static long threadContextSwitches(Path status) {
        long n = 0;
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                    n += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // the thread ended while being read
        }
        return n;
    }

    /**
     * Processes {@code pids}: CPU seconds so far per kind of thread, the thread's name without its number
     * ({@code C2 CompilerThread0} and {@code …1} are {@code C2 CompilerThread}, {@code epollEventLoopGroup-2-1} is
     * {@code epollEventLoopGroup}; the kernel keeps 15 characters of a name), from /proc/PID/task/TID/stat. Says where
     * a process's CPU went when its total surprises: the event loops, the JIT, the garbage collector.
     */
    public static java.util.Map<String, Double> secondsByThreadKind(Collection<Long> pids) {
        java.util.Map<String, Double> byKind = new java.util.TreeMap<>();
        for (long pid : pids) {
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        byKind.merge(threadKind(name), ticks(stat, false) / TICKS_PER_SECOND, Double::sum);
                    } catch (IOException | RuntimeException e) {
                        // the thread ended while being read
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process is gone: it counts nothing
            }
        }
        return byKind;
    }

    /** A thread's name without the numbers that tell threads of one kind apart. */
    static String threadKind(String name) {
        String kind = name.replaceAll("[-#]?[0-9]+(-[0-9]+)*$", "").trim();
        return kind.isEmpty() ? name : kind;
    }

    private static long ticks(String stat, boolean userOnly) {
        // the command name (field 2) is in parentheses and may hold spaces: split after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state); utime is field 14, stime field 15
        return Long.parseLong(f[11]) + (userOnly ? 0 : Long.parseLong(f[12]));
    }

    static double procSeconds(long pid) {
        return proc(pid, false);
    }

    private static double proc(long pid, boolean userOnly) {
        try {
            return ticks(Files.readString(Path.of("/proc/" + pid + "/stat")), userOnly) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
