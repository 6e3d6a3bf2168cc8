package dev.anywhere.lab.topology;

import java.net.InetSocketAddress;

/**
 * The port policy decided for one run: whether well-known ports below 1024 are shifted, and by how much.
 *
 * @param shifted whether ports below 1024 are shifted
 * @param offset the shift
 */
public record PortMap(boolean shifted, int offset) {

    /** The port map {@code policy} gives in this process. */
    public static PortMap of(PortPolicy policy) {
        return new PortMap(policy.shiftedHere(), policy.offset());
    }

    /** The port map {@code policy} gives for a process that may ({@code privileged}) or may not bind below 1024. */
    public static PortMap of(PortPolicy policy, boolean privileged) {
        return new PortMap(policy.shifted(privileged), policy.offset());
    }

    /** The real port for {@code wellKnown}. */
    public int port(int wellKnown) {
        return shifted && wellKnown < 1024 ? wellKnown + offset : wellKnown;
    }

    /** The socket address of {@code service} on {@code host}, e.g. ({@code ex1}, {@code https}) → 127.0.100.251:443. */
    public InetSocketAddress socket(Topology topology, String host, Service service) {
        int wellKnown = topology.host(host).flatMap(h -> h.port(service)).orElseThrow(
                () -> new TopologyException(TopologyText.of("host.no-port-short", "host", host, "service", service.id())));
        return new InetSocketAddress(topology.address(host), port(wellKnown));
    }

    /** The socket address of a {@code host:port} target with a well-known port. */
    public InetSocketAddress socket(Topology topology, Topology.Target target) {
        return new InetSocketAddress(topology.address(target.host()), port(target.port()));
    }
}
