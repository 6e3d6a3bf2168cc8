package dev.anywhere.server.gateway;

import dev.anywhere.server.config.RpcVdirConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP connection to the gateway: routes each request by path and answers {@code /rpc/rpcproxy.dll} (and
 * {@code /rpcwithcert/rpcproxy.dll}) as RpcProxy does, following the applied /rpc configuration.
 *
 * <p>Request bodies are never buffered: echo bodies are at most 16 bytes; the body of a refused request is drained
 * when small or the connection is closed after the answer.
 *
 * @see [MS-RPCH] 3.2.3.5 RPC over HTTP proxy: message processing
 */
final class GatewayHandler extends ChannelInboundHandlerAdapter {

    static final HttpMethod RPC_IN_DATA = HttpMethod.valueOf("RPC_IN_DATA");
    static final HttpMethod RPC_OUT_DATA = HttpMethod.valueOf("RPC_OUT_DATA");
    /** Bodies up to this size are read and dropped to keep the connection after a refusal. */
    static final long DRAIN_LIMIT = 64 * 1024;
    /** RPC_S_SERVER_UNAVAILABLE, what RpcProxy says for a target it may not or cannot reach. */
    static final int RPC_S_SERVER_UNAVAILABLE = 0x6ba;
    /** The RTS Echo PDU: flags ECHO (0x0040), no commands. @see [MS-RPCH] 2.2.4.47 Echo Response */
    static final byte[] ECHO_PDU = {5, 0, 20, 3, 16, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0};

