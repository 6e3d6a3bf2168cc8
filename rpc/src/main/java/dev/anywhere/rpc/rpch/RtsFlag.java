package dev.anywhere.rpc.rpch;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code Flags} field of the RTS PDU header. {@link #NONE} (0) stands alone: a flag set is either
 * {@code {NONE}} or a non-empty set of the other flags.
 *
 * @see [MS-RPCH] 2.2.3.6.1 RTS PDU Header
 */
public enum RtsFlag {
    /** RTS_FLAG_NONE: no flag set. */
    NONE(0x0000),
    /** RTS_FLAG_PING: a ping, or OUT_R2/C1. */
    PING(0x0001),
    /** RTS_FLAG_OTHER_CMD: keep-alive, flow control, ping traffic notification. */
    OTHER_CMD(0x0002),
    /** RTS_FLAG_RECYCLE_CHANNEL: starts channel recycling. */
    RECYCLE_CHANNEL(0x0004),
    /** RTS_FLAG_IN_CHANNEL: sent on an IN channel leg to the server (CONN/B2, IN_R1/A2). */
    IN_CHANNEL(0x0008),
    /** RTS_FLAG_OUT_CHANNEL: sent on an OUT channel leg to the server (CONN/A2, OUT_R1/A4…). */
    OUT_CHANNEL(0x0010),
    /** RTS_FLAG_EOF: the last PDU on a channel (OUT_R2/B3). */
    EOF(0x0020),
    /** RTS_FLAG_ECHO: echo request/response. */
    ECHO(0x0040);

    /** Every defined bit. */
    public static final int ALL_BITS = 0x007f;

    private final int bit;

    RtsFlag(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }

    /** {@code {NONE}}. */
    public static Set<RtsFlag> none() {
        return Collections.unmodifiableSet(EnumSet.of(NONE));
    }

    /** The flags of {@code bits}; the caller has checked that no undefined bit is set. */
    public static Set<RtsFlag> fromBits(int bits) {
        EnumSet<RtsFlag> set = EnumSet.noneOf(RtsFlag.class);
        for (RtsFlag f : values()) {
            if (f != NONE && (bits & f.bit) != 0) {
                set.add(f);
            }
        }
        return normalize(set);
    }

    public static int toBits(Set<RtsFlag> flags) {
        int bits = 0;
        for (RtsFlag f : flags) {
            bits |= f.bit;
        }
        return bits;
    }

    /** An immutable canonical copy: {@code {NONE}} if nothing else is set, else the set without NONE. */
    public static Set<RtsFlag> normalize(Set<RtsFlag> flags) {
        EnumSet<RtsFlag> set = flags.isEmpty() ? EnumSet.noneOf(RtsFlag.class) : EnumSet.copyOf(flags);
        set.remove(NONE);
        if (set.isEmpty()) {
            set.add(NONE);
        }
        return Collections.unmodifiableSet(set);
    }
}
