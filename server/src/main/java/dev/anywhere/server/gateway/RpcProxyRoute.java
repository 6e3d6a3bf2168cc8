package dev.anywhere.server.gateway;

import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.gateway.rpch.ClientLeg;
import dev.anywhere.server.gateway.rpch.ProxyChannel;
import dev.anywhere.server.gateway.rpch.RpcProxy;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
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
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /rpc/rpcproxy.dll} and {@code /rpcwithcert/rpcproxy.dll}: RpcProxy's answers, following the applied /rpc
 * configuration.
 *
 * @see [MS-RPCH] 3.2.3.5 RPC over HTTP proxy: message processing
 */
final class RpcProxyRoute implements GatewayRoute {

    static final HttpMethod RPC_IN_DATA = HttpMethod.valueOf("RPC_IN_DATA");
    static final HttpMethod RPC_OUT_DATA = HttpMethod.valueOf("RPC_OUT_DATA");
    /** RPC_S_SERVER_UNAVAILABLE, what RpcProxy says for a target it may not or cannot reach. */
    static final int RPC_S_SERVER_UNAVAILABLE = 0x6ba;
    /** The RTS Echo PDU: flags ECHO (0x0040), no commands. @see [MS-RPCH] 2.2.4.48 Echo RTS PDU */
    static final byte[] ECHO_PDU = dev.anywhere.rpc.rpch.RpchCodec.toBytes(dev.anywhere.rpc.rpch.RtsPdus.echo());
    private static final String ROUTE = "rpc";

    private static final Logger log = LoggerFactory.getLogger(RpcProxyRoute.class);

    private final AppliedConfigWatcher config;
    private final HttpAuthenticator authenticator;
    private final RpcProxy proxy;

    RpcProxyRoute(AppliedConfigWatcher config, HttpAuthenticator authenticator, RpcProxy proxy) {
        this.config = config;
        this.authenticator = authenticator;
        this.proxy = proxy;
    }

    @Override
    public boolean owns(String path) {
        return path.equals("/rpc/rpcproxy.dll") || path.equals("/rpcwithcert/rpcproxy.dll");
    }

