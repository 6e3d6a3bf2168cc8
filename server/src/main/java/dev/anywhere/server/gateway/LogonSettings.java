package dev.anywhere.server.gateway;

import java.time.Duration;

/**
 * How the gateway runs logons that need the directory (docs/rpc-proxy.md, "Authentication").
 *
 * @param threads directory logons running at once (a small fixed pool, never an event loop)
 * @param queue logons waiting for a thread; beyond it a request gets 503 with Retry-After at once
 * @param deadline how long a request waits for the directory before it gets 503 (the LDAP timeout is longer)
 * @param cacheTtl how long a verified password or an NT hash is remembered; a changed password stops working, and
 *        a new NT hash is read, within it
 * @param freeFailures failed logons per user or source address within {@code failureWindow} answered at once
 * @param failureWindow the window failures are counted in
 * @param firstDelay the delay of the first 401 beyond {@code freeFailures}; each further failure doubles it
 * @param maxDelay the cap of that delay
 * @param probeInterval how often an unreachable directory is tried again, logons or not
 */
public record LogonSettings(int threads, int queue, Duration deadline, Duration cacheTtl, int freeFailures,
        Duration failureWindow, Duration firstDelay, Duration maxDelay, Duration probeInterval) {

    /** Retry-After of a 503 for a logon the directory could not answer. */
    static final int RETRY_AFTER_SECONDS = 5;

    public LogonSettings {
        if (threads < 1 || queue < 0 || freeFailures < 0) {
            throw new IllegalArgumentException("logon settings: threads " + threads + ", queue " + queue
                    + ", free failures " + freeFailures + " (expected: threads >= 1, queue >= 0, free failures >= 0)");
        }
        for (Duration d : new Duration[] {deadline, failureWindow, probeInterval}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("logon settings: " + d + " (expected: a positive duration)");
            }
        }
        for (Duration d : new Duration[] {cacheTtl, firstDelay, maxDelay}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("logon settings: " + d + " (expected: zero or more)");
            }
        }
    }

    /** 4 threads, 64 waiting, 5 s deadline, 60 s cache, 5 free failures in 5 minutes, then 1 s doubling to 30 s. */
    public static LogonSettings defaults() {
        return new LogonSettings(4, 64, Duration.ofSeconds(5), Duration.ofSeconds(60), 5, Duration.ofMinutes(5),
                Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    public LogonSettings withDeadline(Duration value) {
        return new LogonSettings(threads, queue, value, cacheTtl, freeFailures, failureWindow, firstDelay, maxDelay, probeInterval);
    }

    public LogonSettings withPool(int threadCount, int queueLength) {
        return new LogonSettings(threadCount, queueLength, deadline, cacheTtl, freeFailures, failureWindow, firstDelay, maxDelay,
                probeInterval);
    }

    public LogonSettings withCacheTtl(Duration value) {
        return new LogonSettings(threads, queue, deadline, value, freeFailures, failureWindow, firstDelay, maxDelay, probeInterval);
    }

    public LogonSettings withThrottle(int free, Duration first, Duration max) {
        return new LogonSettings(threads, queue, deadline, cacheTtl, free, failureWindow, first, max, probeInterval);
    }

    public LogonSettings withProbeInterval(Duration value) {
        return new LogonSettings(threads, queue, deadline, cacheTtl, freeFailures, failureWindow, firstDelay, maxDelay, value);
    }
}
