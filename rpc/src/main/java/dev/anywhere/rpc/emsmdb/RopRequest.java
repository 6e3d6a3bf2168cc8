package dev.anywhere.rpc.emsmdb;

import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * One ROP request of the ROP list in an EcDoRpcExt2 request. Anywhere reads {@link RopLogon.Request} and
 * {@link Release}; any other RopId is {@link Unsupported}, and since the server cannot know that ROP's length,
 * reading stops there (the rest of the list is not parsed).
 *
 * @see [MS-OXCROPS] 2.2.2 The Table of RopIds
 */
public sealed interface RopRequest permits RopLogon.Request, RopRequest.Release, RopRequest.Unsupported {

    int ropId();

    void writeTo(ByteBuf out);

    /** RopRelease (0x01): frees the object in a handle table slot; it has no response. */
    record Release(int logonId, int inputHandleIndex) implements RopRequest {
        public static final int ROP_ID = 0x01;

        @Override
        public int ropId() {
            return ROP_ID;
        }

        @Override
        public void writeTo(ByteBuf out) {
            out.writeByte(ROP_ID).writeByte(logonId).writeByte(inputHandleIndex); // RopId, LogonId, InputHandleIndex
        }
    }

    /**
     * A ROP Anywhere does not serve: only its first three bytes (RopId, LogonId, and the handle index every ROP
     * carries third) are read.
     */
    record Unsupported(int ropId, int logonId, int handleIndex) implements RopRequest {
        @Override
        public void writeTo(ByteBuf out) {
            out.writeByte(ropId).writeByte(logonId).writeByte(handleIndex);
        }
    }

    /**
     * The ROPs of {@code rops}, up to and including the first {@link Unsupported} one.
     *
     * @throws EmsmdbFormatException on a truncated ROP or the reserved RopId 0x00
     */
    static List<RopRequest> parse(Octets rops) {
        WireReader r = RopBuffer.reader(Unpooled.wrappedBuffer(rops.toByteArray()));
        List<RopRequest> list = new ArrayList<>();
        while (r.remaining() > 0) {
            int ropId = r.u8("RopId");
            switch (ropId) {
                case RopLogon.ROP_ID -> list.add(RopLogon.Request.readBody(r));
                case Release.ROP_ID -> list.add(new Release(r.u8("RopRelease LogonId"), r.u8("RopRelease InputHandleIndex")));
                case 0x00 -> throw r.error("RopId: 0x00 (expected: not a reserved RopId)");
                default -> {
                    list.add(new Unsupported(ropId, r.u8("LogonId"), r.u8("handle index")));
                    return List.copyOf(list);
                }
            }
        }
        return List.copyOf(list);
    }

    /** The ROP error response every ROP shares: RopId, the handle index, ReturnValue. */
    static void writeError(ByteBuf out, int ropId, int handleIndex, int returnValue) {
        out.writeByte(ropId).writeByte(handleIndex).writeIntLE(returnValue);
    }
}
