package dev.anywhere.rpc.ntlm;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string: keys, challenges, responses and raw AV pair values. Factories and
 * {@link #toByteArray()} copy, so a holder can never change what it was given or what it hands out.
 * Equality is by content; {@link #toString()} prints lower-case hex.
 */
public final class Octets {

    /** The empty byte string. */
    public static final Octets EMPTY = new Octets(new byte[0]);

    private final byte[] bytes;

    private Octets(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}. */
    public static Octets of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Octets(bytes.clone());
    }

    /** Parses hex digits; spaces are ignored so that spec dumps can be pasted as they are. */
    public static Octets fromHex(String hex) {
        return wrap(HexFormat.of().parseHex(hex.replace(" ", "").replace("\n", "")));
    }

    /** Takes ownership of {@code bytes}; callers must not keep a reference. */
    static Octets wrap(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Octets(bytes);
    }

    /** Number of bytes. */
    public int length() {
        return bytes.length;
    }

    /** Whether there are no bytes. */
    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** The byte at {@code index}, unsigned. */
    public int get(int index) {
        return bytes[index] & 0xff;
    }

    /** A fresh copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Bytes {@code from} (inclusive) to {@code to} (exclusive). */
    public Octets slice(int from, int to) {
        return wrap(Arrays.copyOfRange(bytes, from, to));
    }

    /** Lower-case hex, no separators. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Content comparison in time independent of where the first difference is. */
    public boolean constantTimeEquals(Octets other) {
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    /** The bytes without a copy, for this package's codecs only. */
    byte[] unsafeArray() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Octets other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
