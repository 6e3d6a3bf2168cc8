package dev.anywhere.rpc.emsmdb;

import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The payload of an extended buffer: RopSize (2 bytes, counting itself), the ROP requests or responses, then the
 * server object handle table (4 bytes per handle) to the end.
 *
 * @param rops the ROP bytes (RopSize - 2 of them)
 * @param handles the server object handle table, each an unsigned 32-bit value
 * @see [MS-OXCRPC] 3.1.4.2 (rgbIn, rgbOut)
 */
public record RopBuffer(Octets rops, List<Integer> handles) {
    /** The handle value of an unused table slot. */
    public static final int NO_HANDLE = 0xFFFF_FFFF;

    public RopBuffer {
        Objects.requireNonNull(rops, "rops");
        handles = List.copyOf(handles);
        if (rops.length() > 0xFFFF - 2) {
            throw new IllegalArgumentException("rops: " + rops.length() + " bytes (expected: <= 65533)");
        }
    }

    /** @throws EmsmdbFormatException if RopSize is out of range or the handle table is not whole handles */
    public static RopBuffer decode(Octets payload) {
        ByteBuf in = Unpooled.wrappedBuffer(payload.toByteArray());
        WireReader r = reader(in);
        int ropSize = r.u16("RopSize");
        if (ropSize < 2 || ropSize > payload.length()) {
            throw r.error("RopSize: " + ropSize + " (expected: 2.." + payload.length() + ", the payload's length)");
        }
        Octets rops = Octets.of(r.byteArray(ropSize - 2, "ROPs"));
        if (r.remaining() % 4 != 0) {
            throw r.error("ServerObjectHandleTable: " + r.remaining() + " bytes (expected: a multiple of 4)");
        }
        List<Integer> handles = new ArrayList<>(r.remaining() / 4);
        while (r.remaining() > 0) {
            handles.add(r.i32("ServerObjectHandleTable entry"));
        }
        return new RopBuffer(rops, handles);
    }

    public Octets encode() {
        ByteBuf out = Unpooled.buffer(2 + rops.length() + 4 * handles.size());
        out.writeShortLE(2 + rops.length()); // RopSize
        rops.writeTo(out); // ROPs
        for (int h : handles) {
            out.writeIntLE(h); // ServerObjectHandleTable
        }
        return Octets.copyOf(out);
    }

    /** The reader ROP codecs use: short reads and bad values throw {@link EmsmdbFormatException}. */
    static WireReader reader(ByteBuf in) {
        return new WireReader(in, EmsmdbFormatException::new);
    }
}
