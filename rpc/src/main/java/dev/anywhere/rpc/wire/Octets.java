package dev.anywhere.rpc.wire;

import io.netty.buffer.ByteBuf;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable run of bytes compared by content: stub data, auth values and padding in DCE/RPC PDUs; keys,
 * challenges, responses and AV pair values in NTLM. Records hold these instead of {@code byte[]} so that
 * {@code equals} and {@code hashCode} work and nobody can change what a record was given: factories and
 * {@link #toByteArray()} copy, and only this package (the reader and writer) touches the array itself.
 */
public final class Octets {

    /** No bytes. */
    public static final Octets EMPTY = new Octets(new byte[0]);

    private static final int TO_STRING_LIMIT = 32;

    private final byte[] bytes;

    private Octets(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Takes ownership of {@code bytes}: for the reader's freshly read arrays, which nobody else holds. */
    static Octets wrap(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Octets(bytes);
    }

    /** A copy of {@code bytes}. */
    public static Octets of(byte... bytes) {
        return wrap(bytes.clone());
    }

    /** A copy of {@code bytes[from, to)}. */
    public static Octets of(byte[] bytes, int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        return wrap(Arrays.copyOfRange(bytes, from, to));
    }

    /** Hex digits; whitespace and {@code |} are ignored so that spec dumps can be pasted as they are. */
    public static Octets ofHex(String hex) {
        return wrap(HexFormat.of().parseHex(hex.replaceAll("[\\s|]", "")));
    }

    /** {@code n} zero bytes. */
    public static Octets zeros(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("length: " + n + " (expected: >= 0)");
        }
        return wrap(new byte[n]);
    }

    /** Copies the readable bytes of {@code buf} without moving its reader index. */
    public static Octets copyOf(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return wrap(b);
    }

    /** The bytes without a copy, for this package's reader and writer only. */
    byte[] array() {
        return bytes;
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

    /** True if every byte is zero (also for an empty run). */
    public boolean isAllZero() {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Bytes {@code [from, to)} as a new value. */
    public Octets slice(int from, int to) {
        return of(bytes, from, to);
    }

    /** Writes the bytes to {@code out}. */
    public void writeTo(ByteBuf out) {
        out.writeBytes(bytes);
    }

    /** Copies the bytes into {@code dst} at {@code offset} (reassembly without an intermediate array). */
    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, bytes.length);
    }

    /** Lower-case hex without separators. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Content comparison in time independent of where the first difference is (keys, proofs, MICs). */
    public boolean constantTimeEquals(Octets other) {
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Octets other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The length and at most the first 32 bytes in hex: a 64 KiB stub does not flood a log line. */
    @Override
    public String toString() {
        String hex = bytes.length <= TO_STRING_LIMIT ? hex()
                : HexFormat.of().formatHex(bytes, 0, TO_STRING_LIMIT) + "…";
        return "Octets[" + bytes.length + ": " + hex + "]";
    }
}
