package dev.anywhere.rpc.dce;

import io.netty.buffer.ByteBuf;
import java.util.UUID;
import java.util.function.Function;

/**
 * The one bounds-checked reader every codec in {@code rpc} reads through: each read names its field, checks
 * that the bytes are there and otherwise throws the codec's protocol exception with {@code truncated FIELD: N
 * bytes (expected: M)}. All multi-byte integers are little-endian.
 *
 * <p>The reader works on a region of the buffer: {@link #limit(int)} narrows it to a length-prefixed structure
 * and {@link #expectEnd(String)} checks that the structure was consumed exactly.
 */
public final class WireReader {
    private final ByteBuf buf;
    private final Function<String, ? extends RuntimeException> errors;
    private final int start;
    private int end;

    /**
     * A reader over the readable bytes of {@code buf}; reads move {@code buf}'s reader index.
     *
     * @param errors makes the exception thrown for a message, e.g. {@code DceProtocolException::new}
     */
    public WireReader(ByteBuf buf, Function<String, ? extends RuntimeException> errors) {
        this.buf = buf;
        this.errors = errors;
        this.start = buf.readerIndex();
        this.end = buf.writerIndex();
    }

    /** A reader for DCE/RPC codecs, throwing {@link DceProtocolException}. */
    public static WireReader dce(ByteBuf buf) {
        return new WireReader(buf, DceProtocolException::new);
    }

    /** The exception this reader throws, for checks made by the caller. */
    public RuntimeException error(String message) {
        return errors.apply(message);
    }

    /** Bytes left before the current limit. */
    public int remaining() {
        return end - buf.readerIndex();
    }

    /** Bytes read since this reader was created. */
    public int position() {
        return buf.readerIndex() - start;
    }

    /** Sets the limit to {@code length} bytes from the current position; fails if they are not there. */
    public void limit(int length, String field) {
        require(length, field);
        end = buf.readerIndex() + length;
    }

    /** Sets the limit to {@code length} bytes from the current position. */
    public void limit(int length) {
        limit(length, "pdu");
    }

    /** Fails unless every byte up to the limit has been read. */
    public void expectEnd(String what) {
        if (remaining() != 0) {
            throw error(what + ": " + remaining() + " trailing bytes (expected: 0)");
        }
    }

    /** Fails unless {@code n} more bytes are readable. */
    public void require(int n, String field) {
        if (n < 0 || remaining() < n) {
            throw error("truncated " + field + ": " + Math.max(remaining(), 0) + " bytes (expected: " + n + ")");
        }
    }

    /** Fails unless {@code n} more bytes are readable; for sizes computed as count × element size. */
    public void require(long n, String field) {
        if (n < 0 || remaining() < n) {
            throw error("truncated " + field + ": " + Math.max(remaining(), 0) + " bytes (expected: " + n + ")");
        }
    }

    public int u8(String field) {
        require(1, field);
        return buf.readUnsignedByte();
    }

    public int u16(String field) {
        require(2, field);
        return buf.readUnsignedShortLE();
    }

    /** An unsigned 32-bit value as a {@code long}. */
    public long u32(String field) {
        require(4, field);
        return buf.readUnsignedIntLE();
    }

    /** A 32-bit value as its signed bit pattern (call ids, status codes, referent ids). */
    public int i32(String field) {
        require(4, field);
        return buf.readIntLE();
    }

    public long u64(String field) {
        require(8, field);
        return buf.readLongLE();
    }

    /** A 16-bit value in network (big-endian) order, as towers carry ports. */
    public int u16be(String field) {
        require(2, field);
        return buf.readUnsignedShort();
    }

    public UUID guid(String field) {
        require(Guids.LENGTH, field);
        return Guids.read(buf);
    }

    public Octets bytes(int n, String field) {
        require(n, field);
        byte[] b = new byte[n];
        buf.readBytes(b);
        return Octets.wrap(b);
    }

    public void skip(int n, String field) {
        require(n, field);
        buf.skipBytes(n);
    }

    /** Skips to the next multiple of {@code alignment} counted from where this reader started. */
    public void align(int alignment, String field) {
        int pad = padding(position(), alignment);
        skip(pad, field);
    }

    /** The padding that brings {@code offset} to a multiple of {@code alignment}. */
    public static int padding(int offset, int alignment) {
        return (alignment - (offset % alignment)) % alignment;
    }
}
