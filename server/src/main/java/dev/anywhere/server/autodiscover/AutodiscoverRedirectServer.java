package dev.anywhere.server.autodiscover;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EX1's port 80 for the Autodiscover HTTP redirect method: an unauthenticated {@code GET
 * /autodiscover/autodiscover.xml} (path case-insensitive) gets {@code 302} to
 * {@code https://autodiscover.<domain>/autodiscover/autodiscover.xml}; everything else gets {@code 404}. The domain
 * is the Host header's name after {@code autodiscover.}, else the configured domain; neither gives 404. Every response
 * closes the connection; request bodies are never read into memory.
 *
 * @see [MS-OXDISCO] 3.1.5.2 HTTP redirect method
 */
public final class AutodiscoverRedirectServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AutodiscoverRedirectServer.class);
    static final String PATH = "/autodiscover/autodiscover.xml";

    /**
     * How to run it.
     *
     * @param listen where to listen (port 80 in production)
     * @param domain the SMTP domain to redirect for when the Host header does not start with {@code autodiscover.}
     * @param httpsPort the port written into the Location (omitted when 443), for labs whose ports are shifted
     */
    public record Options(InetSocketAddress listen, Optional<String> domain, int httpsPort) {
        public Options {
            Objects.requireNonNull(listen, "listen");
            Objects.requireNonNull(domain, "domain");
            if (httpsPort < 1 || httpsPort > 65535) {
                throw new IllegalArgumentException("https port: " + httpsPort + " (expected: 1..65535)");
            }
        }
    }

    private final EventLoopGroup group;
    private final Channel channel;

    private AutodiscoverRedirectServer(Options options) throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ReadTimeoutHandler(30, TimeUnit.SECONDS));
                            ch.pipeline().addLast(new HttpServerCodec());
                            ch.pipeline().addLast(new Handler(options));
                        }
                    }).bind(options.listen()).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        log.info("autodiscover: HTTP redirect listener on {}", channel.localAddress());
    }

    public static AutodiscoverRedirectServer start(Options options) throws InterruptedException {
        return new AutodiscoverRedirectServer(options);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * The Location for a request, or empty for 404.
     *
     * @param method the request method
     * @param target the request target (origin or absolute form)
     * @param host the Host header, may be null
     */
    static Optional<String> location(Options o, HttpMethod method, String target, String host) {
        if (!HttpMethod.GET.equals(method)) {
            return Optional.empty();
        }
        String path = target;
        if (!path.startsWith("/")) {
            try {
                path = Optional.ofNullable(URI.create(target).getRawPath()).orElse("");
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        int q = path.indexOf('?');
        path = (q < 0 ? path : path.substring(0, q)).toLowerCase(Locale.ROOT);
        if (!path.equals(PATH)) {
            return Optional.empty();
        }
        Optional<String> domain = domainFromHost(host).or(o::domain);
        return domain.map(d -> "https://autodiscover." + d + (o.httpsPort() == 443 ? "" : ":" + o.httpsPort()) + PATH);
    }

    /** {@code frankysweb.org} from {@code autodiscover.frankysweb.org[:80]}; empty for any other or invalid name. */
    static Optional<String> domainFromHost(String host) {
        if (host == null) {
            return Optional.empty();
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        if (colon >= 0 && h.indexOf(']') < colon) {
            h = h.substring(0, colon);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (!h.startsWith("autodiscover.") || !h.matches("[a-z0-9.-]{1,253}")) {
            return Optional.empty();
        }
        String d = h.substring("autodiscover.".length());
        return d.isEmpty() || d.startsWith(".") || d.contains("..") ? Optional.empty() : Optional.of(d);
    }

    private static final class Handler extends ChannelInboundHandlerAdapter {
        private final Options options;

        Handler(Options options) {
            this.options = options;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest r) {
                    Optional<String> to = r.decoderResult().isFailure() ? Optional.empty()
                            : location(options, r.method(), r.uri(), r.headers().get(HttpHeaderNames.HOST));
                    FullHttpResponse resp;
                    if (to.isPresent()) {
                        resp = response(HttpResponseStatus.FOUND, "");
                        resp.headers().set(HttpHeaderNames.LOCATION, to.get());
                    } else {
                        resp = response(HttpResponseStatus.NOT_FOUND, "not found\r\n");
                    }
                    ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private static FullHttpResponse response(HttpResponseStatus status, String text) {
            ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            r.headers().set(HttpHeaderNames.SERVER, "Anywhere");
            return r;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("autodiscover: redirect listener closing a connection", cause);
            ctx.close();
        }
    }
}
