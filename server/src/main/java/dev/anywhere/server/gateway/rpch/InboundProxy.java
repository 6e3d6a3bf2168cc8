package dev.anywhere.server.gateway.rpch;

import dev.anywhere.rpc.rpch.ForwardDestination;
import dev.anywhere.rpc.rpch.RpcPduFrame;
import dev.anywhere.rpc.rpch.RpchProtocolException;
import dev.anywhere.rpc.rpch.RtsCommand;
import dev.anywhere.rpc.rpch.RpchPdu;
import dev.anywhere.rpc.rpch.RtsMessage;
import dev.anywhere.rpc.rpch.RtsPduKind;
import dev.anywhere.server.gateway.BackendResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.UUID;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound proxy of one IN channel (RPC_IN_DATA): CONN/B1 from the client → server leg (banner) → CONN/B2 with
 * the client's address → CONN/B3 from the server → relays client → server PDUs under two windows: its own (CONN/B2,
 * acked to the client with FlowControlAckWithDestination(FDClient) through the server) and the server's (CONN/B3,
 * FlowControlAck on the leg). A recycled IN channel starts with IN_R1/A1 (= IN_R2/A1), opens its own leg with
 * IN_R1/A2 and waits for IN_R1/B2. No HTTP response is ever sent on success. Diagram: docs/rpc-proxy.md.
 *
 * @see [MS-RPCH] 3.2.3 Inbound proxy (RPC over HTTP proxy, IN channel role)
 */
public final class InboundProxy extends ProxyChannel {

    private static final Logger log = LoggerFactory.getLogger(InboundProxy.class);

    /** What the client may send on an open IN channel; everything else is a protocol error. */
    private static final RtsPduKind[] ALLOWED_AFTER_B1 = {RtsPduKind.PING, RtsPduKind.KEEP_ALIVE,
        RtsPduKind.FLOW_CONTROL_ACK_WITH_DESTINATION, RtsPduKind.IN_R1_A5, RtsPduKind.OUT_R1_A7, RtsPduKind.OUT_R2_A7};

    private enum State {
        /** Reading the body for CONN/B1 (or IN_R1/A1); no server leg. */
        WAIT_B1,
        /** Resolving, connecting, reading the banner; client PDUs queue and the client is not read. */
        CONNECTING,
        /** CONN/B2 (IN_R1/A2) sent; waiting for CONN/B3 (IN_R1/B2) with the server's window. */
        WAIT_B3,
        /** Relaying client → server. */
        OPENED,
        /** Terminal: both legs closed, input discarded. */
        CLOSED
    }

    private State state = State.WAIT_B1;
    private boolean recycle;
    private UUID inCookie;
    private long clientKeepalive;
    private final FlowControl.Receiver fromClient;
    private FlowControl.Sender toServer;
    private final ArrayDeque<RpchPdu> queue = new ArrayDeque<>();
    private Runnable afterConnect;

    InboundProxy(ClientLeg client, Owner owner, String server, int port, ProxySettings settings, BackendResolver resolver,
            ProxyMetrics metrics) {
        super(client, owner, server, port, settings, resolver, metrics);
        this.fromClient = new FlowControl.Receiver(settings.receiveWindow());
        metrics.activeIn.incrementAndGet();
    }

    @Override
    boolean opened() {
        return state == State.OPENED;
    }

    @Override
    void fromClient(RpchPdu pdu) {
        switch (state) {
            case WAIT_B1 -> first(pdu);
            case CONNECTING, WAIT_B3, OPENED -> queue(pdu);
            case CLOSED -> ReferenceCountUtil.release(pdu);
        }
    }

