package dev.anywhere.bench.load;

import dev.anywhere.lab.router.HaproxyBalancer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One gateway of the bench's array in a process of its own ({@link ArrayGatewayMain}): its RPC over HTTP listener, its
 * admin listener ({@code /health}) and its whole process's CPU from /proc. A fixed, pre-touched heap as the
 * {@link GatewayProcess} under test has, smaller (two run side by side); pinned to the relay CPU when the placement
 * pins. {@link #kill()} is {@code kill -9}.
 */
final class ArrayMember implements AutoCloseable {

    /** Each member's heap: two members and HAProxy share the relay CPU, not a 1 GiB budget each. */
    static final long HEAP_BYTES = 512L << 20;

    private final String name;
    private final ChildJvm jvm;
    private final InetSocketAddress address;
    private final int adminPort;

    private ArrayMember(String name, ChildJvm jvm, InetSocketAddress address, int adminPort) {
        this.name = name;
        this.jvm = jvm;
        this.address = address;
        this.adminPort = adminPort;
    }

    /** Starts member {@code name} relaying to the endpoints' ncacn_http {@code endpointPort} with {@code window}. */
    static ArrayMember start(Path dir, String name, int endpointPort, int window, Placement placement, Duration timeout) throws IOException {
        Path data = dir.resolve(name + "-data");
        Topology.writeAppliedConfig(data, endpointPort);
        List<String> options = new ArrayList<>(List.of("-Xms" + (HEAP_BYTES >> 20) + "m", "-Xmx" + (HEAP_BYTES >> 20) + "m",
                "-XX:+AlwaysPreTouch", "-XX:+UseG1GC"));
        if (placement.pinned()) {
            options.add("-XX:ActiveProcessorCount=1");
        }
        options.addAll(GatewayProcess.extraOptions());
        ChildJvm jvm = ChildJvm.start(name, dir, placement.relayPrefix(), options, ArrayGatewayMain.class,
                List.of(data.toString(), Integer.toString(window)));
        try {
            int admin = Integer.parseInt(jvm.next("ADMIN", timeout.plusSeconds(20)).substring("ADMIN ".length()).trim());
            int port = Integer.parseInt(jvm.next("LISTENING", timeout.plusSeconds(20)).substring("LISTENING ".length()).trim());
            return new ArrayMember(name, jvm, new InetSocketAddress("127.0.0.1", port), admin);
        } catch (IOException | RuntimeException e) {
            jvm.close();
            throw e;
        }
    }

    String name() {
        return name;
    }

    InetSocketAddress address() {
        return address;
    }

    /** How HAProxy sees this member: its listener, health-checked on its admin port. */
    HaproxyBalancer.Member asBalancerMember() {
        return new HaproxyBalancer.Member(name, address, adminPort);
    }

    long pid() {
        return jvm.pid();
    }

    /** CPU seconds (user + system) of the member's whole process so far. */
    double cpuSeconds() {
        return jvm.cpuSeconds();
    }

    /** SIGKILL: the process ends with every socket open, as a crashed member or a pulled plug would. */
    void kill() {
        jvm.kill();
    }

    boolean alive() {
        return jvm.alive();
    }

    @Override
    public void close() {
        jvm.close();
    }
}
