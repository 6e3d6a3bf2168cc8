package dev.anywhere.rpc.ntlm;

import dev.anywhere.rpc.wire.LittleEndianWriter;

/**
 * The shared little-endian writer ({@link LittleEndianWriter}) with the NTLM payload field: a fixed part
 * written in order, and a payload whose fields carry their length and offset once it is laid out.
 */
final class WireWriter extends LittleEndianWriter {

    /** A Len/MaxLen/BufferOffset triple for a payload of {@code len} bytes at {@code offset}. */
    WireWriter payloadField(int len, int offset) {
        if (len > 0xffff) {
            throw new IllegalArgumentException("payload field: " + len + " bytes (expected: at most 65535)");
        }
        u16(len).u16(len).i32(offset);
        return this;
    }
}
