package dev.anywhere.bench.load.vc;

import dev.anywhere.analyzer.rpch.RpcAuth;
import dev.anywhere.bench.load.ClientTransport;
import dev.anywhere.bench.load.Topology;
import dev.anywhere.rpc.dce.Fragmenter;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.httpauth.HttpBasic;
import dev.anywhere.server.net.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * A lean RPC over HTTP v2 load client: ONE shared Netty event loop group (a few threads, NIO; native epoll only if
 * its native library is already on the class path) for any number of {@link LeanVirtualConnection}s, and the
 * settings they share (proxy, Host header, {@code server:port} of the request URI, Basic credentials, optional TLS,
 * receive window, channel lifetime, timeouts).
 *
 * <p>Both channels of one virtual connection are registered on the same event loop, so all of its state is touched
 * by one thread and the hot path takes no locks. 20,000 idle virtual connections cost 40,000 sockets and a few
 * hundred bytes of heap each, no threads.
 *
 * <pre>{@code
 * try (LeanClient client = new LeanClient(LeanClient.Settings.builder(topology.gatewayAddress(), topology.httpPort())
 *         .basic(Topology.USER, Topology.PASSWORD).build())) {
 *     LeanVirtualConnection vc = client.open().get(10, TimeUnit.SECONDS); // CONN/A1..C2 and bind done
 *     int n = vc.echo(new byte[16384]).get(10, TimeUnit.SECONDS);
 * }
 * }</pre>
 */
public final class LeanClient implements AutoCloseable {

    /** [MS-RPCH] 2.2.3.5.1 ReceiveWindowSize: 8 KiB..256 KiB. */
    public static final long MIN_RECEIVE_WINDOW = 0x2000;
    public static final long MAX_RECEIVE_WINDOW = 0x40000;
    /** [MS-RPCH] 2.2.3.5.5 ChannelLifetime: 128 KiB..2 GiB; clients announce 1 GiB. */
    public static final long DEFAULT_CHANNEL_LIFETIME = 0x4000_0000L;

    /**
     * Everything the virtual connections of one client share.
     *
     * @param proxy where to connect (the gateway, nginx, ...)
     * @param proxyHost Host header name (and the SNI / certificate name with TLS unless {@code sniHost} is set)
     * @param hostHeader the complete Host header value ({@code proxyHost[:port]})
     * @param server the RPC server in the request URI ({@code ?EX1:6001})
     * @param endpointPort the endpoint port in the request URI
     * @param authorization the Authorization header value, or null for none
     * @param ssl client TLS context, or null for plain HTTP
     * @param sniHost the SNI host name for TLS
     * @param receiveWindow the OUT channel receive window announced in CONN/A1 (8 KiB..256 KiB)
     * @param channelLifetime IN channel Content-Length and CONN/B1 ChannelLifetime (128 KiB..2 GiB)
     * @param clientKeepalive CONN/B1 ClientKeepalive in ms
     * @param maxFrag max_xmit_frag / max_recv_frag offered in the bind (1432..min(65535, receiveWindow))
     * @param iface the interface bound at open time
     * @param echoOpnum the opnum {@link LeanVirtualConnection#echo} calls
     * @param ioThreads event loop threads
     * @param connectTimeout TCP connect (and TLS handshake)
     * @param openTimeout from the start of the TCP connects to the bind_ack
     * @param callTimeout the oldest outstanding call may wait this long before the virtual connection is failed
     * @param allocator buffers for reads and writes (default: Netty's default, as the gateway uses; tests pass a counting one)
     * @param rpcAuth DCE/RPC security of the bind and every call (NTLM at PKT_INTEGRITY or PKT_PRIVACY), or null for an
     *     unauthenticated bind (the zero-copy path)
     */
    public record Settings(InetSocketAddress proxy, String proxyHost, String hostHeader, String server, int endpointPort,
            String authorization, SslContext ssl, String sniHost, long receiveWindow, long channelLifetime,
            long clientKeepalive, int maxFrag, SyntaxId iface, int echoOpnum, int ioThreads, Duration connectTimeout,
            Duration openTimeout, Duration callTimeout, ByteBufAllocator allocator, RpcAuth rpcAuth) {

        public Settings {
            Objects.requireNonNull(proxy, "proxy");
            Objects.requireNonNull(proxyHost, "proxyHost");
            Objects.requireNonNull(hostHeader, "hostHeader");
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(iface, "iface");
            Objects.requireNonNull(allocator, "allocator");
            if (endpointPort < 1 || endpointPort > 65535) {
                throw new IllegalArgumentException("endpoint port: " + endpointPort + " (expected: 1..65535)");
            }
            if (receiveWindow < MIN_RECEIVE_WINDOW || receiveWindow > MAX_RECEIVE_WINDOW) {
                throw new IllegalArgumentException("receive window: " + receiveWindow + " (expected: 8192..262144)");
            }
            if (channelLifetime < 0x20000 || channelLifetime > 0x8000_0000L) {
                throw new IllegalArgumentException("channel lifetime: " + channelLifetime + " (expected: 131072..2147483648)");
            }
            if (maxFrag < Fragmenter.MIN_FRAG || maxFrag > Math.min(0xffff, receiveWindow)) {
                throw new IllegalArgumentException("max frag: " + maxFrag + " (expected: 1432..min(65535, receive window))");
            }
            if (ioThreads < 1) {
                throw new IllegalArgumentException("io threads: " + ioThreads + " (expected: >= 1)");
            }
        }

        /** {@code /rpc/rpcproxy.dll?EX1:6001}. */
        public String requestTarget() {
            return "/rpc/rpcproxy.dll?" + server + ":" + endpointPort;
        }

        /** Defaults for the bench {@link Topology}: its proxy host name and server, no credentials yet. */
        public static Builder builder(InetSocketAddress proxy, int endpointPort) {
            return new Builder(proxy, endpointPort);
        }
    }

