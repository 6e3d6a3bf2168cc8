package dev.anywhere.server.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The gateway's fixed responses, with the status lines and headers IIS and RpcProxy use. */
final class HttpResponses {

    static final String SERVER = "Anywhere";

    private HttpResponses() {
    }

    static FullHttpResponse text(HttpVersion version, HttpResponseStatus status, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(version, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        r.headers().set(HttpHeaderNames.SERVER, SERVER);
        return r;
    }

    static FullHttpResponse status(HttpResponseStatus status, String body) {
        return text(HttpVersion.HTTP_1_1, status, body);
    }

    /**
     * The RPC proxy's error: {@code HTTP/1.0 503 RPC Error: 6ba}.
     *
     * @see [MS-RPCH] 2.1.2.1.3 Error responses (HTTP-Version SHOULD be 1.0; reason phrase "RPC Error: " hex)
     */
    static FullHttpResponse rpcError(int win32Error) {
        String reason = "RPC Error: " + Integer.toHexString(win32Error);
        return text(HttpVersion.HTTP_1_0, new HttpResponseStatus(503, reason), reason + "\r\n");
    }

    /**
     * Sends the response and keeps the connection, or closes it after the write. An error the gateway generates
     * (4xx, 5xx) always closes: after a malformed or refused request the client's framing is not to be trusted, and
     * a hostile client gets no second try on the same connection. The exception is 401, the challenge of NTLM and
     * Negotiate, whose next leg must come on the same connection.
     */
    static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive && keepsConnection(response.status())) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            closeAfter(ctx.writeAndFlush(response));
        }
    }

    /** How long a closing connection keeps reading (and discarding) after the response's FIN: Apache's 2 s. */
    static final long LINGER_MILLIS = 2000;

    /**
     * Closes after {@code written} the way RFC 9112 9.6 asks of a server: first only the sending side (FIN), then
     * reading and discarding what the client still sends until it closes or {@link #LINGER_MILLIS} pass. Closing
     * at once with unread request bytes in the socket (a refused channel's next PDU, a body sent after the headers)
     * makes the kernel answer with a reset, which can destroy the response before the client reads it; the
     * discarded bytes never reach the HTTP decoder, so the client gets no second request on the connection.
     */
    static void closeAfter(ChannelFuture written) {
        Channel ch = written.channel();
        written.addListener(f -> {
            ChannelHandlerContext codec = ch.pipeline().context(HttpServerCodec.class);
            if (!f.isSuccess() || !ch.isActive() || !(ch instanceof DuplexChannel duplex) || codec == null) {
                ch.close();
                return;
            }
            ch.pipeline().addBefore(codec.name(), "discard-after-response", new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext c, Object msg) {
                    ReferenceCountUtil.release(msg);
                }
            });
            ch.config().setAutoRead(true);
            duplex.shutdownOutput().addListener(s -> {
                if (s.isSuccess()) {
                    ch.eventLoop().schedule(() -> {
                        ch.close();
                    }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
                } else {
                    ch.close();
                }
            });
        });
    }

    static boolean keepsConnection(HttpResponseStatus status) {
        return status.code() < 400 || status.code() == HttpResponseStatus.UNAUTHORIZED.code();
    }
}
