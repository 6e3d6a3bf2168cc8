package dev.anywhere.server.gateway;

import dev.anywhere.rpc.ntlm.ServerIdentity;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.events.EventLog;
import dev.anywhere.server.net.NettyTransport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EX1's HTTPS front end: {@code /rpc/rpcproxy.dll} following the applied /rpc configuration. One listener speaks
 * TLS and, for SSL offloading, plain HTTP (told apart by the first bytes); whether plain requests are served is the
 * configuration's {@code requireSsl}, as IIS's sslFlags decide it.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Largest HttpContent the decoder cuts from a request body: the most one socket read brings. */
    static final int MAX_CHUNK_SIZE = 64 * 1024;
    /** The longest request line and the most header bytes the decoder takes (Netty's defaults, said here). */
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_SIZE = 8192;

    /**
     * How to run a gateway. {@code backends} resolves the server-name of {@code ?server:port} for the RPC over HTTP
     * proxy (static overrides, then system DNS); {@code proxy} holds its windows and timeouts; {@code limits} the
     * listener's timeouts and connection cap.
     */
    public record Options(Path dataDir, String server, InetSocketAddress listen, Optional<SslContext> tls,
            CredentialVerifier credentials, String realm, ServerIdentity ntlmIdentity,
            BackendResolver backends, dev.anywhere.server.gateway.rpch.ProxySettings proxy, LogonSettings logons,
            ListenerLimits limits) {

        /** System DNS for backends, RpcProxy's default windows and timeouts, default logon settings and listener limits. */
        public Options(Path dataDir, String server, InetSocketAddress listen, Optional<SslContext> tls,
                CredentialVerifier credentials, String realm, ServerIdentity ntlmIdentity) {
            this(dataDir, server, listen, tls, credentials, realm, ntlmIdentity, BackendResolver.system(),
                    dev.anywhere.server.gateway.rpch.ProxySettings.defaults(), LogonSettings.defaults(), ListenerLimits.defaults());
        }

        public Options withBackendResolver(BackendResolver resolver) {
            return new Options(dataDir, server, listen, tls, credentials, realm, ntlmIdentity, resolver, proxy, logons, limits);
        }

        public Options withProxySettings(dev.anywhere.server.gateway.rpch.ProxySettings settings) {
            return new Options(dataDir, server, listen, tls, credentials, realm, ntlmIdentity, backends, settings, logons, limits);
        }

        public Options withLogonSettings(LogonSettings settings) {
            return new Options(dataDir, server, listen, tls, credentials, realm, ntlmIdentity, backends, proxy, settings, limits);
        }

        public Options withListenerLimits(ListenerLimits listenerLimits) {
            return new Options(dataDir, server, listen, tls, credentials, realm, ntlmIdentity, backends, proxy, logons, listenerLimits);
        }
    }

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final AppliedConfigWatcher config;
    private final GatewayEvents events;
    private final DirectoryHealth directoryHealth;
    private final DirectoryLogons logons;
    private final Channel channel;
    private final ConnectionDeadlines.Listener listener;
    private final Options options;
    private final MeterRegistry metrics;
    private final List<GatewayRoute> routes;
    private final NettyTransport transport;

    private Gateway(Options options, MeterRegistry metrics) throws InterruptedException {
        this.options = options;
        this.metrics = metrics;
        this.config = new AppliedConfigWatcher(new AppliedConfigFile(options.dataDir()), options.server());
        Gauge.builder("anywhere.gateway.config.reloads", config, AppliedConfigWatcher::reloads).register(metrics);
        Gauge.builder("anywhere.gateway.rpc.enabled", config, c -> c.current().enabled() ? 1 : 0).register(metrics);
        // Logons share one pool, one credential cache and one throttle across /rpc and /autodiscover.
        this.events = new GatewayEvents(new EventLog(options.dataDir()), metrics);
        this.directoryHealth = new DirectoryHealth(events, Clock.systemUTC());
        CachedCredentials credentials = new CachedCredentials(options.credentials(), options.logons().cacheTtl());
        this.logons = new DirectoryLogons(options.logons(), directoryHealth, credentials);
        Gauge.builder("anywhere.gateway.directory.reachable", directoryHealth, h -> h.reachable() ? 1 : 0).register(metrics);
        HttpAuthenticator authenticator = new HttpAuthenticator(credentials, logons,
                new FailedLogons(new LogonThrottle(options.logons()), events, metrics, Clock.systemUTC()),
                options.realm(), options.ntlmIdentity());
        this.routes = List.of(new RpcProxyRoute(config, authenticator,
                new dev.anywhere.server.gateway.rpch.RpcProxy(options.proxy(), options.backends(),
                        new dev.anywhere.server.gateway.rpch.ProxyMetrics(metrics))), AutodiscoverRoute.create(options, authenticator));
        logons.startProbing();
        this.listener = new ConnectionDeadlines.Listener(options.limits(), options.tls().isPresent(), metrics);
        this.transport = NettyTransport.configured();
        this.boss = transport.newGroup(1);
        this.workers = transport.newGroup(options.limits().eventLoops());
        try {
            this.channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(transport.serverChannel())
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            initPipeline(ch);
                        }
                    })
                    .bind(options.listen()).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
        log.info("gateway: listening on {} ({}; transport {}, {} I/O threads)", channel.localAddress(),
                options.tls().isPresent() ? "HTTPS and HTTP" : "HTTP only", transport.describe(), ioThreads());
    }

    /**
     * One connection's handlers, in order: listener deadlines, TLS or plain (told apart by the first bytes), the HTTP
     * codec, exchange tracking, the routes. Package-private so that tests (the HTTP front's fuzz target) drive
     * exactly this pipeline on an embedded channel.
     */
    void initPipeline(Channel ch) {
        long handshakeMillis = options.limits().tlsHandshakeTimeout().toMillis();
        ConnectionDeadlines deadlines = new ConnectionDeadlines(listener);
        ch.pipeline().addLast(deadlines.front);
        options.tls().ifPresent(tls -> ch.pipeline().addLast(new OptionalSslHandler(tls) {
            @Override
            protected SslHandler newSslHandler(ChannelHandlerContext context, SslContext sslContext) {
                // The same limit as the listener's deadline, which started at accept and so fires first (and is
                // counted); this one only backs it up.
                SslHandler handler = super.newSslHandler(context, sslContext);
                handler.setHandshakeTimeoutMillis(handshakeMillis);
                return handler;
            }
        }));
        // Body chunks up to a whole socket read (not 8 KiB): RPC PDUs then rarely straddle two chunks, so the
        // proxy's framer slices them instead of copying them together.
        ch.pipeline().addLast(new HttpServerCodec(new HttpDecoderConfig().setMaxChunkSize(MAX_CHUNK_SIZE)
                .setMaxInitialLineLength(MAX_INITIAL_LINE).setMaxHeaderSize(MAX_HEADER_SIZE)));
        ch.pipeline().addLast(deadlines.exchanges);
        ch.pipeline().addLast(new GatewayHandler(routes, metrics, deadlines));
    }

    /** The names the NTLM challenge announces for a server of the site: EX1, FRANKYSWEB, ex1.frankysweb.local. */
    public static ServerIdentity ntlmIdentity(String server, dev.anywhere.directory.SiteInfo site) {
        String upper = server.toUpperCase(java.util.Locale.ROOT);
        return new ServerIdentity(upper, site.netbiosDomain(), server.toLowerCase(java.util.Locale.ROOT) + "." + site.dnsDomain(),
                site.dnsDomain(), site.dnsDomain());
    }

    public static Gateway start(Options options, MeterRegistry metrics) throws InterruptedException {
        return new Gateway(options, metrics);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The event loops serving the connections ({@link ListenerLimits#eventLoops()}), counted in the running group. */
    public int ioThreads() {
        return ((io.netty.util.concurrent.MultithreadEventExecutorGroup) workers).executorCount();
    }

    public AppliedConfigWatcher config() {
        return config;
    }

    /**
     * What {@code /health} says: {@code UP}, or {@code DEGRADED} while logons cannot reach the directory (logons
     * that need it get 503; cached logons, open connections and echo go on). The admin listener answers DEGRADED
     * with HTTP 503 so that a load balancer prefers a gateway that can log users on.
     */
    public AdminServer.Health health() {
        DirectoryHealth.Snapshot d = directoryHealth.current();
        boolean up = d.state() == DirectoryHealth.State.REACHABLE;
        com.fasterxml.jackson.databind.node.ObjectNode root = JSON.createObjectNode();
        root.put("status", up ? "UP" : "DEGRADED");
        root.put("rpcEnabled", config.current().enabled());
        root.put("transport", transport.name());
        root.put("ioThreads", ioThreads());
        if (transport.fallbackReason() != null) {
            root.put("transportFallback", transport.fallbackReason());
        }
        com.fasterxml.jackson.databind.node.ObjectNode directory = root.putObject("components").putObject("directory");
        directory.put("state", d.state().name());
        directory.put("since", d.since().toString());
        if (!up) {
            directory.put("reason", d.reason());
        }
        return new AdminServer.Health(up, root.toString());
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        config.close();
        logons.close();
        events.close();
        boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
