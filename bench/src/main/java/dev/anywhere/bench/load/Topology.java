package dev.anywhere.bench.load;

import dev.anywhere.directory.SiteInfo;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.ntlm.NtHash;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.endpoints.DceAuthentication;
import dev.anywhere.server.endpoints.InterfaceRegistry;
import dev.anywhere.server.endpoints.RpcEndpoints;
import dev.anywhere.server.endpoints.RpcInterface;
import dev.anywhere.server.gateway.BackendResolver;
import dev.anywhere.server.gateway.CredentialVerifier;
import dev.anywhere.server.gateway.Gateway;
import dev.anywhere.server.gateway.rpch.ProxySettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the arms share in this JVM, all on loopback: the RPC endpoints (one ncacn_http port for the gateways, one
 * ncacn_ip_tcp port for the direct arm) with an echo interface that also accepts NTLM-authenticated binds of the bench
 * user (signed or sealed calls, the {@code gateway_sealed} arm), and a gateway in plain HTTP with Basic authentication
 * that nginx relays to. The gateway under test runs in a process of its own ({@link GatewayProcess}). The endpoints and
 * the in-process gateway are started from threads of their own {@link ThreadGroup}s, so their Netty event loop threads
 * land in those groups and {@link CpuMeter} can charge CPU time to each of them.
 */
public final class Topology implements AutoCloseable {

    /** The test interface: opnum 0 echoes the request stub; opnum 1 answers the call's DCE/RPC auth_level (one byte; 1 = none, 5 = PKT_INTEGRITY, 6 = PKT_PRIVACY). */
    public static final SyntaxId ECHO_IFACE = new SyntaxId(UUID.fromString("0b3e7f1c-5a9d-4c21-8e6f-2d4b6a8c0e1f"), 1, 0);
    public static final String USER = "BENCH\\load";
    public static final String PASSWORD = "Bench-Pass-1";
    public static final String SERVER = "EX1";
    public static final String PROXY_HOST = "oa.bench.local";

    static final CredentialVerifier CREDENTIALS = new CredentialVerifier() {
        @Override
        public Optional<String> verifyPassword(String logonName, String password) {
            return logonName.equalsIgnoreCase(USER) && password.equals(PASSWORD) ? Optional.of(USER) : Optional.empty();
        }

        @Override
        public Optional<byte[]> ntHash(String domain, String user) {
            return domain.equalsIgnoreCase("BENCH") && user.equalsIgnoreCase("load") ? Optional.of(NtHash.of(PASSWORD))
                    : Optional.empty();
        }
    };

    public static final ThreadGroup GATEWAY_THREADS = new ThreadGroup("bench-gateway");
    public static final ThreadGroup BACKEND_THREADS = new ThreadGroup("bench-backend");

    private final RpcEndpoints endpoints;
    private final Gateway gateway;

    private Topology(RpcEndpoints endpoints, Gateway gateway) {
        this.endpoints = endpoints;
        this.gateway = gateway;
    }

    /** Starts the endpoints and the gateway; {@code dataDir} receives the gateway's applied configuration. */
    public static Topology start(Path dataDir) throws Exception {
        return start(dataDir, (int) ProxySettings.defaults().receiveWindow());
    }

    /** As {@link #start(Path)} with {@code receiveWindow} on the endpoints' and the gateway's receiving hops. */
    public static Topology start(Path dataDir, int receiveWindow) throws Exception {
        RpcEndpoints endpoints = inGroup(BACKEND_THREADS, () -> startEndpoints(true, receiveWindow));
        try {
            writeAppliedConfig(dataDir, endpoints.ports().get(0));
            Gateway gateway = inGroup(GATEWAY_THREADS, () -> startGateway(dataDir, ProxySettings.defaults().withReceiveWindow(receiveWindow),
                    Optional.empty(), 0));
            return new Topology(endpoints, gateway);
        } catch (Exception | Error e) {
            endpoints.close();
            throw e;
        }
    }

    /** The bench user's domain, as NTLM names it (HTTP NTLM at the gateway, DCE/RPC NTLM at the endpoints). */
    static final SiteInfo SITE = new SiteInfo("bench.local", "BENCH", "Bench Organization", "bench.local");

