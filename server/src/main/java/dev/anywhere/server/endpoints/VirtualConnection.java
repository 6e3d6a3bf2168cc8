package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.rpch.ForwardDestination;
import dev.anywhere.rpc.rpch.RpcPduFrame;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RpchProtocolException;
import dev.anywhere.rpc.rpch.RtsCommand;
import dev.anywhere.rpc.rpch.RtsPdu;
import dev.anywhere.rpc.rpch.RtsPduKind;
import dev.anywhere.rpc.rpch.RtsPdus;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;

/**
 * The server end of one RPC over HTTP v2 virtual connection: an IN leg (client → inbound proxy → us) and an OUT leg
 * (us → outbound proxy → client), paired by cookie. RPC PDUs from the IN leg feed one {@link DceAssociation}; its
 * answers go out on the OUT leg within the outbound proxy's receive window (CONN/A2, then its FlowControlAcks). We
 * acknowledge the IN leg with FlowControlAck once half our window (CONN/B3) is consumed. FlowControlAckWithDestination
 * from the client (FDOutProxy / FDClient) is forwarded on the OUT leg.
 *
 * <p>Synchronized: the two legs may live on different event loops. Never calls the table (see its lock order).
 *
 * @see [MS-RPCH] 3.2.5 RPC Server Details
 * @see [MS-RPCH] 3.2.1.4.1 Flow Control
 */
final class VirtualConnection {

    private enum State {
        /** One leg attached; the connection setup timer runs. */
        HALF_OPEN,
        /** Both legs attached, CONN/B3 and CONN/C1 sent; RPC traffic flows. */
        OPENED,
        /** Closed (timeout, superseded, a leg closed or failed); input is discarded. */
        CLOSED
    }

    private final EndpointServer server;
    private final UUID cookie;
    private State state = State.HALF_OPEN;
    private boolean opened;
    private Leg in;
    private Leg out;
    /** The successor IN leg of IN channel recycling (IN_R1/A2 received, IN_R1/A6 not yet). */
    private Leg successor;
    private long version = RtsCommand.Version.V1;
    private ScheduledFuture<?> setupTimer;
    private DceAssociation association;

    // Sending on the OUT leg ([MS-RPCH] 3.2.1.4.1.3 sender rules).
    private long outBytesSent;
    private long outAvailable;
    private final ArrayDeque<ByteBuf> outQueue = new ArrayDeque<>();
    private long outQueued;
    private boolean inPaused;

    // Receiving on the IN leg ([MS-RPCH] 3.2.1.4.1.1 receiver rules).
    private long inBytesReceived;
    private long inBytesAcked;

    VirtualConnection(EndpointServer server, UUID cookie) {
        this.server = server;
        this.cookie = cookie;
    }

    UUID cookie() {
        return cookie;
    }

    synchronized boolean isOpened() {
        return opened;
    }

    synchronized boolean hasLeg(boolean inLeg) {
        return inLeg ? in != null : out != null;
    }

    synchronized String presentLeg() {
        return in != null ? "IN" : "OUT";
    }

    synchronized void setupTimer(ScheduledFuture<?> timer) {
        this.setupTimer = timer;
    }

    void reportTo(EndpointServer s, String message) {
        Leg l;
        synchronized (this) {
            l = in != null ? in : out;
        }
        s.protocolError(l == null ? null : LegHandler.inet(l.channel().remoteAddress()), message);
    }

    /** Adds a leg; true if the virtual connection opened now (both legs present). */
    synchronized boolean attach(Leg leg) {
        if (state == State.CLOSED) {
            leg.channel().close();
            return false;
        }
        if (leg.in()) {
            in = leg;
        } else {
            out = leg;
        }
        if (in == null || out == null) {
            return false;
        }
        open();
        return true;
    }

