package dev.anywhere.lab.router;

import dev.anywhere.lab.pki.IssuedCertificate;
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
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for the RPC over HTTP proxy behind a middlebox, until the gateway relays channels: over TLS, it counts
 * the {@code RPC_IN_DATA} body bytes as they arrive and answers {@code RPC_OUT_DATA} with a 1 GiB response of which
 * it sends 20 bytes at once and keeps the rest back, as an OUT channel does.
 */
final class StreamingBackend implements AutoCloseable {

    static final long ONE_GIB = 1L << 30;
    final AtomicLong inBodyBytes = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
    volatile String lastRequestHead = "";
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    StreamingBackend(InetSocketAddress listen, IssuedCertificate certificate) throws Exception {
        var tls = SslContextBuilder.forServer(certificate.privateKey(), certificate.chain().toArray(X509Certificate[]::new)).build();
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new HttpServerCodec(),
                                new SimpleChannelInboundHandler<HttpObject>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
                                        if (msg instanceof HttpRequest r) {
                                            requests.incrementAndGet();
                                            lastRequestHead = r.method() + " " + r.uri() + " " + r.protocolVersion() + "\n" + r.headers();
                                            if (r.method().name().equals("RPC_OUT_DATA")) {
                                                var head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                                                head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/rpc");
                                                head.headers().set(HttpHeaderNames.CONTENT_LENGTH, ONE_GIB);
                                                ctx.write(head);
                                                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[20])));
                                            }
                                        }
                                        if (msg instanceof HttpContent c) {
                                            inBodyBytes.addAndGet(c.content().readableBytes());
                                        }
                                    }
                                });
                    }
                }).bind(listen).sync().channel();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
