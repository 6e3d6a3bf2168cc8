package dev.anywhere.autodiscover.discovery;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * A loopback HTTP or HTTPS server whose answers a test scripts per request; it records every request. Answers are made
 * off the event loop, so a script may wait (for another request to arrive) without holding up the other connections.
 */
final class TestHttpServer implements AutoCloseable {

    /** A received request. */
    record Req(String host, String method, String uri, String authorization, String body) {
        /** The host without port, lower case. */
        String hostName() {
            String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
            int colon = h.lastIndexOf(':');
            return colon > 0 ? h.substring(0, colon) : h;
        }
    }

    /** A scripted answer. */
    record Resp(int status, Map<String, String> headers, String body) {
        static Resp xml(String body) {
            return new Resp(200, Map.of("Content-Type", "text/xml; charset=utf-8"), body);
        }

        static Resp status(int status) {
            return new Resp(status, Map.of(), "");
        }

        static Resp redirect(int status, String location) {
            return new Resp(status, Map.of("Location", location), "");
        }
    }

    final List<Req> requests = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ExecutorService answering = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-http-answer");
        t.setDaemon(true);
        return t;
    });
    private final Channel server;

    TestHttpServer(SSLContext tls, Function<Req, Resp> handler) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            SSLEngine engine = tls.createSSLEngine();
                            engine.setUseClientMode(false);
                            ch.pipeline().addLast(new SslHandler(engine));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
                                        Req req = new Req(msg.headers().get(HttpHeaderNames.HOST),
                                                msg.method().name(), msg.uri(),
                                                msg.headers().get(HttpHeaderNames.AUTHORIZATION),
                                                msg.content().toString(StandardCharsets.UTF_8));
                                        requests.add(req);
                                        answering.execute(() -> {
                                            Resp resp;
                                            try {
                                                resp = handler.apply(req);
                                            } catch (RuntimeException e) {
                                                ctx.close(); // as an exception on the loop would
                                                return;
                                            }
                                            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                    HttpResponseStatus.valueOf(resp.status()),
                                                    Unpooled.copiedBuffer(resp.body(), StandardCharsets.UTF_8));
                                            resp.headers().forEach((k, v) -> out.headers().add(k, v));
                                            out.headers().set(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
                                            ctx.writeAndFlush(out);
                                        });
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        ctx.close();
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    List<Req> requestsFor(String hostName) {
        return requests.stream().filter(r -> r.hostName().equals(hostName)).toList();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(2000);
        answering.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
