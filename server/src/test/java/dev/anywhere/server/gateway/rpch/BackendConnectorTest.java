package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.NotYetConnectedException;
import java.nio.charset.StandardCharsets;
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
        Future<Channel> leg = BackendConnector.connect(client(), closed, ProxySettings.defaults(), new ChannelInboundHandlerAdapter());
        assertThat(leg.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(leg.cause()).hasMessageContaining(closed.toString()).hasMessageContaining("refused");
    }

    @Test
    void aServerThatIsNotAnRpcListenerFailsOnItsFirstBytes() throws Exception {
        Channel server = listener("HTTP/1.1 400 ");
        try {
            Future<Channel> leg = BackendConnector.connect(client(), (InetSocketAddress) server.localAddress(), ProxySettings.defaults(),
                    new ChannelInboundHandlerAdapter());
            assertThat(leg.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(leg.cause()).hasMessageContaining(server.localAddress().toString())
                    .hasMessageContaining("expected: ncacn_http/1.0");
        } finally {
            server.close().sync();
        }
    }

    @Test
    void theBannerHandsTheLegOverAndPassesWhatFollowsIt() throws Exception {
        Channel server = listener("ncacn_http/1.0");
        try {
            Future<Channel> leg = BackendConnector.connect(client(), (InetSocketAddress) server.localAddress(), ProxySettings.defaults(),
                    new ChannelInboundHandlerAdapter());
            assertThat(leg.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(leg.isSuccess()).as(() -> String.valueOf(leg.cause())).isTrue();
            assertThat(leg.getNow().pipeline().names()).contains("frames", "leg").doesNotContain("banner");
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

    /** A listener on loopback that writes {@code greeting} to each connection. */
    private static Channel listener(String greeting) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class).childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ctx.writeAndFlush(Unpooled.copiedBuffer(greeting, StandardCharsets.US_ASCII));
                    }
                });
            }
        }).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    }
}
