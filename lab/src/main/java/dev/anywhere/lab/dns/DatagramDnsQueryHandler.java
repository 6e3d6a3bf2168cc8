package dev.anywhere.lab.dns;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adapts UDP datagrams to {@link DnsResponder}: one datagram in, at most one datagram back to its sender. */
@Sharable
final class DatagramDnsQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger log = LoggerFactory.getLogger(DatagramDnsQueryHandler.class);

    private final DnsResponder responder;

    DatagramDnsQueryHandler(DnsResponder responder) {
        this.responder = responder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        byte[] query = ByteBufUtil.getBytes(packet.content());
        responder.respond(query, Transport.UDP).ifPresent(response ->
                ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(response), packet.sender())));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a failed send (e.g. ICMP port unreachable) concerns one client; the socket keeps serving
        log.debug("dns udp: {}", cause.toString());
    }
}
