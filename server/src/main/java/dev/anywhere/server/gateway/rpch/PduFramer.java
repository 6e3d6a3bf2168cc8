package dev.anywhere.server.gateway.rpch;

import dev.anywhere.rpc.rpch.RpcPduFrame;
import dev.anywhere.rpc.rpch.RpchFrameDecoder;
import dev.anywhere.rpc.rpch.RpchPdu;
import dev.anywhere.rpc.rpch.RpchProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.function.Consumer;

/**
 * Cuts the body of an RPC_IN_DATA / RPC_OUT_DATA request into PDUs by frag_length. The framing itself (the header
 * checks, RTS PDUs decoded, every other PDU a retained slice, {@link RpcPduFrame}, no copy) is
 * {@link RpchFrameDecoder}'s; this class only holds the chunks of a body between reads: at most one incomplete PDU.
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
    void feed(ByteBuf chunk, Consumer<RpchPdu> out) {
        if (failed || !chunk.isReadable()) {
            return;
        }
        cumulation = cumulation == null ? chunk.retainedSlice()
                : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, cumulation, chunk.retain());
        try {
            while (cumulation != null) {
                RpchPdu pdu;
                try {
                    int fragLength = RpchFrameDecoder.completePdu(cumulation, maxFragLength);
                    if (fragLength == 0) {
                        break;
                    }
                    pdu = RpchFrameDecoder.readPdu(cumulation, fragLength);
                } catch (RpchProtocolException e) {
                    failed = true;
                    release();
                    throw e;
                }
                out.accept(pdu);
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

    void release() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }
}
