package dev.anywhere.server.gateway;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows password guessing: failed logons are counted per user and per source address within a window; beyond the
 * free ones, the 401 is answered later (1 s, doubling, capped), by a timer and never by a sleeping thread.
 *
 * <p>This does not lock anyone out: the right password is answered at once even while its user is throttled, and
 * every guess still reaches the directory, whose own lockout (Active Directory's {@code lockoutThreshold}) may
 * lock the account. Each table holds at most {@value #MAX_KEYS} keys; when full, expired windows are dropped and,
 * if that is not enough, the table is emptied (the other table still counts).
 */
final class LogonThrottle {

    static final int MAX_KEYS = 10_000;

    /** How many failures the user or the address has in its window, and how long to hold the 401. */
    record Penalty(int failures, Duration delay) {
    }

    private record Window(long startNanos, int failures) {
    }

    private final LogonSettings settings;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Window> byUser = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Window> byAddress = new ConcurrentHashMap<>();

    LogonThrottle(LogonSettings settings, LongSupplier nanoTime) {
        this.settings = settings;
        this.nanoTime = nanoTime;
    }

    LogonThrottle(LogonSettings settings) {
        this(settings, System::nanoTime);
    }

    Penalty failed(String user, String address) {
        long now = nanoTime.getAsLong();
        int failures = Math.max(count(byUser, user.toLowerCase(Locale.ROOT), now), count(byAddress, address, now));
        return new Penalty(failures, delay(failures));
    }

    /** A right password: its user's count starts again (its address's does not: one address may guess many users). */
    void succeeded(String user) {
        byUser.remove(user.toLowerCase(Locale.ROOT));
    }

    Duration delay(int failures) {
        int beyond = failures - settings.freeFailures();
        if (beyond <= 0) {
            return Duration.ZERO;
        }
        Duration d = settings.firstDelay();
        for (int i = 1; i < beyond && d.compareTo(settings.maxDelay()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : d;
    }

    private int count(ConcurrentHashMap<String, Window> table, String key, long now) {
        long window = settings.failureWindow().toNanos();
        if (table.size() >= MAX_KEYS && !table.containsKey(key)) {
            table.values().removeIf(w -> now - w.startNanos() > window);
            if (table.size() >= MAX_KEYS) {
                table.clear();
            }
        }
        return table.compute(key, (k, w) -> w == null || now - w.startNanos() > window
                ? new Window(now, 1) : new Window(w.startNanos(), w.failures() + 1)).failures();
    }
}
