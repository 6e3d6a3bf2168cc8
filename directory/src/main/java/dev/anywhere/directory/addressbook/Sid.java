package dev.anywhere.directory.addressbook;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A security identifier as {@code objectSid} stores it: revision 1, a 48-bit identifier authority, up to 15
 * sub-authorities.
 *
 * @see [MS-DTYP] 2.4.2.2 SID--Packet Representation
 */
public final class Sid {
    private static final int MAX_SUB_AUTHORITIES = 15;

    private final long authority;
    private final long[] subAuthorities;

    private Sid(long authority, long[] subAuthorities) {
        this.authority = authority;
        this.subAuthorities = subAuthorities;
    }

    /** {@code S-1-5-21-…}; fails with the offending text on anything else. */
    public static Sid parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.split("-");
        if (parts.length < 3 || !parts[0].equals("S") || !parts[1].equals("1") || parts.length - 3 > MAX_SUB_AUTHORITIES) {
            throw new IllegalArgumentException("SID: " + text + " (expected: S-1-<authority>-<sub>…, at most 15 subs)");
        }
        try {
            long[] subs = new long[parts.length - 3];
            for (int i = 0; i < subs.length; i++) {
                subs[i] = Long.parseLong(parts[i + 3]);
                if (subs[i] < 0 || subs[i] > 0xFFFF_FFFFL) {
                    throw new NumberFormatException(parts[i + 3]);
                }
            }
            return new Sid(Long.parseLong(parts[2]), subs);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SID: " + text + " (expected: decimal numbers)", e);
        }
    }

    /** The packet representation; fails on a wrong revision or a length that disagrees with the count. */
    public static Sid fromBytes(byte[] b) {
        if (b.length < 8 || b[0] != 1 || (b[1] & 0xFF) > MAX_SUB_AUTHORITIES || b.length != 8 + 4 * (b[1] & 0xFF)) {
            throw new IllegalArgumentException("SID: " + b.length + " bytes (expected: revision 1, 8 + 4 x SubAuthorityCount)");
        }
        long authority = 0;
        for (int i = 2; i < 8; i++) {
            authority = (authority << 8) | (b[i] & 0xFF); // IdentifierAuthority is big-endian
        }
        ByteBuffer le = ByteBuffer.wrap(b, 8, b.length - 8).order(ByteOrder.LITTLE_ENDIAN);
        long[] subs = new long[b[1] & 0xFF];
        for (int i = 0; i < subs.length; i++) {
            subs[i] = le.getInt() & 0xFFFF_FFFFL;
        }
        return new Sid(authority, subs);
    }

    /** A domain SID with one more sub-authority, the relative identifier. */
    public Sid withRid(long rid) {
        long[] subs = Arrays.copyOf(subAuthorities, subAuthorities.length + 1);
        subs[subs.length - 1] = rid;
        return new Sid(authority, subs);
    }

    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(8 + 4 * subAuthorities.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 1).put((byte) subAuthorities.length);
        for (int shift = 40; shift >= 0; shift -= 8) {
            out.put((byte) (authority >>> shift));
        }
        for (long s : subAuthorities) {
            out.putInt((int) s);
        }
        return out.array();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("S-1-").append(authority);
        for (long sub : subAuthorities) {
            s.append('-').append(sub);
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sid other && other.authority == authority && Arrays.equals(other.subAuthorities, subAuthorities);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(authority) * 31 + Arrays.hashCode(subAuthorities);
    }
}
