package dev.anywhere.server.gateway.rpch;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The virtual connections this gateway relays, each bound to the account that first presented its cookie: a channel
 * (CONN/A1, CONN/B1, IN_R1/A1, OUT_R1/A3 — all carry the virtual connection cookie) may only join a virtual
 * connection of its own account. The RPC server pairs legs by cookie alone and lets a duplicate supersede the old
 * virtual connection, so without this table a channel of another account with a known cookie would be paired with,
 * or tear down, someone else's virtual connection.
 *
 * <p>An entry lives while a channel of this gateway uses it and for {@code grace} after the last one closed (a client
 * recycling or reconnecting keeps its cookie bound to itself). The table is bounded: at {@code maxEntries} the
 * entries without channels go first, oldest first; when every entry has a live channel, a new cookie is refused.
 * Synchronized: channels of all event loops use it, each call is a few map operations and never waits.
 *
 * @see [MS-RPCH] 2.2.4.2 CONN/A1, 2.2.4.5 CONN/B1, 2.2.4.10 IN_R1/A1, 2.2.4.25 OUT_R1/A3 (the virtual connection cookie)
 */
final class VirtualConnectionOwners {

    /** How long a cookie stays bound after its last channel closed. */
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);
    /** Far above the virtual connections one gateway relays; entries cost about 200 bytes. */
    static final int DEFAULT_MAX_ENTRIES = 1 << 17;

    /** What {@link #claim} decided. */
    sealed interface Claim permits Granted, OwnedByOther, Full {
    }

    /** The channel joins the virtual connection of its account (new or known). */
    record Granted() implements Claim {
    }

    /** The cookie is bound to {@code owner} (as that account authenticated), not to the claimant. */
    record OwnedByOther(String owner) implements Claim {
    }

    /** {@code entries} cookies are bound, each with a live channel: no room for a new one. */
    record Full(int entries) implements Claim {
    }

    private static final Granted GRANTED = new Granted();

    private static final class Entry {
        final String account;
        final String key;
        /** The channels using the cookie, compared by identity (ProxyChannel keeps Object's equals). */
        final Set<Object> channels = new java.util.HashSet<>(4);
        long idleSince;

        Entry(String account, String key) {
            this.account = account;
            this.key = key;
        }
    }

    private final Map<UUID, Entry> byCookie = new HashMap<>();
    /** The entries without a channel, oldest first: expired and evicted from the head. */
    private final LinkedHashMap<UUID, Entry> idle = new LinkedHashMap<>();
    private final long graceNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;

    VirtualConnectionOwners() {
        this(DEFAULT_GRACE, DEFAULT_MAX_ENTRIES, System::nanoTime);
    }

    VirtualConnectionOwners(Duration grace, int maxEntries, LongSupplier nanoTime) {
        this.graceNanos = grace.toNanos();
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    /**
     * The account as the table compares it: account names are case-insensitive (Active Directory), so
     * {@code FRANKYSWEB\franky} and {@code frankysweb\FRANKY} are one account.
     */
    static String key(String account) {
        return account.toLowerCase(Locale.ROOT);
    }

    /** {@code channel} of {@code account} presents virtual connection cookie {@code vc}. */
    synchronized Claim claim(UUID vc, String account, Object channel) {
        long now = nanoTime.getAsLong();
        expire(now);
        String key = key(account);
        Entry e = byCookie.get(vc);
        if (e != null) {
            if (!e.key.equals(key)) {
                return new OwnedByOther(e.account);
            }
            if (e.channels.isEmpty()) {
                idle.remove(vc);
            }
            e.channels.add(channel);
            return GRANTED;
        }
        if (byCookie.size() >= maxEntries && !idle.isEmpty()) {
            // An entry without channels only guards a cookie nobody uses here now: the oldest goes first.
            Iterator<UUID> oldest = idle.keySet().iterator();
            byCookie.remove(oldest.next());
            oldest.remove();
        }
        if (byCookie.size() >= maxEntries) {
            return new Full(byCookie.size());
        }
        e = new Entry(account, key);
        e.channels.add(channel);
        byCookie.put(vc, e);
        return GRANTED;
    }

    /** {@code channel} closed: when it was the last of {@code vc}, the grace starts. */
    synchronized void release(UUID vc, Object channel) {
        Entry e = byCookie.get(vc);
        if (e == null || !e.channels.remove(channel) || !e.channels.isEmpty()) {
            return;
        }
        if (graceNanos <= 0) {
            byCookie.remove(vc);
            return;
        }
        e.idleSince = nanoTime.getAsLong();
        idle.put(vc, e);
        expire(e.idleSince);
    }

    private void expire(long now) {
        Iterator<Map.Entry<UUID, Entry>> it = idle.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<UUID, Entry> oldest = it.next();
            if (now - oldest.getValue().idleSince < graceNanos) {
                return;
            }
            byCookie.remove(oldest.getKey());
            it.remove();
        }
    }

    /** The channels using {@code vc} now (none when it is not bound), in no particular order. */
    synchronized java.util.List<Object> channels(UUID vc) {
        Entry e = byCookie.get(vc);
        return e == null ? java.util.List.of() : java.util.List.copyOf(e.channels);
    }

    /** Cookies bound (with live channels or in their grace); for tests. */
    synchronized int size() {
        return byCookie.size();
    }
}
