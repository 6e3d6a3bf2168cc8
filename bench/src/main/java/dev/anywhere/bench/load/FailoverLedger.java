package dev.anywhere.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the failover run's clients saw ({@link ArrayFailover}), and how each failed call is judged against the moment
 * a member was killed. A call is identified with the virtual connection it went on (its client and the time that
 * virtual connection began to open). A failed call is
 * <ul>
 * <li><b>in flight at the kill</b> when it was sent before the kill and failed after it: the member carrying one of its
 * channels died under it, and no client can save it (Outlook retries such a call itself);
 * <li><b>sent before the loss was noticed</b> when it was sent after the kill on a virtual connection opened before
 * it, which the client found broken within {@link #NOTICE_BOUND} of the kill: sent into a connection already cut,
 * in the moment before its channel's close reached the client (the soak counts these as in progress at a fault too);
 * <li><b>lost</b> otherwise: sent on a virtual connection opened after the kill (through the survivor), on one the kill
 * did not break, or before the kill and failed before it. The array promises none of these fail.
 * </ul>
 */
final class FailoverLedger {

    /**
     * How soon after the kill a broken virtual connection must be noticed for the kill to be its cause: the dead member's
     * sockets close with its process, HAProxy closes the client's side when its server side closes, so the client learns
     * within milliseconds; a virtual connection failing later failed for another reason.
     */
    static final Duration NOTICE_BOUND = Duration.ofSeconds(2);

    /** How a call ended. */
    enum Outcome { ANSWERED, MISMATCHED, IN_FLIGHT_AT_KILL, SENT_BEFORE_NOTICED, LOST }

    /** One call: on client {@code client}'s virtual connection opened at {@code vcOpenedNanos}; {@code failure} null when answered. */
    record Call(int client, long vcOpenedNanos, long sentNanos, long endedNanos, boolean correct, String failure) {
        boolean answered() {
            return failure == null;
        }
    }

    /** A virtual connection its client found broken at {@code noticedNanos}, and why. */
    record Broken(int client, long vcOpenedNanos, long noticedNanos, String kind) {
    }

    private final List<Call> calls = new ArrayList<>();
    private final List<Broken> broken = new ArrayList<>();
    private final Map<String, Integer> reconnectFailures = new TreeMap<>();

    synchronized void call(Call c) {
        calls.add(c);
    }

    synchronized void broken(Broken b) {
        broken.add(b);
    }

    /** Opening a new virtual connection failed (HAProxy handed the connect to the dead member, or the open timed out). */
    synchronized void reconnectFailed(String kind) {
        reconnectFailures.merge(kind, 1, Integer::sum);
    }

    /** Whether {@code b} is a virtual connection the kill at {@code kill} broke. */
    static boolean brokenByKill(Broken b, long kill) {
        return b.vcOpenedNanos() < kill && b.noticedNanos() >= kill && b.noticedNanos() - kill <= NOTICE_BOUND.toNanos();
    }

    /** The outcome of {@code c} given the kill at {@code kill} and the broken virtual connections. */
    static Outcome classify(Call c, long kill, List<Broken> broken) {
        if (c.answered()) {
            return c.correct() ? Outcome.ANSWERED : Outcome.MISMATCHED;
        }
        if (c.sentNanos() < kill && c.endedNanos() >= kill) {
            return Outcome.IN_FLIGHT_AT_KILL;
        }
        if (c.sentNanos() >= kill && c.vcOpenedNanos() < kill) {
            for (Broken b : broken) {
                if (b.client() == c.client() && b.vcOpenedNanos() == c.vcOpenedNanos() && brokenByKill(b, kill)) {
                    return Outcome.SENT_BEFORE_NOTICED;
                }
            }
        }
        return Outcome.LOST;
    }

    /**
     * The report of a run with {@code clients} clients and the kill at {@code kill}: the calls by outcome, per client
     * whether the kill broke its virtual connection, when it noticed, when its new virtual connection was open (through
     * the survivor) and when it recovered (its first answered call on a virtual connection opened after the kill), and
     * the median and maximum of each over the clients the kill cut off.
     */
    synchronized ObjectNode report(ObjectMapper m, int clients, long kill) {
        ObjectNode r = m.createObjectNode();
        long[] counts = new long[Outcome.values().length];
        long answeredAfterKill = 0;
        ArrayNode lostExamples = m.createArrayNode();
        for (Call c : calls) {
            Outcome o = classify(c, kill, broken);
            counts[o.ordinal()]++;
            if (o == Outcome.ANSWERED && c.sentNanos() >= kill) {
                answeredAfterKill++;
            }
            if ((o == Outcome.LOST || o == Outcome.MISMATCHED) && lostExamples.size() < 20) {
                lostExamples.addObject().put("client", c.client()).put("sent_ms_after_kill", ms(c.sentNanos() - kill))
                        .put("vc_opened_ms_after_kill", ms(c.vcOpenedNanos() - kill)).put("failure", String.valueOf(c.failure()));
            }
        }
        ObjectNode n = r.putObject("calls");
        n.put("sent", calls.size()).put("answered", counts[Outcome.ANSWERED.ordinal()]).put("answered_after_kill", answeredAfterKill)
                .put("in_flight_at_kill", counts[Outcome.IN_FLIGHT_AT_KILL.ordinal()])
                .put("sent_before_noticed", counts[Outcome.SENT_BEFORE_NOTICED.ordinal()])
                .put("lost", counts[Outcome.LOST.ordinal()]).put("mismatched", counts[Outcome.MISMATCHED.ordinal()]);
        n.set("lost_examples", lostExamples);

        List<Long> noticed = new ArrayList<>();
        List<Long> reopened = new ArrayList<>();
        List<Long> recovered = new ArrayList<>();
        int brokenClients = 0;
        int notRecovered = 0;
        ArrayNode perClient = m.createArrayNode();
        Map<String, Integer> brokenKinds = new TreeMap<>();
        int brokenOtherwise = 0;
        for (Broken b : broken) {
            if (!brokenByKill(b, kill)) {
                brokenOtherwise++;
            }
        }
        for (int client = 0; client < clients; client++) {
            ObjectNode pc = perClient.addObject().put("client", client);
            Broken first = null;
            for (Broken b : broken) {
                if (b.client() == client && brokenByKill(b, kill) && (first == null || b.noticedNanos() < first.noticedNanos())) {
                    first = b;
                }
            }
            if (first == null) {
                pc.put("broken_by_kill", false);
                continue;
            }
            brokenClients++;
            brokenKinds.merge(first.kind(), 1, Integer::sum);
            long seen = first.noticedNanos() - kill;
            noticed.add(seen);
            Call firstBack = null;
            for (Call c : calls) {
                if (c.client() == client && c.answered() && c.correct() && c.vcOpenedNanos() >= kill
                        && (firstBack == null || c.endedNanos() < firstBack.endedNanos())) {
                    firstBack = c;
                }
            }
            pc.put("broken_by_kill", true).put("noticed_ms", ms(seen));
            if (firstBack == null) {
                pc.put("recovered_ms", -1);
                notRecovered++;
            } else {
                // the first call on the new virtual connection is sent as soon as it is open: its send time is when it was
                long ready = firstBack.sentNanos() - kill;
                long back = firstBack.endedNanos() - kill;
                pc.put("reopened_ms", ms(ready)).put("recovered_ms", ms(back));
                reopened.add(ready);
                recovered.add(back);
            }
        }
        ObjectNode cl = r.putObject("clients");
        cl.put("total", clients).put("broken_by_kill", brokenClients).put("unaffected", clients - brokenClients)
                .put("recovered", brokenClients - notRecovered).put("not_recovered", notRecovered)
                .put("broken_otherwise", brokenOtherwise);
        cl.set("broken_by", m.valueToTree(brokenKinds));
        r.set("noticed_ms", spread(m, noticed));
        r.set("reopened_ms", spread(m, reopened));
        r.set("recovery_ms", spread(m, recovered));
        r.set("reconnect_failures", m.valueToTree(reconnectFailures));
        r.set("per_client", perClient);
        return r;
    }

    /** Median and maximum in ms (one decimal), and how many values. */
    static ObjectNode spread(ObjectMapper m, List<Long> nanos) {
        ObjectNode n = m.createObjectNode();
        n.put("count", nanos.size());
        if (nanos.isEmpty()) {
            n.putNull("median");
            n.putNull("max");
            return n;
        }
        long[] v = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(v);
        int k = v.length;
        double median = k % 2 == 1 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2.0;
        n.put("median", ms((long) median)).put("min", ms(v[0])).put("max", ms(v[k - 1]));
        return n;
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 100_000.0) / 10.0;
    }
}
