package dev.anywhere.bench.tls;

import dev.anywhere.bench.load.Topology;
import dev.anywhere.server.endpoints.RpcEndpoints;
import dev.anywhere.server.gateway.Gateway;
import dev.anywhere.server.gateway.rpch.ProxySettings;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A gateway with TLS ({@link TlsMaterial#serverContext}, JDK or OpenSSL provider) in front of its own RPC endpoints
 * (echo interface {@link Topology#ECHO_IFACE}, Basic {@link Topology#USER} / {@link Topology#PASSWORD}, proxy host
 * {@value TlsMaterial#HOST}), all on 127.0.0.1. The gateway's listener also answers plain HTTP (its
 * OptionalSslHandler; requireSsl is off), so nginx can use it as its upstream.
 *
 * <p>Two ways to run it: in this JVM ({@link #start}: the gateway's Netty threads in {@link #GATEWAY_THREADS}), or as
 * a child JVM ({@link #spawn}, e.g. pinned with {@code taskset -c 0}), whose {@link Child#pid()} gives its CPU time
 * from /proc like nginx's. The child is this class' {@link #main}.
 */
public final class TlsGateway implements AutoCloseable {

    public static final ThreadGroup GATEWAY_THREADS = new ThreadGroup("tls-gateway");
    public static final ThreadGroup BACKEND_THREADS = new ThreadGroup("tls-backend");

    private final RpcEndpoints endpoints;
    private final Gateway gateway;
    private final SslProvider provider;

    private TlsGateway(RpcEndpoints endpoints, Gateway gateway, SslProvider provider) {
        this.endpoints = endpoints;
        this.gateway = gateway;
        this.provider = provider;
    }

    /** Starts endpoints and a TLS gateway in this JVM on 127.0.0.1:{@code port} (0: any free port). */
    public static TlsGateway start(Path dataDir, TlsMaterial material, SslProvider provider, int port) throws Exception {
        SslContext tls = material.serverContext(provider);
        RpcEndpoints endpoints = Topology.inGroup(BACKEND_THREADS, () -> Topology.startEndpoints(true));
        try {
            Topology.writeAppliedConfig(dataDir, endpoints.ports().get(0));
            Gateway gateway = Topology.inGroup(GATEWAY_THREADS, () -> Topology.startGateway(dataDir, ProxySettings.defaults(),
                    Optional.of(tls), port));
            return new TlsGateway(endpoints, gateway, provider);
        } catch (Exception | Error e) {
            endpoints.close();
            throw e;
        }
    }

    /** HTTPS (and plain HTTP) on this address. */
    public InetSocketAddress address() {
        return gateway.address();
    }

    public SslProvider provider() {
        return provider;
    }

    /** The endpoints' ncacn_ip_tcp address (direct arm). */
    public InetSocketAddress tcpAddress() {
        return new InetSocketAddress(endpoints.address(), endpoints.tcpPort().orElseThrow());
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            endpoints.close();
        }
    }

    // ---- child JVM ------------------------------------------------------------------------------------------------

    /** A gateway in a child JVM: its pid (for /proc CPU time), its address; {@link #close} ends it. */
    public record Child(Process process, InetSocketAddress address, SslProvider provider, Path dir) implements AutoCloseable {

        public long pid() {
            return process.pid();
        }

        public List<Long> pids() {
            return List.of(process.pid());
        }

        /** Closes its stdin (it exits on EOF), then SIGTERM, SIGKILL after 5 s. */
        @Override
        public void close() {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // already gone
            }
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts {@code commandPrefix + java jvmArgs -cp <this JVM's class path> TlsGateway …} with the material in
     * {@code materialDir}; its data and log go to {@code dir}. Returns once it listens (30 s at most). The prefix must
     * exec (taskset does), so that {@link Child#pid()} is the JVM.
     */
    public static Child spawn(Path dir, Path materialDir, SslProvider provider, List<String> commandPrefix, List<String> jvmArgs)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path portFile = dir.resolve("port");
        Files.deleteIfExists(portFile);
        List<String> command = new ArrayList<>(commandPrefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        if (jvmArgs.stream().noneMatch(a -> a.startsWith("-Djdk.tls.namedGroups="))) {
            command.add("-Djdk.tls.namedGroups=" + TlsMaterial.GROUP);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TlsGateway.class.getName(),
                materialDir.toAbsolutePath().toString(), provider.name(), dir.toAbsolutePath().toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("gateway child (" + provider + ") exited with " + process.exitValue() + ": " + tail(dir.resolve("gateway.log")));
            }
            if (Files.exists(portFile)) {
                String text = Files.readString(portFile, StandardCharsets.US_ASCII).trim();
                if (text.endsWith(".")) {
                    int port = Integer.parseInt(text.substring(0, text.length() - 1));
                    return new Child(process, new InetSocketAddress("127.0.0.1", port), provider, dir);
                }
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IOException("gateway child (" + provider + ") not listening after 30 s: " + tail(dir.resolve("gateway.log")));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /**
     * The child: {@code TlsGateway <materialDir> <JDK|OPENSSL> <dir>}; writes {@code <port>.} to {@code dir/port} once
     * listening, runs until its stdin closes.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: TlsGateway <materialDir> <JDK|OPENSSL> <dir>");
            System.exit(2);
        }
        TlsMaterial.restrictNamedGroups();
        SslProvider provider = TlsMaterial.provider(args[1]);
        if (provider == SslProvider.OPENSSL && !TlsMaterial.openSslAvailable()) {
            System.err.println("netty-tcnative: not available: " + TlsMaterial.openSslUnavailabilityCause().map(Throwable::toString).orElse("?"));
            System.exit(3);
        }
        Path dir = Path.of(args[2]);
        try (TlsGateway gateway = start(dir.resolve("data"), TlsMaterial.load(Path.of(args[0])), provider, 0)) {
            Path tmp = dir.resolve("port.tmp");
            Files.writeString(tmp, gateway.address().getPort() + ".", StandardCharsets.US_ASCII);
            Files.move(tmp, dir.resolve("port"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.out.println("tls gateway (" + provider + ") listening on " + gateway.address());
            while (System.in.read() >= 0) {
                // until EOF
            }
        }
        System.exit(0);
    }
}
