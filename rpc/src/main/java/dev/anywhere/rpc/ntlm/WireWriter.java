package dev.anywhere.rpc.ntlm;

import java.io.ByteArrayOutputStream;

/**
 * Little-endian writer for NTLM messages: a fixed part written in order, and a payload whose fields are
 * back-patched with their length and offset once it is laid out.
 */
final class WireWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    int position() {
        return out.size();
    }

    WireWriter u8(int v) {
        out.write(v);
        return this;
    }

    WireWriter u16(int v) {
        out.write(v);
        out.write(v >>> 8);
        return this;
    }

    WireWriter i32(int v) {
        u16(v & 0xffff);
        return u16(v >>> 16);
    }

    WireWriter u64(long v) {
        i32((int) v);
        return i32((int) (v >>> 32));
    }

    WireWriter bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    WireWriter zeros(int n) {
        return bytes(new byte[n]);
    }

    /** A Len/MaxLen/BufferOffset triple for a payload of {@code len} bytes at {@code offset}. */
    WireWriter payloadField(int len, int offset) {
        if (len > 0xffff) {
            throw new IllegalArgumentException("payload field: " + len + " bytes (expected: at most 65535)");
        }
        return u16(len).u16(len).i32(offset);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
