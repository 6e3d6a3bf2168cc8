package dev.anywhere.server.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ListenerLimits} on one connection: the cap at accept, then one deadline at a time for the phase the
 * connection is in. Two handlers share this state: {@link #front} first in the pipeline (accept, raw bytes: the first
 * byte of a next request) and {@link #exchanges} right after the HTTP codec (request heads and ends, the end of the
 * handshake, the end of each response). Everything runs on the channel's event loop; a deadline is a task scheduled
 * there, so nothing waits.
 */
final class ConnectionDeadlines {

    private static final Logger log = LoggerFactory.getLogger(ConnectionDeadlines.class);

    /** Which deadline runs: the phases of a connection. */
    enum Phase {
        /** From accept until the TLS handshake ends (or the first bytes show plain HTTP). */
        HANDSHAKE("tls_handshake"),
        /** A request is arriving: from its first byte (or the handshake's end) until its head, or its whole body. */
        REQUEST("request_header"),
        /** The gateway works on a response, or an RPC channel streams: the proxy's own rules apply. */
        BUSY(null),
        /** Between a finished exchange and the next request's first byte. */
        KEEP_ALIVE("keep_alive");

        final String metric;

        Phase(String metric) {
            this.metric = metric;
        }
    }

    /** What all connections of one listener share: limits, the count of open connections, meters. */
    static final class Listener {
        private final ListenerLimits limits;
        private final boolean tls;
        private final AtomicInteger open = new AtomicInteger();
        private final Counter refused;
        private final Map<Phase, Counter> timeouts = new EnumMap<>(Phase.class);

        Listener(ListenerLimits limits, boolean tls, MeterRegistry metrics) {
            this.limits = limits;
            this.tls = tls;
            Gauge.builder("anywhere.gateway.connections.open", open, AtomicInteger::get).register(metrics);
            this.refused = metrics.counter("anywhere.gateway.connections.refused", "reason", "limit");
            for (Phase p : Phase.values()) {
                if (p.metric != null) {
                    timeouts.put(p, metrics.counter("anywhere.gateway.connections.timeouts", "timeout", p.metric));
                }
            }
        }

        private Duration timeout(Phase phase) {
            return switch (phase) {
                case HANDSHAKE -> limits.tlsHandshakeTimeout();
                case REQUEST -> limits.requestHeaderTimeout();
                case KEEP_ALIVE -> limits.keepAliveTimeout();
                case BUSY -> null;
            };
        }
    }

    private final Listener listener;
    final Front front = new Front();
    final Exchanges exchanges = new Exchanges();

    private Channel channel;
    private Phase phase;
    private ScheduledFuture<?> deadline;
    private boolean counted;
    private boolean closed;
    /** TLS handshake done, or the connection turned out to be plain HTTP. */
    private boolean secured;
    /** Bytes arrived (or the handshake ended) since the last request head: a request is on its way. */
    private boolean requestPending;
    private long requests;
    private long requestsEnded;
    private long responsesEnded;
    /** The latest request opens an RPC channel: its body is the channel's stream, not the listener's to time. */
    private boolean latestIsChannel;
    /** The last response head written was informational (100 Continue): its end does not end the exchange. */
    private boolean informational;
    /** A final response head went out for the latest request. */
    private boolean answered;
    /** The gateway stopped reading while it waits for a logon: nothing the client sends can arrive. */
    private boolean gatewayWaits;

    ConnectionDeadlines(Listener listener) {
        this.listener = listener;
    }

    /** Whether the gateway already sent a final response head for the request being read. */
    boolean answered() {
        return answered;
    }

    /** The gateway stops (true) or resumes (false) reading the connection; a running request deadline restarts after. */
    void gatewayWaits(boolean waits) {
        gatewayWaits = waits;
        settle();
    }

    private void settle() {
        if (closed) {
            return;
        }
        Phase next;
        if (!secured) {
            next = Phase.HANDSHAKE;
        } else if (gatewayWaits) {
            next = Phase.BUSY;
        } else if (requestsEnded < requests) {
            // A channel's body streams while its response is open; a body still arriving after its answer is a drain.
            next = latestIsChannel && responsesEnded < requests ? Phase.BUSY : Phase.REQUEST;
        } else if (responsesEnded < requests) {
            next = Phase.BUSY;
        } else {
            next = requestPending ? Phase.REQUEST : Phase.KEEP_ALIVE;
        }
        if (next == phase) {
            return; // a running deadline keeps running: the whole request head counts, not each read
        }
        phase = next;
        cancel();
        Duration timeout = listener.timeout(next);
        if (timeout != null) {
            deadline = channel.eventLoop().schedule(() -> expire(next), timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void expire(Phase armed) {
        if (closed || phase != armed) {
            return;
        }
        listener.timeouts.get(armed).increment();
        log.debug("gateway: closing {} after its {} timeout", channel.remoteAddress(), armed.metric);
        channel.close(); // through the whole pipeline: a TLS connection gets its close_notify
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /**
     * An RPC_IN_DATA / RPC_OUT_DATA that opens a channel (by its Content-Length, as RpcProxyRoute classifies it); an
     * echo's few body bytes are timed like any other body.
     */
    static boolean opensChannel(HttpRequest request) {
        boolean in = request.method().equals(RpcProxyRoute.RPC_IN_DATA);
        if (!in && !request.method().equals(RpcProxyRoute.RPC_OUT_DATA)) {
            return false;
        }
        return RpcProxyRequest.classify(in, GatewayConnection.contentLength(request)).filter(k -> k != RpcProxyRequest.ECHO).isPresent();
    }

    /** First in the pipeline: counts the connection against the cap and sees every byte before TLS and HTTP do. */
    final class Front extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            if (listener.open.incrementAndGet() > listener.limits.maxConnections()) {
                listener.open.decrementAndGet();
                listener.refused.increment();
                closed = true;
                // Before any byte: no handshake is spent on a connection that would be refused anyway.
                ctx.close();
                return;
            }
            counted = true;
            secured = !listener.tls;
            requestPending = true;
            settle();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (closed) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            requestPending = true;
            settle();
            ctx.fireChannelRead(msg);
            if (!secured && ctx.pipeline().get(OptionalSslHandler.class) == null && ctx.pipeline().get(SslHandler.class) == null) {
                secured = true; // the first bytes were plain HTTP
                settle();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            closed = true;
            cancel();
            if (counted) {
                counted = false;
                listener.open.decrementAndGet();
            }
            super.channelInactive(ctx);
        }
    }

    /** After the HTTP codec: request heads and ends, the handshake's end, and when each response has been written. */
    final class Exchanges extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                requests++;
                requestPending = false;
                answered = false;
                latestIsChannel = opensChannel(request);
            }
            if (msg instanceof LastHttpContent) {
                requestsEnded++;
            }
            settle();
            ctx.fireChannelRead(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                secured = true;
                requestPending = true; // the first request's deadline starts now
                settle();
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response) {
                informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
                answered |= !informational;
            }
            if (msg instanceof LastHttpContent && !informational) {
                ChannelPromise p = promise.unvoid();
                p.addListener(f -> {
                    if (f.isSuccess()) {
                        responsesEnded++;
                        settle();
                    }
                });
                ctx.write(msg, p);
                return;
            }
            ctx.write(msg, promise);
        }
    }
}
