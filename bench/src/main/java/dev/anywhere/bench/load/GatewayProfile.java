package dev.anywhere.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JDK Flight Recording of the gateway process during one extra bulk phase ({@code bench rpch --profile DIR}): started
 * and stopped with {@code jcmd JFR.start/JFR.stop} around the phase (settings {@code profile}: 10 ms Java samples,
 * native-method samples, allocation samples), then summarised with the JDK's own {@code jfr} tool: {@code jfr summary}
 * (event counts) and {@code jfr print --json} folded into the hottest top frames and the most allocated classes. The
 * phase runs after the measured rounds and counts in none of them, so the recording's overhead changes no figure.
 */
final class GatewayProfile {

    static final String RECORDING = "anywhere-bulk";
    private static final int TOP = 20;

    private final Path dir;
    private final long pid;

    GatewayProfile(Path dir, long pid) {
        this.dir = dir;
        this.pid = pid;
    }

    Path jfrFile() {
        return dir.resolve("gateway-bulk.jfr");
    }

    void start() throws IOException {
        Files.createDirectories(dir);
        run(List.of(tool("jcmd"), Long.toString(pid), "JFR.start", "name=" + RECORDING, "settings=profile"));
    }

    void stop() throws IOException {
        run(List.of(tool("jcmd"), Long.toString(pid), "JFR.stop", "name=" + RECORDING, "filename=" + jfrFile().toAbsolutePath()));
    }

