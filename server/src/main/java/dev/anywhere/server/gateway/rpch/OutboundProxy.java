package dev.anywhere.server.gateway.rpch;

import dev.anywhere.rpc.rpch.ForwardDestination;
import dev.anywhere.rpc.rpch.RpcPduFrame;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RpchProtocolException;
import dev.anywhere.rpc.rpch.RtsCommand;
import dev.anywhere.rpc.rpch.RpchPdu;
import dev.anywhere.rpc.rpch.RtsMessage;
import dev.anywhere.rpc.rpch.RtsPduKind;
import dev.anywhere.server.gateway.BackendResolver;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound proxy of one OUT channel (RPC_OUT_DATA): CONN/A1 from the client → server leg (banner) → CONN/A2 →
 * {@code 200 Success} + CONN/A3 → CONN/C1 from the server → CONN/C2 → relays server → client PDUs under two windows:
 * the client's (CONN/A1, FlowControlAckWithDestination(FDOutProxy) forwarded by the server) and its own (CONN/A2,
 * acked to the server with FlowControlAck). A replacement channel (Content-Length 120) starts with OUT_R1/A3 and
 * opens its leg with OUT_R1/A4. Diagram: docs/rpc-proxy.md.
 *
 * @see [MS-RPCH] 3.2.4 Outbound proxy (RPC over HTTP proxy, OUT channel role)
 */
public final class OutboundProxy extends ProxyChannel {

    private static final Logger log = LoggerFactory.getLogger(OutboundProxy.class);
    private static final RtsMessage PING = new RtsMessage.Ping();
    /** What one Ping cost: its 20 bytes. */
    private static final RtsMessage PING_TRAFFIC_SENT = new RtsMessage.PingTrafficSentNotify(20);

    private enum State {
        /** Reading the body for CONN/A1 (OUT_R1/A3 on a replacement); no server leg, no response. */
        WAIT_A1,
        /** Resolving, connecting, reading the banner; the client's receive window is known. */
        CONNECTING,
        /** CONN/A2 sent, 200 and CONN/A3 sent; only CONN/C1 may come from the server. */
        WAIT_C1,
        /** Relaying server → client; the OUT response body is the PDU stream. */
        OPENED,
        /** Terminal: both legs closed, input discarded. */
        CLOSED
    }

    private final boolean replacement;
    private State state = State.WAIT_A1;
    private UUID outCookie;
    private FlowControl.Sender toClient;
    private final FlowControl.Receiver fromServer;
    private final ArrayDeque<RpchPdu> queue = new ArrayDeque<>();
    /** RPC PDU bytes in {@link #queue}, kept as it changes rather than counted per PDU. */
    private long queuedBytes;
    private long bytesToClient;
    private long lastClientWrite = System.nanoTime();
    /** Writes CONN/A2 (OUT_R1/A4) once the leg is up. */
    private Runnable afterConnect;

    OutboundProxy(ClientLeg client, Owner owner, String server, int port, boolean replacement, ProxySettings settings,
            BackendResolver resolver, ProxyMetrics metrics) {
        super(client, owner, server, port, settings, resolver, metrics);
        this.replacement = replacement;
        this.fromServer = new FlowControl.Receiver(settings.receiveWindow());
        metrics.activeOut.incrementAndGet();
    }

    @Override
    boolean opened() {
        return state == State.OPENED;
    }

    @Override
    void fromClient(RpchPdu pdu) {
        switch (state) {
            case WAIT_A1 -> first(pdu);
            // Only a replacement channel's body carries a second PDU: OUT_R1/A11 (R1, the client switched to this
            // channel) or OUT_R2/C1 (R2); both are 24 bytes and end the switch.
            case CONNECTING, WAIT_C1, OPENED -> expectClient(pdu, RtsPduKind.OUT_R1_A11, RtsPduKind.OUT_R2_C1);
            case CLOSED -> ReferenceCountUtil.release(pdu);
        }
    }

    /** The RTS PDU {@code pdu} if it is one of {@code kinds}; otherwise a protocol error and {@code null}. */
    private RtsMessage expectClient(RpchPdu pdu, RtsPduKind... kinds) {
        if (!(pdu instanceof RtsMessage rts)) {
            String type = pdu.toString();
            ReferenceCountUtil.release(pdu);
            protocolError("client", "OUT channel PDU: " + type + " (expected: RTS " + java.util.Arrays.stream(kinds)
                    .map(RtsPduKind::displayName).collect(java.util.stream.Collectors.joining(" or ")) + ")");
            return null;
        }
        try {
            RtsPduKind.expect(rts, kinds);
            return rts;
        } catch (RpchProtocolException e) {
            protocolError("client", e.getMessage());
            return null;
        }
    }

