package dev.anywhere.autodiscover.discovery;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;

/**
 * One HTTP/1.1 connection (plain or TLS) used synchronously by the discovery thread: connect, optional handshake,
 * then request/response pairs on the same connection (so a 401 can be answered on it).
 */
final class HttpConnection implements AutoCloseable {

    /** Largest response body accepted; the POX reader applies its own, smaller cap afterwards. */
    static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    private static final Object CLOSED = new Object();

    /** A received response, copied out of Netty's buffers. */
    record Response(int status, List<Map.Entry<String, String>> headers, byte[] body) {
        List<String> all(String name) {
            List<String> out = new ArrayList<>();
            for (Map.Entry<String, String> e : headers) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    out.add(e.getValue());
                }
            }
            return out;
        }

        String first(String name) {
            List<String> all = all(name);
            return all.isEmpty() ? null : all.get(0);
        }
    }

    private final Channel channel;
    private final BlockingQueue<Object> inbox;
    private final long connectMillis;
    private final Optional<TlsInfo> tls;

    private HttpConnection(Channel channel, BlockingQueue<Object> inbox, long connectMillis, Optional<TlsInfo> tls) {
        this.channel = channel;
        this.inbox = inbox;
        this.connectMillis = connectMillis;
        this.tls = tls;
    }

    long connectMillis() {
        return connectMillis;
    }

    Optional<TlsInfo> tls() {
        return tls;
    }

    /** What a failed connect or handshake still learned, for the attempt record. */
    static final class Partial {
        Long connectMillis;
        TlsInfo tls;
    }

    /**
     * Connects to {@code address}; with {@code trust} present, runs a TLS handshake for {@code host} (SNI and HTTPS
     * host-name verification).
     */
    static HttpConnection open(EventLoopGroup group, InetSocketAddress address, String host, int port,
            Optional<RecordingTrustManager> trust, Duration timeout, Partial partial) throws StepFailure {
        BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        SslHandler ssl = trust.isPresent() ? sslHandler(trust.get(), host, port, timeout) : null;
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl);
                        }
                        ch.pipeline().addLast("http", new HttpClientCodec());
                        ch.pipeline().addLast("aggregate", new HttpObjectAggregator(MAX_RESPONSE_BYTES));
                        ch.pipeline().addLast("inbox", new Inbox(inbox));
                    }
                });
        long start = System.nanoTime();
        ChannelFuture cf = b.connect(address);
        if (!cf.awaitUninterruptibly(timeout.toMillis() + 1000) || !cf.isSuccess()) {
            cf.channel().close();
            Throwable cause = cf.cause();
            throw new StepFailure(AttemptReason.of(AttemptReason.Key.TCP_CONNECT, "address", address.getAddress().getHostAddress(), "port", port,
                    "cause", AttemptReason.cause(cause), "ms", timeout.toMillis()), cause);
        }
        long connectMillis = elapsed(start);
        partial.connectMillis = connectMillis;
        Channel ch = cf.channel();
        if (ssl == null) {
            return new HttpConnection(ch, inbox, connectMillis, Optional.empty());
        }
        long hsStart = System.nanoTime();
        var hs = ssl.handshakeFuture();
        boolean done = hs.awaitUninterruptibly(timeout.toMillis() + 1000);
        long hsMillis = elapsed(hsStart);
        if (!done || !hs.isSuccess()) {
            ch.close();
            // Netty's handshake timeout is a class name with no sentence: the cause is said from its type.
            AttemptReason why = AttemptReason.cause(done ? hs.cause() : null);
            partial.tls = new TlsInfo(Optional.empty(), Optional.empty(), trust.get().chain(), hsMillis,
                    Optional.of(why.line()));
            throw new StepFailure(AttemptReason.of(AttemptReason.Key.TLS_HANDSHAKE, "host", host, "cause", why), hs.cause());
        }
        SSLSession s = ssl.engine().getSession();
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (var c : s.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            chain.addAll(trust.get().chain());
        }
        TlsInfo info = new TlsInfo(Optional.of(s.getProtocol()), Optional.of(s.getCipherSuite()), chain, hsMillis,
                Optional.empty());
        partial.tls = info;
        return new HttpConnection(ch, inbox, connectMillis, Optional.of(info));
    }

    private static SslHandler sslHandler(RecordingTrustManager trust, String host, int port, Duration timeout)
            throws StepFailure {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trust}, null);
            SSLEngine engine = ctx.createSSLEngine(host, port);
            engine.setUseClientMode(true);
            SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            if (!host.matches("[0-9.]+") && !host.contains(":")) {
                p.setServerNames(List.of(new SNIHostName(host)));
            }
            engine.setSSLParameters(p);
            SslHandler h = new SslHandler(engine);
            h.setHandshakeTimeoutMillis(timeout.toMillis());
            return h;
        } catch (java.security.GeneralSecurityException e) {
            throw new StepFailure(AttemptReason.of(AttemptReason.Key.TLS_UNAVAILABLE, "detail", AttemptReason.cause(e)), e);
        }
    }

    boolean isOpen() {
        return channel.isActive();
    }

    /** Sends one request and waits for its response. */
    Response exchange(HttpMethod method, String pathAndQuery, List<Map.Entry<String, String>> headers, byte[] body,
            Duration timeout) throws StepFailure {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, pathAndQuery,
                Unpooled.wrappedBuffer(body));
        for (Map.Entry<String, String> h : headers) {
            req.headers().add(h.getKey(), h.getValue());
        }
        inbox.clear();
        channel.writeAndFlush(req).addListener(f -> {
            if (!f.isSuccess()) {
                inbox.offer(f.cause());
            }
        });
        Object got;
        try {
            got = inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure(AttemptReason.of(AttemptReason.Key.HTTP_INTERRUPTED), e);
        }
        if (got == null) {
            throw new StepFailure(AttemptReason.of(AttemptReason.Key.HTTP_NO_RESPONSE, "ms", timeout.toMillis()));
        }
        if (got == CLOSED) {
            throw new StepFailure(AttemptReason.of(AttemptReason.Key.HTTP_CLOSED));
        }
        if (got instanceof Throwable t) {
            throw new StepFailure(AttemptReason.of(AttemptReason.Key.HTTP_BAD_RESPONSE, "cause", AttemptReason.cause(t), "max", MAX_RESPONSE_BYTES), t);
        }
        return (Response) got;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1000);
    }

    private static long elapsed(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Copies each aggregated response into the inbox; failures and close become markers. */
    private static final class Inbox extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final BlockingQueue<Object> inbox;

        Inbox(BlockingQueue<Object> inbox) {
            this.inbox = inbox;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            msg.headers().forEach(e -> headers.add(Map.entry(e.getKey(), e.getValue())));
            inbox.offer(new Response(msg.status().code(), headers, ByteBufUtil.getBytes(msg.content())));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            inbox.offer(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inbox.offer(CLOSED);
            ctx.fireChannelInactive();
        }
    }
}
