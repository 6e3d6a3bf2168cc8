package dev.anywhere.bench.load;

import dev.anywhere.server.gateway.rpch.ProxySettings;
import dev.anywhere.server.net.NettyTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The gateway under test in its own JVM ({@link GatewayMain}), like nginx is in its own process: its CPU is the whole
 * process from /proc (event loops, GC, JIT alike), its heap is its own, and it can sit on a CPU of its own. The heap is
 * fixed ({@code -Xms = -Xmx}, pre-touched, G1), so a heap limit is a limit and not an observation, and resident memory
 * beyond it is off-heap memory; pinned to one CPU the JVM is told so ({@code -XX:ActiveProcessorCount=1}), which
 * also sizes Netty's event loops.
 */
public final class GatewayProcess implements AutoCloseable {

    /** The heap of the gateway under test (and the total of the idle shards' heaps). */
    public static final long HEAP_BYTES = 1L << 30;

    private final ChildJvm jvm;
    private final InetSocketAddress address;
    private final String transport;

    private GatewayProcess(ChildJvm jvm, InetSocketAddress address, String transport) {
        this.jvm = jvm;
        this.address = address;
        this.transport = transport;
    }

    /**
     * Starts a gateway relaying to the endpoints' {@code endpointPort} with {@code proxy}'s receive window and channel
     * lifetime (a small lifetime makes the endpoints recycle OUT channels; the other settings are the defaults), placed
     * by {@code placement}.
     */
    public static GatewayProcess start(Path dir, int endpointPort, ProxySettings proxy, Placement placement, Duration timeout)
            throws IOException {
        return start(dir, "gateway", endpointPort, proxy, HEAP_BYTES, placement, timeout, Optional.empty(), Optional.empty());
    }

    /**
     * As above, named {@code name}, with {@code heapBytes} of heap, and HTTPS with the certificate of {@code tls} (a
     * {@code TlsMaterial} directory) through the gateway's {@link dev.anywhere.server.gateway.TlsEngine}, on Netty
     * transport {@code transport} (else this JVM's {@link NettyTransport#PROPERTY}, else auto).
     */
    static GatewayProcess start(Path dir, String name, int endpointPort, ProxySettings proxy, long heapBytes, Placement placement,
            Duration timeout, Optional<Path> tls, Optional<NettyTransport.Choice> transport) throws IOException {
        Path data = dir.resolve(name + "-data");
        Topology.writeAppliedConfig(data, endpointPort);
        List<String> options = new ArrayList<>(List.of("-Xms" + (heapBytes >> 20) + "m", "-Xmx" + (heapBytes >> 20) + "m",
                "-XX:+AlwaysPreTouch", "-XX:+UseG1GC"));
        if (placement.pinned()) {
            options.add("-XX:ActiveProcessorCount=1");
        }
        String choice = transport.map(NettyTransport.Choice::id).orElse(System.getProperty(NettyTransport.PROPERTY, "auto"));
        options.add("-D" + NettyTransport.PROPERTY + "=" + choice);
        options.addAll(extraOptions());
        List<String> args = new ArrayList<>(List.of(data.toString(), Long.toString(proxy.channelLifetime()), Long.toString(proxy.receiveWindow())));
        if (tls.isPresent()) {
            options.add("-Djdk.tls.namedGroups=x25519"); // the JDK engine, if used, offers nginx's one group too
            args.add(tls.get().toString());
        }
        ChildJvm jvm = ChildJvm.start(name, dir, placement.relayPrefix(), options, GatewayMain.class, args);
        try {
            // JVM start and a pre-touched heap take a while
            String running = jvm.next("TRANSPORT", timeout.plusSeconds(20)).substring("TRANSPORT ".length()).trim();
            String port = jvm.next("LISTENING", timeout.plusSeconds(20)).substring("LISTENING ".length()).trim();
            return new GatewayProcess(jvm, new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), running);
        } catch (IOException | RuntimeException e) {
            jvm.close();
            throw e;
        }
    }

    /**
     * More JVM options for every gateway process, from the environment variable {@value #EXTRA_OPTIONS}: to profile
     * the gateway under load (e.g. {@code -XX:StartFlightRecording=filename=gw.jfr,settings=profile} or
     * {@code -XX:NativeMemoryTracking=summary}).
     */
    static List<String> extraOptions() {
        String extra = System.getenv(EXTRA_OPTIONS);
        return extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
    }

    public static final String EXTRA_OPTIONS = "ANYWHERE_BENCH_GATEWAY_JVM_OPTS";

    public InetSocketAddress address() {
        return address;
    }

    /** The Netty transport the gateway runs on, as it said: {@code epoll}, or {@code nio (epoll unavailable: ...)}. */
    public String transport() {
        return transport;
    }

    public long pid() {
        return jvm.pid();
    }

    /** CPU seconds (user + system) of the whole gateway process so far. */
    public double cpuSeconds() {
        return jvm.cpuSeconds();
    }

    /** User-mode CPU seconds of the gateway process so far. */
    public double userCpuSeconds() {
        return jvm.userCpuSeconds();
    }

    /** Resident set size in bytes, or -1. */
    public long rssBytes() {
        return jvm.rssBytes();
    }

    /** Used heap after full GCs in the gateway's JVM, bytes. */
    public long usedHeapAfterGc(Duration timeout) throws IOException {
        return Long.parseLong(jvm.ask("HEAP", "HEAP", timeout)[0]);
    }

    @Override
    public void close() {
        jvm.close();
    }
}