    /** After CONN/B1: RPC PDUs and forwardable RTS PDUs queue for the server; Ping and Keep-Alive end here. */
    private void queue(RpchPdu pdu) {
        if (pdu instanceof RpcPduFrame frame) {
            if (!fromClient.received(frame.content().readableBytes())) {
                log.debug("rpcproxy: client overran the IN proxy's receive window of {}", fromClient.window());
            }
            queue.add(frame);
            drain();
            return;
        }
        RtsMessage rts = (RtsMessage) pdu;
        RtsPduKind kind;
        try {
            kind = RtsPduKind.expect(rts, ALLOWED_AFTER_B1);
        } catch (RpchProtocolException e) {
            protocolError("client", e.getMessage());
            return;
        }
        switch (kind) {
            case PING -> metrics.pingsReceived.increment(); // traffic on the IN channel; consumed here
            case KEEP_ALIVE -> clientKeepalive = ((RtsMessage.KeepAlive) rts).clientKeepalive();
            default -> {
                // FlowControlAckWithDestination (FDOutProxy for the OUT channel) and recycling PDUs go to the server.
                queue.add(rts);
                drain();
            }
        }
    }

    private void first(RpchPdu pdu) {
        if (!(pdu instanceof RtsMessage rts)) {
            String type = pdu.toString();
            ReferenceCountUtil.release(pdu);
            protocolError("client", "IN channel PDU: " + type + " (expected: RTS CONN/B1 or IN_R1/A1)");
            return;
        }
        try {
            RtsPduKind.expect(rts, RtsPduKind.CONN_B1, RtsPduKind.IN_R1_A1);
        } catch (RpchProtocolException e) {
            protocolError("client", e.getMessage());
            return;
        }
        if (rts instanceof RtsMessage.ConnB1 b1) {
            UUID vc = b1.virtualConnectionCookie();
            if (!claim(vc)) {
                return;
            }
            long version = Math.min(RtsCommand.Version.V1, b1.version());
            inCookie = b1.inChannelCookie();
            clientKeepalive = b1.clientKeepalive();
            afterConnect = () -> writeServer(new RtsMessage.ConnB2(version, vc, inCookie, settings.receiveWindow(),
                    settings.connectionTimeout().toMillis(), b1.associationGroupId(),
                    new RtsCommand.ClientAddress(clientAddress())));
        } else {
            // IN_R1/A1 and IN_R2/A1 are the same PDU; this proxy always opens its own leg (IN_R1, 3.2.3.5.5.1).
            RtsMessage.InR1A1 a1 = (RtsMessage.InR1A1) rts;
            UUID vc = a1.virtualConnectionCookie();
            if (!claim(vc)) {
                return;
            }
            long version = Math.min(RtsCommand.Version.V1, a1.version());
            recycle = true;
            inCookie = a1.successorChannelCookie();
            afterConnect = () -> writeServer(new RtsMessage.InR1A2(version, vc, a1.predecessorChannelCookie(), inCookie,
                    settings.receiveWindow(), settings.connectionTimeout().toMillis()));
        }
        state = State.CONNECTING;
        connectBackend();
    }

    private InetAddress clientAddress() {
        if (clientChannel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            return a.getAddress();
        }
        return InetAddress.getLoopbackAddress();
    }

    @Override
    void connected() {
        afterConnect.run();
        afterConnect = null; // used once; an idle channel need not keep the handshake's values
        backend.flush();
        state = State.WAIT_B3;
    }

    @Override
    void fromServer(RpchPdu pdu) {
        if (!(pdu instanceof RtsMessage rts)) {
            String type = pdu.toString();
            ReferenceCountUtil.release(pdu);
            protocolError("server", "IN leg PDU: " + type + " (expected: RTS)");
            return;
        }
        switch (state) {
            case WAIT_B3 -> connB3(rts);
            case OPENED -> control(rts);
            case WAIT_B1, CONNECTING, CLOSED -> log.debug("rpcproxy: ignored {} on the IN leg in {}", rts, state);
        }
    }

    /** CONN/B3 (IN_R1/B2 on a recycled channel): the server's window; relaying starts. */
    private void connB3(RtsMessage rts) {
        try {
            RtsPduKind.expect(rts, recycle ? RtsPduKind.IN_R1_B2 : RtsPduKind.CONN_B3);
        } catch (RpchProtocolException e) {
            protocolError("server", e.getMessage());
            return;
        }
        toServer = new FlowControl.Sender(rts instanceof RtsMessage.ConnB3 b3 ? b3.receiveWindowSize()
                : ((RtsMessage.InR1B2) rts).receiveWindowSize());
        state = State.OPENED;
        handshakeDone();
        drain();
    }

