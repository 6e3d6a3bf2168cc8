package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RtsMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.NotYetConnectedException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The proxy → server leg: what a failed leg is reported as, and a banner that must be exactly ncacn_http/1.0. */
class BackendConnectorTest {

    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aRefusedConnectIsReportedWithTheAddressAndTheSystemsCause() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = (InetSocketAddress) s.getLocalSocketAddress();
        }
        Future<Channel> leg = legTo(closed, new ChannelInboundHandlerAdapter());
        assertThat(leg.cause()).hasMessageContaining(closed.toString()).hasMessageContaining("refused");
    }

    @Test
    void aServerThatIsNotAnRpcListenerFailsOnItsFirstBytes() throws Exception {
        Channel server = listener("HTTP/1.1 400 ".getBytes(StandardCharsets.US_ASCII));
        try {
            Future<Channel> leg = legTo((InetSocketAddress) server.localAddress(), new ChannelInboundHandlerAdapter());
            assertThat(leg.cause()).hasMessageContaining(server.localAddress().toString())
                    .hasMessageContaining("expected: ncacn_http/1.0");
        } finally {
            server.close().sync();
        }
    }

    @Test
    void theBannerHandsTheLegOverAndPassesWhatFollowsIt() throws Exception {
        // the banner and a first PDU in one segment: what follows the banner must reach the leg, decoded
        RtsMessage.FlowControlAck ack = new RtsMessage.FlowControlAck(16_384, 65_536, UUID.randomUUID());
        ByteBuf pdu = RpchCodec.encode(ack, UnpooledByteBufAllocator.DEFAULT);
        byte[] encoded = ByteBufUtil.getBytes(pdu);
        pdu.release();
        byte[] greeting = java.util.Arrays.copyOf(BackendConnector.BANNER, BackendConnector.BANNER.length + encoded.length);
        System.arraycopy(encoded, 0, greeting, BackendConnector.BANNER.length, encoded.length);
        Channel server = listener(greeting);
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        try {
            Future<Channel> leg = legTo((InetSocketAddress) server.localAddress(), new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    received.add(msg);
                    ReferenceCountUtil.release(msg);
                }
            });
            assertThat(leg.isSuccess()).as(() -> String.valueOf(leg.cause())).isTrue();
            assertThat(leg.getNow().pipeline().names()).contains("frames", "leg").doesNotContain("banner");
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(ack);
            leg.getNow().close().sync();
        } finally {
            server.close().sync();
        }
    }

    /**
     * netty/netty#10411: epoll can report a refused connect as readable first, and the read's "not yet connected" reaches
     * the pipeline before the connect fails. The leg must wait for the connect's own cause.
     */
    @Test
    void anErrorBeforeTheConnectCompletedLeavesTheVerdictToTheConnect() throws Exception {
        Channel unconnected = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInboundHandlerAdapter())
                .register().sync().channel();
        try {
            Promise<Channel> promise = unconnected.eventLoop().newPromise();
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), 6001);
            unconnected.pipeline().addLast("banner", new BackendConnector.BannerHandler(target, promise, ProxySettings.defaults(),
                    new ChannelInboundHandlerAdapter()));
            unconnected.pipeline().fireExceptionCaught(new NotYetConnectedException());
            unconnected.eventLoop().submit(() -> { }).sync();
            assertThat(promise.isDone()).as("failed by the read's error").isFalse();
        } finally {
            unconnected.close().sync();
        }
    }

    private static Channel client() throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInboundHandlerAdapter()).register().sync()
                .channel();
    }

    /** Connects a leg to {@code address} and waits for its verdict. */
    private static Future<Channel> legTo(InetSocketAddress address, ChannelHandler leg) throws InterruptedException {
        Future<Channel> f = BackendConnector.connect(client(), address, ProxySettings.defaults(), leg);
        assertThat(f.await(5, TimeUnit.SECONDS)).as("the leg's verdict within 5 s").isTrue();
        return f;
    }

    /** A listener on loopback that writes {@code greeting} to each connection. */
    private static Channel listener(byte[] greeting) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class).childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(greeting));
                    }
                });
            }
        }).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    }
}
