package dev.anywhere.server.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP connection to the gateway: hands each request to the route that owns its path and each chunk of its
 * body to what the route returned. Bodies are never buffered here, except while a logon or an answer waits for the
 * directory ({@link PendingWork}): then the connection is not read, what the decoder already produced is held in order, and
 * it is handed on, on the event loop, once the work is decided.
 */
final class GatewayHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);

    private final List<GatewayRoute> routes;
    private final GatewayConnection connection;
    private final ConnectionDeadlines deadlines;
    private RequestBody body;
    /** The body that got chunks in this read batch (still set if its last chunk ended it). */
    private RequestBody reading;
    /** The directory work the connection waits for, and what arrived meanwhile. */
    private PendingWork pending;
    private final ArrayDeque<Object> held = new ArrayDeque<>();

    GatewayHandler(List<GatewayRoute> routes, MeterRegistry metrics, ConnectionDeadlines deadlines) {
        this.routes = routes;
        this.connection = new GatewayConnection(metrics);
        this.deadlines = deadlines;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (pending != null) {
            held.add(msg);
            return;
        }
        dispatch(ctx, msg);
    }

    private void dispatch(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                body = request.decoderResult().isFailure()
                        ? undecodable(ctx, request)
                        : RequestConformance.check(request)
                                .map(v -> connection.refuse(ctx, request, "none", v.outcome(), v.response()))
                                .orElseGet(() -> route(ctx, request));
                if (body instanceof PendingWork p) {
                    await(ctx, p);
                    if (msg instanceof HttpContent content) {
                        // A request and its content in one object: hold the content alone, for after the logon.
                        held.add(content instanceof LastHttpContent ? new DefaultLastHttpContent(content.content().retain())
                                : new DefaultHttpContent(content.content().retain()));
                    }
                    return;
                }
            } else if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
                badBody(ctx, content);
                return;
            }
            if (msg instanceof HttpContent content) {
                if (body != null) {
                    reading = body;
                    body.content(ctx, content);
                }
                if (msg instanceof LastHttpContent) {
                    body = null;
                }
                PendingWork deferred = connection.takeDeferred();
                if (deferred != null) {
                    await(ctx, deferred);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Stops reading until the work is decided; already decoded messages are held by {@link #channelRead}. */
    private void await(ChannelHandlerContext ctx, PendingWork p) {
        pending = p;
        body = null;
        ctx.channel().config().setAutoRead(false);
        deadlines.gatewayWaits(true); // the directory's time is not the client's
        p.work().whenComplete((r, e) -> {
            try {
                ctx.executor().execute(() -> resume(ctx, p));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the gateway is shutting down; the connection goes with it
            }
        });
    }

    /** On the event loop: answers the request, hands on what was held, in order, and reads again. */
    private void resume(ChannelHandlerContext ctx, PendingWork p) {
        if (pending != p) {
            return;
        }
        pending = null;
        deadlines.gatewayWaits(false);
        if (!ctx.channel().isActive()) {
            releaseHeld();
            return;
        }
        // Reading resumes only after this task: the held messages go first, and a route that turns reading off
        // again while they are handed on (the proxy's back-pressure, another pending logon) has the last word.
        ctx.channel().config().setAutoRead(true);
        body = p.decided();
        while (pending == null && !held.isEmpty()) {
            dispatch(ctx, held.poll());
        }
        if (pending == null) {
            flushReading();
        }
    }

    private void releaseHeld() {
        Object m;
        while ((m = held.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushReading();
        ctx.fireChannelReadComplete();
    }

    private void flushReading() {
        if (reading != null) {
            RequestBody b = reading;
            reading = null;
            b.readComplete();
        }
    }

    /**
     * A head the decoder could not take: 414 for a request line above its limit, 431 for header fields above theirs
     * (RFC 9112 3, RFC 9110 15.5.15, RFC 6585 5), 400 for the rest.
     */
    private RequestBody undecodable(ChannelHandlerContext ctx, HttpRequest request) {
        Throwable cause = request.decoderResult().cause();
        if (cause instanceof TooLongHttpLineException) {
            return connection.refuse(ctx, request, "none", "too_long", HttpResponses.status(new HttpResponseStatus(414, "URI Too Long"),
                    "the request line is longer than " + Gateway.MAX_INITIAL_LINE + " bytes\r\n"));
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return connection.refuse(ctx, request, "none", "too_long", HttpResponses.status(
                    HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "the header fields are longer than " + Gateway.MAX_HEADER_SIZE
                            + " bytes\r\n"));
        }
        return connection.refuse(ctx, request, "none", "invalid", HttpResponses.status(HttpResponseStatus.BAD_REQUEST,
                "bad request: " + cause.getMessage() + "\r\n"));
    }

    /**
     * The decoder gave up inside a body (a bad chunk size, say): the framing is lost, so the connection ends, with a
     * 400 when nothing was answered yet.
     */
    private void badBody(ChannelHandlerContext ctx, HttpContent content) {
        connection.count("none", "invalid");
        if (deadlines.answered()) {
            ctx.close();
        } else {
            HttpResponses.send(ctx, HttpResponses.status(HttpResponseStatus.BAD_REQUEST,
                    "bad request: " + content.decoderResult().cause().getMessage() + "\r\n"), false);
        }
    }

    private RequestBody route(ChannelHandlerContext ctx, HttpRequest request) {
        String path = pathOf(request.uri());
        for (GatewayRoute r : routes) {
            if (r.owns(path)) {
                return r.begin(ctx, request, connection);
            }
        }
        return connection.notFound(ctx, request);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        pending = null;
        releaseHeld();
        if (body != null) {
            body.closed();
            body = null;
        }
        super.channelInactive(ctx);
    }

    /** The lower-cased path of an origin-form or absolute-form request target. */
    static String pathOf(String uri) {
        String path = uri;
        if (!uri.startsWith("/")) {
            try {
                path = Optional.ofNullable(URI.create(uri).getRawPath()).orElse("");
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        int q = path.indexOf('?');
        return (q < 0 ? path : path.substring(0, q)).toLowerCase(Locale.ROOT);
    }

    /** The raw query of an origin-form or absolute-form request target, empty when there is none. */
    static String queryOf(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? "" : uri.substring(q + 1);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("gateway: closing connection after error", cause);
        ctx.close();
    }
}
