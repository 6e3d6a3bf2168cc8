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
        try {
            int fragLength = completePdu(in, maxFragLength);
            if (fragLength > 0) {
                out.add(readPdu(in, fragLength));
            }
        } catch (RpchProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    /**
     * The frag_length of the PDU at {@code in}'s reader index once all of it is readable, else 0 (nothing read).
     * The one place of the framing checks on the common header, for this decoder and for every hop that frames a
     * byte stream it does not own as a channel (the proxy's request bodies).
     *
     * @throws RpchProtocolException when the header cannot start a PDU: rpc_vers other than 5, a data representation
     *         other than little-endian / ASCII / IEEE, frag_length below 16 or above {@code maxFragLength}
     */
    public static int completePdu(ByteBuf in, int maxFragLength) {
        if (in.readableBytes() < CoHeader.LENGTH) {
            return 0;
        }
        int i = in.readerIndex();
        int vers = in.getUnsignedByte(i); // rpc_vers (1 byte)
        if (vers != CoHeader.RPC_VERS) {
            throw new RpchProtocolException("rpc_vers: " + vers + " (expected: 5)");
        }
        String drepProblem = CoHeader.dataRepresentationProblem(in.getUnsignedByte(i + 4), in.getUnsignedByte(i + 5));
        if (drepProblem != null) {
            throw new RpchProtocolException("packed_drep: " + String.format("%08x", in.getInt(i + 4)) + " " + drepProblem
                    + " (expected: 10000000 little-endian, ASCII, IEEE; big-endian peers are not supported)");
        }
        int fragLength = in.getUnsignedShortLE(i + CoHeader.FRAG_LENGTH_OFFSET); // frag_length (2 bytes)
        if (fragLength < CoHeader.LENGTH) {
            throw new RpchProtocolException("frag_length: " + fragLength + " (expected: >= 16)");
        }
        if (fragLength > maxFragLength) {
            throw new RpchProtocolException("frag_length: " + fragLength + " (expected: <= " + maxFragLength + ")");
        }
        return in.readableBytes() < fragLength ? 0 : fragLength;
    }

    /**
     * Reads the {@code fragLength}-byte PDU {@link #completePdu} found: an RTS PDU decoded, any other as a retained
     * slice the caller releases.
     *
     * @throws RpchProtocolException when an RTS PDU does not decode
     */
    public static RpchPdu readPdu(ByteBuf in, int fragLength) {
        if (in.getUnsignedByte(in.readerIndex() + 2) == PduType.RTS.value()) {
            return RpchCodec.decodeMessage(in.readSlice(fragLength));
        }
        return new RpcPduFrame(in.readRetainedSlice(fragLength));
    }
}