    /** Mutable builder for {@link Settings}; {@link #build()} validates. */
    public static final class Builder {
        private final InetSocketAddress proxy;
        private int endpointPort;
        private String proxyHost = Topology.PROXY_HOST;
        private String hostHeader;
        private String server = Topology.SERVER;
        private String authorization;
        private SslContext ssl;
        private String sniHost;
        private long receiveWindow = MAX_RECEIVE_WINDOW;
        private long channelLifetime = DEFAULT_CHANNEL_LIFETIME;
        private long clientKeepalive = 300_000;
        private int maxFrag = 5840;
        private SyntaxId iface = Topology.ECHO_IFACE;
        private int echoOpnum;
        private int ioThreads = ClientTransport.defaultIoThreads();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration openTimeout = Duration.ofSeconds(10);
        private Duration callTimeout = Duration.ofSeconds(30);
        private ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        private RpcAuth rpcAuth;

        private Builder(InetSocketAddress proxy, int endpointPort) {
            this.proxy = proxy;
            this.endpointPort = endpointPort;
        }

        public Builder proxyHost(String v) { proxyHost = v; return this; }
        /** The whole Host header value; default {@code proxyHost} plus {@code :port} unless the port is 80 (443 with TLS). */
        public Builder hostHeader(String v) { hostHeader = v; return this; }
        public Builder server(String v) { server = v; return this; }
        public Builder endpointPort(int v) { endpointPort = v; return this; }
        public Builder basic(String user, String password) {
            authorization = new HttpBasic(user, password).authorization();
            return this;
        }
        public Builder noAuthorization() { authorization = null; return this; }
        public Builder tls(SslContext v, String sni) { ssl = v; sniHost = sni; return this; }
        public Builder receiveWindow(long v) { receiveWindow = v; return this; }
        public Builder channelLifetime(long v) { channelLifetime = v; return this; }
        public Builder clientKeepalive(long v) { clientKeepalive = v; return this; }
        public Builder maxFrag(int v) { maxFrag = v; return this; }
        public Builder iface(SyntaxId v) { iface = v; return this; }
        public Builder echoOpnum(int v) { echoOpnum = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder openTimeout(Duration v) { openTimeout = v; return this; }
        public Builder callTimeout(Duration v) { callTimeout = v; return this; }
        public Builder allocator(ByteBufAllocator v) { allocator = v; return this; }
        /** Binds with NTLM at {@code v}'s level and protects every call; null (the default) binds unauthenticated. */
        public Builder rpcAuth(RpcAuth v) { rpcAuth = v; return this; }
        /** Connect, open and call timeouts at once. */
        public Builder timeouts(Duration v) { connectTimeout = openTimeout = callTimeout = v; return this; }

        public Settings build() {
            int defaultPort = ssl != null ? 443 : 80;
            String host = hostHeader != null ? hostHeader
                    : proxyHost + (proxy.getPort() == defaultPort ? "" : ":" + proxy.getPort());
            return new Settings(proxy, proxyHost, host, server, endpointPort, authorization, ssl,
                    sniHost != null ? sniHost : proxyHost, receiveWindow, channelLifetime, clientKeepalive, maxFrag, iface,
                    echoOpnum, ioThreads, connectTimeout, openTimeout, callTimeout, allocator, rpcAuth);
        }
    }

