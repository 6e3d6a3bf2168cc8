package dev.anywhere.bench.load;

import dev.anywhere.lab.router.HaproxyBalancer;
import dev.anywhere.server.endpoints.RpcEndpoints;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench's client access array on loopback: the RPC endpoints in this JVM (echo interface, ncacn_http), two gateway
 * members in processes of their own ({@link ArrayMember}), and HAProxy in front of them with the configuration
 * docs/scale-out.md gives for production ({@link HaproxyBalancer#config}: TCP mode, round robin without affinity,
 * {@code /health} checks every second, {@code retries 2} and {@code option redispatch 1}), so the IN and OUT channel of
 * one virtual connection may land on different members. For the throughput arms a second HAProxy with the first member
 * alone fronts it with the same configuration, so "one member behind HAProxy" and "two members behind HAProxy" differ
 * in the member count only.
 */
final class ArrayTopology implements AutoCloseable {

    /** HAProxy's client and server timeouts, as in production (an idle channel may wait 15 minutes for a ping). */
    static final Duration IDLE_TIMEOUT = Duration.ofHours(3);

    private final RpcEndpoints endpoints;
    private final List<ArrayMember> members;
    private final HaproxyBalancer both;
    private final HaproxyBalancer first;

    private ArrayTopology(RpcEndpoints endpoints, List<ArrayMember> members, HaproxyBalancer both, HaproxyBalancer first) {
        this.endpoints = endpoints;
        this.members = members;
        this.both = both;
        this.first = first;
    }

    /**
     * Starts the endpoints with {@code window}, members gw1 and gw2 (placed by {@code placement}), HAProxy over both
     * and, when {@code firstAlone}, a second HAProxy over gw1 alone; both HAProxy processes on the relay CPU.
     */
    static ArrayTopology start(Path dir, int window, Placement placement, Duration timeout, boolean firstAlone) throws Exception {
        RpcEndpoints endpoints = Topology.inGroup(Topology.BACKEND_THREADS, () -> Topology.startEndpoints(false, window));
        List<ArrayMember> members = new ArrayList<>();
        HaproxyBalancer both = null;
        try {
            int port = endpoints.ports().get(0);
            members.add(ArrayMember.start(dir, "gw1", port, window, placement, timeout));
            members.add(ArrayMember.start(dir, "gw2", port, window, placement, timeout));
            both = balancer(dir.resolve("haproxy-two"), members, placement);
            HaproxyBalancer alone = firstAlone ? balancer(dir.resolve("haproxy-one"), members.subList(0, 1), placement) : null;
            return new ArrayTopology(endpoints, members, both, alone);
        } catch (Exception | Error e) {
            if (both != null) {
                both.close();
            }
            members.forEach(ArrayMember::close);
            endpoints.close();
            throw e;
        }
    }

    private static HaproxyBalancer balancer(Path dir, List<ArrayMember> members, Placement placement) throws IOException {
        if (HaproxyBalancer.find().isEmpty()) {
            throw new IOException("haproxy: not installed (expected: the Debian package haproxy)");
        }
        HaproxyBalancer b = HaproxyBalancer.start(dir, new InetSocketAddress("127.0.0.1", RpchBench.freePort()),
                members.stream().map(ArrayMember::asBalancerMember).toList(), IDLE_TIMEOUT);
        placement.pinRelay(b.pid());
        return b;
    }

    /** The endpoints' ncacn_http port: what clients name in the request URI and the members relay to. */
    int endpointPort() {
        return endpoints.ports().get(0);
    }

    ArrayMember member(int i) {
        return members.get(i);
    }

    List<ArrayMember> members() {
        return members;
    }

    /** HAProxy in front of both members. */
    HaproxyBalancer balancer() {
        return both;
    }

    /** HAProxy in front of gw1 alone (only when started with {@code firstAlone}). */
    HaproxyBalancer balancerOfFirst() {
        if (first == null) {
            throw new IllegalStateException("started without the single-member balancer");
        }
        return first;
    }

    /** Every process of the array (both HAProxy processes and the members still alive), for the machine-load check. */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        pids.add(both.pid());
        if (first != null) {
            pids.add(first.pid());
        }
        members.stream().filter(ArrayMember::alive).forEach(m -> pids.add(m.pid()));
        return pids;
    }

    @Override
    public void close() {
        if (first != null) {
            first.close();
        }
        both.close();
        members.forEach(ArrayMember::close);
        endpoints.close();
    }
}
