package dev.anywhere.server.gateway.rpch;

import dev.anywhere.rpc.rpch.RpchFrameDecoder;
import dev.anywhere.server.net.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Opens a proxy → server TCP leg on the client channel's event loop and proves the peer is an ncacn_http listener:
 * its first 14 bytes must be the {@code ncacn_http/1.0} banner. Then the leg's pipeline becomes
 * {@link RpchFrameDecoder} → {@code leg}. Any failure (refused, timeout, closed, wrong banner) fails the future;
 * the caller answers {@code 503 RPC Error: 6ba}.
 *
 * @see [MS-RPCH] 2.1.2.2.1 Legacy server response
 */
final class BackendConnector {

    static final byte[] BANNER = "ncacn_http/1.0".getBytes(StandardCharsets.US_ASCII);

    private BackendConnector() {
    }

    static Future<Channel> connect(Channel client, InetSocketAddress address, ProxySettings settings, ChannelHandler leg) {
        EventLoop loop = client.eventLoop();
        Promise<Channel> promise = loop.newPromise();
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(NettyTransport.socketChannelFor(client))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, ProxyChannel.WATER_MARK)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("banner", new BannerHandler(address, promise, settings, leg));
                    }
                })
                .connect(address);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(new java.io.IOException("backend: connect " + address + ": " + f.cause().getMessage(), f.cause()));
            }
        });
        promise.addListener(f -> {
            if (!f.isSuccess()) {
                Channel ch = connect.channel();
                if (ch.isRegistered()) {
                    ch.close();
                } else {
                    // never registered (e.g. no file descriptor left): there is no event loop to close it on
                    ch.unsafe().closeForcibly();
                }
            }
        });
        return promise;
    }

    /** Reads exactly the banner, then swaps itself for the frame decoder and the leg handler. */
    static final class BannerHandler extends ChannelInboundHandlerAdapter {
        private final InetSocketAddress address;
        private final Promise<Channel> promise;
        private final ProxySettings settings;
        private final ChannelHandler leg;
        private ByteBuf received;
        private ScheduledFuture<?> timeout;

        BannerHandler(InetSocketAddress address, Promise<Channel> promise, ProxySettings settings, ChannelHandler leg) {
            this.address = address;
            this.promise = promise;
            this.settings = settings;
            this.leg = leg;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            received = ctx.alloc().buffer(BANNER.length);
            timeout = ctx.executor().schedule(() -> fail(ctx, "no ncacn_http/1.0 banner within "
                    + settings.handshakeTimeout().toMillis() + " ms"), settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (promise.isDone() || !(msg instanceof ByteBuf in)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            int take = Math.min(in.readableBytes(), BANNER.length - received.readableBytes());
            received.writeBytes(in, take);
            for (int i = 0; i < received.readableBytes(); i++) {
                if (received.getByte(i) != BANNER[i]) {
                    in.release();
                    fail(ctx, "banner: '" + ByteBufUtil.hexDump(received) + "' (expected: ncacn_http/1.0)");
                    return;
                }
            }
            if (received.readableBytes() < BANNER.length) {
                in.release();
                return;
            }
            timeout.cancel(false);
            received.release();
            received = null;
            ctx.pipeline().addLast("frames", new RpchFrameDecoder(settings.maxFragLength()));
            ctx.pipeline().addLast("leg", leg);
            ctx.pipeline().remove(this);
            promise.trySuccess(ctx.channel());
            if (in.isReadable()) {
                ctx.fireChannelRead(in);
            } else {
                in.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(ctx, "closed before the ncacn_http/1.0 banner");
        }

        /**
         * Before the connect completed, an error here is the failed connect seen by a read: epoll may report a refused
         * connect as readable before Netty fails the connect (netty/netty#10411), and the read then says only "not yet
         * connected". The connect's own future follows with the system's cause, which is what the log must name.
         */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!ctx.channel().isActive()) {
                return;
            }
            fail(ctx, cause.toString());
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (received != null) {
                received.release();
                received = null;
            }
            if (timeout != null) {
                timeout.cancel(false);
            }
        }

        private void fail(ChannelHandlerContext ctx, String why) {
            if (promise.tryFailure(new java.io.IOException("backend " + address + ": " + why))) {
                ctx.close();
            }
        }
    }
}
