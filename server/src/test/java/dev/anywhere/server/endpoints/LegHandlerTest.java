package dev.anywhere.server.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.dce.ContextResult;
import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.rpch.RpchFrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The per-connection handler in an {@link EmbeddedChannel}: banner, v1 detection, and a protocol error. */
class LegHandlerTest {

    private final List<String> errors = new CopyOnWriteArrayList<>();

    private EmbeddedChannel channel(boolean http) throws Exception {
        EndpointServer server = new EndpointServer(RpcEndpoints.Options.defaults(InetAddress.getByName("127.0.0.1"))
                .withErrors((remote, message) -> errors.add(message)), () -> List.of(6001), OptionalInt::empty);
        return new EmbeddedChannel(new RpchFrameDecoder(), new LegHandler(server, http));
    }

    private static ByteBuf bind() {
        return Unpooled.wrappedBuffer(Peer.bytes(new DcePdu.Bind(1, 4280, 4280, 0,
                List.of(PresentationContext.ndr(0, RpcEndpoints.mgmtInterface())))));
    }

    @Test
    void ncacnHttpSendsTheBannerThenServesV1() throws Exception {
        EmbeddedChannel ch = channel(true);
        ByteBuf banner = ch.readOutbound();
        assertThat(banner.toString(StandardCharsets.US_ASCII)).isEqualTo("ncacn_http/1.0");
        banner.release();
        ch.writeInbound(bind());
        ByteBuf out = ch.readOutbound();
        DcePdu.BindAck ack = (DcePdu.BindAck) DceCodec.decode(out);
        out.release();
        assertThat(ack.results()).containsExactly(ContextResult.accepted(SyntaxId.NDR));
        assertThat(ack.secondaryAddress()).isEmpty(); // no IP address on an embedded channel
        assertThat(ch.finish()).isFalse();
        assertThat(errors).isEmpty();
    }

    @Test
    void ncacnIpTcpSendsNoBanner() throws Exception {
        EmbeddedChannel ch = channel(false);
        assertThat((Object) ch.readOutbound()).isNull();
        ch.writeInbound(bind());
        ByteBuf out = ch.readOutbound();
        assertThat(DceCodec.decode(out)).isInstanceOf(DcePdu.BindAck.class);
        out.release();
        assertThat(ch.finish()).isFalse();
    }

    /** Pipelined calls read in one batch are answered with one flush (one writev), at the end of the batch. */
    @Test
    void answersAreFlushedOncePerReadBatch() throws Exception {
        EmbeddedChannel ch = channel(false);
        java.util.concurrent.atomic.AtomicInteger flushes = new java.util.concurrent.atomic.AtomicInteger();
        ch.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(io.netty.channel.ChannelHandlerContext ctx) {
                flushes.incrementAndGet();
                ctx.flush();
            }
        });
        // a bind and an MGMT inq_if_ids call, in one read
        ByteBuf batch = Unpooled.wrappedBuffer(bind(), Unpooled.wrappedBuffer(Peer.bytes(new DcePdu.Request(2, 0, 0,
                dev.anywhere.rpc.wire.Octets.EMPTY))));
        ch.pipeline().fireChannelRead(batch);
        assertThat((Object) ch.readOutbound()).as("nothing flushed before the read batch ends").isNull();
        ch.pipeline().fireChannelReadComplete();
        assertThat(flushes.get()).isEqualTo(1);
        ByteBuf ack = ch.readOutbound();
        ByteBuf answer = ch.readOutbound();
        assertThat(DceCodec.decode(ack)).isInstanceOf(DcePdu.BindAck.class);
        assertThat(DceCodec.decode(answer)).isInstanceOf(DcePdu.Response.class);
        ack.release();
        answer.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anHttpRequestOnTheEndpointPortIsAProtocolError() throws Exception {
        EmbeddedChannel ch = channel(true);
        ((ByteBuf) ch.readOutbound()).release();
        ch.writeInbound(Unpooled.copiedBuffer("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(errors).containsExactly("rpc_vers: 82 (expected: 5)");
        ch.finish();
    }
}
