package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.rpch.RpcPduFrame;
import dev.anywhere.rpc.rpch.RpchProtocolException;
import dev.anywhere.rpc.rpch.RpchPdu;
import dev.anywhere.rpc.rpch.RtsMessage;
import dev.anywhere.rpc.rpch.RtsPduKind;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted TCP connection. On an ncacn_http port it sends the {@code ncacn_http/1.0} banner and lets the first PDU
 * decide: a DCE/RPC PDU makes it an RPC over HTTP v1 connection, CONN/B2 the IN leg and CONN/A2 the OUT leg of a v2
 * virtual connection. On the ncacn_ip_tcp port there is no banner and only DCE/RPC. Any protocol error closes this
 * connection (and its virtual connection) and is reported; nothing else is touched.
 *
 * <pre>
 *  NEW ──DCE/RPC PDU──▶ DIRECT (v1 / ncacn_ip_tcp association on this socket)
 *   ├──CONN/B2──▶ IN_LEG     ├──CONN/A2──▶ OUT_LEG     (then the cookie table pairs them)
 *   ├──IN_R1/A2──▶ IN_LEG (successor of an open virtual connection's IN leg)
 *   ├──OUT_R1/A4──▶ OUT_LEG (successor of an open virtual connection's OUT leg, after our OUT_R2/A1)
 *   └──anything else / no PDU within the setup timeout──▶ FAILED (closed)
 * </pre>
 *
 * @see [MS-RPCH] 2.1.2.2.1 Legacy Server Response
 * @see [MS-RPCH] 3 Protocol Details (v1 or v2 from the first PDU)
 */
final class LegHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(LegHandler.class);

    /** The 14-byte legacy server response. */
    static final byte[] BANNER = "ncacn_http/1.0".getBytes(StandardCharsets.US_ASCII);

    private enum State {
        /** Connected, no PDU yet; the first-PDU timer runs. */
        NEW,
        /** v1 or ncacn_ip_tcp: a DCE/RPC association on this socket. */
        DIRECT,
        /** The IN leg of a virtual connection. */
        IN_LEG,
        /** The OUT leg of a virtual connection. */
        OUT_LEG,
        /** Moving to the event loop of its virtual connection's other leg; PDUs that arrive meanwhile wait. */
        MOVING,
        /** Closed for a protocol error (or closed): input is discarded. */
        FAILED
    }

    private final EndpointServer server;
    private final boolean http;
    private State state = State.NEW;
    private DceAssociation association;
    /** Answers written on the ncacn_ip_tcp (or v1) path since the last flush. */
    private boolean flushPending;
    private VirtualConnection vc;
    private ScheduledFuture<?> firstPduTimer;
    /** PDUs read while {@link State#MOVING} (retained), handled in order once the leg is on its new loop. */
    private ArrayDeque<RpchPdu> parked;

    LegHandler(EndpointServer server, boolean http) {
        this.server = server;
        this.http = http;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (http) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(BANNER));
        }
        long millis = server.limits().connectionSetupTimeout().toMillis();
        firstPduTimer = ctx.executor().schedule(() -> fail(ctx, "connection setup: no PDU within "
                + server.limits().connectionSetupTimeout() + " (expected: a first PDU)"), millis, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            RpchPdu pdu = (RpchPdu) msg; // the pipeline's RpchFrameDecoder emits nothing else
            switch (state) {
                case NEW -> first(ctx, pdu);
                case DIRECT -> direct(ctx, pdu);
                case IN_LEG -> vc.onIn(ctx.channel(), pdu);
                case OUT_LEG -> vc.onOut(ctx.channel(), pdu);
                case MOVING -> parked.add(ReferenceCountUtil.retain(pdu));
                case FAILED -> { }
            }
        } catch (DecoderException e) {
            fail(ctx, e.getMessage());
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void first(ChannelHandlerContext ctx, RpchPdu msg) {
        if (firstPduTimer != null) {
            firstPduTimer.cancel(false);
            firstPduTimer = null; // not kept (with its lambda) for the life of an idle leg
        }
        if (msg instanceof RpcPduFrame) {
            state = State.DIRECT;
            association = new DceAssociation(server, http ? RpcCall.Transport.NCACN_HTTP_V1 : RpcCall.Transport.NCACN_IP_TCP,
                    inet(ctx.channel().localAddress()), inet(ctx.channel().remoteAddress()),
                    ctx.alloc(), work -> ctx.executor().execute(() -> resumeDirect(ctx, work)));
            direct(ctx, msg);
            return;
        }
        RtsMessage rts = (RtsMessage) msg;
        if (!http) {
            throw new RpchProtocolException("first PDU on ncacn_ip_tcp: RTS PDU (expected: a DCE/RPC PDU)");
        }
        // Per [MS-RPCH] 3.2.5.4, only the proxies' leg-opening PDUs may start a v2 connection.
        RtsPduKind.expect(rts, RtsPduKind.CONN_B2, RtsPduKind.CONN_A2, RtsPduKind.IN_R1_A2, RtsPduKind.OUT_R1_A4);
        EventLoop home = server.legAffinity() ? server.table().homeLoop(virtualConnectionCookie(rts)).orElse(null) : null;
        if (home != null && home != ctx.channel().eventLoop()) {
            moveTo(ctx, home, rts);
            return;
        }
        openLeg(ctx, rts);
    }

    /**
     * Moves this leg to the event loop its virtual connection's other leg runs on, then opens it there. Both legs on
     * one loop: a response computed where the request arrived (IN leg) is written to the OUT leg without handing it
     * to another thread, and so is every flow-control ack that frees the OUT window — per PDU, that hand-off (a task,
     * a wake-up, on a busy machine a context switch) cost more CPU than the relay's own work (docs/performance.md).
     * Reading stops until the move is done; whatever the decoder still emits meanwhile is parked and handled in order.
     */
    private void moveTo(ChannelHandlerContext ctx, EventLoop home, RtsMessage first) {
        state = State.MOVING;
        parked = new ArrayDeque<>(4);
        Channel ch = ctx.channel();
        ch.config().setAutoRead(false);
        ch.deregister().addListener(d -> {
            if (!d.isSuccess()) {
                moveFailed(ctx, d.cause());
                return;
            }
            home.register(ch).addListener(r -> {
                if (!r.isSuccess()) {
                    moveFailed(ctx, r.cause());
                    return;
                }
                server.stats().legMoves.incrementAndGet();
                moved(ctx, first); // on the new loop: the listener runs on the channel's event loop
            });
        });
    }

    private void moved(ChannelHandlerContext ctx, RtsMessage first) {
        if (state != State.MOVING) {
            releaseParked();
            return;
        }
        state = State.NEW;
        try {
            openLeg(ctx, first);
            for (RpchPdu pdu; state != State.FAILED && (pdu = parked.poll()) != null; ) {
                try {
                    if (state == State.IN_LEG) {
                        vc.onIn(ctx.channel(), pdu);
                    } else {
                        vc.onOut(ctx.channel(), pdu);
                    }
                } finally {
                    ReferenceCountUtil.release(pdu);
                }
            }
        } catch (DecoderException e) {
            fail(ctx, e.getMessage());
        } catch (RuntimeException e) {
            log.debug("endpoints: {} failed", ctx.channel(), e);
            fail(ctx, "internal: " + e);
        } finally {
            releaseParked();
        }
        if (state != State.FAILED) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void moveFailed(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("endpoints: {} could not move to its virtual connection's event loop", ctx.channel(), cause);
        releaseParked();
        state = State.FAILED;
        ctx.channel().close();
    }

    private void releaseParked() {
        if (parked != null) {
            for (RpchPdu pdu; (pdu = parked.poll()) != null; ) {
                ReferenceCountUtil.release(pdu);
            }
            parked = null;
        }
    }

    private static UUID virtualConnectionCookie(RtsMessage rts) {
        if (rts instanceof RtsMessage.InR1A2 a2) {
            return a2.virtualConnectionCookie();
        }
        if (rts instanceof RtsMessage.OutR1A4 a4) {
            return a4.virtualConnectionCookie();
        }
        if (rts instanceof RtsMessage.ConnB2 b2) {
            return b2.virtualConnectionCookie();
        }
        return ((RtsMessage.ConnA2) rts).virtualConnectionCookie();
    }

    /** Opens the IN or OUT leg {@code rts} starts: pairs it with, or recycles a leg of, its virtual connection. */
    private void openLeg(ChannelHandlerContext ctx, RtsMessage rts) {
        Leg leg;
        if (rts instanceof RtsMessage.InR1A2 a2) {
            leg = new Leg(ctx.channel(), true, a2.virtualConnectionCookie(), a2.successorChannelCookie(),
                    a2.receiveWindowSize(), a2.connectionTimeout(), a2.version(), 0);
            state = State.IN_LEG;
            vc = server.table().recycleIn(leg, a2.predecessorChannelCookie());
            return;
        }
        if (rts instanceof RtsMessage.OutR1A4 a4) {
            // Per [MS-RPCH] 2.2.4.26: a successor outbound proxy's leg for OUT channel recycling (predecessor, successor).
            leg = new Leg(ctx.channel(), false, a4.virtualConnectionCookie(), a4.successorChannelCookie(),
                    a4.receiveWindowSize(), a4.connectionTimeout(), a4.version(), a4.channelLifetime());
            state = State.OUT_LEG;
            vc = server.table().recycleOut(leg, a4.predecessorChannelCookie());
            return;
        }
        if (rts instanceof RtsMessage.ConnB2 b2) {
            leg = new Leg(ctx.channel(), true, b2.virtualConnectionCookie(), b2.inChannelCookie(),
                    b2.receiveWindowSize(), b2.connectionTimeout(), b2.version(), 0);
            state = State.IN_LEG;
        } else {
            RtsMessage.ConnA2 a2 = (RtsMessage.ConnA2) rts;
            leg = new Leg(ctx.channel(), false, a2.virtualConnectionCookie(), a2.outChannelCookie(),
                    a2.receiveWindowSize(), 0, a2.version(), a2.channelLifetime());
            state = State.OUT_LEG;
        }
        vc = server.table().attach(leg);
    }

    private void direct(ChannelHandlerContext ctx, RpchPdu msg) {
        if (!(msg instanceof RpcPduFrame frame)) {
            throw new RpchProtocolException("RTS PDU " + ((RtsMessage) msg).kinds() + " on a "
                    + (http ? "RPC over HTTP v1" : "ncacn_ip_tcp") + " connection (expected: DCE/RPC PDUs only)");
        }
        // Answers are flushed once per read batch (channelReadComplete): pipelined calls then cost one writev, not one
        // each. An error path flushes too: fail() writes and flushes before closing.
        association.receive(frame.content(), ctx::write);
        flushPending = true;
        if (!ctx.channel().isWritable()) {
            ctx.flush();
            flushPending = false;
            if (!ctx.channel().isWritable()) {
                // A client that sends calls but does not read the answers: stop reading until the answers drain.
                ctx.channel().config().setAutoRead(false);
            }
        }
    }

    /** Work of the association that waited off the loop (an NTLM verification), back on this connection. */
    private void resumeDirect(ChannelHandlerContext ctx, java.util.function.Consumer<java.util.function.Consumer<io.netty.buffer.ByteBuf>> work) {
        if (state != State.DIRECT) {
            return;
        }
        try {
            work.accept(ctx::write);
            ctx.flush();
        } catch (DecoderException e) {
            fail(ctx, e.getMessage());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (state == State.DIRECT && ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            fail(ctx, cause.getMessage());
        } else if (cause instanceof java.io.IOException) {
            // A reset or a broken pipe is the peer going away (a proxy dropping a recycled channel's leg), not a
            // protocol error: the leg ends as a close would end it (channelInactive follows).
            log.debug("endpoints: {} ended: {}", ctx.channel(), cause.toString());
            ctx.close();
        } else {
            log.debug("endpoints: {} failed", ctx.channel(), cause);
            fail(ctx, "I/O: " + cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (firstPduTimer != null) {
            firstPduTimer.cancel(false);
        }
        if (vc != null && vc.legClosed(ctx.channel())) {
            server.table().legGone(vc, ctx.channel() + " closed");
        }
        state = State.FAILED;
        releaseParked();
        ctx.fireChannelInactive();
    }

    /** The address, or null for a non-IP channel (tests' EmbeddedChannel). */
    static InetSocketAddress inet(java.net.SocketAddress a) {
        return a instanceof InetSocketAddress i ? i : null;
    }

    private void fail(ChannelHandlerContext ctx, String message) {
        if (state == State.FAILED) {
            return;
        }
        state = State.FAILED;
        log.debug("endpoints: {}: {}", ctx.channel(), message);
        server.protocolError(inet(ctx.channel().remoteAddress()), message);
        if (vc != null && vc.legClosed(ctx.channel())) {
            // Closes this leg too, once the OUT leg's last PDUs (a fault answering what failed here) are out.
            server.table().legGone(vc, message);
            return;
        }
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
}