    /** Both legs are here: CONN/B3 on the IN leg, CONN/C1 (the inbound proxy's window and timeout) on the OUT leg. */
    private void open() {
        state = State.OPENED;
        opened = true;
        if (setupTimer != null) {
            setupTimer.cancel(false);
        }
        version = Math.min(RtsCommand.Version.V1, Math.min(in.version(), out.version()));
        outAvailable = out.receiveWindow();
        association = new DceAssociation(server, RpcCall.Transport.NCACN_HTTP_V2,
                LegHandler.inet(in.channel().localAddress()), LegHandler.inet(in.channel().remoteAddress()),
                in.channel().alloc());
        Channel inCh = in.channel();
        send(inCh, true, RpchCodec.encode(RtsPdus.connB3(server.limits().receiveWindow(), version), inCh.alloc()));
        Channel outCh = out.channel();
        send(outCh, true, RpchCodec.encode(RtsPdus.connC1(version, in.receiveWindow(), in.connectionTimeout()),
                outCh.alloc()));
    }

    /**
     * A PDU arrived on the IN leg (not released here).
     *
     * @throws RpchProtocolException or {@link dev.anywhere.rpc.dce.DceProtocolException}; the caller fails the leg
     */
    synchronized void onIn(Channel from, Object msg) {
        if (state == State.CLOSED) {
            return;
        }
        if (successor != null && from == successor.channel()) {
            throw new RpchProtocolException("successor IN leg: " + describe(msg) + " before IN_R1/B2 (expected: "
                    + "nothing until the predecessor sent IN_R1/A6)");
        }
        if (in == null || from != in.channel()) {
            return; // a retired predecessor IN leg: whatever it still relays belongs to no channel any more
        }
        if (state != State.OPENED) {
            throw new RpchProtocolException("IN leg: " + describe(msg) + " before the OUT leg was paired (expected: "
                    + "nothing until CONN/B3)");
        }
        if (msg instanceof RtsPdu r) {
            // IN_R1/A6 and IN_R2/A2 share a signature (one Cookie): a pending successor leg tells them apart.
            RtsPduKind kind = RtsPduKind.expect(r, RtsPduKind.FLOW_CONTROL_ACK_WITH_DESTINATION, RtsPduKind.PING,
                    RtsPduKind.KEEP_ALIVE, successor != null ? RtsPduKind.IN_R1_A6 : RtsPduKind.IN_R2_A2);
            if (kind == RtsPduKind.IN_R1_A6) {
                switchToSuccessor(r.first(RtsCommand.Cookie.class).orElseThrow().cookie());
                return;
            }
            if (kind == RtsPduKind.IN_R2_A2) {
                recycleInSameProxy(r.first(RtsCommand.Cookie.class).orElseThrow().cookie());
                return;
            }
            if (kind == RtsPduKind.FLOW_CONTROL_ACK_WITH_DESTINATION) {
                ForwardDestination d = r.first(RtsCommand.Destination.class).orElseThrow().destination();
                if (d == ForwardDestination.OUT_PROXY || d == ForwardDestination.CLIENT) {
                    // Per [MS-RPCH] 2.2.3.3, PDUs for the client or the outbound proxy continue on the OUT leg.
                    send(out.channel(), true, RpchCodec.encode(r, out.channel().alloc()));
                }
            }
            return; // Ping and Keep-Alive: the inbound proxy keeps its leg alive; nothing to answer.
        }
        RpcPduFrame frame = (RpcPduFrame) msg;
        int n = frame.fragLength();
        long window = server.limits().receiveWindow();
        if (inBytesReceived + n - inBytesAcked > window) {
            throw new RpchProtocolException("IN leg flow control: " + (inBytesReceived + n - inBytesAcked)
                    + " bytes unacknowledged (expected: <= receive window " + window + ")");
        }
        inBytesReceived += n;
        try {
            association.receive(frame.content(), this::sendRpc);
        } finally {
            flush(out.channel());
        }
        if (inBytesReceived - inBytesAcked >= window / 2) {
            // We consume each PDU at once, so the whole window is available again.
            inBytesAcked = inBytesReceived;
            send(in.channel(), true, RpchCodec.encode(RtsPdus.flowControlAck(inBytesReceived & 0xffff_ffffL, window,
                    in.channelCookie()), in.channel().alloc()));
        }
    }

