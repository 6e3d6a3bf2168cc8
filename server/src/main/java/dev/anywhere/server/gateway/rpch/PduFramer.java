package dev.anywhere.server.gateway.rpch;

import dev.anywhere.rpc.dce.CoHeader;
import dev.anywhere.rpc.dce.PduType;
import dev.anywhere.rpc.rpch.RpcPduFrame;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RpchProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.function.Consumer;

/**
 * Cuts the body of an RPC_IN_DATA / RPC_OUT_DATA request into PDUs by frag_length, with the checks of
 * {@code RpchFrameDecoder} (rpc_vers 5, little-endian drep, 16 ≤ frag_length ≤ cap). RTS PDUs come out decoded,
 * every other PDU as a retained slice ({@link RpcPduFrame}, no copy). Holds at most one incomplete PDU.
 */
final class PduFramer {

    private final ByteBufAllocator alloc;
    private final int maxFragLength;
    private ByteBuf cumulation;
    private boolean failed;

    PduFramer(ByteBufAllocator alloc, int maxFragLength) {
        this.alloc = alloc;
        this.maxFragLength = maxFragLength;
    }

    /**
     * Adds {@code chunk} (not released here) and hands every complete PDU to {@code out}. When {@code out} releases the
     * framer (the channel closed, e.g. on a refused first PDU), the rest of the chunk is dropped.
     */
    void feed(ByteBuf chunk, Consumer<Object> out) {
        if (failed || !chunk.isReadable()) {
            return;
        }
        cumulation = cumulation == null ? chunk.retainedSlice()
                : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, cumulation, chunk.retain());
        try {
            while (cumulation != null && cumulation.readableBytes() >= CoHeader.LENGTH) {
                int i = cumulation.readerIndex();
                int vers = cumulation.getUnsignedByte(i); // rpc_vers (1 byte)
                if (vers != CoHeader.RPC_VERS) {
                    throw fail("rpc_vers: " + vers + " (expected: 5)");
                }
                String drep = CoHeader.dataRepresentationProblem(cumulation.getUnsignedByte(i + 4), cumulation.getUnsignedByte(i + 5));
                if (drep != null) {
                    throw fail("packed_drep: " + String.format("%08x", cumulation.getInt(i + 4)) + " " + drep
                            + " (expected: 10000000 little-endian, ASCII, IEEE)");
                }
                int fragLength = cumulation.getUnsignedShortLE(i + CoHeader.FRAG_LENGTH_OFFSET); // frag_length (2 bytes)
                if (fragLength < CoHeader.LENGTH) {
                    throw fail("frag_length: " + fragLength + " (expected: >= 16)");
                }
                if (fragLength > maxFragLength) {
                    throw fail("frag_length: " + fragLength + " (expected: <= " + maxFragLength + ")");
                }
                if (cumulation.readableBytes() < fragLength) {
                    break;
                }
                if (cumulation.getUnsignedByte(i + 2) == PduType.RTS.value()) {
                    Object pdu;
                    try {
                        pdu = RpchCodec.decode(cumulation.readSlice(fragLength));
                    } catch (RpchProtocolException e) {
                        failed = true;
                        release();
                        throw e;
                    }
                    out.accept(pdu);
                } else {
                    out.accept(new RpcPduFrame(cumulation.readRetainedSlice(fragLength)));
                }
            }
        } finally {
            if (cumulation != null && !cumulation.isReadable()) {
                release();
            }
        }
    }

    /** Bytes of an incomplete PDU held. */
    int pending() {
        return cumulation == null ? 0 : cumulation.readableBytes();
    }

    private RpchProtocolException fail(String message) {
        failed = true;
        release();
        return new RpchProtocolException(message);
    }

    void release() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }
}
