package dev.anywhere.rpc.rpch;

import dev.anywhere.rpc.dce.PduType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One complete non-RTS PDU (bind, request, response, …) cut from the stream by {@link RpchFrameDecoder}:
 * exactly frag_length bytes, a retained slice of the input (no copy). The proxy relays it opaquely; the server
 * hands it to {@code DceCodec}. The receiver owns one reference and must release it.
 */
public final class RpcPduFrame extends DefaultByteBufHolder implements RpchPdu {

    public RpcPduFrame(ByteBuf content) {
        super(content);
    }

    /** PTYPE (byte 2). */
    public int ptypeValue() {
        return content().getUnsignedByte(content().readerIndex() + 2);
    }

    /** PTYPE as an enum, or {@code null} for a value that is not a connection-oriented type. */
    public PduType type() {
        return PduType.forValue(ptypeValue());
    }

    /** frag_length: the number of bytes in this frame. */
    public int fragLength() {
        return content().getUnsignedShortLE(content().readerIndex() + 8);
    }

    /** call_id (bytes 12–15). */
    public int callId() {
        return content().getIntLE(content().readerIndex() + 12);
    }

    @Override
    public RpcPduFrame replace(ByteBuf content) {
        return new RpcPduFrame(content);
    }

    @Override
    public RpcPduFrame copy() {
        return replace(content().copy());
    }

    @Override
    public RpcPduFrame duplicate() {
        return replace(content().duplicate());
    }

    @Override
    public RpcPduFrame retainedDuplicate() {
        return replace(content().retainedDuplicate());
    }

    @Override
    public RpcPduFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public RpcPduFrame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public RpcPduFrame touch() {
        super.touch();
        return this;
    }

    @Override
    public RpcPduFrame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        PduType t = type();
        return "RpcPduFrame[" + (t != null ? t.wireName() : "PTYPE " + ptypeValue()) + " call_id "
                + Integer.toUnsignedString(callId()) + ", " + content().readableBytes() + " bytes]";
    }
}
