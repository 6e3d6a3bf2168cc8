package dev.anywhere.bench.load;

import dev.anywhere.bench.BenchText;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.bench.load.FailoverLedger.Broken;
import dev.anywhere.bench.load.FailoverLedger.Call;
import dev.anywhere.bench.load.vc.LeanClient;
import dev.anywhere.bench.load.vc.LeanVirtualConnection;
import dev.anywhere.rpc.input.InvalidValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A member of the array killed in the middle of a load run: {@code clients} clients, each on a virtual connection of
 * its own through HAProxy (its IN and OUT channel on either member), make echo calls one at a time at a fixed rate with
 * stubs that carry their own sequence number ({@link RecyclingRun#payload}); after {@code beforeKill} gw1 is killed
 * with SIGKILL. A client whose virtual connection broke opens a new one through HAProxy at once (a connect handed to
 * the dead member before its health checks fail is redispatched to the survivor) and goes on; a failed open is retried
 * after {@value #REOPEN_PAUSE_MS} ms. {@link FailoverLedger} judges every call; the run passes when no call was lost or
 * answered wrongly, every client the kill cut off got a call answered again, the kill broke at least one virtual
 * connection (else it proved nothing) and nothing else broke one.
 */
final class ArrayFailover {

    static final int REOPEN_PAUSE_MS = 50;

    /**
     * What to run.
     *
     * @param clients virtual connections, one client each
     * @param callsPerSecond each client's call rate
     * @param stubBytes each call's stub (echoed)
     * @param beforeKill load before the kill
     * @param afterKill load after it
     * @param timeout connect, open and call timeout
     */
    record Settings(int clients, int callsPerSecond, int stubBytes, Duration beforeKill, Duration afterKill, Duration timeout) {

        Settings {
            if (clients < 1 || clients > 256) {
                throw new InvalidValue("bench.failover-clients", String.valueOf(clients), "failover clients: " + clients + " (expected: 1..256)");
            }
            if (callsPerSecond < 1 || callsPerSecond > 1000) {
                throw new InvalidValue("bench.failover-rate", String.valueOf(callsPerSecond), "failover rate: " + callsPerSecond
                        + " calls/s per client (expected: 1..1000)");
            }
            if (stubBytes < 8 || stubBytes > 1 << 20) {
                throw new IllegalArgumentException("failover stub: " + stubBytes + " bytes (expected: 8..1048576)");
            }
        }

        /** {@code bench array --smoke} and the test: 4 clients at 20 calls/s, 2 s before the kill, 3 s after. */
        static Settings smoke() {
            return new Settings(4, 20, 4096, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5));
        }

        /** The full run: 16 clients at 25 calls/s (400 calls/s), 5 s before the kill, 10 s after. */
        static Settings full(int clients, int callsPerSecond) {
            return new Settings(clients, callsPerSecond, 4096, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(5));
        }
    }

    private ArrayFailover() {
    }

    /** Runs it in {@code dir} (the members' and HAProxy's logs stay there); the report's {@code verdict.ok} says whether it passed. */
    static ObjectNode run(Settings s, Path dir, Placement placement, int window, Consumer<String> progress) throws Exception {
        ObjectMapper m = new ObjectMapper();
        FailoverLedger ledger = new FailoverLedger();
        String loadBefore = SoakRun.loadAverage();
        long kill;
        Instant killedAt;
        long killedPid;
        String killedName;
        String marked;
        BenchText text = BenchText.local();
        progress.accept(text.get("array.failover-start", "clients", s.clients(), "rate", s.callsPerSecond()));
        try (ArrayTopology array = ArrayTopology.start(dir, window, placement, s.timeout(), false);
                LeanClient client = new LeanClient(LeanClient.Settings.builder(array.balancer().address(), array.endpointPort())
                        .basic(Topology.USER, Topology.PASSWORD).timeouts(s.timeout()).receiveWindow(window).build())) {
            long start = System.nanoTime();
            long end = start + s.beforeKill().plus(s.afterKill()).toNanos();
            AtomicLong seq = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < s.clients(); i++) {
                int id = i;
                Thread t = new Thread(() -> client(id, client, s, end, seq, ledger), "array-failover-client-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            SoakRun.sleepUntil(start + s.beforeKill().toNanos());
            ArrayMember victim = array.member(0);
            killedPid = victim.pid();
            killedName = victim.name();
            progress.accept(text.get("array.failover-kill", "member", victim.name(), "pid", killedPid));
            killedAt = Instant.now();
            kill = System.nanoTime();
            victim.kill();
            for (Thread t : threads) {
                t.join(s.afterKill().toMillis() + s.timeout().toMillis() * 3 + 5000);
            }
            marked = markedDown(array, victim);
        }
        ObjectNode r = m.createObjectNode();
        r.putObject("settings").put("clients", s.clients()).put("calls_per_second_per_client", s.callsPerSecond())
                .put("stub_bytes", s.stubBytes()).put("before_kill_s", s.beforeKill().toMillis() / 1000.0)
                .put("after_kill_s", s.afterKill().toMillis() / 1000.0).put("timeout_s", s.timeout().toSeconds())
                .put("reopen_pause_ms", REOPEN_PAUSE_MS).put("notice_bound_ms", FailoverLedger.NOTICE_BOUND.toMillis())
                .put("receive_window_bytes", window).put("placement", ArrayBench.describe(placement));
        r.putObject("kill").put("member", killedName).put("pid", killedPid).put("at", killedAt.toString()).put("signal", "SIGKILL")
                .put("haproxy_marked_down", marked);
        r.setAll(ledger.report(m, s.clients(), kill));
        // no CPU count here: pinned, this JVM sees only the load CPUs (ArrayBench reports the machine's)
        r.putObject("machine").put("load_average_before", loadBefore)
                .put("load_average_after", SoakRun.loadAverage());
        ArrayNode reasons = m.createArrayNode();
        ObjectNode calls = (ObjectNode) r.get("calls");
        ObjectNode clients = (ObjectNode) r.get("clients");
        if (calls.get("lost").asLong() > 0) {
            reasons.add(calls.get("lost").asLong() + " calls not in flight at the kill failed");
        }
        if (calls.get("mismatched").asLong() > 0) {
            reasons.add(calls.get("mismatched").asLong() + " calls answered wrongly");
        }
        if (clients.get("broken_by_kill").asInt() == 0) {
            reasons.add("the kill broke no virtual connection (nothing was proved)");
        }
        if (clients.get("not_recovered").asInt() > 0) {
            reasons.add(clients.get("not_recovered").asInt() + " clients cut off by the kill got no call answered again");
        }
        if (clients.get("broken_otherwise").asInt() > 0) {
            reasons.add(clients.get("broken_otherwise").asInt() + " virtual connections broke for another reason than the kill");
        }
        r.putObject("verdict").put("ok", reasons.isEmpty()).set("reasons", reasons);
        return r;
    }

    /** One client: a virtual connection, a call at a time at its rate; a new virtual connection when its own broke. */
    private static void client(int id, LeanClient client, Settings s, long end, AtomicLong seq, FailoverLedger ledger) {
        long period = TimeUnit.SECONDS.toNanos(1) / s.callsPerSecond();
        long callWait = s.timeout().toMillis() + 1000;
        LeanVirtualConnection vc = null;
        long vcOpened = 0;
        long next = System.nanoTime();
        while (System.nanoTime() < end) {
            if (vc == null) {
                long t = System.nanoTime();
                try {
                    vc = client.open().get(callWait, TimeUnit.MILLISECONDS);
                    vcOpened = t;
                    next = System.nanoTime(); // the first call at once: recovery is measured to it
                } catch (Exception e) {
                    ledger.reconnectFailed(SoakLedger.kind(e));
                    SoakLoad.pause(TimeUnit.MILLISECONDS.toNanos(REOPEN_PAUSE_MS));
                    continue;
                }
            }
            if (!vc.isOpen()) {
                // a channel closed between two calls: the client knows before it sends, as Outlook does
                ledger.broken(new Broken(id, vcOpened, System.nanoTime(), vc.failure() == null ? "closed" : SoakLedger.kind(vc.failure())));
                vc.close();
                vc = null;
                continue;
            }
            byte[] request = RecyclingRun.payload(seq.getAndIncrement(), s.stubBytes());
            long sent = System.nanoTime();
            try {
                byte[] response = vc.call(0, request).get(callWait, TimeUnit.MILLISECONDS);
                ledger.call(new Call(id, vcOpened, sent, System.nanoTime(), Arrays.equals(request, response), null));
            } catch (Exception e) {
                long failed = System.nanoTime();
                String kind = SoakLedger.kind(e);
                ledger.call(new Call(id, vcOpened, sent, failed, false, kind));
                ledger.broken(new Broken(id, vcOpened, failed, kind));
                vc.close();
                vc = null;
                continue;
            }
            next += period;
            SoakLoad.pause(next - System.nanoTime());
        }
        if (vc != null) {
            vc.close();
        }
    }

    /** What the report says while HAProxy has not yet taken the killed member out (JSON, English). */
    static final String NOT_YET = "not yet";

    /** HAProxy's own line saying it took the killed member out of the rotation, or "not yet". */
    private static String markedDown(ArrayTopology array, ArrayMember victim) {
        try {
            return Files.readAllLines(array.balancer().logFile()).stream().filter(l -> l.contains("/" + victim.name() + " is DOWN"))
                    .findFirst().map(l -> l.replaceAll("^.*?(Server )", "$1")).orElse(NOT_YET);
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** The report as a few lines of text in {@code text}'s language; HAProxy's line and the reasons as they came (quoted in German). */
    static String text(ObjectNode r, BenchText text) {
        StringBuilder b = new StringBuilder();
        var c = r.get("calls");
        var cl = r.get("clients");
        var set = r.get("settings");
        b.append(text.get("array.failover-heading", "clients", set.get("clients").asInt(), "rate", set.get("calls_per_second_per_client").asInt(),
                "before", RpchBench.oneDecimal(set.get("before_kill_s").asDouble()), "after", RpchBench.oneDecimal(set.get("after_kill_s")
                        .asDouble()), "loadBefore", r.get("machine").get("load_average_before").asText(), "loadAfter",
                r.get("machine").get("load_average_after").asText())).append('\n');
        b.append(text.get("array.failover-calls", "sent", c.get("sent").asLong(), "answered", c.get("answered").asLong(), "afterKill",
                c.get("answered_after_kill").asLong(), "inFlight", c.get("in_flight_at_kill").asLong(), "beforeNoticed",
                c.get("sent_before_noticed").asLong(), "lost", c.get("lost").asLong(), "mismatched", c.get("mismatched").asLong())).append('\n');
        b.append(text.get("array.failover-clients", "broken", cl.get("broken_by_kill").asInt(), "recovered", cl.get("recovered").asInt(),
                "unaffected", cl.get("unaffected").asInt(), "noticedMedian", r.get("noticed_ms").get("median"), "noticedMax",
                r.get("noticed_ms").get("max"), "reopenedMedian", r.get("reopened_ms").get("median"), "reopenedMax", r.get("reopened_ms").get("max"),
                "recoveryMedian", r.get("recovery_ms").get("median"), "recoveryMax", r.get("recovery_ms").get("max"), "failedReopens",
                r.get("reconnect_failures"))).append('\n');
        String marked = r.get("kill").get("haproxy_marked_down").asText();
        b.append(marked.equals(NOT_YET) ? text.get("array.failover-haproxy-not-yet") : text.get("array.failover-haproxy", "line", marked))
                .append('\n');
        var v = r.get("verdict");
        b.append(v.get("ok").asBoolean() ? text.get("array.failover-passed") : text.get("array.failover-failed", "reasons", v.get("reasons")))
                .append('\n');
        return b.toString();
    }
}