    /** Writes gateway-bulk-summary.txt beside the recording and returns the same as JSON for the report. */
    ObjectNode summarise(ObjectMapper m, long bytesRelayed) throws IOException {
        String summary = run(List.of(tool("jfr"), "summary", jfrFile().toString()));
        Map<String, Long> frames = new HashMap<>();
        Map<String, Long> projectFrames = new HashMap<>();
        Map<String, Long> nativeFrames = new HashMap<>();
        Map<String, Long> allocations = new HashMap<>();
        long[] samples = new long[3];
        Map<String, long[]> allocatedByThread = new HashMap<>(); // first and last reading of each thread's allocation counter
        JsonNode events = printJson(m, "jdk.ExecutionSample,jdk.NativeMethodSample,jdk.ObjectAllocationSample,jdk.ThreadAllocationStatistics")
                .path("recording").path("events");
        for (JsonNode e : events) {
            JsonNode v = e.path("values");
            if (recorderThread(v)) {
                continue; // JFR's own work (settings, attach) is not the gateway's
            }
            switch (e.path("type").asText()) {
                case "jdk.ExecutionSample" -> {
                    samples[0]++;
                    frames.merge(topFrame(v), 1L, Long::sum);
                    projectFrames.merge(projectFrame(v), 1L, Long::sum);
                }
                case "jdk.NativeMethodSample" -> {
                    samples[1]++;
                    nativeFrames.merge(topFrame(v), 1L, Long::sum);
                }
                case "jdk.ObjectAllocationSample" -> {
                    samples[2]++;
                    allocations.merge(v.path("objectClass").path("name").asText("?"), v.path("weight").asLong(), Long::sum);
                }
                case "jdk.ThreadAllocationStatistics" -> {
                    long a = v.path("allocated").asLong();
                    allocatedByThread.merge(v.path("thread").path("javaName").asText("?"), new long[] {a, a},
                            (x, y) -> new long[] {Math.min(x[0], y[0]), Math.max(x[1], y[1])});
                }
                default -> { }
            }
        }
        // what the gateway's threads allocated while recording, per GiB relayed: a figure a busy neighbour does not move
        long allocated = allocatedByThread.entrySet().stream().filter(e -> !e.getKey().equals("Attach Listener") && !e.getKey().startsWith("JFR "))
                .mapToLong(e -> e.getValue()[1] - e.getValue()[0]).sum();
        double gib = bytesRelayed / (double) (1L << 30);
        ObjectNode out = m.createObjectNode();
        out.put("recording", jfrFile().toString()).put("gib_relayed", Math.round(gib * 1000) / 1000.0)
                .put("heap_mib_allocated_per_gib", gib > 0 ? Math.round(allocated / gib / (1 << 20) * 10) / 10.0 : 0).put("execution_samples", samples[0]).put("native_samples", samples[1])
                .put("allocation_samples", samples[2]);
        StringBuilder text = new StringBuilder("JFR of the gateway process during one extra bulk phase (settings=profile)\n\n");
        text.append(String.format(Locale.ROOT, "heap allocated by the gateway's threads: %.1f MiB per GiB relayed (%.3f GiB)%n%n",
                out.get("heap_mib_allocated_per_gib").asDouble(), gib));
        text.append(top(m, out.putArray("top_frames"), frames, samples[0], "top frames, Java samples (" + samples[0] + ")", "%"));
        text.append(top(m, out.putArray("top_project_frames"), projectFrames, samples[0], "innermost dev.anywhere frame, Java samples", "%"));
        text.append(top(m, out.putArray("top_native_frames"), nativeFrames, samples[1], "top frames, native samples (" + samples[1] + ")", "%"));
        long bytes = allocations.values().stream().mapToLong(Long::longValue).sum();
        text.append(top(m, out.putArray("top_allocations"), allocations, bytes, "allocated classes, sampled weight ("
                + bytes / (1 << 20) + " MiB)", "% of bytes"));
        text.append("\njfr summary:\n").append(summary);
        Path file = dir.resolve("gateway-bulk-summary.txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        out.put("summary", file.toString());
        return out;
    }

    /** Whether the event happened on a thread of JFR itself (its settings parsing and attach allocate a lot). */
    static boolean recorderThread(JsonNode values) {
        JsonNode t = values.has("sampledThread") ? values.path("sampledThread") : values.path("eventThread");
        String name = t.path("javaName").asText(t.path("osName").asText(""));
        return name.equals("Attach Listener") || name.startsWith("JFR ");
    }

    /** {@code Class.method} of a sample's innermost frame of the project's own code ({@code (outside)} when none). */
    static String projectFrame(JsonNode values) {
        for (JsonNode f : values.path("stackTrace").path("frames")) {
            String type = f.path("method").path("type").path("name").asText("");
            if (type.startsWith("dev/anywhere/") || type.startsWith("dev.anywhere.")) {
                return type + "." + f.path("method").path("name").asText("?");
            }
        }
        return "(no dev.anywhere frame: Netty's event loop, I/O, GC)";
    }

    /** {@code Class.method} of a sample's innermost frame. */
    static String topFrame(JsonNode values) {
        JsonNode frames = values.path("stackTrace").path("frames");
        if (!frames.isArray() || frames.isEmpty()) {
            return "(no stack)";
        }
        JsonNode method = frames.get(0).path("method");
        return method.path("type").path("name").asText("?") + "." + method.path("name").asText("?");
    }

    private static String top(ObjectMapper m, com.fasterxml.jackson.databind.node.ArrayNode into, Map<String, Long> counts, long total,
            String title, String unit) {
        StringBuilder b = new StringBuilder(title).append(":\n");
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(TOP, sorted.size()))) {
            double share = total == 0 ? 0 : 100.0 * e.getValue() / total;
            into.add(m.createObjectNode().put("name", e.getKey()).put("share_percent", Math.round(share * 10) / 10.0));
            b.append(String.format(Locale.ROOT, "  %5.1f %s  %s%n", share, unit, e.getKey()));
        }
        return b.append('\n').toString();
    }

    private JsonNode printJson(ObjectMapper m, String events) throws IOException {
        Path json = dir.resolve("gateway-bulk-events.json");
        runTo(List.of(tool("jfr"), "print", "--json", "--events", events, jfrFile().toString()), json);
        try {
            return m.readTree(json.toFile());
        } finally {
            Files.deleteIfExists(json); // large; the .jfr keeps everything
        }
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private String run(List<String> command) throws IOException {
        Path out = Files.createTempFile(dir, "jdk-tool", ".txt");
        try {
            runTo(command, out);
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void runTo(List<String> command, Path out) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(Duration.ofMinutes(2).toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command.subList(0, 2)) + ": no result within 2 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command.subList(0, 2)) + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(out, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command.get(0), e);
        }
    }
}
