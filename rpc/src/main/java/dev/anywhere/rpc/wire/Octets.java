package dev.anywhere.rpc.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable run of bytes compared by content: stub data, auth values and padding in DCE/RPC PDUs; keys,
 * challenges, responses and AV pair values in NTLM. Records hold these instead of {@code byte[]} so that
 * {@code equals} and {@code hashCode} work and nobody can change what a record was given: factories and
 * {@link #toByteArray()} copy, and only this package (the reader and writer) touches the array itself.
 *
 * <p>A value is a range of an array that nobody changes, so {@link #slice} shares it instead of copying: the
 * fragments of a 16 KiB stub cost no copy until they are encoded (a slice keeps its whole array reachable).
 */
public final class Octets {

    /** No bytes. */
    public static final Octets EMPTY = new Octets(new byte[0], 0, 0);

    private static final int TO_STRING_LIMIT = 32;

    private final byte[] bytes;
    private final int offset;
    private final int length;

    private Octets(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    /** Takes ownership of {@code bytes}: for the reader's freshly read arrays, which nobody else holds. */
    static Octets wrap(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Octets(bytes, 0, bytes.length);
    }

    /**
     * Takes ownership of the first {@code length} bytes of {@code bytes}, without a copy: for an array the caller
     * filled and lets go of, e.g. a reassembled stub. The caller must neither keep nor change the array.
     */
    public static Octets adopt(byte[] bytes, int length) {
        Objects.checkFromIndexSize(0, length, bytes.length);
        return length == 0 ? EMPTY : new Octets(bytes, 0, length);
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

    /** Writes the bytes to {@code out}, for this package's writer. */
    void writeTo(java.io.ByteArrayOutputStream out) {
        out.write(bytes, offset, length);
    }

    /** Number of bytes. */
    public int length() {
        return length;
    }

    /** Whether there are no bytes. */
    public boolean isEmpty() {
        return length == 0;
    }

    /** The byte at {@code index}, unsigned. */
    public int get(int index) {
        return bytes[offset + Objects.checkIndex(index, length)] & 0xff;
    }

    /** A fresh copy of the bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    /** True if every byte is zero (also for an empty run). */
    public boolean isAllZero() {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Bytes {@code [from, to)} as a new value, sharing this value's array. */
    public Octets slice(int from, int to) {
        Objects.checkFromToIndex(from, to, length);
        return from == 0 && to == length ? this : to == from ? EMPTY : new Octets(bytes, offset + from, to - from);
    }

    /** Writes the bytes to {@code out}. */
    public void writeTo(ByteBuf out) {
        out.writeBytes(bytes, offset, length);
    }

    /** Copies the bytes into {@code dst} at {@code dstOffset} (reassembly without an intermediate array). */
    public void copyTo(byte[] dst, int dstOffset) {
        System.arraycopy(bytes, offset, dst, dstOffset, length);
    }

    /** Lower-case hex without separators. */
    public String hex() {
        return HexFormat.of().formatHex(bytes, offset, offset + length);
    }

    /** Content comparison in time independent of where the first difference is (keys, proofs, MICs). */
    public boolean constantTimeEquals(Octets other) {
        if (length != other.length) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= bytes[offset + i] ^ other.bytes[other.offset + i];
        }
        return diff == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Octets other
                && Arrays.equals(bytes, offset, offset + length, other.bytes, other.offset, other.offset + other.length);
    }

    /** As {@link Arrays#hashCode(byte[])} of the bytes. */
    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + bytes[i];
        }
        return h;
    }

    /** The length and at most the first 32 bytes in hex: a 64 KiB stub does not flood a log line. */
    @Override
    public String toString() {
        String hex = length <= TO_STRING_LIMIT ? hex()
                : HexFormat.of().formatHex(bytes, offset, offset + TO_STRING_LIMIT) + "…";
        return "Octets[" + length + ": " + hex + "]";
    }
}