    /** CONN/A1 (OUT_R1/A3 on a replacement channel): the client's window and cookies, then the server leg. */
    private void first(RpchPdu pdu) {
        RtsMessage rts = expectClient(pdu, replacement ? RtsPduKind.OUT_R1_A3 : RtsPduKind.CONN_A1);
        if (rts == null) {
            return;
        }
        if (rts instanceof RtsMessage.OutR1A3 a3) {
            long version = Math.min(RtsCommand.Version.V1, a3.version());
            open(a3.virtualConnectionCookie(), a3.receiveWindowSize(), a3.successorChannelCookie(),
                    () -> new RtsMessage.OutR1A4(version, a3.virtualConnectionCookie(), a3.predecessorChannelCookie(),
                            outCookie, settings.channelLifetime(), settings.receiveWindow(),
                            settings.connectionTimeout().toMillis()));
        } else {
            RtsMessage.ConnA1 a1 = (RtsMessage.ConnA1) rts;
            long version = Math.min(RtsCommand.Version.V1, a1.version());
            open(a1.virtualConnectionCookie(), a1.receiveWindowSize(), a1.outChannelCookie(),
                    () -> new RtsMessage.ConnA2(version, a1.virtualConnectionCookie(), outCookie,
                            settings.channelLifetime(), settings.receiveWindow()));
        }
    }

    /** Claims {@code vc}, then opens the server leg with what {@code legOpening} builds (CONN/A2 or OUT_R1/A4). */
    private void open(UUID vc, long clientWindow, UUID channelCookie, Supplier<RtsMessage> legOpening) {
        if (!claim(vc)) {
            return; // before the leg's first PDU and the 200: the refusal is the OUT channel's only response
        }
        toClient = new FlowControl.Sender(clientWindow);
        outCookie = channelCookie;
        afterConnect = () -> writeServer(legOpening.get());
        state = State.CONNECTING;
        connectBackend();
    }

