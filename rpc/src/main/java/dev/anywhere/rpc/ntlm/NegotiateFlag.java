package dev.anywhere.rpc.ntlm;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One bit of the NegotiateFlags field, named as in the spec. The spec's unnamed reserved bits (r1…r10) are
 * constants too, so that any 32-bit value survives decode and re-encode unchanged.
 *
 * @see [MS-NLMP] 2.2.2.5 NEGOTIATE
 */
public enum NegotiateFlag {
    /** A: NTLMSSP_NEGOTIATE_UNICODE, strings in the payload are UTF-16LE. */
    NTLMSSP_NEGOTIATE_UNICODE(0x00000001),
    /** B: NTLM_NEGOTIATE_OEM, strings in the payload use the OEM character set. */
    NTLM_NEGOTIATE_OEM(0x00000002),
    /** C: NTLMSSP_REQUEST_TARGET, the server is asked for its TargetName. */
    NTLMSSP_REQUEST_TARGET(0x00000004),
    /** r10: reserved, must be zero. */
    R10(0x00000008),
    /** D: NTLMSSP_NEGOTIATE_SIGN, session key for message signatures. */
    NTLMSSP_NEGOTIATE_SIGN(0x00000010),
    /** E: NTLMSSP_NEGOTIATE_SEAL, session key for message confidentiality. */
    NTLMSSP_NEGOTIATE_SEAL(0x00000020),
    /** F: NTLMSSP_NEGOTIATE_DATAGRAM, connectionless authentication. */
    NTLMSSP_NEGOTIATE_DATAGRAM(0x00000040),
    /** G: NTLMSSP_NEGOTIATE_LM_KEY, LAN Manager session key computation. */
    NTLMSSP_NEGOTIATE_LM_KEY(0x00000080),
    /** r9: reserved. */
    R9(0x00000100),
    /** H: NTLMSSP_NEGOTIATE_NTLM, NTLM v1 session security protocol. */
    NTLMSSP_NEGOTIATE_NTLM(0x00000200),
    /** r8: reserved. */
    R8(0x00000400),
    /** J: anonymous connection (the spec leaves the bit unnamed; impacket calls it NTLMSSP_NEGOTIATE_ANONYMOUS). */
    NTLMSSP_ANONYMOUS(0x00000800),
    /** K: NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED, NEGOTIATE carries a domain name. */
    NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED(0x00001000),
    /** L: NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED, NEGOTIATE carries a workstation name. */
    NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED(0x00002000),
    /** r7: reserved. */
    R7(0x00004000),
    /** M: NTLMSSP_NEGOTIATE_ALWAYS_SIGN, a signature block on every message. */
    NTLMSSP_NEGOTIATE_ALWAYS_SIGN(0x00008000),
    /** N: NTLMSSP_TARGET_TYPE_DOMAIN, TargetName is a domain name. */
    NTLMSSP_TARGET_TYPE_DOMAIN(0x00010000),
    /** O: NTLMSSP_TARGET_TYPE_SERVER, TargetName is a server name. */
    NTLMSSP_TARGET_TYPE_SERVER(0x00020000),
    /** r6: reserved. */
    R6(0x00040000),
    /** P: NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, NTLM v2 session security. */
    NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY(0x00080000),
    /** Q: NTLMSSP_NEGOTIATE_IDENTIFY, an identify-level token is requested. */
    NTLMSSP_NEGOTIATE_IDENTIFY(0x00100000),
    /** r5: reserved. */
    R5(0x00200000),
    /** R: NTLMSSP_REQUEST_NON_NT_SESSION_KEY, the LMOWF is used for the session key. */
    NTLMSSP_REQUEST_NON_NT_SESSION_KEY(0x00400000),
    /** S: NTLMSSP_NEGOTIATE_TARGET_INFO, CHALLENGE carries TargetInfo. */
    NTLMSSP_NEGOTIATE_TARGET_INFO(0x00800000),
    /** r4: reserved. */
    R4(0x01000000),
    /** T: NTLMSSP_NEGOTIATE_VERSION, the Version field is populated. */
    NTLMSSP_NEGOTIATE_VERSION(0x02000000),
    /** r3: reserved. */
    R3(0x04000000),
    /** r2: reserved. */
    R2(0x08000000),
    /** r1: reserved. */
    R1(0x10000000),
    /** U: NTLMSSP_NEGOTIATE_128, 128-bit session key. */
    NTLMSSP_NEGOTIATE_128(0x20000000),
    /** V: NTLMSSP_NEGOTIATE_KEY_EXCH, the client sends an EncryptedRandomSessionKey. */
    NTLMSSP_NEGOTIATE_KEY_EXCH(0x40000000),
    /** W: NTLMSSP_NEGOTIATE_56, 56-bit encryption. */
    NTLMSSP_NEGOTIATE_56(0x80000000);

    private final int bit;

    NegotiateFlag(int bit) {
        this.bit = bit;
    }

    /** The bit as it appears in the 32-bit little-endian field. */
    public int bit() {
        return bit;
    }

    /** The flags set in a wire value; every bit maps to a constant. */
    public static Set<NegotiateFlag> fromBits(int bits) {
        EnumSet<NegotiateFlag> set = EnumSet.noneOf(NegotiateFlag.class);
        for (NegotiateFlag f : values()) {
            if ((bits & f.bit) != 0) {
                set.add(f);
            }
        }
        return Collections.unmodifiableSet(set);
    }

    /** The wire value of a set of flags. */
    public static int toBits(Set<NegotiateFlag> flags) {
        int bits = 0;
        for (NegotiateFlag f : flags) {
            bits |= f.bit;
        }
        return bits;
    }

    /** An unmodifiable copy of {@code flags}. */
    static Set<NegotiateFlag> copyOf(Set<NegotiateFlag> flags) {
        return flags.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(NegotiateFlag.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(flags));
    }
}
