package dev.anywhere.rpc.dce;

import dev.anywhere.rpc.wire.OctetString;
import io.netty.buffer.ByteBuf;

/**
 * An immutable run of bytes carried opaquely inside a PDU (stub data, auth values, padding), compared by
 * content (the shared {@link OctetString}).
 */
public final class Octets extends OctetString<Octets> {
    /** No bytes. */
    public static final Octets EMPTY = new Octets(new byte[0]);

    private static final int TO_STRING_LIMIT = 32;

    private Octets(byte[] bytes) {
        super(bytes);
    }

    /** A copy of {@code bytes}. */
    public static Octets of(byte... bytes) {
        return wrap(bytes.clone());
    }

    /** Hex digits, whitespace and {@code |} ignored: {@code "05 00 14 03"}. */
    public static Octets ofHex(String hex) {
        return wrap(parseHex(hex));
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
        return wrap(readableBytes(buf));
    }

    static Octets wrap(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Octets(bytes);
    }

    @Override
    protected Octets wrapOwned(byte[] bytes) {
        return wrap(bytes);
    }

    /** Copies the bytes into {@code dst} at {@code offset} (reassembly without an intermediate array). */
    void copyTo(byte[] dst, int offset) {
        System.arraycopy(array(), 0, dst, offset, length());
    }

    @Override
    public String toString() {
        return "Octets[" + length() + ": " + hex(TO_STRING_LIMIT) + "]";
    }
}