    private final Settings settings;
    private final EventLoopGroup group;
    private final NettyTransport transport;
    private final Bootstrap bootstrap;
    private final Set<LeanVirtualConnection> live = ConcurrentHashMap.newKeySet();
    private final byte[] inHead;
    private final byte[] outHead;
    private volatile boolean closed;

    /** Starts the event loop group ({@link Settings#ioThreads()} daemon threads named {@code lean-vc-*}). */
    public LeanClient(Settings settings) {
        this.settings = settings;
        this.transport = ClientTransport.pick();
        this.group = transport.newGroup(settings.ioThreads(), "lean-vc");
        this.bootstrap = new Bootstrap().group(group).channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, settings.allocator())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
        this.inHead = head("RPC_IN_DATA", settings.channelLifetime());
        this.outHead = head("RPC_OUT_DATA", LeanVirtualConnection.OUT_CHANNEL_CONTENT_LENGTH);
    }

    /** The request head of a channel: Windows' header set ([MS-RPCH] 2.1.2.1.1 and 2.1.2.1.2), a fixed string. */
    private byte[] head(String method, long contentLength) {
        StringBuilder b = new StringBuilder(256).append(method).append(' ').append(settings.requestTarget()).append(" HTTP/1.1\r\n")
                .append("Accept: application/rpc\r\n")
                .append("User-Agent: MSRPC\r\n")
                .append("Host: ").append(settings.hostHeader()).append("\r\n")
                .append("Content-Length: ").append(contentLength).append("\r\n")
                .append("Connection: Keep-Alive\r\n")
                .append("Cache-Control: no-cache\r\n")
                .append("Pragma: No-cache\r\n");
        if (settings.authorization() != null) {
            b.append("Authorization: ").append(settings.authorization()).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    public Settings settings() {
        return settings;
    }

    /** {@code "epoll"} or {@code "nio"}: what the client runs on. */
    public String transport() {
        return transport.name();
    }

    byte[] inHead() {
        return inHead;
    }

    byte[] outHead() {
        return outHead;
    }

    Bootstrap bootstrap(EventLoop loop) {
        return bootstrap.clone(loop);
    }

    void forget(LeanVirtualConnection vc) {
        live.remove(vc);
    }

    /** Virtual connections opened (or opening) and not yet closed or failed. */
    public int liveConnections() {
        return live.size();
    }

    /** Opens a virtual connection from the system-chosen source address. */
    public CompletableFuture<LeanVirtualConnection> open() {
        return open(null);
    }

    /**
     * Opens a virtual connection: IN and OUT channel from {@code source} (null: any), CONN/A1 + CONN/B1, the OUT
     * channel's 200 + CONN/A3 + CONN/C2, then bind + bind_ack of {@link Settings#iface()}. Completes with the open,
     * bound connection, or exceptionally with a {@link LeanFailure} naming the hop; bounded by the open timeout.
     */
    public CompletableFuture<LeanVirtualConnection> open(InetAddress source) {
        if (closed) {
            return CompletableFuture.failedFuture(new LeanFailure("client closed"));
        }
        EventLoop loop = group.next();
        LeanVirtualConnection vc = new LeanVirtualConnection(this, loop);
        live.add(vc);
        vc.start(source);
        return vc.opened();
    }

    /**
     * Opens {@code n} virtual connections with at most {@code concurrency} handshakes in flight, the i-th from
     * {@code sourceAddress.apply(i)} (null: any). Returns them in index order. If one fails, no more are started, the
     * opened ones are closed and a {@link LeanFailure} says how many opened and why the first failure happened.
     */
    public List<LeanVirtualConnection> openMany(int n, int concurrency, IntFunction<InetAddress> sourceAddress)
            throws InterruptedException {
        if (n < 0 || concurrency < 1) {
            throw new IllegalArgumentException("n " + n + ", concurrency " + concurrency + " (expected: n >= 0, concurrency >= 1)");
        }
        LeanVirtualConnection[] opened = new LeanVirtualConnection[n];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        CompletableFuture<Void> all = new CompletableFuture<>();
        if (n == 0) {
            all.complete(null);
        }
        Runnable[] launch = new Runnable[1];
        launch[0] = () -> {
            while (true) {
                int i = next.getAndIncrement();
                if (i >= n) {
                    return;
                }
                if (firstFailure.get() != null) { // stop starting new ones; count them as done
                    if (done.incrementAndGet() == n) {
                        all.complete(null);
                    }
                    continue;
                }
                CompletableFuture<LeanVirtualConnection> f;
                try {
                    f = open(sourceAddress.apply(i));
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                f.whenComplete((vc, e) -> {
                    if (e == null) {
                        opened[i] = vc;
                        ok.incrementAndGet();
                    } else {
                        firstFailure.compareAndSet(null, "virtual connection #" + i + ": " + LeanFailure.describe(e));
                    }
                    if (done.incrementAndGet() == n) {
                        all.complete(null);
                    }
                    launch[0].run();
                });
                return;
            }
        };
        for (int k = 0; k < Math.min(n, concurrency); k++) {
            launch[0].run();
        }
        long waitMs = settings.openTimeout().toMillis() * ((long) n / concurrency + 2) + 5_000;
        try {
            all.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            firstFailure.compareAndSet(null, "openMany: not done after " + waitMs / 1000 + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            firstFailure.compareAndSet(null, LeanFailure.describe(e));
        }
        if (firstFailure.get() != null) {
            for (LeanVirtualConnection vc : opened) {
                if (vc != null) {
                    vc.close();
                }
            }
            throw new LeanFailure("opened " + ok.get() + " of " + n + " virtual connections; first failure: " + firstFailure.get());
        }
        List<LeanVirtualConnection> out = new ArrayList<>(n);
        for (LeanVirtualConnection vc : opened) {
            out.add(vc);
        }
        return out;
    }

    /**
     * Verifies that every one of {@code vcs} still answers: one echo of {@code stubBytes} bytes on each, all at once,
     * each response's length checked. Returns how many answered; throws a {@link LeanFailure} naming how many did and
     * the first failure otherwise.
     */
    public int echoEach(List<LeanVirtualConnection> vcs, int stubBytes, Duration timeout) throws InterruptedException {
        byte[] stub = new byte[stubBytes];
        for (int i = 0; i < stub.length; i++) {
            stub[i] = (byte) i;
        }
        AtomicInteger answered = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        CompletableFuture<?>[] fs = new CompletableFuture<?>[vcs.size()];
        for (int i = 0; i < fs.length; i++) {
            int index = i;
            fs[i] = vcs.get(i).echo(stub).whenComplete((len, e) -> {
                if (e != null) {
                    firstFailure.compareAndSet(null, "virtual connection #" + index + ": " + LeanFailure.describe(e));
                } else if (len != stubBytes) {
                    firstFailure.compareAndSet(null, "virtual connection #" + index + ": echo of " + stubBytes
                            + " bytes answered with " + len);
                } else {
                    answered.incrementAndGet();
                }
            });
        }
        try {
            CompletableFuture.allOf(fs).handle((v, e) -> null).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            firstFailure.compareAndSet(null, "no answer within " + timeout.toMillis() + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            firstFailure.compareAndSet(null, LeanFailure.describe(e));
        }
        if (firstFailure.get() != null) {
            throw new LeanFailure(answered.get() + " of " + vcs.size() + " virtual connections answered; first failure: "
                    + firstFailure.get());
        }
        return answered.get();
    }

    /** Closes every live virtual connection, then the event loops (bounded, a few seconds). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<LeanVirtualConnection> all = new ArrayList<>(live);
        List<CompletableFuture<Void>> closing = new ArrayList<>(all.size());
        for (LeanVirtualConnection vc : all) {
            closing.add(vc.closeAsync());
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the group shutdown below closes whatever is left
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