    private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);

    private final AppliedConfigWatcher config;
    private final HttpAuthenticator authenticator;
    private final MeterRegistry metrics;

    /** What to do with the body of the current request. */
    private enum BodyMode {
        /** No request in progress. */
        IDLE,
        /** An echo request whose tiny body ends in the echo response. */
        ECHO,
        /** A refused request whose body is dropped; the answer was sent already. */
        DISCARD
    }

    private final HttpAuthenticator.Connection authState = new HttpAuthenticator.Connection();
    private BodyMode mode = BodyMode.IDLE;
    private boolean keepAliveAfterEcho;

    GatewayHandler(AppliedConfigWatcher config, HttpAuthenticator authenticator, MeterRegistry metrics) {
        this.config = config;
        this.authenticator = authenticator;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                if (request.decoderResult().isFailure()) {
                    respond(ctx, "invalid", HttpResponses.status(HttpResponseStatus.BAD_REQUEST,
                            "bad request: " + request.decoderResult().cause().getMessage() + "\r\n"), false);
                    mode = BodyMode.DISCARD;
                    return;
                }
                onRequest(ctx, request);
            }
            if (msg instanceof HttpContent content && msg instanceof LastHttpContent) {
                onLastContent(ctx);
            } else if (msg instanceof HttpContent && mode == BodyMode.IDLE) {
                log.debug("gateway: unexpected body data");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onLastContent(ChannelHandlerContext ctx) {
        if (mode == BodyMode.ECHO) {
            sendEcho(ctx, keepAliveAfterEcho);
        }
        mode = BodyMode.IDLE;
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
        String path = pathOf(request.uri());
        if (path.equals("/rpc/rpcproxy.dll") || path.equals("/rpcwithcert/rpcproxy.dll")) {
            onRpcProxy(ctx, request);
        } else {
            refuse(ctx, request, "not_found", HttpResponses.status(HttpResponseStatus.NOT_FOUND, "not found\r\n"));
        }
    }

    private void onRpcProxy(ChannelHandlerContext ctx, HttpRequest request) {
        RpcVdirConfig applied = config.current();
        if (!applied.enabled()) {
            refuse(ctx, request, "disabled", HttpResponses.status(HttpResponseStatus.NOT_FOUND,
                    "Outlook Anywhere is not enabled on this server\r\n"));
            return;
        }
        boolean tls = ctx.pipeline().get(SslHandler.class) != null;
        if (applied.requireSsl() && !tls) {
            // IIS answers 403.4 when the virtual directory requires SSL and the request came in plain.
            refuse(ctx, request, "ssl_required", HttpResponses.status(HttpResponseStatus.FORBIDDEN,
                    "403.4 Forbidden: SSL is required to view this resource\r\n"));
            return;
        }
        boolean inData = request.method().equals(RPC_IN_DATA);
        if (!inData && !request.method().equals(RPC_OUT_DATA)) {
            FullHttpResponse r = HttpResponses.status(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method " + request.method() + " is not allowed (expected: RPC_IN_DATA or RPC_OUT_DATA)\r\n");
            r.headers().set(HttpHeaderNames.ALLOW, "RPC_IN_DATA, RPC_OUT_DATA");
            refuse(ctx, request, "method_not_allowed", r);
            return;
        }
        long length = contentLength(request);
        if (length < 0) {
            refuse(ctx, request, "bad_length", HttpResponses.status(HttpResponseStatus.BAD_REQUEST,
                    "content-length: " + Optional.ofNullable(request.headers().get(HttpHeaderNames.CONTENT_LENGTH)).orElse("absent")
                            + " (expected: 0..16 for echo, 76 or 120 for RPC_OUT_DATA, 128 KiB..2 GiB for RPC_IN_DATA)\r\n"));
            return;
        }
        HttpAuthenticator.Result auth = authenticator.authenticate(request, applied.authentication(), authState);
        if (auth instanceof HttpAuthenticator.Challenge challenge) {
            FullHttpResponse r = HttpResponses.status(HttpResponseStatus.UNAUTHORIZED, "");
            challenge.wwwAuthenticate().forEach(v -> r.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, v));
            refuse(ctx, request, "unauthorized", r);
            return;
        }
        Optional<RpcProxyRequest> kind = RpcProxyRequest.classify(inData, length);
        if (kind.isEmpty()) {
            refuse(ctx, request, "bad_length", HttpResponses.status(HttpResponseStatus.BAD_REQUEST, "content-length: " + length
                    + " (expected: 0..16 for echo, 76 or 120 for RPC_OUT_DATA, 128 KiB..2 GiB for RPC_IN_DATA)\r\n"));
            return;
        }
        if (kind.get() == RpcProxyRequest.ECHO) {
            count("echo");
            keepAliveAfterEcho = HttpUtil.isKeepAlive(request);
            if (length == 0) {
                sendEcho(ctx, keepAliveAfterEcho);
                mode = BodyMode.DISCARD;
            } else {
                sendContinueIfExpected(ctx, request);
                mode = BodyMode.ECHO;
            }
            return;
        }
        String query = queryOf(request.uri());
        Optional<RpcProxyRequest.Target> target = RpcProxyRequest.Target.parse(query);
        if (target.isEmpty()) {
            refuse(ctx, request, "bad_target", HttpResponses.status(HttpResponseStatus.BAD_REQUEST,
                    "query: '" + query + "' (expected: server:port)\r\n"));
            return;
        }
        if (!applied.validPorts().permits(target.get().server(), target.get().port())) {
            log.info("gateway: refused {}:{} for {}: not in ValidPorts", target.get().server(), target.get().port(),
                    ((HttpAuthenticator.Authenticated) auth).user());
            refuse(ctx, request, "port_refused", HttpResponses.rpcError(RPC_S_SERVER_UNAVAILABLE));
            return;
        }
        // Relaying IN and OUT channels to the endpoints is the RPC over HTTP proxy's job (see docs/standards.md).
        log.info("gateway: {} to {}:{} permitted, but this gateway does not relay channels yet", kind.get(),
                target.get().server(), target.get().port());
        refuse(ctx, request, "not_relayed", HttpResponses.rpcError(RPC_S_SERVER_UNAVAILABLE));
    }

    private void sendEcho(ChannelHandlerContext ctx, boolean keepAlive) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(200, "Success"),
                Unpooled.wrappedBuffer(ECHO_PDU));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/rpc");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, ECHO_PDU.length);
        r.headers().set(HttpHeaderNames.SERVER, HttpResponses.SERVER);
        HttpResponses.send(ctx, r, keepAlive);
    }

    private static void sendContinueIfExpected(ChannelHandlerContext ctx, HttpRequest request) {
        if (HttpUtil.is100ContinueExpected(request)) {
            // Its own write: impacket drops whatever else arrives in the same read as the 100.
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
    }

    /** Answers a request without serving it; keeps the connection only when its body is small enough to drop. */
    private void refuse(ChannelHandlerContext ctx, HttpRequest request, String outcome, FullHttpResponse response) {
        // Without Content-Length or Transfer-Encoding a request has no body (RFC 9110 8.6).
        long length = request.headers().contains(HttpHeaderNames.CONTENT_LENGTH) ? contentLength(request)
                : HttpUtil.isTransferEncodingChunked(request) ? -1 : 0;
        boolean keepAlive = HttpUtil.isKeepAlive(request) && length >= 0 && length <= DRAIN_LIMIT
                && response.protocolVersion().equals(HttpVersion.HTTP_1_1) && response.status().code() != 503;
        mode = BodyMode.DISCARD;
        respond(ctx, outcome, response, keepAlive);
    }

    private void respond(ChannelHandlerContext ctx, String outcome, FullHttpResponse response, boolean keepAlive) {
        count(outcome);
        HttpResponses.send(ctx, response, keepAlive);
    }

    private void count(String outcome) {
        metrics.counter("anywhere.gateway.rpcproxy.requests", "outcome", outcome).increment();
    }

    private static long contentLength(HttpRequest request) {
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
