package dev.anywhere.rpc.wire;

import io.netty.buffer.ByteBuf;
import java.util.UUID;
import java.util.function.Function;

/**
 * The one bounds-checked reader the {@code rpc} codecs (DCE/RPC, NDR, RTS, NTLM) read through: each read names
 * its field, checks that the bytes are there and otherwise throws the caller's protocol exception. Multi-byte
 * integers are little-endian unless the method says otherwise.
 *
 * <p>The caller chooses the exception ({@code DceProtocolException::new}, {@code NtlmProtocolException::new},
 * …) and how a short read is worded ({@link ShortRead}), so each protocol keeps its documented errors.
 *
 * <p>The reader works on a region of the buffer: {@link #limit(int, String)} narrows it to a length-prefixed
 * structure and {@link #expectEnd(String)} checks that the structure was consumed exactly.
 */
public final class WireReader {

    /** Words the message for a read that needs more bytes than are left. */
    @FunctionalInterface
    public interface ShortRead {
        /** {@code truncated FIELD: N bytes (expected: M)}. */
        ShortRead TRUNCATED = (field, available, position, expected) ->
                "truncated " + field + ": " + available + " bytes (expected: " + expected + ")";

        /** {@code FIELD: N bytes left at offset O (expected: M)}. */
        ShortRead BYTES_LEFT_AT_OFFSET = (field, available, position, expected) ->
                field + ": " + available + " bytes left at offset " + position + " (expected: " + expected + ")";

        String message(String field, int available, int position, long expected);
    }

    private final ByteBuf buf;
    private final Function<String, ? extends RuntimeException> errors;
    private final ShortRead shortRead;
    private final int start;
    private int end;

    /**
     * A reader over the readable bytes of {@code buf} whose short reads say {@code truncated FIELD: N bytes
     * (expected: M)}; reads move {@code buf}'s reader index.
     *
     * @param errors makes the exception thrown for a message, e.g. {@code DceProtocolException::new}
     */
    public WireReader(ByteBuf buf, Function<String, ? extends RuntimeException> errors) {
        this(buf, errors, ShortRead.TRUNCATED);
    }

    /**
     * A reader over the readable bytes of {@code buf}; reads move {@code buf}'s reader index.
     *
     * @param errors makes the exception thrown for a message, e.g. {@code DceProtocolException::new}
     * @param shortRead words the message for a truncated field
     */
    public WireReader(ByteBuf buf, Function<String, ? extends RuntimeException> errors, ShortRead shortRead) {
        this.buf = buf;
        this.errors = errors;
        this.shortRead = shortRead;
        this.start = buf.readerIndex();
        this.end = buf.writerIndex();
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

    /** Fails unless every byte up to the limit has been read. */
    public void expectEnd(String what) {
        if (remaining() != 0) {
            throw error(what + ": " + remaining() + " trailing bytes (expected: 0)");
        }
    }

    /** Fails unless {@code n} more bytes are readable. */
    public void require(int n, String field) {
        require((long) n, field);
    }

    /** Fails unless {@code n} more bytes are readable; for sizes computed as count × element size. */
    public void require(long n, String field) {
        if (n < 0 || remaining() < n) {
            throw error(shortRead.message(field, Math.max(remaining(), 0), position(), n));
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

    /** A 32-bit value as its signed bit pattern (call ids, status codes, referent ids, flags). */
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

    /** A GUID in its wire order ({@link Guids}). */
    public UUID guid(String field) {
        require(Guids.LENGTH, field);
        return Guids.read(buf);
    }

    /** The next {@code n} bytes as a value. */
    public Octets bytes(int n, String field) {
        return Octets.wrap(byteArray(n, field));
    }

    /** The next {@code n} bytes in a new array. */
    public byte[] byteArray(int n, String field) {
        require(n, field);
        byte[] b = new byte[n];
        buf.readBytes(b);
        return b;
    }

    public void skip(int n, String field) {
        require(n, field);
        buf.skipBytes(n);
    }

    /** Skips to the next multiple of {@code alignment} counted from where this reader started. */
    public void align(int alignment, String field) {
        skip(padding(position(), alignment), field);
    }

    /** The padding that brings {@code offset} to a multiple of {@code alignment}. */
    public static int padding(int offset, int alignment) {
        return (alignment - (offset % alignment)) % alignment;
    }
}