    /** OPENED: the server's FlowControlAck, or IN_R1/B1 telling this (predecessor) channel to finish. */
    private void control(RtsMessage rts) {
        if (rts instanceof RtsMessage.FlowControlAck ack) {
            toServer.ack(ack.bytesReceived(), ack.availableWindow());
            metrics.acksProxyToServerReceived.increment();
            drain();
        } else if (rts instanceof RtsMessage.InR1B1) {
            // The server switched to the successor IN channel: this one is done.
            close("IN channel recycled");
        } else {
            log.debug("rpcproxy: ignored {} from the server on the IN leg", rts.kinds());
        }
    }

    /** Sends what the server's window and the socket allow; acks the client; pauses the client when behind. */
    private void drain() {
        if (state != State.OPENED || closed) {
            autoRead(clientChannel, queue.isEmpty());
            return;
        }
        boolean wrote = false;
        while (!queue.isEmpty() && backend.isWritable()) {
            RpchPdu head = queue.peek();
            if (head instanceof RpcPduFrame frame) {
                int n = frame.content().readableBytes();
                if (!toServer.fits(n)) {
                    break;
                }
                queue.poll();
                toServer.sent(n);
                fromClient.consumed(n);
                metrics.bytesToServer.increment(n);
                backend.write(frame.content(), backend.voidPromise());
            } else {
                queue.poll();
                writeServer((RtsMessage) head);
            }
            wrote = true;
        }
        if (fromClient.ackDue()) {
            // Per spec the inbound proxy acks the client through the server, which forwards it on the OUT channel.
            writeServer(new RtsMessage.FlowControlAckWithDestination(ForwardDestination.CLIENT,
                    fromClient.bytesReceived(), fromClient.available(), inCookie));
            fromClient.acked();
            metrics.acksClientToProxySent.increment();
            wrote = true;
        }
        if (wrote) {
            flushBackend();
        }
        autoRead(clientChannel, queue.isEmpty());
    }

    /**
     * Only the client proves an IN channel alive: its RPC traffic, Pings, Keep-Alive (every ClientKeepalive ms, or
     * impacket's Ping answers to the OUT channel's Pings). A silent client for idleTimeout is presumed gone.
     */
    @Override
    long lastActivity() {
        return lastClientTraffic;
    }

    @Override
    void clientWritabilityChanged() {
    }

    @Override
    void serverWritabilityChanged() {
        drain();
    }

    /** The client's keep-alive interval from CONN/B1 or the last Keep-Alive PDU. */
    long clientKeepalive() {
        return clientKeepalive;
    }

    /**
     * When the server closed this channel's leg, the client's IN connection closes only after the OUT channels of the
     * virtual connection on this gateway have closed, each once its last writes were out: a server ends a virtual
     * connection by closing both legs, and its last answer (the fault ERROR_ACCESS_DENIED after a refused rpc_auth_3)
     * travels on OUT. Closed first, the IN channel told the client its virtual connection was gone before that answer
     * arrived. The proxy's close of both channels is what [MS-RPCH] 3.2.3.5.10 and 3.2.4.5.14 ask for; their order is
     * ours to choose. Bounded by {@link #CLOSE_LINGER_MILLIS}; an OUT channel on another gateway (an array without
     * affinity) cannot be waited for.
     */
    @Override
    void closeClient() {
        java.util.List<OutboundProxy> outs = serverEnded ? outChannels() : java.util.List.of();
        if (outs.isEmpty()) {
            clientChannel.close();
            return;
        }
        io.netty.util.concurrent.ScheduledFuture<?> deadline = clientChannel.eventLoop().schedule(
                () -> clientChannel.close(), CLOSE_LINGER_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        int[] open = {outs.size()};
        for (OutboundProxy out : outs) {
            out.clientChannel.closeFuture().addListener(f -> {
                try {
                    clientChannel.eventLoop().execute(() -> {
                        if (--open[0] == 0) {
                            deadline.cancel(false);
                            clientChannel.close();
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    clientChannel.close(); // the gateway is shutting down
                }
            });
        }
    }

    @Override
    void released() {
        state = State.CLOSED;
        queue.forEach(ReferenceCountUtil::release);
        queue.clear();
        metrics.activeIn.decrementAndGet();
    }
}
