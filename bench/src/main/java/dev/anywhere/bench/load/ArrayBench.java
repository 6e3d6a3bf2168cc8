package dev.anywhere.bench.load;

import dev.anywhere.bench.BenchText;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@code anywhere bench array}: the client access array on loopback (lean client → HAProxy → two gateway members →
 * endpoints), measured twice: {@link ArrayThroughput} (two members behind HAProxy against one, and one against the
 * gateway alone, per round) and {@link ArrayFailover} (a member killed in the middle of a load run: lost calls and
 * recovery). The keys are documented in docs/performance.md ("Client access array").
 */
public final class ArrayBench {

    /** Connect, open and call timeout of the throughput arms. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * What to run.
     *
     * @param phaseSeconds each throughput arm's bulk phase per round
     * @param rounds throughput rounds (after one warm-up round)
     * @param connections virtual connections of the throughput arms
     * @param failoverClients clients (one virtual connection each) of the failover run
     * @param failoverRate each failover client's calls per second
     * @param throughput whether to run the throughput arms
     * @param failover whether to run the failover run
     * @param pin relays (members, HAProxy) on CPU 0, client and endpoints on the others
     * @param smoke the bounded CI version
     */
    public record Settings(double phaseSeconds, int rounds, int connections, int failoverClients, int failoverRate, boolean throughput,
            boolean failover, boolean pin, boolean smoke) {

        /** Refuses what the parts would refuse, before anything starts. */
        public Settings {
            new ArrayThroughput.Settings(phaseSeconds, rounds, connections, 16 * 1024, TIMEOUT);
            ArrayFailover.Settings.full(failoverClients, failoverRate);
        }

        /** Runs the throughput arms, the failover run, or both. */
        public Settings only(boolean throughputToo, boolean failoverToo) {
            return new Settings(phaseSeconds, rounds, connections, failoverClients, failoverRate, throughputToo, failoverToo, pin, smoke);
        }

        public Settings withPin(boolean on) {
            return new Settings(phaseSeconds, rounds, connections, failoverClients, failoverRate, throughput, failover, on, smoke);
        }

        /** A full run: 5 rounds of 5 s per arm with 8 virtual connections, and the failover with 16 clients at 25 calls/s. */
        public static Settings full() {
            return new Settings(5, 5, 8, 16, 25, true, true, true, false);
        }

        /** {@code --smoke}: one round of 0.6 s per arm with 4 virtual connections, and the failover's smoke (about 5 s of load). */
        public static Settings smokeRun() {
            return new Settings(0.6, 1, 4, 4, 20, true, true, true, true);
        }

        ArrayThroughput.Settings throughputSettings() {
            return new ArrayThroughput.Settings(phaseSeconds, rounds, connections, 16 * 1024, TIMEOUT);
        }

        ArrayFailover.Settings failoverSettings() {
            return smoke ? ArrayFailover.Settings.smoke() : ArrayFailover.Settings.full(failoverClients, failoverRate);
        }
    }

    /** The outcome: the JSON report and whether the failover run (when it ran) passed. */
    public record Report(ObjectNode json, boolean ok) {
        /** The text report in the JVM's language. */
        public String text() {
            return ArrayBench.text(json, BenchText.local());
        }
    }

    private ArrayBench() {
    }

    /** Runs what {@code s} asks in {@code dir} (each part's processes log there), reporting each step to {@code progress}. */
    public static Report run(Settings s, Path dir, Consumer<String> progress) throws Exception {
        Files.createDirectories(dir);
        ObjectMapper m = new ObjectMapper();
        ObjectNode r = m.createObjectNode();
        r.putObject("machine").put("cpus", Runtime.getRuntime().availableProcessors())
                .put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
                .put("haproxy", HaproxyRelay.version().orElse(null)).put("load_average_before", SoakRun.loadAverage());
        int window = RpchBench.Settings.BULK_WINDOW;
        Placement placement = Placement.choose(s.pin());
        placement.pinSelf();
        boolean ok = true;
        try {
            if (s.throughput()) {
                r.set("throughput", ArrayThroughput.run(s.throughputSettings(), dir.resolve("throughput"), placement, window, progress));
            }
            if (s.failover()) {
                ObjectNode f = ArrayFailover.run(s.failoverSettings(), dir.resolve("failover"), placement, window, progress);
                r.set("failover", f);
                ok = f.get("verdict").get("ok").asBoolean();
            }
        } finally {
            placement.restoreSelf();
        }
        ((ObjectNode) r.get("machine")).put("load_average_after", SoakRun.loadAverage()).put("placement", describe(placement))
                .put("receive_window_bytes", window);
        return new Report(r, ok);
    }

    /** Where the array's processes run, for the report (the JSON, English). */
    static String describe(Placement p) {
        return describe(p, BenchText.of("en"));
    }

    /** Where the array's processes run, in {@code text}'s language. */
    static String describe(Placement p, BenchText text) {
        return p.pinned() ? text.get("placement.array-pinned", "relay", p.relayCpus(), "load", p.loadCpus()) : text.get("placement.unpinned");
    }

    /** The JSON's English placement ({@link #describe(Placement)}) in {@code text}'s language; one it does not know as it is. */
    static String placement(String json, BenchText text) {
        java.util.regex.Matcher m = PINNED.matcher(json);
        return m.matches() ? text.get("placement.array-pinned", "relay", m.group(1), "load", m.group(2))
                : json.equals(BenchText.of("en").get("placement.unpinned")) ? text.get("placement.unpinned") : json;
    }

    /** The English pinned placement with its two CPU lists as groups. */
    private static final java.util.regex.Pattern PINNED = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(
            BenchText.of("en").get("placement.array-pinned")).replace("{relay}", "\\E([0-9,-]+)\\Q").replace("{load}", "\\E([0-9,-]+)\\Q"));

    /** The text report in {@code text}'s language: figures, arm ids and the JSON's details as they are. */
    public static String text(ObjectNode r, BenchText text) {
        StringBuilder b = new StringBuilder();
        var machine = r.get("machine");
        b.append(text.get("array.heading", "cpus", machine.get("cpus").asInt(), "placement", placement(machine.get("placement").asText(), text),
                "before", machine.get("load_average_before").asText(), "after", machine.get("load_average_after").asText())).append('\n');
        if (r.has("throughput")) {
            b.append(ArrayThroughput.text((ObjectNode) r.get("throughput"), text));
        }
        if (r.has("failover")) {
            b.append(ArrayFailover.text((ObjectNode) r.get("failover"), text));
        }
        return b.toString();
    }
}
