package dev.anywhere.rpc.rpch;

import dev.anywhere.rpc.dce.CoHeader;
import dev.anywhere.rpc.dce.PduType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits an RPC over HTTP v2 byte stream (a TCP leg, or the body of an RPC_IN_DATA / RPC_OUT_DATA message)
 * into PDUs by frag_length. RTS PDUs (PTYPE 20) are decoded and passed on as {@link RtsMessage}; every other PDU
 * is passed on as an {@link RpcPduFrame} holding a retained slice of the input — no copy — for the proxy to
 * relay opaquely.
 *
 * <p>Framing checks on the 16-byte common header: rpc_vers 5, little-endian drep (a big-endian peer would be
 * framed wrongly), 16 ≤ frag_length ≤ the cap. A violation raises {@link RpchProtocolException}; afterwards
 * all input is discarded, and the handler that sees the exception closes the channel.
 *
 * @see [MS-RPCH] 2.2.3.6.1 RTS PDU Header
 * @see [C706] 12.6.1 Connection-oriented PDU Structure
 */
public final class RpchFrameDecoder extends ByteToMessageDecoder {
    /** Default frag_length cap: 64 KiB (every u16 frag_length; lower it for stricter hops). */
    public static final int DEFAULT_MAX_FRAG_LENGTH = 64 * 1024;

    private final int maxFragLength;
    private boolean failed;

    public RpchFrameDecoder() {
        this(DEFAULT_MAX_FRAG_LENGTH);
    }

    /** @param maxFragLength largest frag_length accepted, 20..65536 */
    public RpchFrameDecoder(int maxFragLength) {
        if (maxFragLength < RtsPdu.HEADER_LENGTH || maxFragLength > DEFAULT_MAX_FRAG_LENGTH) {
            throw new IllegalArgumentException("maxFragLength: " + maxFragLength + " (expected: 20..65536)");
        }
        this.maxFragLength = maxFragLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < CoHeader.LENGTH) {
            return;
        }
        int i = in.readerIndex();
        int vers = in.getUnsignedByte(i); // rpc_vers (1 byte)
        if (vers != CoHeader.RPC_VERS) {
            throw fail(in, "rpc_vers: " + vers + " (expected: 5)");
        }
        String drepProblem = CoHeader.dataRepresentationProblem(in.getUnsignedByte(i + 4), in.getUnsignedByte(i + 5));
        if (drepProblem != null) {
            throw fail(in, "packed_drep: " + String.format("%08x", in.getInt(i + 4)) + " " + drepProblem
                    + " (expected: 10000000 little-endian, ASCII, IEEE; big-endian peers are not supported)");
        }
        int fragLength = in.getUnsignedShortLE(i + CoHeader.FRAG_LENGTH_OFFSET); // frag_length (2 bytes)
        if (fragLength < CoHeader.LENGTH) {
            throw fail(in, "frag_length: " + fragLength + " (expected: >= 16)");
        }
        if (fragLength > maxFragLength) {
            throw fail(in, "frag_length: " + fragLength + " (expected: <= " + maxFragLength + ")");
        }
        if (in.readableBytes() < fragLength) {
            return;
        }
        if (in.getUnsignedByte(i + 2) == PduType.RTS.value()) {
            ByteBuf pdu = in.readSlice(fragLength);
            try {
                out.add(RpchCodec.decodeMessage(pdu));
            } catch (RpchProtocolException e) {
                failed = true;
                in.skipBytes(in.readableBytes());
                throw e;
            }
        } else {
            out.add(new RpcPduFrame(in.readRetainedSlice(fragLength)));
        }
    }

    private RpchProtocolException fail(ByteBuf in, String message) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return new RpchProtocolException(message);
    }
}
