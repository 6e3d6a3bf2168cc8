package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.rpch.RpcPduFrame;
import dev.anywhere.rpc.rpch.RpchProtocolException;
import dev.anywhere.rpc.rpch.RpchPdu;
import dev.anywhere.rpc.rpch.RtsMessage;
import dev.anywhere.rpc.rpch.RtsPduKind;
import dev.anywhere.rpc.rpch.RtsPdus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PduFramerTest {

    final PduFramer framer = new PduFramer(PooledByteBufAllocator.DEFAULT, 16384);
    final List<RpchPdu> out = new ArrayList<>();

    void feed(byte[] bytes) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        try {
            framer.feed(b, out::add);
        } finally {
            b.release();
        }
    }

    @Test
    void pdusSplitAcrossChunksComeOutWholeRtsDecodedRpcAsSlices() {
        UUID u = UUID.randomUUID();
        byte[] b1 = ScriptedRpchServer.bytes(RtsPdus.connB1(1, u, u, 1L << 30, 300_000, u));
        byte[] bind = ScriptedRpchServer.rpcPdu(11, 72, 1);
        byte[] all = new byte[b1.length + bind.length];
        System.arraycopy(b1, 0, all, 0, b1.length);
        System.arraycopy(bind, 0, all, b1.length, bind.length);
        for (int i = 0; i < all.length; i += 7) {
            feed(java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + 7)));
        }
        assertThat(out).hasSize(2);
        assertThat(RtsPduKind.CONN_B1.matches((RtsMessage) out.get(0))).isTrue();
        RpcPduFrame frame = (RpcPduFrame) out.get(1);
        assertThat(frame.fragLength()).isEqualTo(72);
        assertThat(frame.callId()).isEqualTo(1);
        assertThat(frame.release()).isTrue();
        assertThat(framer.pending()).isZero();
    }

    @Test
    void fragLengthAboveTheCapIsAProtocolError() {
        byte[] pdu = ScriptedRpchServer.rpcPdu(0, 64, 1);
        pdu[8] = 0x28;
        pdu[9] = 0x4f;
        assertThatThrownBy(() -> feed(java.util.Arrays.copyOf(pdu, 16))).isInstanceOf(RpchProtocolException.class)
                .hasMessage("frag_length: 20264 (expected: <= 16384)");
        // Failed: everything after is discarded.
        feed(ScriptedRpchServer.rpcPdu(0, 64, 2));
        assertThat(out).isEmpty();
    }

    @Test
    void badVersionAndTinyFragLengthAreProtocolErrors() {
        byte[] v4 = ScriptedRpchServer.rpcPdu(0, 64, 1);
        v4[0] = 4;
        assertThatThrownBy(() -> feed(v4)).hasMessage("rpc_vers: 4 (expected: 5)");
        PduFramer f = new PduFramer(PooledByteBufAllocator.DEFAULT, 16384);
        byte[] tiny = ScriptedRpchServer.rpcPdu(0, 16, 1);
        tiny[8] = 8;
        ByteBuf b = Unpooled.wrappedBuffer(tiny);
        assertThatThrownBy(() -> f.feed(b, out::add)).hasMessage("frag_length: 8 (expected: >= 16)");
        b.release();
    }

    @Test
    void aBigEndianPeerIsRefusedInTheWordsOfTheChannelDecoder() {
        // The proxy's request bodies are framed by RpchFrameDecoder's checks, so both hops name a bad header alike.
        byte[] pdu = ScriptedRpchServer.rpcPdu(0, 64, 1);
        pdu[4] = 0x00;
        assertThatThrownBy(() -> feed(pdu)).isInstanceOf(RpchProtocolException.class)
                .hasMessage("packed_drep: 00000000 big-endian (expected: 10000000 little-endian, ASCII, IEEE; "
                        + "big-endian peers are not supported)");
        assertThat(framer.pending()).isZero();
    }

    @Test
    void aConsumerThatReleasesTheFramerEndsTheFeed() {
        // A refused first PDU closes the channel, which releases the framer while it is still handing out PDUs.
        UUID u = UUID.randomUUID();
        byte[] b1 = ScriptedRpchServer.bytes(RtsPdus.connB1(1, u, u, 1L << 30, 300_000, u));
        byte[] bind = ScriptedRpchServer.rpcPdu(11, 72, 1);
        ByteBuf both = Unpooled.wrappedBuffer(b1, bind);
        try {
            framer.feed(both, pdu -> {
                out.add(pdu);
                framer.release();
            });
        } finally {
            both.release();
        }
        assertThat(out).hasSize(1);
        assertThat(framer.pending()).isZero();
    }
}
