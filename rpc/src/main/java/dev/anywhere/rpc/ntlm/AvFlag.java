package dev.anywhere.rpc.ntlm;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A bit of the MsvAvFlags value.
 *
 * @see [MS-NLMP] 2.2.2.1 AV_PAIR
 */
public enum AvFlag {
    /** 0x00000001: the client's or server's account authentication is constrained. */
    ACCOUNT_AUTHENTICATION_CONSTRAINED(0x00000001),
    /** 0x00000002: the client provides a message integrity check in the MIC field. */
    MIC_PRESENT(0x00000002),
    /** 0x00000004: the client provides a target SPN generated from an untrusted source. */
    SPN_FROM_UNTRUSTED_SOURCE(0x00000004);

    private final int bit;

    AvFlag(int bit) {
        this.bit = bit;
    }

    /** The bit in the 32-bit value. */
    public int bit() {
        return bit;
    }

    /** The known flags in a value; other bits are dropped. */
    public static Set<AvFlag> fromBits(long bits) {
        EnumSet<AvFlag> set = EnumSet.noneOf(AvFlag.class);
        for (AvFlag f : values()) {
            if ((bits & f.bit) != 0) {
                set.add(f);
            }
        }
        return Collections.unmodifiableSet(set);
    }

    /** The value of a set of flags. */
    public static int toBits(Set<AvFlag> flags) {
        int bits = 0;
        for (AvFlag f : flags) {
            bits |= f.bit;
        }
        return bits;
    }
}
