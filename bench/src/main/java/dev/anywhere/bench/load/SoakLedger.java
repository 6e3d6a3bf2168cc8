package dev.anywhere.bench.load;

import dev.anywhere.analyzer.rpch.RpchFailure;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the soak's clients saw, counted exactly: every RPC call carries a sequence number of its own in its stub
 * ({@link RecyclingRun#payload}), so an answer is matched to its call, a second answer for a call already answered is a
 * duplicate, and any other wrong answer a mismatch; and, per worker, each failure with its kind and each outage (from
 * its first failure to its next success), so that recovery can be measured per fault.
 */
final class SoakLedger {

    /** What a worker did. */
    enum Source {
        /** An echo call on a long-lived virtual connection. */
        CALL,
        /** Opening (and binding) a caller's virtual connection again after it failed. */
        RECONNECT,
        /** A fresh virtual connection with Basic, bound, one call, closed. */
        LOGON_BASIC,
        /** The same with NTLM. */
        LOGON_NTLM,
        /** An Autodiscover POX POST with Basic. */
        AUTODISCOVER
    }

    /** A call that got no answer: sent at {@code sentNanos}, given up at {@code failedNanos}. */
    record CallFailure(long seq, long sentNanos, long failedNanos, String kind) {
    }

    /** A failure a worker saw. */
    record Failure(String worker, Source source, long atNanos, String kind) {
    }

    /** A worker's outage: its first failure and its next success (-1 while it lasts). */
    record Outage(String worker, Source source, long fromNanos, long toNanos) {
    }

    private final AtomicLong nextSeq = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong mismatched = new AtomicLong();
    private final BitSet answeredSeqs = new BitSet();
    private final List<CallFailure> callFailures = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private final List<Outage> outages = new ArrayList<>();
    private final Map<String, Long> openOutage = new HashMap<>();
    private final Map<Source, Long> successes = new EnumMap<>(Source.class);

    /** The next call's sequence number. */
    long begin() {
        return nextSeq.getAndIncrement();
    }

    /** Call {@code seq} sent {@code request} and got {@code response}. */
    void answer(long seq, byte[] request, byte[] response) {
        synchronized (answeredSeqs) {
            if (Arrays.equals(request, response) && !answeredSeqs.get((int) seq)) {
                answeredSeqs.set((int) seq);
                answered.incrementAndGet();
                return;
            }
            long echoed = response.length >= 8 ? ByteBuffer.wrap(response).getLong(0) : -1;
            boolean again = echoed >= 0 && echoed < nextSeq.get() && echoed <= Integer.MAX_VALUE && answeredSeqs.get((int) echoed)
                    && Arrays.equals(RecyclingRun.payload(echoed, response.length), response);
            (again ? duplicated : mismatched).incrementAndGet();
        }
    }

    synchronized void callFailed(long seq, long sentNanos, Throwable cause) {
        callFailures.add(new CallFailure(seq, sentNanos, System.nanoTime(), kind(cause)));
    }

    synchronized void success(String worker, Source source) {
        successes.merge(source, 1L, Long::sum);
        Long from = openOutage.remove(worker);
        if (from != null) {
            outages.add(new Outage(worker, source, from, System.nanoTime()));
        }
    }

    synchronized void failure(String worker, Source source, String kind) {
        long now = System.nanoTime();
        failures.add(new Failure(worker, source, now, kind));
        openOutage.putIfAbsent(worker, now);
    }

    long sent() {
        return nextSeq.get();
    }

    long answered() {
        return answered.get();
    }

    long duplicated() {
        return duplicated.get();
    }

    long mismatched() {
        return mismatched.get();
    }

    synchronized List<CallFailure> callFailures() {
        return List.copyOf(callFailures);
    }

    synchronized List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** Finished outages, and those still open ending at -1. */
    synchronized List<Outage> outages() {
        List<Outage> all = new ArrayList<>(outages);
        openOutage.forEach((w, from) -> all.add(new Outage(w, null, from, -1)));
        return all;
    }

    synchronized long successes(Source source) {
        return successes.getOrDefault(source, 0L);
    }

    /**
     * How a failure looked to the client, in a few stable words: {@code "rpc proxy: rpch.rpc-proxy-error (503 RPC
     * Error: 6ba)"}, {@code "connection refused"}, {@code "timeout"}; numbers that vary (ports, call ids) are left out.
     */
    static String kind(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof RpchFailure f) {
            return f.hop().label() + ": " + f.kind().id() + " (" + shorten(f.detail()) + ")";
        }
        if (c instanceof HttpTimeoutException || c instanceof TimeoutException) {
            return "timeout";
        }
        if (c instanceof ConnectException) {
            return "connection refused";
        }
        if (c instanceof java.io.IOException) {
            return "connection closed (" + shorten(String.valueOf(c.getMessage())) + ")";
        }
        return shorten(String.valueOf(c.getMessage()));
    }

    private static String shorten(String detail) {
        String s = detail.replaceAll("call_id \\d+", "call_id N").replaceAll("\\d{4,}", "N").replaceAll("\\s+", " ").trim();
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}
