package dev.anywhere.server.gateway.rpch;

import dev.anywhere.rpc.rpch.ForwardDestination;
import dev.anywhere.rpc.rpch.RpcPduFrame;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RpchProtocolException;
import dev.anywhere.rpc.rpch.RtsCommand;
import dev.anywhere.rpc.rpch.RtsPdu;
import dev.anywhere.rpc.rpch.RtsPduKind;
import dev.anywhere.rpc.rpch.RtsPdus;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
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
    void fromClient(Object pdu) {
        switch (state) {
            case WAIT_A1 -> first(pdu);
            // Only a replacement channel's body carries a second PDU: OUT_R1/A11 (R1, the client switched to this
            // channel) or OUT_R2/C1 (R2); both are 24 bytes and end the switch.
            case CONNECTING, WAIT_C1, OPENED -> expectClient(pdu, RtsPduKind.OUT_R1_A11, RtsPduKind.OUT_R2_C1);
            case CLOSED -> ReferenceCountUtil.release(pdu);
        }
    }

    /** The RTS PDU {@code pdu} if it is one of {@code kinds}; otherwise a protocol error and {@code null}. */
    private RtsPdu expectClient(Object pdu, RtsPduKind... kinds) {
        if (!(pdu instanceof RtsPdu rts)) {
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
    private void first(Object pdu) {
        RtsPdu rts = expectClient(pdu, replacement ? RtsPduKind.OUT_R1_A3 : RtsPduKind.CONN_A1);
        if (rts == null) {
            return;
        }
        List<RtsCommand.Cookie> cookies = rts.all(RtsCommand.Cookie.class);
        UUID vc = cookies.get(0).cookie();
        if (!claim(vc)) {
            return; // before CONN/A2 and the 200: the refusal is the OUT channel's only response
        }
        long version = Math.min(RtsCommand.Version.V1, rts.first(RtsCommand.Version.class).orElseThrow().version());
        long window = rts.first(RtsCommand.ReceiveWindowSize.class).orElseThrow().size();
        toClient = new FlowControl.Sender(window);
        state = State.CONNECTING;
        if (replacement) {
            UUID predecessor = cookies.get(1).cookie();
            outCookie = cookies.get(2).cookie();
            afterConnect = () -> writeServer(RtsPdus.outR1A4(version, vc, predecessor, outCookie, settings.channelLifetime(),
                    settings.receiveWindow(), settings.connectionTimeout().toMillis()));
        } else {
            outCookie = cookies.get(1).cookie();
            afterConnect = () -> writeServer(RtsPdus.connA2(version, vc, outCookie, settings.channelLifetime(), settings.receiveWindow()));
        }
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
            writeClient(RpchCodec.encode(RtsPdus.connA3(settings.connectionTimeout().toMillis()), clientChannel.alloc()));
            state = State.WAIT_C1;
        }
        clientChannel.flush();
    }

    @Override
    void fromServer(Object pdu) {
        switch (state) {
            case WAIT_C1 -> connC1(pdu);
            case OPENED -> relay(pdu);
            // No leg yet, or closed: nothing to do with it.
            case WAIT_A1, CONNECTING, CLOSED -> ReferenceCountUtil.release(pdu);
        }
    }

    /** CONN/C1 from the server becomes CONN/C2 to the client: the virtual connection is open. */
    private void connC1(Object pdu) {
        if (!(pdu instanceof RtsPdu rts)) {
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
        // CONN/C2 carries CONN/C1's three values unchanged.
        writeClient(RpchCodec.encode(RtsPdus.connC2(rts.first(RtsCommand.Version.class).orElseThrow().version(),
                rts.first(RtsCommand.ReceiveWindowSize.class).orElseThrow().size(),
                rts.first(RtsCommand.ConnectionTimeout.class).orElseThrow().millis()), clientChannel.alloc()));
        clientChannel.flush();
        state = State.OPENED;
        handshakeDone();
    }

    /** OPENED: RPC PDUs and RTS PDUs queue for the client in order; the client's acks are consumed here. */
    private void relay(Object pdu) {
        if (pdu instanceof RpcPduFrame frame) {
            int n = frame.content().readableBytes();
            if (!fromServer.received(n)) {
                log.debug("rpcproxy: server overran the OUT proxy's receive window of {}", fromServer.window());
            }
            queue.add(frame);
            queuedBytes += n;
        } else {
            RtsPdu rts = (RtsPdu) pdu;
            if (RtsPduKind.FLOW_CONTROL_ACK.matches(rts) || (RtsPduKind.FLOW_CONTROL_ACK_WITH_DESTINATION.matches(rts)
                    && rts.first(RtsCommand.Destination.class).orElseThrow().destination() == ForwardDestination.OUT_PROXY)) {
                RtsCommand.FlowControlAck ack = rts.first(RtsCommand.FlowControlAck.class).orElseThrow();
                toClient.ack(ack.bytesReceived(), ack.availableWindow());
                metrics.ack("proxy_to_client", "received");
            } else {
                queue.add(rts);
            }
        }
        drain();
    }

    /** Writes what both the client's window and the socket allow; acks the server; pauses the leg when behind. */
    private void drain() {
        boolean wrote = false;
        while (!queue.isEmpty() && clientChannel.isWritable()) {
            Object head = queue.peek();
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
                writeClient(RpchCodec.encode((RtsPdu) head, clientChannel.alloc()));
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
            writeServer(RtsPdus.flowControlAck(fromServer.bytesReceived(), fromServer.available(), outCookie));
            flushBackend();
            fromServer.acked();
            metrics.ack("server_to_proxy", "sent");
        }
        // Keep reading the server leg while the client is behind: the acks that reopen the client's window come from
        // it. The server's own window (acked only for bytes written on) bounds the queue; a server that ignores it is
        // paused once a whole window is queued.
        backend.config().setAutoRead(clientChannel.isWritable() && queuedBytes <= fromServer.window());
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
        clientChannel.write(bytes);
    }

    @Override
    public void tick() {
        super.tick();
        if (state == State.OPENED && !closed
                && TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastClientWrite) >= settings.keepAlive().toMillis()) {
            // Per spec the outbound proxy pings an idle OUT channel and tells the server how many bytes that cost.
            writeClient(RpchCodec.encode(RtsPdus.ping(), clientChannel.alloc()));
            clientChannel.flush();
            metrics.pingsSent.increment();
            if (!closed) {
                writeServer(RtsPdus.pingTrafficSentNotify(20));
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

    @Override
    void released() {
        state = State.CLOSED;
        queue.forEach(ReferenceCountUtil::release);
        queue.clear();
        queuedBytes = 0;
        metrics.activeOut.decrementAndGet();
    }
}
