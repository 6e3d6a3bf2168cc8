package dev.anywhere.web;

import dev.anywhere.server.gateway.TlsEngine;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code anywhere serve}: the analyzer's page on Netty, over TLS when a certificate is given. Two small pools beside
 * the event loops: the runs ({@link Runs}, bounded by the settings) and the database (two threads, 64 waiting
 * requests at most; more are answered 503).
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /** A form is a few hundred bytes; anything near this is not one. */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Runs runs;
    private final ThreadPoolExecutor database;
    private final Channel channel;
    private final boolean tls;
    private final Optional<LabHost> lab;

    private WebServer(EventLoopGroup boss, EventLoopGroup workers, Runs runs, ThreadPoolExecutor database, Channel channel, boolean tls,
            Optional<LabHost> lab) {
        this.lab = lab;
        this.boss = boss;
        this.workers = workers;
        this.runs = runs;
        this.database = database;
        this.channel = channel;
        this.tls = tls;
    }

    /** Opens the history (migrating its schema), starts the lab in lab mode, then listens. */
    public static WebServer start(WebSettings configured) throws Exception {
        Optional<SslContext> ssl = sslContext(configured);
        History history = History.open(configured.databaseUrl());
        Optional<LabHost> lab = configured.lab().isPresent() ? Optional.of(LabHost.start(configured.lab().get())) : Optional.empty();
        WebSettings settings = lab.map(l -> configured.withDefaults(l.defaults())).orElse(configured);
        WebHandler.StaticFiles files = WebHandler.StaticFiles.load();
        ThreadPoolExecutor database = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), r -> {
            Thread t = new Thread(r, "web-db");
            t.setDaemon(true);
            return t;
        });
        Runs runs = new Runs(settings, history);
        WebHandler handler = new WebHandler(settings, runs, history, database, files, lab);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            ChannelPipeline p = c.pipeline();
                            ssl.ifPresent(s -> p.addLast(s.newHandler(c.alloc())));
                            p.addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES), handler);
                        }
                    }).bind(settings.listen()).sync().channel();
            WebServer server = new WebServer(boss, workers, runs, database, ch, ssl.isPresent(), lab);
            LOG.info("serving the analyzer on {}", server.url());
            return server;
        } catch (Exception e) {
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            runs.close();
            database.shutdownNow();
            if (lab.isPresent()) {
                lab.get().close();
            }
            throw e;
        }
    }

    /**
     * The page's TLS context, built as the gateway builds its own ({@link TlsEngine}: the same checks of the files
     * before anything listens, the same policy): a file it cannot use is an {@link dev.anywhere.rpc.input.InvalidValue}
     * with a key ({@code tls.cert-file}, {@code tls.key-encrypted} …) naming the file, which the command line says in
     * its language.
     */
    private static Optional<SslContext> sslContext(WebSettings settings) throws SSLException {
        if (settings.tls().isEmpty()) {
            return Optional.empty();
        }
        WebSettings.Tls t = settings.tls().get();
        return Optional.of(TlsEngine.server(t.certificate().toFile(), t.key().toFile()));
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8088/}. */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress() instanceof java.net.Inet6Address ? "[" + a.getAddress().getHostAddress() + "]" : a.getAddress().getHostAddress();
        return (tls ? "https" : "http") + "://" + host + ":" + a.getPort() + "/";
    }

    /** Waits until the listener closes. */
    public void awaitClose() throws InterruptedException {
        channel.closeFuture().sync();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        runs.close();
        database.shutdownNow();
        try {
            // Nothing writes the history database after close (a caller may delete its directory next).
            database.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        lab.ifPresent(l -> {
            try {
                l.close();
            } catch (IOException e) {
                LOG.warn("lab: {}", e.getMessage());
            }
        });
    }
}