    /**
     * IN_R1/A2 on a new leg from a (possibly different) inbound proxy: remember the successor and tell the client
     * the new proxy's window and timeout with IN_R1/A3 on the OUT leg.
     *
     * @see [MS-RPCH] 2.2.4.11 IN_R1/A2 RTS PDU
     * @see [MS-RPCH] 2.2.4.12 IN_R1/A3 RTS PDU
     */
    synchronized void addSuccessor(Leg leg, UUID predecessor) {
        if (state != State.OPENED) {
            throw new RpchProtocolException("IN_R1/A2: virtual connection " + cookie + " is not open (expected: an "
                    + "open virtual connection)");
        }
        if (successor != null) {
            throw new RpchProtocolException("IN_R1/A2: recycling of virtual connection " + cookie
                    + " already in progress (expected: one successor at a time)");
        }
        if (!predecessor.equals(in.channelCookie())) {
            throw new RpchProtocolException("IN_R1/A2 predecessor channel cookie: " + predecessor + " (expected: "
                    + in.channelCookie() + ")");
        }
        successor = leg;
        send(out.channel(), true, RpchCodec.encode(RtsPdus.inR1A3(Math.min(version, leg.version()), leg.receiveWindow(),
                leg.connectionTimeout()), out.channel().alloc()));
    }

    /**
     * IN_R1/A6 on the predecessor: IN_R1/B1 tells the old inbound proxy to close, IN_R1/B2 gives the new one our
     * window; RPC traffic continues on the successor with fresh flow control counters.
     *
     * @see [MS-RPCH] 2.2.4.15 IN_R1/A6 RTS PDU
     * @see [MS-RPCH] 2.2.4.16 IN_R1/B1 RTS PDU
     * @see [MS-RPCH] 2.2.4.17 IN_R1/B2 RTS PDU
     */
    private void switchToSuccessor(UUID successorCookie) {
        if (!successorCookie.equals(successor.channelCookie())) {
            throw new RpchProtocolException("IN_R1/A6 successor channel cookie: " + successorCookie + " (expected: "
                    + successor.channelCookie() + ")");
        }
        Leg old = in;
        send(old.channel(), true, RpchCodec.encode(RtsPdus.inR1B1(), old.channel().alloc()));
        in = successor;
        successor = null;
        inBytesReceived = 0;
        inBytesAcked = 0;
        send(in.channel(), true, RpchCodec.encode(RtsPdus.inR1B2(server.limits().receiveWindow()),
                in.channel().alloc()));
        if (inPaused) {
            in.channel().config().setAutoRead(false);
        }
    }

    /**
     * IN_R2/A2 from the inbound proxy on the current IN leg (the client recycled its IN channel through the same
     * proxy, which keeps its server leg): the IN channel now has the successor cookie, with fresh flow control
     * counters; IN_R2/A3 on the OUT leg lets the client continue. [inf: derived from the PDU definitions]
     *
     * @see [MS-RPCH] 2.2.4.19 IN_R2/A2 RTS PDU
     * @see [MS-RPCH] 2.2.4.20 IN_R2/A3 RTS PDU
     */
    private void recycleInSameProxy(UUID successorCookie) {
        in = new Leg(in.channel(), true, in.vcCookie(), successorCookie, in.receiveWindow(), in.connectionTimeout(),
                in.version());
        inBytesReceived = 0;
        inBytesAcked = 0;
        send(out.channel(), true, RpchCodec.encode(RtsPdus.inR2A3(), out.channel().alloc()));
    }

    /** {@code ch} closed or failed: true if that ends the virtual connection (a current IN or OUT leg). */
    synchronized boolean legClosed(Channel ch) {
        if (successor != null && ch == successor.channel()) {
            successor = null;
            return false;
        }
        return (in != null && ch == in.channel()) || (out != null && ch == out.channel());
    }

