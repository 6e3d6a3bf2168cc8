package dev.anywhere.lab.router;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import dev.anywhere.server.net.NettyTransport;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNAT half of the router for one inbound connection: opens the connection to the target on the same event
 * loop and copies bytes both ways unchanged. Backpressure: both channels have autoRead off and each side reads its
 * next chunk only once the previous one has been written to the other side, so a slow reader slows the writer down
 * instead of filling memory.
 */
final class TcpRelayHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TcpRelayHandler.class);
    static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final InetSocketAddress target;
    private final AtomicLong relayedBytes;
    private Channel outbound;

    TcpRelayHandler(InetSocketAddress target, AtomicLong relayedBytes) {
        this.target = target;
        this.relayedBytes = relayedBytes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel inbound = ctx.channel();
        Bootstrap b = new Bootstrap().group(inbound.eventLoop()).channel(NettyTransport.socketChannelFor(inbound))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new Backend(inbound, relayedBytes));
        io.netty.channel.ChannelFuture connect = b.connect(target);
        outbound = connect.channel();
        connect.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                // as a NAT box does when the inside host answers RST: the client's connection dies without a byte
                log.debug("router: {} -> {}: {}", inbound.remoteAddress(), target, f.cause().toString());
                inbound.close();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        relay(ctx.channel(), outbound, msg, relayedBytes);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (outbound != null) {
            closeOnFlush(outbound);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            halfClose(ctx.channel(), outbound);
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * {@code from} sent FIN: pass it on as a FIN to {@code to} once everything before it is written (TCP half-close,
     * as NAT keeps it), and close each side once both of its directions are done.
     */
    static void halfClose(Channel from, Channel to) {
        if (to == null || !to.isActive()) {
            from.close();
            return;
        }
        to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f ->
                ((DuplexChannel) to).shutdownOutput().addListener(done -> {
                    if (((DuplexChannel) to).isInputShutdown()) {
                        to.close();
                    }
                }));
        if (((DuplexChannel) from).isOutputShutdown()) {
            from.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("router: inbound {}: {}", ctx.channel().remoteAddress(), cause.toString());
        closeOnFlush(ctx.channel());
    }

    /** Writes {@code msg} to {@code to}; once written, asks {@code from} for the next chunk (the backpressure). */
    static void relay(Channel from, Channel to, Object msg, AtomicLong counter) {
        if (msg instanceof io.netty.buffer.ByteBuf buf) {
            counter.addAndGet(buf.readableBytes());
        }
        to.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                from.read();
            } else {
                f.channel().close();
                from.close();
            }
        });
    }

    /** Closes {@code ch} after whatever is queued has been written. */
    static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close();
        }
    }

    /** The target side: starts the inbound side reading once connected, relays the answers back. */
    private static final class Backend extends ChannelInboundHandlerAdapter {
        private final Channel inbound;
        private final AtomicLong counter;

        Backend(Channel inbound, AtomicLong counter) {
            this.inbound = inbound;
            this.counter = counter;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            inbound.read();
            ctx.read();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            relay(ctx.channel(), inbound, msg, counter);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeOnFlush(inbound);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                halfClose(ctx.channel(), inbound);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("router: outbound to {}: {}", ctx.channel().remoteAddress(), cause.toString());
            closeOnFlush(ctx.channel());
        }
    }
}