    @Override
    public RequestBody begin(ChannelHandlerContext ctx, HttpRequest request, GatewayConnection connection) {
        RpcVdirConfig applied = config.current();
        if (!applied.enabled()) {
            return connection.refuse(ctx, request, ROUTE, "disabled", HttpResponses.status(HttpResponseStatus.NOT_FOUND,
                    "Outlook Anywhere is not enabled on this server\r\n"));
        }
        boolean tls = GatewayConnection.tls(ctx);
        if (applied.requireSsl() && !tls) {
            // IIS answers 403.4 when the virtual directory requires SSL and the request came in plain.
            return connection.refuse(ctx, request, ROUTE, "ssl_required", HttpResponses.status(HttpResponseStatus.FORBIDDEN,
                    "403.4 Forbidden: SSL is required to view this resource\r\n"));
        }
        boolean inData = request.method().equals(RPC_IN_DATA);
        if (!inData && !request.method().equals(RPC_OUT_DATA)) {
            FullHttpResponse r = HttpResponses.status(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method " + request.method() + " is not allowed (expected: RPC_IN_DATA or RPC_OUT_DATA)\r\n");
            r.headers().set(HttpHeaderNames.ALLOW, "RPC_IN_DATA, RPC_OUT_DATA");
            return connection.refuse(ctx, request, ROUTE, "method_not_allowed", r);
        }
        long length = GatewayConnection.contentLength(request);
        if (length < 0) {
            return connection.refuse(ctx, request, ROUTE, "bad_length", HttpResponses.status(HttpResponseStatus.BAD_REQUEST,
                    "content-length: " + Optional.ofNullable(request.headers().get(HttpHeaderNames.CONTENT_LENGTH)).orElse("absent")
                            + " (expected: 0..16 for echo, 76 or 120 for RPC_OUT_DATA, 128 KiB..2 GiB for RPC_IN_DATA)\r\n"));
        }
        return connection.afterLogon(ctx, request, ROUTE, authenticator.authenticate(ctx, request, applied.authentication(), connection.auth()),
                auth -> admitted(ctx, request, connection, applied, inData, length, auth));
    }

    /** The rest of admission, once the request is authenticated (at once, or when the directory answered). */
    private RequestBody admitted(ChannelHandlerContext ctx, HttpRequest request, GatewayConnection connection,
            RpcVdirConfig applied, boolean inData, long length, HttpAuthenticator.Authenticated auth) {
        Optional<RpcProxyRequest> kind = RpcProxyRequest.classify(inData, length);
        if (kind.isEmpty()) {
            return connection.refuse(ctx, request, ROUTE, "bad_length", HttpResponses.status(HttpResponseStatus.BAD_REQUEST, "content-length: " + length
                    + " (expected: 0..16 for echo, 76 or 120 for RPC_OUT_DATA, 128 KiB..2 GiB for RPC_IN_DATA)\r\n"));
        }
        if (kind.get() == RpcProxyRequest.ECHO) {
            connection.count(ROUTE, "echo");
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (length == 0) {
                sendEcho(ctx, keepAlive);
                return RequestBody.DISCARD;
            }
            sendContinueIfExpected(ctx, request);
            // The body is opaque (the analyzer sends f8 e8 18 08): answer when it ends, never parse it.
            return (c, content) -> {
                if (content instanceof LastHttpContent) {
                    sendEcho(c, keepAlive);
                }
            };
        }
        String query = GatewayHandler.queryOf(request.uri());
        Optional<RpcProxyRequest.Target> target = RpcProxyRequest.Target.parse(query);
        if (target.isEmpty()) {
            return connection.refuse(ctx, request, ROUTE, "bad_target", HttpResponses.status(HttpResponseStatus.BAD_REQUEST,
                    "query: '" + query + "' (expected: server:port)\r\n"));
        }
        if (!applied.validPorts().permits(target.get().server(), target.get().port())) {
            log.info("gateway: refused {}:{} for {}: not in ValidPorts", target.get().server(), target.get().port(), auth.user());
            return connection.refuse(ctx, request, ROUTE, "port_refused", HttpResponses.rpcError(RPC_S_SERVER_UNAVAILABLE));
        }
        sendContinueIfExpected(ctx, request);
        connection.count(ROUTE, kind.get() == RpcProxyRequest.IN_CHANNEL ? "in_channel" : "out_channel");
        ClientLeg leg = new RouteLeg(ctx, connection);
        // The account binds the channel's virtual connection: channels of another account cannot join it.
        String account = auth.user();
        ProxyChannel channel = kind.get() == RpcProxyRequest.IN_CHANNEL
                ? proxy.inbound(leg, account, target.get().server(), target.get().port())
                : proxy.outbound(leg, account, target.get().server(), target.get().port(),
                        kind.get() == RpcProxyRequest.OUT_CHANNEL_REPLACEMENT);
        return new RequestBody() {
            @Override
            public void content(ChannelHandlerContext c, HttpContent content) {
                channel.content(content.content());
            }

            @Override
            public void readComplete() {
                channel.readComplete();
            }

            @Override
            public void closed() {
                channel.clientClosed();
            }
        };
    }

    /** The client connection as the proxy state machines see it. */
    private static final class RouteLeg implements ClientLeg {
        private final ChannelHandlerContext ctx;
        private final GatewayConnection connection;

        RouteLeg(ChannelHandlerContext ctx, GatewayConnection connection) {
            this.ctx = ctx;
            this.connection = connection;
        }

        @Override
        public Channel channel() {
            return ctx.channel();
        }

        @Override
        public void refuse(int status, String outcome, String text) {
            connection.count(ROUTE, outcome);
            HttpResponses.send(ctx, HttpResponses.status(HttpResponseStatus.valueOf(status), text), false);
        }

        @Override
        public void rpcError(int win32Error, String outcome) {
            connection.count(ROUTE, outcome);
            HttpResponses.send(ctx, HttpResponses.rpcError(win32Error), false);
        }
    }

    private static void sendEcho(ChannelHandlerContext ctx, boolean keepAlive) {
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

}
