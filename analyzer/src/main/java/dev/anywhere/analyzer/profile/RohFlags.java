package dev.anywhere.analyzer.profile;

import java.util.EnumSet;
import java.util.Set;

/**
 * PR_ROH_FLAGS (0x6623), the "Exchange Proxy Settings" check boxes of an Outlook profile.
 *
 * @see [MS-OXOCFG] PidTagRpcOverHttpFlags; KB 923575
 */
public enum RohFlags {
    /** Connect to Exchange using HTTP. */
    USE_ROH(0x1),
    /** Connect using SSL only. */
    SSL_ONLY(0x2),
    /** Only connect to proxy servers that have this principal name in their certificate (msstd:). */
    MUTUAL_AUTH(0x4),
    /** On fast networks, connect using HTTP first, then TCP/IP. */
    HTTP_FIRST_ON_FAST(0x8),
    /** On slow networks, connect using HTTP first, then TCP/IP. */
    HTTP_FIRST_ON_SLOW(0x20);

    private final int bit;

    RohFlags(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }

    public static int toBits(Set<RohFlags> flags) {
        int b = 0;
        for (RohFlags f : flags) {
            b |= f.bit;
        }
        return b;
    }

    public static Set<RohFlags> fromBits(int bits) {
        EnumSet<RohFlags> set = EnumSet.noneOf(RohFlags.class);
        for (RohFlags f : values()) {
            if ((bits & f.bit) != 0) {
                set.add(f);
            }
        }
        return set;
    }
}
