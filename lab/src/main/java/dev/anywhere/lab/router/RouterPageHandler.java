package dev.anywhere.lab.router;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The router's own web interface: whatever the request (even {@code RPC_IN_DATA}), a small HTML login page and the
 * connection closed, as a home router does when port forwarding is missing and its admin page listens on 443.
 */
final class RouterPageHandler extends SimpleChannelInboundHandler<HttpObject> {

    /** The {@code Server} header, so that a client can tell who answered. */
    static final String SERVER = "LabRouter/1.0";
    static final String PAGE = "<!DOCTYPE html>\n<html><head><title>Lab Router - Login</title></head>\n"
            + "<body><h1>Lab Router</h1><form method=\"post\" action=\"/login\">\n"
            + "<label>Password <input type=\"password\" name=\"password\"></label>\n"
            + "<button type=\"submit\">Log in</button></form></body></html>\n";

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg instanceof HttpRequest) {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            r.headers().set(HttpHeaderNames.SERVER, SERVER);
            r.headers().set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
