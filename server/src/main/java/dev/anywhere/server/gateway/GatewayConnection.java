package dev.anywhere.server.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;

/** What the routes share about one TCP connection: its authentication state, TLS, and how to refuse. */
final class GatewayConnection {

    /** Bodies up to this size are read and dropped to keep the connection after a refusal. */
    static final long DRAIN_LIMIT = 64 * 1024;

    private final HttpAuthenticator.Connection auth = new HttpAuthenticator.Connection();
    private final MeterRegistry metrics;
    private PendingWork deferred;

    GatewayConnection(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    HttpAuthenticator.Connection auth() {
        return auth;
    }

    MeterRegistry metrics() {
        return metrics;
    }

    static boolean tls(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(SslHandler.class) != null;
    }

    void count(String route, String outcome) {
        metrics.counter("anywhere.gateway.requests", "route", route, "outcome", outcome).increment();
    }

    /** Answers a request without serving it; keeps the connection only when its body is small enough to drop. */
    RequestBody refuse(ChannelHandlerContext ctx, HttpRequest request, String route, String outcome, FullHttpResponse response) {
        // Without Content-Length or Transfer-Encoding a request has no body (RFC 9110 8.6).
        long length = request.headers().contains(HttpHeaderNames.CONTENT_LENGTH) ? contentLength(request)
                : HttpUtil.isTransferEncodingChunked(request) ? -1 : 0;
        boolean keepAlive = HttpUtil.isKeepAlive(request) && length >= 0 && length <= DRAIN_LIMIT
                && response.protocolVersion().equals(HttpVersion.HTTP_1_1);
        count(route, outcome);
        HttpResponses.send(ctx, response, keepAlive);
        return RequestBody.DISCARD;
    }

    /**
     * Continues a request once its logon is decided: 401 with the challenges, 503 with Retry-After when the
     * directory did not answer in time, else {@code then}. A logon still waiting for the directory gives a
     * {@link PendingWork}, which the handler resolves on the event loop.
     */
    RequestBody afterLogon(ChannelHandlerContext ctx, HttpRequest request, String route,
            java.util.concurrent.CompletableFuture<HttpAuthenticator.Result> logon,
            java.util.function.Function<HttpAuthenticator.Authenticated, RequestBody> then) {
        java.util.function.Function<HttpAuthenticator.Result, RequestBody> decide = result -> {
            if (result instanceof HttpAuthenticator.Challenge challenge) {
                FullHttpResponse r = HttpResponses.status(HttpResponseStatus.UNAUTHORIZED, "");
                challenge.wwwAuthenticate().forEach(v -> r.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, v));
                return refuse(ctx, request, route, "unauthorized", r);
            }
            if (result instanceof HttpAuthenticator.Unavailable) {
                // Not 401: the credentials may be right. The reason (slow, unreachable) is in the log and the event.
                FullHttpResponse r = HttpResponses.status(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "the directory did not answer the logon in time; try again shortly\r\n");
                r.headers().setInt(HttpHeaderNames.RETRY_AFTER, LogonSettings.RETRY_AFTER_SECONDS);
                return refuse(ctx, request, route, "directory_unavailable", r);
            }
            return then.apply((HttpAuthenticator.Authenticated) result);
        };
        PendingWork pending = new PendingWork(logon, () -> decide.apply(resultOf(logon)));
        return logon.isDone() ? pending.decided() : pending;
    }

    RequestBody notFound(ChannelHandlerContext ctx, HttpRequest request) {
        return refuse(ctx, request, "none", "not_found", HttpResponses.status(HttpResponseStatus.NOT_FOUND, "not found\r\n"));
    }

    /** The logon's result; a logon that failed unexpectedly counts as unanswered (503), never as a refusal. */
    private static HttpAuthenticator.Result resultOf(java.util.concurrent.CompletableFuture<HttpAuthenticator.Result> logon) {
        try {
            return logon.join();
        } catch (RuntimeException e) {
            return new HttpAuthenticator.Unavailable("logon failed: " + e.getMessage());
        }
    }

    /**
     * Holds the connection until {@code work} is done: the route that cannot answer a request before the directory
     * has (an Autodiscover answer) hands its work here from inside a body chunk, and the handler takes it after.
     */
    void defer(PendingWork work) {
        if (deferred != null) {
            throw new IllegalStateException("deferred: a second piece of work for one request");
        }
        deferred = work;
    }

    /** The work a route deferred while handling the last message, if any; the connection forgets it. */
    PendingWork takeDeferred() {
        PendingWork w = deferred;
        deferred = null;
        return w;
    }

    /** The Content-Length as a number, or -1 when absent or not a plain decimal. */
    static long contentLength(HttpRequest request) {
        String value = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        if (value == null || value.isEmpty() || value.length() > 12) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!Character.isDigit(value.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(value);
    }
}
