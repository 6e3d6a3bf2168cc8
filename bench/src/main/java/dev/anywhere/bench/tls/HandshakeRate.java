package dev.anywhere.bench.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLEngine;
import org.HdrHistogram.Histogram;

/**
 * Full TLS 1.3 handshakes per second against one address: {@code C} client connections in parallel, each in a loop of
 * TCP connect, TLS handshake (no resumption: {@link TlsMaterial#clientHandler} engines have no peer host, so no
 * session is looked up), close (close_notify, then an RST via SO_LINGER 0 so that no TIME_WAIT piles up in the
 * client's 28k ephemeral ports), for {@code S} seconds. Counts completions and failures; records connect+handshake
 * time (from the connect call to the handshake's completion) in an HdrHistogram; checks that every handshake was a
 * full one (the server's certificate was verified). The same client (context, provider, event loop group) serves
 * every target; the caller owns the group.
 */
public final class HandshakeRate {

    /** The result for one target. {@code latency} is in microseconds. */
    public record Result(String target, double seconds, int concurrency, long handshakes, long failures, long certificateChecks,
            String protocol, String cipherSuite, Histogram latency, String firstFailure) {

        public double perSecond() {
            return handshakes / seconds;
        }

        public double p50Micros() {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(50);
        }

        public double p99Micros() {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(99);
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s: %.0f handshakes/s (%d in %.1f s, C=%d), %d failures, p50 %.0f us, p99 %.0f us, %s %s",
                    target, perSecond(), handshakes, seconds, concurrency, failures, p50Micros(), p99Micros(), protocol, cipherSuite);
        }
    }

    private final SslContext client;
    private final LongAdder certificateChecks;
    private final EventLoopGroup group;
    private final SslProvider provider;

    /** A client of {@code material}'s CA with {@code provider} on {@code group} (the caller's, shared by all targets). */
    public HandshakeRate(TlsMaterial material, SslProvider provider, EventLoopGroup group) throws javax.net.ssl.SSLException {
        this(material, provider, group, true);
    }

    /**
     * {@code pinned}: the client accepts exactly the bench certificate instead of validating the path to the bench CA
     * each time ({@link TlsMaterial#clientContext(SslProvider, LongAdder, boolean)}); cheaper for the client, the same
     * for the server.
     */
    public HandshakeRate(TlsMaterial material, SslProvider provider, EventLoopGroup group, boolean pinned) throws javax.net.ssl.SSLException {
        this.certificateChecks = new LongAdder();
        this.client = material.clientContext(provider, certificateChecks, pinned);
        this.group = Objects.requireNonNull(group, "group");
        this.provider = provider;
    }

    public SslProvider provider() {
        return provider;
    }

    /** {@code concurrency} connections in a connect/handshake/close loop against {@code target} for {@code duration}. */
    public Result run(String name, InetSocketAddress target, Duration duration, int concurrency) throws InterruptedException {
        if (concurrency < 1 || concurrency > 4096) {
            throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: 1..4096)");
        }
        Run run = new Run(target, concurrency);
        long checksBefore = certificateChecks.sum();
        long start = System.nanoTime();
        run.end = start + duration.toNanos();
        for (int i = 0; i < concurrency; i++) {
            run.next();
        }
        long wait = duration.toNanos() + TimeUnit.SECONDS.toNanos(15);
        if (!run.idle.await(wait, TimeUnit.NANOSECONDS)) {
            run.failures.incrementAndGet();
            run.failure("not all connections finished within 15 s after the end");
        }
        double seconds = (Math.min(System.nanoTime(), run.end) - start) / 1e9;
        long checks = certificateChecks.sum() - checksBefore;
        Histogram h;
        synchronized (run.latency) {
            h = run.latency.copy();
        }
        return new Result(name, seconds, concurrency, run.handshakes.get(), run.failures.get(), checks, run.protocol.get(),
                run.suite.get(), h, run.firstFailure.get());
    }

    private final class Run {
        final InetSocketAddress target;
        final Bootstrap bootstrap;
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        final AtomicLong handshakes = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicReference<String> protocol = new AtomicReference<>("?");
        final AtomicReference<String> suite = new AtomicReference<>("?");
        final AtomicReference<String> firstFailure = new AtomicReference<>();
        final CountDownLatch idle;
        volatile long end;

        Run(InetSocketAddress target, int concurrency) {
            this.target = target;
            this.idle = new CountDownLatch(concurrency);
            this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_LINGER, 0)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            SslHandler ssl = TlsMaterial.clientHandler(client, ch.alloc());
                            ssl.setHandshakeTimeoutMillis(10_000);
                            ch.pipeline().addLast(ssl);
                        }
                    });
        }

        void failure(String what) {
            firstFailure.compareAndSet(null, what);
        }

        /** One connection's next connect, or its end. */
        void next() {
            if (System.nanoTime() >= end) {
                idle.countDown();
                return;
            }
            long t0 = System.nanoTime();
            ChannelFuture connect = bootstrap.connect(target);
            connect.addListener(cf -> {
                if (!cf.isSuccess()) {
                    countFailure(t0, "connect: " + cf.cause());
                    group.next().schedule(this::next, 1, TimeUnit.MILLISECONDS);
                    return;
                }
                Channel ch = connect.channel();
                SslHandler ssl = ch.pipeline().get(SslHandler.class);
                ssl.handshakeFuture().addListener(hf -> {
                    long t1 = System.nanoTime();
                    if (hf.isSuccess()) {
                        if (t1 <= end) {
                            handshakes.incrementAndGet();
                            synchronized (latency) {
                                latency.recordValue(Math.max(0, Math.min(latency.getHighestTrackableValue(), (t1 - t0) / 1000)));
                            }
                        }
                        SSLEngine engine = ssl.engine();
                        protocol.set(engine.getSession().getProtocol());
                        suite.set(engine.getSession().getCipherSuite());
                        ch.close().addListener(closed -> next());
                    } else {
                        countFailure(t1, "handshake: " + hf.cause());
                        ch.close().addListener(closed -> group.next().schedule(this::next, 1, TimeUnit.MILLISECONDS));
                    }
                });
            });
        }

        private void countFailure(long t, String what) {
            if (t <= end) {
                failures.incrementAndGet();
            }
            failure(what);
        }
    }
}
