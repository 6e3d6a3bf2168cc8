package dev.anywhere.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The system calls a relay's threads make over one phase, counted by {@code perf stat} on the tracepoint
 * {@code raw_syscalls:sys_enter}: opt-in ({@value #ENV}{@code =perf}), because the tracepoint, once on, is taken by
 * every system call of the machine (the load client's too), which slows them slightly. {@code perf stat -p PID} counts
 * nothing on the VM this was built on (every event {@code <not counted>}), so the count is system-wide with a filter on
 * the relay's thread ids, read from {@code /proc/PID/task} when counting starts (threads started later are missed; a
 * relay's threads live as long as it does). Where perf is missing or refuses, {@link #start} says so and nothing is
 * counted.
 */
final class SyscallCount {

    /** The environment variable that turns the count on: {@code perf}. */
    static final String ENV = "ANYWHERE_BENCH_SYSCALLS";

    /** perf needs a moment to set up its counters before the phase starts; the idle relay makes few calls meanwhile. */
    private static final long ATTACH_MILLIS = 300;

    private final Process perf;
    private final Path output;

    private SyscallCount(Process perf, Path output) {
        this.perf = perf;
        this.output = output;
    }

    /** True when {@value #ENV} asks for the count. */
    static boolean wanted() {
        return "perf".equals(System.getenv(ENV));
    }

    /** Starts counting the system calls of {@code pids}' threads; empty when there is no thread or perf cannot start. */
    static Optional<SyscallCount> start(Collection<Long> pids) {
        List<String> tids = new ArrayList<>();
        for (long pid : pids) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                tasks.forEach(t -> tids.add(t.getFileName().toString()));
            } catch (IOException | RuntimeException e) {
                // the process is gone: none of its threads to count
            }
        }
        if (tids.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path out = Files.createTempFile("anywhere-syscalls-", ".csv");
            String filter = tids.stream().map(t -> "common_pid == " + t).collect(Collectors.joining(" || "));
            Process p = new ProcessBuilder("perf", "stat", "-x", ",", "-o", out.toString(), "-a", "-e", "raw_syscalls:sys_enter",
                    "--filter", filter).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(ATTACH_MILLIS);
            if (!p.isAlive()) {
                return Optional.empty();
            }
            return Optional.of(new SyscallCount(p, out));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Stops counting (perf prints its count on SIGINT, not on SIGTERM): the calls counted, or -1 when unknown. */
    long stop() {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(perf.pid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
            if (!perf.waitFor(5, TimeUnit.SECONDS)) {
                perf.destroyForcibly();
                return -1;
            }
            return parse(Files.readAllLines(output));
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            perf.destroyForcibly();
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // a temporary file in the bench's work directory
            }
        }
    }

    /** The count from {@code perf stat -x ,}'s line for the tracepoint ({@code 1234,,raw_syscalls:sys_enter,...}); -1 if none. */
    static long parse(List<String> lines) {
        for (String line : lines) {
            String[] f = line.split(",", -1);
            if (f.length > 2 && f[2].equals("raw_syscalls:sys_enter")) {
                try {
                    return Long.parseLong(f[0].trim());
                } catch (NumberFormatException e) {
                    return -1; // "<not counted>" or "<not supported>"
                }
            }
        }
        return -1;
    }
}
