package dev.anywhere.rpc.rpch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.dce.PduType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class RpchFrameDecoderTest {

    /** CONN/A3 from impacket tests/SMB_RPC/test_rpch.py test_3. */
    private static final String A3 = "05 00 14 03 10 00 00 00 1c 00 00 00 00 00 00 00 00 00 01 00 02 00 00 00 c0 d4 01 00";
    /** A 32-byte request (call_id 2, context 0, opnum 3, 8 bytes of stub), assembled from the C706 layout. */
    private static final String REQUEST = "05 00 00 03 10 00 00 00 20 00 00 00 02 00 00 00"
            + " 08 00 00 00 00 00 03 00 01 02 03 04 05 06 07 08";

    @Test
    void splitsStreamAcrossReadsIntoRtsAndOpaqueFrames() {
        EmbeddedChannel ch = new EmbeddedChannel(new RpchFrameDecoder());
        byte[] all = Hex.bytes(A3 + REQUEST);
        assertThat(ch.writeInbound(Unpooled.wrappedBuffer(all, 0, 10))).isFalse();
        assertThat(ch.writeInbound(Unpooled.wrappedBuffer(all, 10, 25))).isTrue();
        assertThat(ch.writeInbound(Unpooled.wrappedBuffer(all, 35, all.length - 35))).isTrue();

        RtsMessage rts = ch.readInbound();
        assertThat(rts).isEqualTo(new RtsMessage.ConnA3(120_000));
        RpcPduFrame frame = ch.readInbound();
        try {
            assertThat(frame.type()).isEqualTo(PduType.REQUEST);
            assertThat(frame.callId()).isEqualTo(2);
            assertThat(frame.fragLength()).isEqualTo(32);
            assertThat(Hex.of(frame.content())).isEqualTo(Hex.normalize(REQUEST));
        } finally {
            frame.release();
        }
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void opaqueFrameIsARetainedSliceNotACopy() {
        EmbeddedChannel ch = new EmbeddedChannel(new RpchFrameDecoder());
        byte[] backing = Hex.bytes(REQUEST + REQUEST);
        ByteBuf in = Unpooled.wrappedBuffer(backing);
        assertThat(ch.writeInbound(in)).isTrue();
        RpcPduFrame first = ch.readInbound();
        RpcPduFrame second = ch.readInbound();
        try {
            assertThat(first.content().hasArray()).isTrue();
            assertThat(first.content().array()).isSameAs(backing);
            assertThat(second.content().array()).isSameAs(backing);
            assertThat(second.content().arrayOffset() + second.content().readerIndex()).isEqualTo(32);
        } finally {
            first.release();
            second.release();
        }
        assertThat(in.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void fragLengthBelowSixteenIsAProtocolError() {
        assertFrameFails(new RpchFrameDecoder(), "05 00 00 03 10 00 00 00 0f 00 00 00 00 00 00 00",
                "frag_length: 15 (expected: >= 16)");
    }

    @Test
    void fragLengthAboveCapIsAProtocolError() {
        assertFrameFails(new RpchFrameDecoder(1024), "05 00 00 03 10 00 00 00 d0 07 00 00 00 00 00 00",
                "frag_length: 2000 (expected: <= 1024)");
    }

    @Test
    void bigEndianPeerIsRefused() {
        assertFrameFails(new RpchFrameDecoder(), "05 00 00 03 00 00 00 00 00 20 00 00 00 00 00 02",
                "packed_drep: 00000000 big-endian (expected: 10000000 little-endian, ASCII, IEEE; "
                        + "big-endian peers are not supported)");
    }

    @Test
    void wrongRpcVersionIsRefused() {
        assertFrameFails(new RpchFrameDecoder(), "48 54 54 50 2f 31 2e 31 20 32 30 30 20 4f 4b 0d",
                "rpc_vers: 72 (expected: 5)");
    }

    @Test
    void malformedRtsPduIsRefused() {
        assertFrameFails(new RpchFrameDecoder(),
                "05 00 14 03 10 00 00 00 1c 00 00 00 00 00 00 00 00 00 01 00 0f 00 00 00 c0 d4 01 00",
                "CommandType: 0xf (expected: 0x0..0xe)");
    }

    private static void assertFrameFails(RpchFrameDecoder decoder, String hex, String message) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        assertThatThrownBy(() -> ch.writeInbound(Hex.buf(hex)))
                .isInstanceOf(RpchProtocolException.class)
                .hasMessage(message);
        // After the error every further byte is discarded: nothing more comes out.
        assertThat(ch.writeInbound(Hex.buf(A3))).isFalse();
        assertThat(ch.finish()).isFalse();
    }
}
