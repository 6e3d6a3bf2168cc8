package dev.anywhere.rpc.dce;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable run of bytes carried opaquely inside a PDU (stub data, auth values, padding), compared by
 * content. Records hold these instead of {@code byte[]} so that {@code equals} and {@code hashCode} work.
 */
public final class Octets {
    /** No bytes. */
    public static final Octets EMPTY = new Octets(new byte[0]);

    private static final int TO_STRING_LIMIT = 32;

    private final byte[] bytes;

    private Octets(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}. */
    public static Octets of(byte... bytes) {
        return bytes.length == 0 ? EMPTY : new Octets(bytes.clone());
    }

    /** Hex digits, whitespace and {@code |} ignored: {@code "05 00 14 03"}. */
    public static Octets ofHex(String hex) {
        return of(HexFormat.of().parseHex(hex.replaceAll("[\\s|]", "")));
    }

    /** {@code n} zero bytes. */
    public static Octets zeros(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("length: " + n + " (expected: >= 0)");
        }
        return n == 0 ? EMPTY : new Octets(new byte[n]);
    }

    /** Copies the readable bytes of {@code buf} without moving its reader index. */
    public static Octets copyOf(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return b.length == 0 ? EMPTY : new Octets(b);
    }

    static Octets wrap(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Octets(bytes);
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** The byte at {@code index}, unsigned. */
    public int get(int index) {
        return bytes[index] & 0xff;
    }

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

    /** Bytes {@code [from, to)} as a new run. */
    public Octets slice(int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        return wrap(Arrays.copyOfRange(bytes, from, to));
    }

    /** Copies the bytes into {@code dst} at {@code offset} (reassembly without an intermediate array). */
    void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, bytes.length);
    }

    public void writeTo(ByteBuf out) {
        out.writeBytes(bytes);
    }

    /** Lower-case hex without separators. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
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
        if (bytes.length <= TO_STRING_LIMIT) {
            return "Octets[" + bytes.length + ": " + hex() + "]";
        }
        return "Octets[" + bytes.length + ": " + HexFormat.of().formatHex(bytes, 0, TO_STRING_LIMIT) + "…]";
    }
}