    @Override
    void connected() {
        // Per spec: CONN/A2 to the server, then the OUT channel response and CONN/A3 to the client.
        afterConnect.run();
        afterConnect = null; // used once; an idle channel need not keep the handshake's values
        backend.flush();
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(200, "Success"));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/rpc");
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, settings.channelLifetime());
        head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        head.headers().set(HttpHeaderNames.SERVER, "Anywhere");
        responded = true;
        clientChannel.write(head);
        if (replacement) {
            state = State.OPENED;
            handshakeDone();
        } else {
            writeClient(RpchCodec.encode(new RtsMessage.ConnA3(settings.connectionTimeout().toMillis()),
                    clientChannel.alloc()));
            state = State.WAIT_C1;
        }
        clientChannel.flush();
    }

    @Override
    void fromServer(RpchPdu pdu) {
        switch (state) {
            case WAIT_C1 -> connC1(pdu);
            case OPENED -> relay(pdu);
            // No leg yet, or closed: nothing to do with it.
            case WAIT_A1, CONNECTING, CLOSED -> ReferenceCountUtil.release(pdu);
        }
    }

    /** CONN/C1 from the server becomes CONN/C2 to the client: the virtual connection is open. */
    private void connC1(RpchPdu pdu) {
        if (!(pdu instanceof RtsMessage rts)) {
            String type = pdu.toString();
            ReferenceCountUtil.release(pdu);
            protocolError("server", "OUT leg PDU: " + type + " (expected: RTS CONN/C1)");
            return;
        }
        try {
            RtsPduKind.expect(rts, RtsPduKind.CONN_C1);
        } catch (RpchProtocolException e) {
            protocolError("server", e.getMessage());
            return;
        }
        // CONN/C2 carries CONN/C1's three values unchanged: the same record, the same bytes.
        writeClient(RpchCodec.encode(rts, clientChannel.alloc()));
        clientChannel.flush();
        state = State.OPENED;
        handshakeDone();
    }

    /** OPENED: RPC PDUs and RTS PDUs queue for the client in order; the client's acks are consumed here. */
    private void relay(RpchPdu pdu) {
        if (pdu instanceof RpcPduFrame frame) {
            int n = frame.content().readableBytes();
            if (!fromServer.received(n)) {
                log.debug("rpcproxy: server overran the OUT proxy's receive window of {}", fromServer.window());
            }
            queue.add(frame);
            queuedBytes += n;
        } else {
            if (pdu instanceof RtsMessage.FlowControlAck ack) {
                toClient.ack(ack.bytesReceived(), ack.availableWindow());
                metrics.acksProxyToClientReceived.increment();
            } else if (pdu instanceof RtsMessage.FlowControlAckWithDestination ack
                    && ack.destination() == ForwardDestination.OUT_PROXY) {
                toClient.ack(ack.bytesReceived(), ack.availableWindow());
                metrics.acksProxyToClientReceived.increment();
            } else {
                queue.add(pdu);
            }
        }
        drain();
    }

    /** Writes what both the client's window and the socket allow; acks the server; pauses the leg when behind. */
    private void drain() {
        boolean wrote = false;
        while (!queue.isEmpty() && clientChannel.isWritable()) {
            RpchPdu head = queue.peek();
            if (head instanceof RpcPduFrame frame) {
                int n = frame.content().readableBytes();
                if (!toClient.fits(n)) {
                    break;
                }
                queue.poll();
                queuedBytes -= n;
                toClient.sent(n);
                fromServer.consumed(n);
                metrics.bytesToClient.increment(n);
                writeClient(frame.content());
            } else {
                queue.poll();
                writeClient(RpchCodec.encode((RtsMessage) head, clientChannel.alloc()));
            }
            wrote = true;
        }
        if (wrote) {
            flushClient();
        }
        if (closed) {
            return;
        }
        if (fromServer.ackDue()) {
            writeServer(new RtsMessage.FlowControlAck(fromServer.bytesReceived(), fromServer.available(), outCookie));
            flushBackend();
            fromServer.acked();
            metrics.acksServerToProxySent.increment();
        }
        // Keep reading the server leg while the client is behind: the acks that reopen the client's window come from
        // it. The server's own window (acked only for bytes written on) bounds the queue; a server that ignores it is
        // paused once a whole window is queued.
        autoRead(backend, clientChannel.isWritable() && queuedBytes <= fromServer.window());
    }

    /**
     * One piece of the OUT response body; closes the channel rather than exceed the announced Content-Length. The
     * response head announced a Content-Length, so the HTTP encoder passes a bare ByteBuf through as body bytes: no
     * HttpContent wrapper per PDU.
     */
    private void writeClient(ByteBuf bytes) {
        bytesToClient += bytes.readableBytes();
        if (bytesToClient > settings.channelLifetime()) {
            bytes.release();
            log.info("rpcproxy: OUT channel lifetime of {} bytes exhausted without recycling", settings.channelLifetime());
            close("channel lifetime exhausted");
            return;
        }
        lastClientWrite = System.nanoTime();
        clientChannel.write(bytes, clientChannel.voidPromise());
    }

    @Override
    public void tick() {
        super.tick();
        if (state == State.OPENED && !closed
                && TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastClientWrite) >= settings.keepAlive().toMillis()) {
            // Per spec the outbound proxy pings an idle OUT channel and tells the server how many bytes that cost.
            writeClient(RpchCodec.encode(PING, clientChannel.alloc()));
            clientChannel.flush();
            metrics.pingsSent.increment();
            if (!closed) {
                writeServer(PING_TRAFFIC_SENT);
                backend.flush();
            }
        }
    }

    /**
     * An OUT channel is never closed for silence: its Pings keep the client's connection busy and a dead client shows
     * as a write error; it ends with its server leg (the server drops the virtual connection when the IN channel goes).
     */
    @Override
    long lastActivity() {
        return System.nanoTime();
    }

    @Override
    void clientWritabilityChanged() {
        if (state == State.OPENED && !closed) {
            drain();
        }
    }

    @Override
    void serverWritabilityChanged() {
    }

    /** The last PDUs relayed (the server's final answer before it ended the virtual connection) go out first. */
    @Override
    void closeClient() {
        closeClientAfterWrites();
    }

    @Override
    void released() {
        state = State.CLOSED;
        queue.forEach(ReferenceCountUtil::release);
        queue.clear();
        queuedBytes = 0;
        metrics.activeOut.decrementAndGet();
    }
}
