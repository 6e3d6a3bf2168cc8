package dev.anywhere.bench.load;

import dev.anywhere.bench.BenchText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where the processes run. Pinned: the relay under test (the gateway's process, nginx) on CPU 0, the
 * load client and the RPC endpoints (this JVM) on the other CPUs, so a relay never competes with the load it relays
 * and wake-ups across CPUs are the same for every arm. Unpinned: the scheduler decides, as on a shared host. Pinning
 * uses {@code taskset} (util-linux); without it, or with a single CPU, the run is unpinned and says so.
 */
public record Placement(boolean pinned, String relayCpus, String loadCpus, String originalCpus) {

    /** Pins when asked and possible. */
    public static Placement choose(boolean wanted) {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (!wanted || cpus < 2 || taskset() == null) {
            return new Placement(false, "", "", "");
        }
        String original = currentCpus(ProcessHandle.current().pid());
        return new Placement(true, "0", cpus == 2 ? "1" : "1-" + (cpus - 1), original);
    }

    private static String taskset() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin")) {
            if (Files.isExecutable(Path.of(dir, "taskset"))) {
                return dir + "/taskset";
            }
        }
        return null;
    }

    /** Command prefix that starts a relay process on the relay CPUs. */
    public List<String> relayPrefix() {
        return pinned ? List.of(taskset(), "-c", relayCpus) : List.of();
    }

    /** Moves this JVM (every thread; threads started later inherit) onto the load CPUs. */
    public void pinSelf() throws IOException {
        if (pinned) {
            run(taskset(), "-a", "-p", "-c", loadCpus, Long.toString(ProcessHandle.current().pid()));
        }
    }

    /** Undoes {@link #pinSelf()}: the benchmark may run inside a longer-lived JVM (tests). */
    public void restoreSelf() {
        if (pinned && !originalCpus.isEmpty()) {
            try {
                run(taskset(), "-a", "-p", "-c", originalCpus, Long.toString(ProcessHandle.current().pid()));
            } catch (IOException e) {
                // the JVM keeps the load CPUs; nothing is lost but speed
            }
        }
    }

    /** Moves an already running relay (every thread of {@code pid}) onto the relay CPUs. */
    public void pinRelay(long pid) throws IOException {
        if (pinned) {
            run(taskset(), "-a", "-p", "-c", relayCpus, Long.toString(pid));
        }
    }

    /** For the report (the JSON, English). */
    public String describe() {
        return describe(BenchText.of("en"));
    }

    /** For a reader, in {@code text}'s language. */
    public String describe(BenchText text) {
        return pinned ? text.get("placement.relay-pinned", "relay", relayCpus, "load", loadCpus) : text.get("placement.unpinned");
    }

    static String currentCpus(long pid) {
        String tool = taskset();
        if (tool == null) {
            return "";
        }
        try {
            String out = run(tool, "-c", "-p", Long.toString(pid));
            int colon = out.lastIndexOf(':');
            return colon < 0 ? "" : out.substring(colon + 1).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + ": " + out.trim());
            }
            return out;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
