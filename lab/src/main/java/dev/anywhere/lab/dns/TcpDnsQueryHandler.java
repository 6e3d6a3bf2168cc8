package dev.anywhere.lab.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts framed TCP messages (the length prefix is handled by the pipeline's frame codecs) to {@link DnsResponder},
 * answering every query on the connection in order, and closes connections that are idle or send something that is
 * not a query (RFC 7766 6.2.3).
 */
final class TcpDnsQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {

    private static final Logger log = LoggerFactory.getLogger(TcpDnsQueryHandler.class);

    private final DnsResponder responder;
    private final Duration idleTimeout;
    private ScheduledFuture<?> idleClose;

    TcpDnsQueryHandler(DnsResponder responder, Duration idleTimeout) {
        this.responder = responder;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        armIdleClose(ctx);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        armIdleClose(ctx);
        Optional<byte[]> response = responder.respond(ByteBufUtil.getBytes(frame), Transport.TCP);
        if (response.isPresent()) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(response.get()));
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (idleClose != null) {
            idleClose.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. a frame longer than 65535 bytes or a reset: this connection ends, the server goes on
        log.debug("dns tcp {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void armIdleClose(ChannelHandlerContext ctx) {
        if (idleClose != null) {
            idleClose.cancel(false);
        }
        idleClose = ctx.executor().schedule(() -> ctx.close(), idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
