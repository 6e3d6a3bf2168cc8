package dev.anywhere.rpc.wire;

import io.netty.buffer.ByteBuf;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable run of bytes compared by content: the one implementation behind each protocol's {@code Octets}.
 * Records hold these instead of {@code byte[]} so that {@code equals} and {@code hashCode} work and nobody can
 * change what a record was given. A subclass owns the array it is built from; copies are made by its factories.
 *
 * <p>Values of different subclasses are never equal, so a DCE/RPC stub and an NTLM key stay distinct types.
 *
 * @param <T> the protocol's own subtype, returned by {@link #slice(int, int)}
 */
public abstract class OctetString<T extends OctetString<T>> {

    private final byte[] bytes;

    /** Takes ownership of {@code bytes}: the caller must not keep a reference. */
    protected OctetString(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A value of the subtype owning {@code bytes} (the empty constant when there are none). */
    protected abstract T wrapOwned(byte[] bytes);

    /** Hex digits; whitespace and {@code |} are ignored so that spec dumps can be pasted as they are. */
    protected static byte[] parseHex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("[\\s|]", ""));
    }

    /** The readable bytes of {@code buf}, copied without moving its reader index. */
    protected static byte[] readableBytes(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return b;
    }

    /** The bytes without a copy, for the subtype's own package codecs only. */
    protected final byte[] array() {
        return bytes;
    }

    /** Number of bytes. */
    public final int length() {
        return bytes.length;
    }

    /** Whether there are no bytes. */
    public final boolean isEmpty() {
        return bytes.length == 0;
    }

    /** The byte at {@code index}, unsigned. */
    public final int get(int index) {
        return bytes[index] & 0xff;
    }

    /** A fresh copy of the bytes. */
    public final byte[] toByteArray() {
        return bytes.clone();
    }

    /** True if every byte is zero (also for an empty run). */
    public final boolean isAllZero() {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Bytes {@code [from, to)} as a new value. */
    public final T slice(int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        return wrapOwned(Arrays.copyOfRange(bytes, from, to));
    }

    /** Writes the bytes to {@code out}. */
    public final void writeTo(ByteBuf out) {
        out.writeBytes(bytes);
    }

    /** Lower-case hex without separators. */
    public final String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Lower-case hex of at most the first {@code limit} bytes, with {@code …} when there are more. */
    protected final String hex(int limit) {
        return bytes.length <= limit ? hex() : HexFormat.of().formatHex(bytes, 0, limit) + "…";
    }

    /** Content comparison in time independent of where the first difference is (keys, proofs, MICs). */
    public final boolean constantTimeEquals(T other) {
        return MessageDigest.isEqual(bytes, ((OctetString<?>) other).bytes);
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Arrays.equals(bytes, ((OctetString<?>) o).bytes);
    }

    @Override
    public final int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
