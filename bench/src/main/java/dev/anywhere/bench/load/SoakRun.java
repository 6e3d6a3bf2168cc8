package dev.anywhere.bench.load;

import dev.anywhere.bench.BenchText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.bench.load.SoakLedger.CallFailure;
import dev.anywhere.bench.load.SoakLedger.Failure;
import dev.anywhere.bench.load.SoakLedger.Outage;
import dev.anywhere.bench.load.SoakLedger.Source;
import dev.anywhere.bench.load.SoakTopology.ProcessSample;
import dev.anywhere.server.events.Event;
import dev.anywhere.server.events.EventLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code anywhere bench soak}: the mixed load of {@link SoakLoad} through the router of a {@link SoakTopology} for a
 * given time while faults strike in turn, one every {@link Settings#faultEvery()}: the RPC endpoints' process is
 * restarted, the directory is stopped and started again, the gateway's process is killed with SIGKILL and started
 * again. The report says, exactly, how many calls were sent, answered, failed while a fault was in progress (in flight
 * when it struck, or sent before the faulty part was back: these may fail), lost otherwise, duplicated or mismatched;
 * per fault how long the part was down, how long until every client worker worked again, what the clients saw and what
 * the configurator wrote to {@code events.jsonl}; and the descriptors and heap (after full GCs) of every process,
 * sampled before each fault and after the run, first against last sample of each process. It fails ({@link Report#ok()} false) when a call not in progress at a fault was lost,
 * duplicated or mismatched, or a process grew by more than {@value #FD_GROWTH_MAX} descriptors or
 * {@value #HEAP_GROWTH_MAX_MIB} MiB of heap.
 */
public final class SoakRun {

    /** Descriptors a process may have gained from its first sample to its last (sockets in TIME_WAIT hold none). */
    public static final int FD_GROWTH_MAX = 64;
    /** Heap after full GCs a process may have gained from its first sample to its last. */
    public static final int HEAP_GROWTH_MAX_MIB = 32;

    /** The faults, struck in this order, round robin. */
    public enum Fault {
        ENDPOINTS_RESTART("endpoints-restart"), DIRECTORY_STOP_START("directory-stop-start"), GATEWAY_KILL("gateway-kill-9");

        private final String label;

        Fault(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * How long, how often and how much.
     *
     * @param length the whole run, warm-up included
     * @param warmUp load without faults before the first measurement
     * @param faultEvery time between faults (each fault's window: until the next one starts, or the end)
     * @param directoryDown how long the directory stays stopped
     * @param pollInterval the configurator's poll interval (short, so that a pass falls into a directory outage)
     * @param transientRetry the configurator's retry after a failed pass (Exchange: 15 s)
     */
    public record Settings(Duration length, Duration warmUp, Duration faultEvery, Duration directoryDown, int callers, int callsPerSecond,
            int stubBytes, Duration logonEvery, Duration autodiscoverEvery, long channelLifetime, Duration timeout,
            Duration pollInterval, Duration transientRetry) {

        /** Faults struck: as many whole windows as fit after the warm-up. */
        public long faults() {
            return length.minus(warmUp).toMillis() / faultEvery.toMillis();
        }

        /** The shortest run that still strikes each fault once. */
        public static final Duration MIN_LENGTH = Duration.ofSeconds(45);

        /**
         * A run of {@code length}: warm-up an eighth (at most 20 s), then a fault every minute, or often enough that each
         * of the three strikes at least once; 4 callers at 20 calls/s with 4 KiB stubs, a logon every 2 s, an
         * Autodiscover request every second, channels recycled every 512 KiB.
         */
        public static Settings of(Duration length) {
            if (length.compareTo(MIN_LENGTH) < 0) {
                throw new IllegalArgumentException("soak length: " + length.toSeconds() + " s (expected: at least " + MIN_LENGTH.toSeconds() + " s)");
            }
            Duration warmUp = min(Duration.ofSeconds(20), length.dividedBy(8));
            Duration faultEvery = min(Duration.ofSeconds(60), length.minus(warmUp).dividedBy(3));
            Duration directoryDown = min(Duration.ofSeconds(10), faultEvery.dividedBy(3));
            return new Settings(length, warmUp, faultEvery, directoryDown, 4, 20, 4096, Duration.ofSeconds(2), Duration.ofSeconds(1),
                    512 << 10, Duration.ofSeconds(10), max(Duration.ofSeconds(1), directoryDown.dividedBy(2)),
                    min(Duration.ofSeconds(15), faultEvery.dividedBy(4)));
        }

        private static Duration min(Duration a, Duration b) {
            return a.compareTo(b) <= 0 ? a : b;
        }

        private static Duration max(Duration a, Duration b) {
            return a.compareTo(b) >= 0 ? a : b;
        }
    }

    /** One fault as struck: when, and when the part was back (-1: it did not come back). */
    record Struck(Fault fault, long startNanos, Instant startedAt, long restoredNanos, String error) {
    }

    /** The outcome: the JSON report and whether it passed. */
    public record Report(ObjectNode json, boolean ok) {
        /** The text report in the JVM's language. */
        public String text() {
            return SoakRun.text(json, BenchText.local());
        }
    }

    private SoakRun() {
    }

    /** Runs the soak in {@code dir} (which keeps the logs of every process), reporting each step to {@code progress}. */
    public static Report run(Settings s, Path dir, Consumer<String> progress) throws Exception {
        Files.createDirectories(dir);
        String loadBefore = loadAverage();
        Instant runStart = Instant.now();
        SoakLedger ledger = new SoakLedger();
        List<Struck> struck = new ArrayList<>();
        List<List<ProcessSample>> samples = new ArrayList<>();
        List<Event> events;
        long recyclesIn;
        long recyclesOut;
        long t0;
        long end;
        BenchText text = BenchText.local();
        progress.accept(text.get("soak.start"));
        try (SoakTopology site = SoakTopology.start(dir, s.channelLifetime(), s.transientRetry(), s.pollInterval(), s.timeout())) {
            SoakLoad load = new SoakLoad(site.clientAddress(), new SoakLoad.Rates(s.callers(), s.callsPerSecond(), s.stubBytes(),
                    s.logonEvery(), s.autodiscoverEvery(), s.channelLifetime(), s.timeout()), ledger);
            t0 = System.nanoTime();
            end = t0 + s.length().toNanos();
            try {
                load.start();
                progress.accept(text.get("soak.load", "address", site.clientAddress().getAddress().getHostAddress(), "port",
                        site.clientAddress().getPort(), "seconds", s.warmUp().toSeconds()));
                sleepUntil(t0 + s.warmUp().toNanos());
                long first = t0 + s.warmUp().toNanos();
                for (int k = 0; k < s.faults(); k++) {
                    sleepUntil(first + k * s.faultEvery().toNanos());
                    samples.add(site.sample());
                    Fault f = Fault.values()[k % Fault.values().length];
                    progress.accept(text.get("soak.strike", "seconds", String.format(Locale.ROOT, "%4d",
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)), "fault", f.label()));
                    struck.add(strike(site, f, s));
                }
                sleepUntil(end);
            } finally {
                load.close();
            }
            recyclesIn = load.inRecycles();
            recyclesOut = load.outRecycles();
            Thread.sleep(2000); // closed connections settle before the descriptors are counted
            samples.add(site.sample());
            events = new EventLog(site.ex1DataDir()).readAll();
        }
        ObjectNode json = report(s, ledger, struck, samples, events, recyclesIn, recyclesOut, (end - t0) / 1e9, loadBefore,
                runStart);
        return new Report(json, json.get("verdict").get("ok").asBoolean());
    }

    private static Struck strike(SoakTopology site, Fault f, Settings s) {
        long start = System.nanoTime();
        Instant at = Instant.now();
        try {
            switch (f) {
                case ENDPOINTS_RESTART -> site.restartEndpoints();
                case DIRECTORY_STOP_START -> {
                    site.stopDirectory();
                    Thread.sleep(s.directoryDown().toMillis());
                    site.startDirectory();
                }
                case GATEWAY_KILL -> {
                    site.killGateway();
                    site.startGateway();
                }
            }
            return new Struck(f, start, at, System.nanoTime(), null);
        } catch (Exception e) {
            return new Struck(f, start, at, -1, SoakLedger.kind(e));
        }
    }

    private static ObjectNode report(Settings s, SoakLedger ledger, List<Struck> struck, List<List<ProcessSample>> samples,
            List<Event> events, long recyclesIn, long recyclesOut, double seconds, String loadBefore, Instant runStart) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode r = m.createObjectNode();
        ObjectNode settings = r.putObject("settings");
        settings.put("seconds", s.length().toSeconds()).put("warm_up_s", s.warmUp().toSeconds()).put("fault_every_s", s.faultEvery().toSeconds())
                .put("directory_down_s", s.directoryDown().toSeconds()).put("callers", s.callers())
                .put("calls_per_second_per_caller", s.callsPerSecond()).put("stub_bytes", s.stubBytes())
                .put("logon_every_ms", s.logonEvery().toMillis()).put("autodiscover_every_ms", s.autodiscoverEvery().toMillis())
                .put("channel_lifetime_bytes", s.channelLifetime()).put("timeout_s", s.timeout().toSeconds())
                .put("configurator_poll_s", s.pollInterval().toSeconds()).put("configurator_retry_s", s.transientRetry().toSeconds());
        r.putObject("machine").put("cores", Runtime.getRuntime().availableProcessors()).put("java", System.getProperty("java.version"))
                .put("load_average_before", loadBefore).put("load_average_after", loadAverage());
        r.put("seconds", Math.round(seconds * 10) / 10.0);

        List<CallFailure> inFault = new ArrayList<>();
        List<CallFailure> lost = new ArrayList<>();
        for (CallFailure c : ledger.callFailures()) {
            (inProgress(c, struck) ? inFault : lost).add(c);
        }
        ObjectNode calls = r.putObject("calls");
        calls.put("sent", ledger.sent()).put("answered", ledger.answered()).put("failed_during_faults", inFault.size())
                .put("lost", lost.size()).put("duplicated", ledger.duplicated()).put("mismatched", ledger.mismatched())
                .put("unaccounted", ledger.sent() - ledger.answered() - ledger.duplicated() - ledger.mismatched() - inFault.size() - lost.size());
        ArrayNode lostList = calls.putArray("lost_examples");
        lost.stream().limit(20).forEach(c -> lostList.addObject().put("seq", c.seq()).put("kind", c.kind()));
        r.putObject("recycles").put("in_channel", recyclesIn).put("out_channel", recyclesOut);
        ObjectNode ok = r.putObject("successes");
        for (Source src : Source.values()) {
            ok.put(src.name().toLowerCase(Locale.ROOT), ledger.successes(src));
        }

        List<Failure> failures = ledger.failures();
        List<Outage> outages = ledger.outages();
        ArrayNode faults = r.putArray("faults");
        Instant runEnd = Instant.now();
        for (int k = 0; k < struck.size(); k++) {
            Struck f = struck.get(k);
            long windowEnd = k + 1 < struck.size() ? struck.get(k + 1).startNanos() : Long.MAX_VALUE;
            Instant windowEndAt = k + 1 < struck.size() ? struck.get(k + 1).startedAt() : runEnd;
            ObjectNode n = faults.addObject();
            n.put("fault", f.fault().label()).put("at", f.startedAt().toString());
            if (f.error() != null) {
                n.put("error", f.error());
            }
            n.put("part_down_ms", f.restoredNanos() < 0 ? -1 : (f.restoredNanos() - f.startNanos()) / 1_000_000);
            long recovered = 0;
            Map<String, String> byWorker = new TreeMap<>();
            for (Outage o : outages) {
                if (o.fromNanos() >= f.startNanos() && o.fromNanos() < windowEnd) {
                    recovered = o.toNanos() < 0 || recovered < 0 ? -1 : Math.max(recovered, o.toNanos() - f.startNanos());
                    byWorker.merge(o.worker(), ms(o.fromNanos() - f.startNanos()) + ".." + (o.toNanos() < 0 ? "never" : ms(o.toNanos() - f.startNanos())),
                            (x, y) -> x + ", " + y);
                }
            }
            n.put("clients_recovered_ms", recovered < 0 ? -1 : recovered / 1_000_000);
            n.set("worker_outages_ms", m.valueToTree(byWorker));
            n.put("calls_failed", inFault.stream().filter(c -> c.failedNanos() >= f.startNanos() && c.failedNanos() < windowEnd).count());
            n.set("client_errors", kinds(m, failures, f.startNanos(), windowEnd));
            n.set("events", eventCounts(m, events, f.startedAt(), windowEndAt));
        }
        ObjectNode byFault = r.putObject("summary_by_fault");
        for (Fault kind : Fault.values()) {
            List<JsonNode> of = new ArrayList<>();
            faults.forEach(f -> {
                if (f.get("fault").asText().equals(kind.label())) {
                    of.add(f);
                }
            });
            ObjectNode k = byFault.putObject(kind.label());
            k.put("struck", of.size()).put("calls_failed", of.stream().mapToLong(f -> f.get("calls_failed").asLong()).sum());
            summary(k, "part_down_ms", of.stream().mapToLong(f -> f.get("part_down_ms").asLong()).toArray());
            summary(k, "clients_recovered_ms", of.stream().mapToLong(f -> f.get("clients_recovered_ms").asLong()).toArray());
        }
        long firstFault = struck.isEmpty() ? Long.MAX_VALUE : struck.get(0).startNanos();
        r.set("client_errors_before_faults", kinds(m, failures, Long.MIN_VALUE, firstFault));
        r.set("events_before_faults", eventCounts(m, events, runStart, struck.isEmpty() ? runEnd : struck.get(0).startedAt()));

        List<String> reasons = new ArrayList<>();
        // each process's first and last sample: the killed and restarted ones are measured over their own lifetimes
        Map<String, ProcessSample[]> lifetimes = new java.util.LinkedHashMap<>();
        for (List<ProcessSample> sample : samples) {
            for (ProcessSample p : sample) {
                lifetimes.computeIfAbsent(p.role() + " " + p.pid(), x -> new ProcessSample[] {p, p})[1] = p;
            }
        }
        ArrayNode processes = r.putArray("processes");
        for (ProcessSample[] life : lifetimes.values()) {
            ProcessSample b = life[0];
            ProcessSample a = life[1];
            long fdGrowth = a.fds() - b.fds();
            long heapGrowth = a.heapBytes() - b.heapBytes();
            processes.addObject().put("role", b.role()).put("pid", b.pid()).put("fds_first", b.fds()).put("fds_last", a.fds())
                    .put("heap_first_bytes", b.heapBytes()).put("heap_last_bytes", a.heapBytes());
            if (fdGrowth > FD_GROWTH_MAX) {
                reasons.add(b.role() + " (pid " + b.pid() + "): " + fdGrowth + " more file descriptors (bound: " + FD_GROWTH_MAX + ")");
            }
            if (heapGrowth > (long) HEAP_GROWTH_MAX_MIB << 20) {
                reasons.add(b.role() + " (pid " + b.pid() + "): heap after GC grew by " + (heapGrowth >> 20) + " MiB (bound: "
                        + HEAP_GROWTH_MAX_MIB + " MiB)");
            }
        }
        ArrayNode series = r.putArray("samples");
        for (List<ProcessSample> sample : samples) {
            ArrayNode row = series.addArray();
            sample.forEach(p -> row.addObject().put("role", p.role()).put("pid", p.pid()).put("fds", p.fds()).put("heap_bytes", p.heapBytes()));
        }
        r.putObject("bounds").put("fd_growth_max", FD_GROWTH_MAX).put("heap_growth_max_mib", HEAP_GROWTH_MAX_MIB);
        if (!lost.isEmpty()) {
            reasons.add(lost.size() + " calls lost that were not in progress at a fault");
        }
        if (ledger.duplicated() > 0) {
            reasons.add(ledger.duplicated() + " calls answered twice");
        }
        if (ledger.mismatched() > 0) {
            reasons.add(ledger.mismatched() + " calls answered with another call's or a wrong stub");
        }
        if (ledger.answered() == 0) {
            reasons.add("no call was answered");
        }
        for (Struck f : struck) {
            if (f.error() != null) {
                reasons.add(f.fault().label() + ": the part did not come back: " + f.error());
            }
        }
        ObjectNode verdict = r.putObject("verdict");
        verdict.put("ok", reasons.isEmpty());
        reasons.forEach(verdict.putArray("reasons")::add);
        return r;
    }

    /** In progress at a fault: failed after it struck and sent before the part was back. */
    private static boolean inProgress(CallFailure c, List<Struck> struck) {
        for (Struck f : struck) {
            long back = f.restoredNanos() < 0 ? Long.MAX_VALUE : f.restoredNanos();
            if (c.failedNanos() >= f.startNanos() && c.sentNanos() <= back) {
                return true;
            }
        }
        return false;
    }

    /** Median and maximum of {@code values} as {@code <name>_median} and {@code <name>_max} (-1 when any is -1: never). */
    private static void summary(ObjectNode n, String name, long[] values) {
        long[] v = values.clone();
        java.util.Arrays.sort(v);
        boolean never = v.length > 0 && v[0] < 0;
        n.put(name + "_median", v.length == 0 ? 0 : never ? -1 : v[(v.length - 1) / 2]);
        n.put(name + "_max", v.length == 0 ? 0 : never ? -1 : v[v.length - 1]);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static ObjectNode kinds(ObjectMapper m, List<Failure> failures, long from, long to) {
        Map<String, Map<String, Integer>> bySource = new TreeMap<>();
        for (Failure f : failures) {
            if (f.atNanos() >= from && f.atNanos() < to) {
                bySource.computeIfAbsent(f.source().name().toLowerCase(Locale.ROOT), x -> new TreeMap<>()).merge(f.kind(), 1, Integer::sum);
            }
        }
        return m.valueToTree(bySource);
    }

    private static ObjectNode eventCounts(ObjectMapper m, List<Event> events, Instant from, Instant to) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Event e : events) {
            if (!e.time().isBefore(from) && e.time().isBefore(to)) {
                counts.merge(e.id().id() + " " + e.id().symbolicName(), 1, Integer::sum);
            }
        }
        return m.valueToTree(counts);
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg, or "unknown". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /**
     * The report as text in {@code text}'s language: the totals, one block per fault, the processes, the verdict; fault
     * labels, process roles and the JSON's details (errors, events, reasons) as they are, a fault's error quoted in German.
     */
    public static String text(ObjectNode r, BenchText text) {
        StringBuilder b = new StringBuilder();
        ObjectNode c = (ObjectNode) r.get("calls");
        b.append(text.get("soak.heading", "seconds", String.format(Locale.ROOT, "%.0f", r.get("seconds").asDouble()), "cores",
                r.get("machine").get("cores").asInt(), "before", r.get("machine").get("load_average_before").asText(), "after",
                r.get("machine").get("load_average_after").asText())).append('\n');
        b.append(text.get("soak.calls", "sent", c.get("sent").asLong(), "answered", c.get("answered").asLong(), "failed",
                c.get("failed_during_faults").asLong(), "lost", c.get("lost").asLong(), "duplicated", c.get("duplicated").asLong(), "mismatched",
                c.get("mismatched").asLong())).append('\n');
        ObjectNode ok = (ObjectNode) r.get("successes");
        b.append(text.get("soak.successes", "in", r.get("recycles").get("in_channel").asLong(), "out", r.get("recycles").get("out_channel")
                .asLong(), "basic", ok.get("logon_basic").asLong(), "ntlm", ok.get("logon_ntlm").asLong(), "reconnects",
                ok.get("reconnect").asLong(), "autodiscover", ok.get("autodiscover").asLong())).append('\n');
        if (!r.get("client_errors_before_faults").isEmpty()) {
            b.append(text.get("soak.errors-before", "errors", r.get("client_errors_before_faults"))).append('\n');
        }
        b.append(text.get("soak.events-before", "events", r.get("events_before_faults"))).append('\n');
        for (var f : r.get("faults")) {
            b.append(text.get(f.has("error") ? "soak.fault-error" : "soak.fault", "fault", String.format(Locale.ROOT, "%-21s",
                    f.get("fault").asText()), "at", f.get("at").asText(), "down", String.format(Locale.ROOT, "%5d", f.get("part_down_ms").asLong()),
                    "back", String.format(Locale.ROOT, "%6d", f.get("clients_recovered_ms").asLong()), "failed", f.get("calls_failed").asLong(),
                    "error", f.path("error").asText())).append('\n');
            if (!f.get("worker_outages_ms").isEmpty()) {
                b.append("    ").append(text.get("soak.outages", "outages", f.get("worker_outages_ms"))).append('\n');
            }
            f.get("client_errors").fields().forEachRemaining(e -> b.append("    ").append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
            b.append("    ").append(f.get("events").isEmpty() ? text.get("soak.no-events") : text.get("soak.events", "events", f.get("events")))
                    .append('\n');
        }
        r.get("summary_by_fault").fields().forEachRemaining(e -> b.append(text.get("soak.summary", "fault", String.format(Locale.ROOT, "%-21s",
                e.getKey()), "struck", e.getValue().get("struck").asInt(), "downMedian", e.getValue().get("part_down_ms_median").asLong(),
                "downMax", e.getValue().get("part_down_ms_max").asLong(), "backMedian", e.getValue().get("clients_recovered_ms_median").asLong(),
                "backMax", e.getValue().get("clients_recovered_ms_max").asLong(), "failed", e.getValue().get("calls_failed").asLong()))
                .append('\n'));
        for (var p : r.get("processes")) {
            b.append(text.get("soak.process", "role", String.format(Locale.ROOT, "%-30s", p.get("role").asText()), "pid",
                    String.format(Locale.ROOT, "%7d", p.get("pid").asLong()), "fdsFirst", String.format(Locale.ROOT, "%4d",
                            p.get("fds_first").asLong()), "fdsLast", String.format(Locale.ROOT, "%4d", p.get("fds_last").asLong()), "heapFirst",
                    String.format(Locale.ROOT, "%6.1f", p.get("heap_first_bytes").asLong() / 1048576.0), "heapLast",
                    String.format(Locale.ROOT, "%6.1f", p.get("heap_last_bytes").asLong() / 1048576.0))).append('\n');
        }
        var v = r.get("verdict");
        b.append(v.get("ok").asBoolean() ? text.get("soak.passed") : text.get("soak.failed", "reasons", v.get("reasons"))).append('\n');
        return b.toString();
    }
}
