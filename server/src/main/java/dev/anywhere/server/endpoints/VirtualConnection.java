package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.rpch.ForwardDestination;
import dev.anywhere.rpc.rpch.RpcPduFrame;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RpchProtocolException;
import dev.anywhere.rpc.rpch.RtsCommand;
import dev.anywhere.rpc.rpch.RpchPdu;
import dev.anywhere.rpc.rpch.RtsMessage;
import dev.anywhere.rpc.rpch.RtsPduKind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;

/**
 * The server end of one RPC over HTTP v2 virtual connection: an IN leg (client → inbound proxy → us) and an OUT leg
 * (us → outbound proxy → client), paired by cookie. RPC PDUs from the IN leg feed one {@link DceAssociation}; its
 * answers go out on the OUT leg within the outbound proxy's receive window (CONN/A2, then its FlowControlAcks). We
 * acknowledge the IN leg with FlowControlAck once half our window (CONN/B3) is consumed. FlowControlAckWithDestination
 * from the client (FDOutProxy / FDClient) is forwarded on the OUT leg. The OUT channel is recycled before its
 * ChannelLifetime (CONN/A2, OUT_R1/A4) is used up: OUT_R2/A1, then OUT_R1 (successor leg from OUT_R1/A4; A5 on the
 * predecessor; on OUT_R1/A8 from the IN leg: A9 on the predecessor and the switch) or OUT_R2 (OUT_R2/A4 on the same leg;
 * A5; on OUT_R2/A8: B1 and the cookie switch). Diagram: docs/rpc-endpoints.md.
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

    /** Server side of OUT channel recycling ([MS-RPCH] 3.2.5: Opened, Opened_A4W, Opened_A8W). */
    private enum OutRecycle {
        /** One OUT channel. */
        NONE,
        /** OUT_R2/A1 sent; waiting for OUT_R1/A4 (new leg) or OUT_R2/A4 (on the OUT leg). */
        A4W,
        /** OUT_R1/A4 received (successor leg attached), OUT_R1/A5 sent on the predecessor; waiting for OUT_R1/A8. */
        A8W_R1,
        /** OUT_R2/A4 received, OUT_R2/A5 sent; waiting for OUT_R2/A8 on the IN leg. */
        A8W_R2
    }

    /** One PDU waiting for the OUT leg: RPC PDUs wait for the window, any PDU for room in the channel's lifetime. */
    private record Pending(ByteBuf buf, boolean rpc) {
    }

    /** Bytes kept free on an OUT channel for the RTS PDUs of its recycling (OUT_R2/A1, A5, A9 or B1) and relayed acks. */
    static final int RTS_RESERVE = 1024;
    /** CONN/A3, which the outbound proxy itself puts on the first OUT channel. */
    private static final int CONN_A3_BYTES = 28;

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
    private final ArrayDeque<Pending> outQueue = new ArrayDeque<>();
    /** Bytes in {@link #outQueue} (RPC and RTS). */
    private long outQueued;
    private boolean inPaused;

    // OUT channel lifetime and recycling ([MS-RPCH] 3.2.1.5.3.4-5, 3.2.5).
    /** ChannelLifetime of the current OUT channel (CONN/A2, OUT_R1/A4). */
    private long outLifetime;
    /** Bytes the current OUT channel carried to the client: our PDUs (not those the proxy consumes) plus its pings. */
    private long outLifetimeSent;
    private OutRecycle outRecycle = OutRecycle.NONE;
    /** OUT_R1: the successor leg (OUT_R1/A4) until OUT_R1/A8 switches to it. */
    private Leg outSuccessor;
    /** OUT_R1 and OUT_R2: the successor OUT channel cookie. */
    private UUID outSuccessorCookie;
    /** Ping traffic the successor's proxy reported before the switch. */
    private long outSuccessorSent;
    /** The predecessor OUT leg after an OUT_R1 switch: its proxy drains, sends OUT_R1/A10 and closes it. */
    private Leg retiredOut;
    private int outRecycles;

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

    /** The event loop of the current IN leg (else the OUT leg), while the virtual connection is not closed. */
    synchronized Optional<EventLoop> homeLoop() {
        Leg l = in != null ? in : out;
        return state == State.CLOSED || l == null ? Optional.empty() : Optional.of(l.channel().eventLoop());
    }

    /** Whether every present leg (successors included) runs on one event loop. */
    synchronized boolean legsShareALoop() {
        if (in == null || out == null) {
            return false;
        }
        EventLoop home = in.channel().eventLoop();
        return out.channel().eventLoop() == home
                && (successor == null || successor.channel().eventLoop() == home)
                && (outSuccessor == null || outSuccessor.channel().eventLoop() == home);
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
            setupTimer = null; // not kept (with its lambda) for the life of an idle virtual connection
        }
        version = Math.min(RtsCommand.Version.V1, Math.min(in.version(), out.version()));
        outAvailable = out.receiveWindow();
        outLifetime = out.channelLifetime();
        association = new DceAssociation(server, RpcCall.Transport.NCACN_HTTP_V2,
                LegHandler.inet(in.channel().localAddress()), LegHandler.inet(in.channel().remoteAddress()),
                in.channel().alloc(), this::resumeAssociation);
        Channel inCh = in.channel();
        send(inCh, RpchCodec.encode(new RtsMessage.ConnB3(server.limits().receiveWindow(), version), inCh.alloc()));
        outLifetimeSent = CONN_A3_BYTES;
        sendOutRts(out, new RtsMessage.ConnC1(version, in.receiveWindow(), in.connectionTimeout()));
    }

    /**
     * A PDU arrived on the IN leg (not released here).
     *
     * @throws RpchProtocolException or {@link dev.anywhere.rpc.dce.DceProtocolException}; the caller fails the leg
     */
    synchronized void onIn(Channel from, RpchPdu msg) {
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
        if (msg instanceof RtsMessage r) {
            // IN_R1/A6 and IN_R2/A2 share a signature (one Cookie): a pending successor leg tells them apart.
            RtsPduKind kind = RtsPduKind.expect(r, inKinds());
            if (kind == RtsPduKind.OUT_R1_A8 || kind == RtsPduKind.OUT_R2_A8 || kind == RtsPduKind.OUT_R2_A7) {
                UUID succ = r instanceof RtsMessage.OutR2A7 a7 ? a7.successorChannelCookie()
                        : ((RtsMessage.OutR1A7) r).successorChannelCookie();
                if (!succ.equals(outSuccessorCookie)) {
                    throw new RpchProtocolException(kind.displayName() + " successor channel cookie: " + succ
                            + " (expected: " + outSuccessorCookie + ")");
                }
                if (outRecycle == OutRecycle.A8W_R1) {
                    switchOutR1();
                } else {
                    switchOutR2();
                }
                return;
            }
            if (kind == RtsPduKind.IN_R1_A6) {
                switchToSuccessor(((RtsMessage.InR1A5) r).successorChannelCookie());
                return;
            }
            if (kind == RtsPduKind.IN_R2_A2) {
                recycleInSameProxy(((RtsMessage.InR1A5) r).successorChannelCookie());
                return;
            }
            if (r instanceof RtsMessage.FlowControlAckWithDestination ack) {
                ForwardDestination d = ack.destination();
                if (d == ForwardDestination.OUT_PROXY) {
                    // Per [MS-RPCH] 2.2.3.3 the ack goes on to the outbound proxy of the channel it names (during OUT
                    // recycling the predecessor's proxy still drains under the client's acks); the proxy consumes it.
                    UUID named = ack.channelCookie();
                    Leg to = retiredOut != null && named.equals(retiredOut.channelCookie()) ? retiredOut
                            : outSuccessor != null && named.equals(outSuccessor.channelCookie()) ? outSuccessor : out;
                    send(to.channel(), RpchCodec.encode(r, to.channel().alloc()));
                } else if (d == ForwardDestination.CLIENT) {
                    sendOutRts(null, r); // relayed to the client: counts against the OUT channel's lifetime
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
        association.receive(frame.content(), this::sendRpc);
        if (outRecycle != OutRecycle.NONE && outQueued > 2L * server.limits().maxQueuedBytes()) {
            throw new RpchProtocolException("OUT channel recycling: " + outQueued + " response bytes queued (expected: <= "
                    + 2L * server.limits().maxQueuedBytes() + " while the OUT channel is replaced)");
        }
        if (inBytesReceived - inBytesAcked >= window / 2) {
            // We consume each PDU at once, so the whole window is available again.
            inBytesAcked = inBytesReceived;
            send(in.channel(), RpchCodec.encode(new RtsMessage.FlowControlAck(inBytesReceived & 0xffff_ffffL, window,
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
        sendOutRts(null, new RtsMessage.InR1A3(ForwardDestination.CLIENT, Math.min(version, leg.version()),
                leg.receiveWindow(), leg.connectionTimeout()));
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
        send(old.channel(), RpchCodec.encode(new RtsMessage.InR1B1(), old.channel().alloc()));
        in = successor;
        successor = null;
        inBytesReceived = 0;
        inBytesAcked = 0;
        send(in.channel(), RpchCodec.encode(new RtsMessage.InR1B2(server.limits().receiveWindow()),
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
                in.version(), 0);
        inBytesReceived = 0;
        inBytesAcked = 0;
        sendOutRts(null, new RtsMessage.InR2A3(ForwardDestination.CLIENT));
    }

    /**
     * {@code ch} closed or failed: true if that ends the virtual connection (a current IN or OUT leg, or the successor
     * OUT leg of a recycling in progress: without it the client cannot finish the switch).
     */
    synchronized boolean legClosed(Channel ch) {
        if (successor != null && ch == successor.channel()) {
            successor = null;
            return false;
        }
        if (retiredOut != null && ch == retiredOut.channel()) {
            retiredOut = null; // the predecessor's proxy finished (OUT_R1/A10 sent) and let go
            return false;
        }
        return (in != null && ch == in.channel()) || (out != null && ch == out.channel())
                || (outSuccessor != null && ch == outSuccessor.channel());
    }

    /** The RTS PDUs the IN leg may carry now. */
    private RtsPduKind[] inKinds() {
        // IN_R1/A6 and IN_R2/A2 share a signature (one Cookie): a pending successor leg tells them apart; so do the
        // OUT_R1/A8 and OUT_R2/A8 (the inbound proxy may relay the client's OUT_R2/A7 unchanged).
        RtsPduKind inRecycling = successor != null ? RtsPduKind.IN_R1_A6 : RtsPduKind.IN_R2_A2;
        return switch (outRecycle) {
            case A8W_R1 -> new RtsPduKind[] {RtsPduKind.FLOW_CONTROL_ACK_WITH_DESTINATION, RtsPduKind.PING,
                RtsPduKind.KEEP_ALIVE, inRecycling, RtsPduKind.OUT_R1_A8};
            case A8W_R2 -> new RtsPduKind[] {RtsPduKind.FLOW_CONTROL_ACK_WITH_DESTINATION, RtsPduKind.PING,
                RtsPduKind.KEEP_ALIVE, inRecycling, RtsPduKind.OUT_R2_A8, RtsPduKind.OUT_R2_A7};
            default -> new RtsPduKind[] {RtsPduKind.FLOW_CONTROL_ACK_WITH_DESTINATION, RtsPduKind.PING,
                RtsPduKind.KEEP_ALIVE, inRecycling};
        };
    }

    /** A PDU arrived on an OUT leg (not released here). */
    synchronized void onOut(Channel from, RpchPdu msg) {
        if (state == State.CLOSED) {
            return;
        }
        if (retiredOut != null && from == retiredOut.channel()) {
            return; // the predecessor's proxy still acks and pings while it drains; nothing is sent there any more
        }
        if (!(msg instanceof RtsMessage r)) {
            throw new RpchProtocolException("OUT leg: " + describe(msg) + " (expected: RTS PDUs only; RPC traffic "
                    + "arrives on the IN leg)");
        }
        if (outSuccessor != null && from == outSuccessor.channel()) {
            // Nothing is sent on the successor before OUT_R1/A8, so its proxy has nothing to ack; it may ping.
            RtsPduKind kind = RtsPduKind.expect(r, RtsPduKind.PING, RtsPduKind.PING_TRAFFIC_SENT_NOTIFY,
                    RtsPduKind.FLOW_CONTROL_ACK);
            if (r instanceof RtsMessage.PingTrafficSentNotify sent) {
                outSuccessorSent += sent.pingTrafficSent();
            }
            return;
        }
        if (out == null || from != out.channel()) {
            return;
        }
        RtsPduKind kind = state == State.OPENED
                ? (outRecycle == OutRecycle.A4W
                        ? RtsPduKind.expect(r, RtsPduKind.FLOW_CONTROL_ACK, RtsPduKind.PING,
                                RtsPduKind.PING_TRAFFIC_SENT_NOTIFY, RtsPduKind.OUT_R2_A4)
                        : RtsPduKind.expect(r, RtsPduKind.FLOW_CONTROL_ACK, RtsPduKind.PING,
                                RtsPduKind.PING_TRAFFIC_SENT_NOTIFY))
                : RtsPduKind.expect(r, RtsPduKind.PING);
        if (r instanceof RtsMessage.PingTrafficSentNotify sent) {
            // Per [MS-RPCH] 2.2.4.47 the proxy's pings to the client count against the OUT channel's lifetime.
            outLifetimeSent += sent.pingTrafficSent();
            drain();
            return;
        }
        if (kind == RtsPduKind.OUT_R2_A4) {
            sameProxySuccessor(((RtsMessage.InR1A5) r).successorChannelCookie());
            return;
        }
        if (!(r instanceof RtsMessage.FlowControlAck ack)) {
            return; // Ping
        }
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

    // ------------------------------------------------------------------ OUT channel recycling

    /** Where recycling starts: 7/8 of the lifetime, so traffic rarely waits for the successor. */
    private long recycleAt() {
        return outLifetime - Math.max(outLifetime / 8, 2L * RTS_RESERVE);
    }

    /**
     * The current OUT channel nears its lifetime: OUT_R2/A1 (same bytes as OUT_R1/A1; the outbound proxy decides
     * between R1 and R2) asks the client, through the proxy, for a successor OUT channel.
     *
     * @see [MS-RPCH] 3.2.5 RPC Server Details, OUT Channel Recycling (OUT_R2/A1, then Opened_A4W)
     * @see [MS-RPCH] 2.2.4.34 OUT_R2/A1 RTS PDU
     */
    private void startOutRecycle() {
        outRecycle = OutRecycle.A4W;
        sendRecyclingPdu(out, new RtsMessage.OutR1A1(ForwardDestination.CLIENT)); // OUT_R2/A1
        updateInPause();
    }

    /**
     * OUT_R1/A4 on a new leg from a (possibly different) outbound proxy: remember the successor and tell the client,
     * through the predecessor, with OUT_R1/A5 (the new proxy's connection timeout). Traffic stays on the predecessor.
     *
     * @see [MS-RPCH] 2.2.4.26 OUT_R1/A4 RTS PDU
     * @see [MS-RPCH] 2.2.4.27 OUT_R1/A5 RTS PDU
     */
    synchronized void addOutSuccessor(Leg leg, UUID predecessor) {
        if (state != State.OPENED) {
            throw new RpchProtocolException("OUT_R1/A4: virtual connection " + cookie + " is not open (expected: an "
                    + "open virtual connection)");
        }
        if (outRecycle != OutRecycle.A4W) {
            throw new RpchProtocolException("OUT_R1/A4: virtual connection " + cookie + " is not waiting for a successor "
                    + "OUT channel (expected: OUT_R1/A4 only after our OUT_R2/A1)");
        }
        if (!predecessor.equals(out.channelCookie())) {
            throw new RpchProtocolException("OUT_R1/A4 predecessor channel cookie: " + predecessor + " (expected: "
                    + out.channelCookie() + ")");
        }
        outSuccessor = leg;
        outSuccessorCookie = leg.channelCookie();
        outSuccessorSent = 0;
        outRecycle = OutRecycle.A8W_R1;
        sendRecyclingPdu(out, new RtsMessage.OutR1A5(ForwardDestination.CLIENT, Math.min(version, leg.version()),
                leg.connectionTimeout()));
    }

    /**
     * OUT_R1/A8 (the client's OUT_R1/A7 through the inbound proxy): OUT_R1/A9 goes on the predecessor after every PDU
     * already written to it (its proxy drains, answers the client with OUT_R1/A10 and closes), then the successor is
     * the OUT leg with the new proxy's window and lifetime; what waited in our queue goes there.
     *
     * @see [MS-RPCH] 2.2.4.30 OUT_R1/A8 RTS PDU
     * @see [MS-RPCH] 2.2.4.31 OUT_R1/A9 RTS PDU
     */
    private void switchOutR1() {
        Leg old = out;
        sendRecyclingPdu(old, new RtsMessage.OutR1A9());
        if (retiredOut != null) {
            closeAfterWrites(retiredOut.channel(), null); // bounded: at most one predecessor drains at a time
        }
        retiredOut = old;
        out = outSuccessor;
        outSuccessor = null;
        outBytesSent = 0;
        outAvailable = out.receiveWindow();
        outLifetime = out.channelLifetime();
        outLifetimeSent = outSuccessorSent;
        finishOutRecycle();
    }

    /**
     * OUT_R2/A4 on the OUT leg: the same outbound proxy serves the successor OUT channel and keeps this leg; OUT_R2/A5
     * lets the client send OUT_R2/A7.
     *
     * @see [MS-RPCH] 2.2.4.37 OUT_R2/A4 RTS PDU
     * @see [MS-RPCH] 2.2.4.38 OUT_R2/A5 RTS PDU
     */
    private void sameProxySuccessor(UUID successorCookie) {
        outSuccessorCookie = successorCookie;
        outRecycle = OutRecycle.A8W_R2;
        sendRecyclingPdu(out, new RtsMessage.OutR2A5(ForwardDestination.CLIENT));
    }

    /**
     * OUT_R2/A8: OUT_R2/B1 tells the proxy to finish the predecessor (it drains, sends OUT_R2/B3 with EOF and
     * continues on the successor); the leg now carries the successor cookie with fresh lifetime and flow control
     * counters. [inf: derived from the PDU definitions and the outbound proxy's OUT_R2/B1 processing; whether a
     * Windows proxy restarts its counters here is unverified]
     *
     * @see [MS-RPCH] 2.2.4.41 OUT_R2/A8 RTS PDU
     * @see [MS-RPCH] 2.2.4.42 OUT_R2/B1 RTS PDU
     */
    private void switchOutR2() {
        sendRecyclingPdu(out, new RtsMessage.OutR1A9()); // OUT_R2/B1: ANCE, as OUT_R1/A9
        out = new Leg(out.channel(), false, out.vcCookie(), outSuccessorCookie, out.receiveWindow(), 0, out.version(),
                out.channelLifetime());
        outBytesSent = 0;
        outAvailable = out.receiveWindow();
        outLifetimeSent = 0;
        finishOutRecycle();
    }

    private void finishOutRecycle() {
        outRecycle = OutRecycle.NONE;
        outSuccessorCookie = null;
        outRecycles++;
        drain();
    }

    /** Recycling PDUs go out at once (their bytes are kept free by {@link #RTS_RESERVE}) and count. */
    private void sendRecyclingPdu(Leg leg, RtsMessage pdu) {
        ByteBuf b = RpchCodec.encode(pdu, leg.channel().alloc());
        if (leg == out) {
            outLifetimeSent += b.readableBytes();
        }
        send(leg.channel(), b);
    }

    /**
     * An RTS PDU the outbound proxy relays to the client, on {@code leg} (null: the OUT leg). It is not flow
     * controlled and may overtake RPC PDUs waiting for the window, but not the channel's lifetime: when it does not
     * fit, it waits for the successor channel.
     */
    private void sendOutRts(Leg leg, RtsMessage pdu) {
        Leg to = leg == null ? out : leg;
        ByteBuf b = RpchCodec.encode(pdu, to.channel().alloc());
        int n = b.readableBytes();
        if (to == out && outLifetime > 0 && outLifetimeSent + n > outLifetime - RTS_RESERVE / 2) {
            outQueue.add(new Pending(b, false));
            outQueued += n;
            drain();
            return;
        }
        if (to == out) {
            outLifetimeSent += n;
        }
        send(to.channel(), b);
        if (to == out) {
            maybeStartRecycle();
        }
    }

    private void maybeStartRecycle() {
        if (state == State.OPENED && outRecycle == OutRecycle.NONE && outLifetime > 0 && outLifetimeSent >= recycleAt()) {
            startOutRecycle();
        }
    }

    /**
     * Work of the association that waited off the loop (an NTLM verification), back on the IN leg's loop and under
     * this connection's lock; a protocol error fails the IN leg as one from {@link #onIn} would.
     */
    private void resumeAssociation(java.util.function.Consumer<java.util.function.Consumer<ByteBuf>> work) {
        Channel inCh;
        synchronized (this) {
            if (in == null) {
                return;
            }
            inCh = in.channel();
        }
        inCh.eventLoop().execute(() -> {
            synchronized (this) {
                if (state != State.OPENED || in == null) {
                    return;
                }
                try {
                    work.accept(this::sendRpc);
                } catch (io.netty.handler.codec.DecoderException e) {
                    in.channel().pipeline().fireExceptionCaught(e);
                }
            }
        });
    }

    /** Sends (or queues, outside the window) one RPC PDU on the OUT leg; takes ownership of {@code pdu}. */
    private void sendRpc(ByteBuf pdu) {
        if (state != State.OPENED) {
            pdu.release();
            return;
        }
        outQueue.add(new Pending(pdu, true));
        outQueued += pdu.readableBytes();
        drain();
        updateInPause();
    }

    /**
     * Writes queued PDUs in order while they fit: RPC PDUs in the outbound proxy's window and, leaving
     * {@link #RTS_RESERVE}, in the OUT channel's lifetime; RTS PDUs in the lifetime. A PDU that does not fit the lifetime
     * waits for the successor channel (and starts recycling if that has not happened yet).
     */
    private void drain() {
        while (!outQueue.isEmpty()) {
            Pending head = outQueue.peek();
            int n = head.buf().readableBytes();
            long room = outLifetime - outLifetimeSent - (head.rpc() ? RTS_RESERVE : RTS_RESERVE / 2);
            if (n > room) {
                if (outRecycle == OutRecycle.NONE && state == State.OPENED) {
                    startOutRecycle(); // also when a PDU is bigger than what was left before recycleAt()
                }
                break;
            }
            if (head.rpc() && n > outAvailable) {
                break;
            }
            outQueue.poll();
            outQueued -= n;
            if (head.rpc()) {
                outAvailable -= n;
                outBytesSent += n;
            }
            outLifetimeSent += n;
            send(out.channel(), head.buf());
        }
        maybeStartRecycle();
        updateInPause();
    }

    /**
     * Stops reading the IN leg while too many responses wait, but never during OUT recycling: the OUT_R1/A8 or
     * OUT_R2/A8 that completes it arrives on the IN leg (the queue is capped at twice the limit meanwhile).
     */
    private void updateInPause() {
        if (in == null) {
            return;
        }
        long max = server.limits().maxQueuedBytes();
        if (!inPaused && outRecycle == OutRecycle.NONE && outQueued > max) {
            inPaused = true;
            in.channel().config().setAutoRead(false);
        } else if (inPaused && (outQueued <= max / 2 || outRecycle != OutRecycle.NONE)) {
            inPaused = false;
            in.channel().config().setAutoRead(true);
        }
    }

    /** OUT channels recycled so far (tests). */
    synchronized int outRecycles() {
        return outRecycles;
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
            ReferenceCountUtil.release(outQueue.poll().buf());
        }
        outQueued = 0;
        // The IN legs close after the OUT leg's last PDUs are out: an association ended after an answer (the fault
        // ERROR_ACCESS_DENIED after a refused rpc_auth_3, queued on OUT) fails its IN leg at once, and a proxy closes
        // the client's IN channel when its IN leg closes. Closed first, the IN leg made the client take the virtual
        // connection for lost before the fault arrived.
        List<Channel> inLegs = new ArrayList<>(2);
        if (in != null) {
            inLegs.add(in.channel());
        }
        if (successor != null) {
            inLegs.add(successor.channel());
        }
        Runnable closeIn = () -> inLegs.forEach(ch -> closeAfterWrites(ch, null));
        if (outSuccessor != null) {
            outSuccessor.channel().close();
        }
        if (retiredOut != null) {
            closeAfterWrites(retiredOut.channel(), null);
        }
        if (out != null) {
            closeAfterWrites(out.channel(), closeIn); // the last PDUs still go out
        } else {
            closeIn.run();
        }
    }

    /**
     * Closes {@code ch} after the writes already queued on its event loop (its {@link LegWriter} batches run first),
     * then runs {@code then} (may be null).
     */
    private static void closeAfterWrites(Channel ch, Runnable then) {
        try {
            ch.eventLoop().execute(() -> {
                ch.flush();
                ch.close();
                if (then != null) {
                    then.run();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ch.close();
            if (then != null) {
                then.run();
            }
        }
    }

    private static String describe(RpchPdu msg) {
        if (msg instanceof RtsMessage r) {
            return "RTS PDU " + (r.kinds().isEmpty() ? "unclassified" : r.kinds().get(0).displayName());
        }
        return msg instanceof RpcPduFrame f && f.type() != null ? "RPC PDU " + f.type().wireName() : "RPC PDU";
    }

    /**
     * Writes on the leg's event loop in the order of the calls, flushed with the batch it joins (see
     * {@link LegWriter}): calls come from both legs' threads under this object's lock.
     */
    private static void send(Channel ch, ByteBuf msg) {
        LegWriter.of(ch).write(msg);
    }

}