    /** A PDU arrived on the OUT leg (not released here). */
    synchronized void onOut(Object msg) {
        if (state == State.CLOSED) {
            return;
        }
        if (!(msg instanceof RtsPdu r)) {
            throw new RpchProtocolException("OUT leg: " + describe(msg) + " (expected: RTS PDUs only; RPC traffic "
                    + "arrives on the IN leg)");
        }
        RtsPduKind kind = state == State.OPENED
                ? RtsPduKind.expect(r, RtsPduKind.FLOW_CONTROL_ACK, RtsPduKind.PING, RtsPduKind.PING_TRAFFIC_SENT_NOTIFY)
                : RtsPduKind.expect(r, RtsPduKind.PING);
        if (kind != RtsPduKind.FLOW_CONTROL_ACK) {
            return; // Ping, Ping Traffic Sent Notify: would count toward OUT recycling, which we do not start.
        }
        RtsCommand.FlowControlAck ack = r.first(RtsCommand.FlowControlAck.class).orElseThrow();
        if (!ack.channelCookie().equals(out.channelCookie())) {
            return; // Per [MS-RPCH] 3.2.1.4.1.3, an ack for another channel is discarded.
        }
        if (outBytesSent <= 0xffff_ffffL && ack.bytesReceived() > outBytesSent) {
            throw new RpchProtocolException("FlowControlAck BytesReceived: " + ack.bytesReceived()
                    + " (expected: <= bytes sent " + outBytesSent + ")");
        }
        long inFlight = (outBytesSent - ack.bytesReceived()) & 0xffff_ffffL;
        outAvailable = ack.availableWindow() - inFlight;
        drain();
    }

    /** Sends (or queues, outside the window) one RPC PDU on the OUT leg; takes ownership of {@code pdu}. */
    private void sendRpc(ByteBuf pdu) {
        if (state != State.OPENED) {
            pdu.release();
            return;
        }
        outQueue.add(pdu);
        outQueued += pdu.readableBytes();
        drain();
        if (!inPaused && outQueued > server.limits().maxQueuedBytes()) {
            inPaused = true;
            in.channel().config().setAutoRead(false);
        }
    }

    private void drain() {
        boolean wrote = false;
        while (!outQueue.isEmpty() && outQueue.peek().readableBytes() <= outAvailable) {
            ByteBuf pdu = outQueue.poll();
            int n = pdu.readableBytes();
            outQueued -= n;
            outAvailable -= n;
            outBytesSent += n;
            send(out.channel(), false, pdu);
            wrote = true;
        }
        if (wrote) {
            flush(out.channel());
        }
        if (inPaused && outQueued <= server.limits().maxQueuedBytes() / 2) {
            inPaused = false;
            in.channel().config().setAutoRead(true);
        }
    }

    /** Closes both legs; idempotent. */
    synchronized void close(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (setupTimer != null) {
            setupTimer.cancel(false);
        }
        while (!outQueue.isEmpty()) {
            ReferenceCountUtil.release(outQueue.poll());
        }
        outQueued = 0;
        if (in != null) {
            in.channel().close();
        }
        if (successor != null) {
            successor.channel().close();
        }
        if (out != null) {
            // After the writes already queued on the OUT leg's loop, so the last PDUs still go out.
            Channel ch = out.channel();
            try {
                ch.eventLoop().execute(() -> {
                    ch.flush();
                    ch.close();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                ch.close();
            }
        }
    }

    private static String describe(Object msg) {
        if (msg instanceof RtsPdu r) {
            return "RTS PDU " + (r.kinds().isEmpty() ? "unclassified" : r.kinds().get(0).displayName());
        }
        return msg instanceof RpcPduFrame f && f.type() != null ? "RPC PDU " + f.type().wireName() : "RPC PDU";
    }

    /**
     * Writes on the leg's event loop in the order of the calls. Calls come from both legs' threads under this
     * object's lock; a write made on the leg's own loop would otherwise overtake writes queued from the other thread
     * and reorder fragments.
     */
    private static void send(Channel ch, boolean flush, Object msg) {
        try {
            ch.eventLoop().execute(() -> {
                if (flush) {
                    ch.writeAndFlush(msg);
                } else {
                    ch.write(msg);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ReferenceCountUtil.release(msg);
        }
    }

    private static void flush(Channel ch) {
        try {
            ch.eventLoop().execute(ch::flush);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The loop is shutting down; nothing is left to flush to.
        }
    }

}