    /**
     * The RPC endpoints with the echo interface: one ncacn_http port, and an ncacn_ip_tcp port when {@code tcp}. NTLM
     * binds are verified with the bench user's NT hash from {@link #CREDENTIALS} (no directory).
     */
    public static RpcEndpoints startEndpoints(boolean tcp) throws Exception {
        return startEndpoints(tcp, RpcEndpoints.Limits.DEFAULT.receiveWindow());
    }

    /** As {@link #startEndpoints(boolean)} with {@code receiveWindow} on v2 IN legs (CONN/B3). */
    public static RpcEndpoints startEndpoints(boolean tcp, int receiveWindow) throws Exception {
        return startEndpoints(tcp, receiveWindow, 0);
    }

    /** As above with the ncacn_http port {@code httpPort} (0: any free port; a restarted process takes its old one). */
    public static RpcEndpoints startEndpoints(boolean tcp, int receiveWindow, int httpPort) throws Exception {
        InterfaceRegistry extra = new InterfaceRegistry().register(new RpcInterface(ECHO_IFACE, "bench echo", 2,
                call -> call.opnum() == 0 ? call.stub() : dev.anywhere.rpc.wire.Octets.of((byte) call.security().level().wire())));
        RpcEndpoints.Options o = RpcEndpoints.Options.defaults(InetAddress.getByName("127.0.0.1")).withPorts(List.of(httpPort)).withExtra(extra)
                .withLimits(RpcEndpoints.Limits.DEFAULT.withReceiveWindow(receiveWindow))
                .withAuthentication(DceAuthentication.of(Gateway.ntlmIdentity(SERVER, SITE), CREDENTIALS::ntHash));
        return RpcEndpoints.start(tcp ? o.withTcpPort(0) : o);
    }

    /** What the configurator would have applied: Outlook Anywhere on, Basic, EX1 reachable on {@code endpointPort}. */
    public static void writeAppliedConfig(Path dataDir, int endpointPort) throws java.io.IOException {
        new AppliedConfigFile(dataDir).write(new RpcVdirConfig(SERVER, true, EnumSet.of(HttpAuthScheme.BASIC), false,
                ValidPorts.forServer(SERVER, "ex1.bench.local", List.of(endpointPort))), 1, Instant.now());
    }

    /**
     * A gateway on 127.0.0.1:{@code port} (0: any free port) with the bench's credentials, relaying to EX1 = 127.0.0.1;
     * used in this JVM (the nginx arm's upstream), by {@link GatewayMain} in a process of its own, and by the TLS tools.
     */
    public static Gateway startGateway(Path dataDir, ProxySettings proxy, Optional<SslContext> tls, int port) throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        return Gateway.start(new Gateway.Options(dataDir, SERVER, new InetSocketAddress(lo, port), tls, CREDENTIALS, PROXY_HOST,
                Gateway.ntlmIdentity(SERVER, SITE))
                .withBackendResolver(BackendResolver.system().withOverride(lo, "ex1", "ex1.bench.local"))
                .withProxySettings(proxy), new SimpleMeterRegistry());
    }

    /** Runs {@code task} on a fresh thread of {@code group} and waits for it (its Netty threads then belong to the group). */
    public static <T> T inGroup(ThreadGroup group, Callable<T> task) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread t = new Thread(group, () -> {
            try {
                result.set(task.call());
            } catch (Exception e) {
                failure.set(e);
            }
        }, group.getName() + "-starter");
        t.start();
        t.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    /** The endpoints' ncacn_http port (what the gateways relay to). */
    public int httpPort() {
        return endpoints.ports().get(0);
    }

    /** The endpoints' ncacn_ip_tcp port (the direct arm). */
    public InetSocketAddress tcpAddress() {
        return new InetSocketAddress(endpoints.address(), endpoints.tcpPort().orElseThrow());
    }

    /** The in-process gateway's plain HTTP address (the nginx arm's upstream). */
    public InetSocketAddress gatewayAddress() {
        return gateway.address();
    }

    public int backendVirtualConnections() {
        return endpoints.virtualConnections();
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            endpoints.close();
        }
    }
}
