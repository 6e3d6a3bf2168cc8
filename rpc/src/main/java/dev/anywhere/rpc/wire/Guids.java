package dev.anywhere.rpc.wire;

import io.netty.buffer.ByteBuf;
import java.util.UUID;

/**
 * The wire form of a GUID / DCE {@code uuid_t} in the little-endian data representation: {@code time_low}
 * (4 bytes LE), {@code time_mid} (2 bytes LE), {@code time_hi_and_version} (2 bytes LE), then the 8 bytes of
 * {@code clock_seq} and {@code node} in string order — the "mixed-endian" order every Windows GUID uses.
 *
 * <p>{@code 8a885d04-1ceb-11c9-9fe8-08002b104860} is on the wire as {@code 04 5d 88 8a eb 1c c9 11 9f e8 08 00
 * 2b 10 48 60}. The mapping is a bijection, so decoding and re-encoding reproduce the bytes exactly.
 *
 * @see [C706] Appendix A Universal Unique Identifier
 * @see [MS-DTYP] 2.3.4.2 GUID--Packet Representation
 */
public final class Guids {
    /** Bytes in a GUID. */
    public static final int LENGTH = 16;

    private Guids() {}

    /** Writes {@code uuid} in wire order (16 bytes). */
    public static void write(ByteBuf out, UUID uuid) {
        long msb = uuid.getMostSignificantBits();
        out.writeIntLE((int) (msb >>> 32)); // time_low (4 bytes)
        out.writeShortLE((int) (msb >>> 16)); // time_mid (2 bytes)
        out.writeShortLE((int) msb); // time_hi_and_version (2 bytes)
        out.writeLong(uuid.getLeastSignificantBits()); // clock_seq + node (8 bytes, string order)
    }

    /** Reads 16 wire-order bytes; the caller has checked that they are readable. */
    public static UUID read(ByteBuf in) {
        long timeLow = in.readUnsignedIntLE(); // time_low (4 bytes)
        long timeMid = in.readUnsignedShortLE(); // time_mid (2 bytes)
        long timeHi = in.readUnsignedShortLE(); // time_hi_and_version (2 bytes)
        long lsb = in.readLong(); // clock_seq + node (8 bytes)
        return new UUID((timeLow << 32) | (timeMid << 16) | timeHi, lsb);
    }

    /** {@code uuid} as its 16 wire bytes. */
    public static byte[] toBytes(UUID uuid) {
        ByteBuf buf = io.netty.buffer.Unpooled.buffer(LENGTH);
        write(buf, uuid);
        byte[] b = new byte[LENGTH];
        buf.readBytes(b);
        buf.release();
        return b;
    }

    /** The GUID whose wire bytes are {@code bytes} (exactly 16). */
    public static UUID fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("guid: " + bytes.length + " bytes (expected: 16)");
        }
        return read(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
    }
}
