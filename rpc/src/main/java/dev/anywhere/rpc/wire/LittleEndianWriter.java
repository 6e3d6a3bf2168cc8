package dev.anywhere.rpc.wire;

import java.io.ByteArrayOutputStream;

/** Little-endian writer into a growing array, for messages built in order and taken whole. */
public class LittleEndianWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    /** Bytes written so far. */
    public final int position() {
        return out.size();
    }

    public final LittleEndianWriter u8(int v) {
        out.write(v);
        return this;
    }

    public final LittleEndianWriter u16(int v) {
        out.write(v);
        out.write(v >>> 8);
        return this;
    }

    public final LittleEndianWriter i32(int v) {
        u16(v & 0xffff);
        return u16(v >>> 16);
    }

    public final LittleEndianWriter u64(long v) {
        i32((int) v);
        return i32((int) (v >>> 32));
    }

    public final LittleEndianWriter bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    public final LittleEndianWriter zeros(int n) {
        return bytes(new byte[n]);
    }

    public final byte[] toByteArray() {
        return out.toByteArray();
    }
}
