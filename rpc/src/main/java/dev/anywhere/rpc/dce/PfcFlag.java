package dev.anywhere.rpc.dce;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code pfc_flags} bits of the common header (byte 3).
 *
 * @see [C706] 12.6.3.1 The pfc_flags Field
 * @see [MS-RPCE] 2.2.2.3 PFC_SUPPORT_HEADER_SIGN Flag
 */
public enum PfcFlag {
    FIRST_FRAG(0x01),
    LAST_FRAG(0x02),
    /** PFC_PENDING_CANCEL; on bind, bind_ack, alter_context, alter_context_resp and rpc_auth_3: PFC_SUPPORT_HEADER_SIGN. */
    PENDING_CANCEL(0x04),
    RESERVED_1(0x08),
    CONC_MPX(0x10),
    DID_NOT_EXECUTE(0x20),
    MAYBE(0x40),
    OBJECT_UUID(0x80);

    /** [MS-RPCE] 2.2.2.3: the meaning of bit 0x04 on bind-family PDUs. */
    public static final PfcFlag SUPPORT_HEADER_SIGN = PENDING_CANCEL;

    /** FIRST_FRAG | LAST_FRAG: a PDU that is not fragmented. */
    public static final Set<PfcFlag> SINGLE_FRAGMENT = Collections.unmodifiableSet(EnumSet.of(FIRST_FRAG, LAST_FRAG));

    private final int bit;

    PfcFlag(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }

    /** The flags set in {@code bits} (all 8 bits are defined). */
    public static Set<PfcFlag> fromBits(int bits) {
        EnumSet<PfcFlag> set = EnumSet.noneOf(PfcFlag.class);
        for (PfcFlag f : values()) {
            if ((bits & f.bit) != 0) {
                set.add(f);
            }
        }
        return Collections.unmodifiableSet(set);
    }

    public static int toBits(Set<PfcFlag> flags) {
        int bits = 0;
        for (PfcFlag f : flags) {
            bits |= f.bit;
        }
        return bits;
    }

    /** An immutable copy of {@code flags} (possibly empty). */
    public static Set<PfcFlag> copy(Set<PfcFlag> flags) {
        return flags.isEmpty()
                ? Collections.unmodifiableSet(EnumSet.noneOf(PfcFlag.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(flags));
    }
}
