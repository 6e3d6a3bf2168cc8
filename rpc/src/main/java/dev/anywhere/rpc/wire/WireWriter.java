package dev.anywhere.rpc.wire;

import java.io.ByteArrayOutputStream;

/** Little-endian writer into a growing array, for messages built in order and taken whole (NTLM). */
public final class WireWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    /** Bytes written so far. */
    public int position() {
        return out.size();
    }

    public WireWriter u8(int v) {
        out.write(v);
        return this;
    }

    public WireWriter u16(int v) {
        out.write(v);
        out.write(v >>> 8);
        return this;
    }

    public WireWriter i32(int v) {
        u16(v & 0xffff);
        return u16(v >>> 16);
    }

    public WireWriter u64(long v) {
        i32((int) v);
        return i32((int) (v >>> 32));
    }

    public WireWriter bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    public WireWriter bytes(Octets b) {
        b.writeTo(out);
        return this;
    }

    public WireWriter zeros(int n) {
        return bytes(new byte[n]);
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
