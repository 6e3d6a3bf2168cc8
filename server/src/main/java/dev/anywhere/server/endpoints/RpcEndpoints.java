package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.server.net.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EX1's RPC endpoints: the server side behind the RPC over HTTP proxy. Every ncacn_http port sends the
 * {@code ncacn_http/1.0} banner on accept and then serves, per TCP connection, either RPC over HTTP v1 (the first
 * PDU is a DCE/RPC PDU) or one leg of an RPC over HTTP v2 virtual connection (CONN/A2 = OUT leg from an outbound
 * proxy, CONN/B2 = IN leg from an inbound proxy; legs are paired only by the virtual connection cookie). An optional
 * plain ncacn_ip_tcp port serves DCE/RPC without banner. The endpoint mapper (EPM v3.0) and management (MGMT v1.0)
 * interfaces are always served; callers add their own through {@link Options#extra()}.
 *
 * <pre>{@code
 * InterfaceRegistry mine = new InterfaceRegistry().register(new RpcInterface(id, "My service", 3, call -> ...));
 * try (RpcEndpoints ep = RpcEndpoints.start(RpcEndpoints.Options.defaults(InetAddress.getLoopbackAddress())
 *         .withPorts(List.of(0)).withExtra(mine))) {
 *     int port = ep.ports().get(0);
 * }
 * }</pre>
 *
 * <p>All I/O runs on one Netty event loop group (no thread per connection). Malformed input closes the offending
 * connection (for v2: the virtual connection) and never touches others.
 *
 * @see [MS-RPCH] 3.2.5 RPC Server Details
 * @see [C706] 12.6 Connection-oriented RPC PDUs
 */
public final class RpcEndpoints implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RpcEndpoints.class);

    /** The default ncacn_http ports: store 6001, referral 6002, address book 6004, endpoint mapper 593. */
    public static final List<Integer> DEFAULT_HTTP_PORTS = List.of(6001, 6002, 6004, 593);

    /** Called with a one-line description whenever a connection is closed for a protocol error. */
    @FunctionalInterface
    public interface ProtocolErrorListener {
        ProtocolErrorListener NONE = (remote, message) -> { };

        void protocolError(InetSocketAddress remote, String message);
    }

    /**
     * Sizes and timers; every per-connection resource is bounded by one of these.
     *
     * @param maxFrag largest fragment we send or accept (bind_ack max_xmit_frag / max_recv_frag), 1432..65535
     * @param receiveWindow our receive window on v2 IN legs (CONN/B3), 8 KiB..256 KiB
     * @param maxStubBytes cap on a reassembled request
     * @param maxQueuedBytes response bytes queued on a v2 OUT leg before we stop reading the IN leg
     * @param maxContexts presentation contexts per association
     * @param connectionSetupTimeout how long a half-open virtual connection (or a connection that sent no PDU) waits
     * @param maxPendingVirtualConnections half-open virtual connections at once; further legs are refused
     */
    public record Limits(int maxFrag, int receiveWindow, int maxStubBytes, int maxQueuedBytes, int maxContexts,
            Duration connectionSetupTimeout, int maxPendingVirtualConnections) {
        /** Windows' fragment size 5840, 64 KiB window (ServerReceiveWindow default), 15-minute setup timer. */
        public static final Limits DEFAULT = new Limits(5840, 64 * 1024, 1024 * 1024, 1024 * 1024, 64,
                Duration.ofMinutes(15), 4096);

        public Limits {
            if (maxFrag < 1432 || maxFrag > 0xffff) {
                throw new IllegalArgumentException("maxFrag: " + maxFrag + " (expected: 1432..65535)");
            }
            if (receiveWindow < 0x2000 || receiveWindow > 0x40000 || receiveWindow < maxFrag) {
                throw new IllegalArgumentException("receiveWindow: " + receiveWindow + " (expected: 8192..262144 and >= maxFrag)");
            }
            if (maxStubBytes <= 0 || maxQueuedBytes <= 0 || maxContexts <= 0 || maxPendingVirtualConnections <= 0) {
                throw new IllegalArgumentException("limits: must be positive");
            }
            Objects.requireNonNull(connectionSetupTimeout, "connectionSetupTimeout");
            if (connectionSetupTimeout.isNegative() || connectionSetupTimeout.isZero()) {
                throw new IllegalArgumentException("connectionSetupTimeout: " + connectionSetupTimeout + " (expected: > 0)");
            }
        }

        public Limits withReceiveWindow(int window) {
            return new Limits(maxFrag, window, maxStubBytes, maxQueuedBytes, maxContexts, connectionSetupTimeout,
                    maxPendingVirtualConnections);
        }

        public Limits withConnectionSetupTimeout(Duration timeout) {
            return new Limits(maxFrag, receiveWindow, maxStubBytes, maxQueuedBytes, maxContexts, timeout,
                    maxPendingVirtualConnections);
        }
    }

    /**
     * How to run the endpoints.
     *
     * @param listen the address to bind (0.0.0.0 / :: for all)
     * @param ncacnHttpPorts ncacn_http ports (0 = ephemeral, see {@link #ports()})
     * @param ncacnIpTcpPort an optional plain ncacn_ip_tcp port (0 = ephemeral)
     * @param extra interfaces served besides EPM and MGMT (looked up live: later registrations count)
     * @param limits sizes and timers
     * @param principalName what MGMT inq_princ_name answers (empty: no principal, status rpc_s_unknown_authn_service)
     * @param errors told about every connection closed for a protocol error
     * @param authentication how NTLM binds are authenticated; without it every authenticated bind gets bind_nak
     *     {@code authentication_type_not_recognized}
     */
    public record Options(InetAddress listen, List<Integer> ncacnHttpPorts, Optional<Integer> ncacnIpTcpPort,
            InterfaceRegistry extra, Limits limits, String principalName, ProtocolErrorListener errors,
            Optional<DceAuthentication> authentication) {

        public Options {
            Objects.requireNonNull(listen, "listen");
            ncacnHttpPorts = List.copyOf(ncacnHttpPorts);
            Objects.requireNonNull(ncacnIpTcpPort, "ncacnIpTcpPort");
            Objects.requireNonNull(extra, "extra");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(principalName, "principalName");
            Objects.requireNonNull(errors, "errors");
            Objects.requireNonNull(authentication, "authentication");
            for (int p : ncacnHttpPorts) {
                checkPort(p);
            }
            ncacnIpTcpPort.ifPresent(Options::checkPort);
        }

        /** The short form: ports, optional TCP port, extra interfaces; default limits. */
        public Options(InetAddress listen, List<Integer> ncacnHttpPorts, Optional<Integer> ncacnIpTcpPort,
                InterfaceRegistry extra) {
            this(listen, ncacnHttpPorts, ncacnIpTcpPort, extra, Limits.DEFAULT, "", ProtocolErrorListener.NONE,
                    Optional.empty());
        }

        /** 6001, 6002, 6004, 593 on {@code listen}, no ncacn_ip_tcp, no extra interfaces. */
        public static Options defaults(InetAddress listen) {
            return new Options(listen, DEFAULT_HTTP_PORTS, Optional.empty(), new InterfaceRegistry());
        }

        public Options withPorts(List<Integer> ports) {
            return new Options(listen, ports, ncacnIpTcpPort, extra, limits, principalName, errors, authentication);
        }

        public Options withTcpPort(int port) {
            return new Options(listen, ncacnHttpPorts, Optional.of(port), extra, limits, principalName, errors, authentication);
        }

        public Options withExtra(InterfaceRegistry registry) {
            return new Options(listen, ncacnHttpPorts, ncacnIpTcpPort, registry, limits, principalName, errors, authentication);
        }

        public Options withLimits(Limits l) {
            return new Options(listen, ncacnHttpPorts, ncacnIpTcpPort, extra, l, principalName, errors, authentication);
        }

        /** Shortcut for tests: the connection setup timer. */
        public Options withConnectionSetupTimeout(Duration timeout) {
            return withLimits(limits.withConnectionSetupTimeout(timeout));
        }

        public Options withPrincipalName(String name) {
            return new Options(listen, ncacnHttpPorts, ncacnIpTcpPort, extra, limits, name, errors, authentication);
        }

        public Options withErrors(ProtocolErrorListener listener) {
            return new Options(listen, ncacnHttpPorts, ncacnIpTcpPort, extra, limits, principalName, listener, authentication);
        }

        /** NTLM binds authenticated with {@code auth} (anonymous NTLM too; interfaces decide what it may call). */
        public Options withAuthentication(DceAuthentication auth) {
            return new Options(listen, ncacnHttpPorts, ncacnIpTcpPort, extra, limits, principalName, errors,
                    Optional.of(auth));
        }

        private static void checkPort(int p) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port: " + p + " (expected: 0..65535)");
            }
        }
    }

    private final NettyTransport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final List<Channel> httpChannels = new ArrayList<>();
    private Channel tcpChannel;
    private final EndpointServer server;

    /** The event loops serving the connections ({@link NettyTransport#oneLoopPerCpu()}), counted in the running group. */
    int eventLoopCount() {
        return ((io.netty.util.concurrent.MultithreadEventExecutorGroup) workers).executorCount();
    }

    private RpcEndpoints(Options options) throws InterruptedException {
        this.transport = NettyTransport.configured();
        this.boss = transport.newGroup(1);
        this.workers = transport.newGroup(NettyTransport.oneLoopPerCpu());
        this.server = new EndpointServer(options, this::ports, this::tcpPort);
        try {
            for (int port : options.ncacnHttpPorts()) {
                httpChannels.add(bind(options.listen(), port, true));
            }
            if (options.ncacnIpTcpPort().isPresent()) {
                tcpChannel = bind(options.listen(), options.ncacnIpTcpPort().get(), false);
            }
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
        log.info("endpoints: ncacn_http on {} ports {}{} (transport {})", options.listen().getHostAddress(), ports(),
                tcpPort().isPresent() ? ", ncacn_ip_tcp on " + tcpPort().getAsInt() : "", transport.describe());
    }

    private Channel bind(InetAddress address, int port, boolean http) throws InterruptedException {
        return new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        server.initChannel(ch, http);
                    }
                })
                .bind(new InetSocketAddress(address, port)).sync().channel();
    }

    /** Starts listening on every configured port. */
    public static RpcEndpoints start(Options options) throws InterruptedException {
        return new RpcEndpoints(options);
    }

    /** The bound ncacn_http ports, in the order of {@link Options#ncacnHttpPorts()} (ephemeral ones resolved). */
    public List<Integer> ports() {
        List<Integer> ports = new ArrayList<>(httpChannels.size());
        for (Channel c : httpChannels) {
            ports.add(((InetSocketAddress) c.localAddress()).getPort());
        }
        return List.copyOf(ports);
    }

    /** The bound ncacn_ip_tcp port, if enabled. */
    public OptionalInt tcpPort() {
        return tcpChannel == null ? OptionalInt.empty()
                : OptionalInt.of(((InetSocketAddress) tcpChannel.localAddress()).getPort());
    }

    /** The address the endpoints listen on. */
    public InetAddress address() {
        return server.options().listen();
    }

    /** Every interface served: EPM, MGMT, then the extra ones. */
    public List<RpcInterface> interfaces() {
        return server.interfaces().all();
    }

    /** Virtual connections currently known (half-open and open); for tests and metrics. */
    public int virtualConnections() {
        return server.table().size();
    }

    /** Whether the legs of virtual connection {@code cookie} run on one event loop (tests of the leg affinity). */
    boolean legsShareALoop(java.util.UUID cookie) {
        return server.table().find(cookie).map(VirtualConnection::legsShareALoop).orElse(false);
    }

    /** Legs moved to their virtual connection's event loop so far (tests). */
    long legMoves() {
        return server.stats().legMoves.get();
    }

    /** Open TCP connections (legs, v1 and ncacn_ip_tcp); for tests and metrics. */
    public int connections() {
        return server.connections().size();
    }

    /** The endpoint mapper interface id, e1af8308-5d1f-11c9-91a4-08002b14a0fa v3.0. */
    public static SyntaxId epmInterface() {
        return Epm.ID;
    }

    /** The management interface id, afa8bd80-7d8a-11c9-bef4-08002b102989 v1.0. */
    public static SyntaxId mgmtInterface() {
        return Mgmt.ID;
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        for (Channel c : httpChannels) {
            c.close().syncUninterruptibly();
        }
        if (tcpChannel != null) {
            tcpChannel.close().syncUninterruptibly();
        }
        server.connections().close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        server.authenticator().ifPresent(DceAuthenticator::close);
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
