package dev.anywhere.lab.router;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One port forwarding rule of the router: what happens to a TCP connection to {@code public:port}.
 *
 * @param publicPort the port on the router's public address (already mapped by the port policy)
 * @param action what the router does with it
 * @param target where {@link Action#FORWARD} relays to (DNAT); empty for the other actions
 */
public record RouterRule(int publicPort, Action action, Optional<InetSocketAddress> target) {

    /** What the router does with a connection. */
    public enum Action {
        /** DNAT: relay the bytes intact both ways to {@link #target()} (the right host or, as a fault, a wrong one). */
        FORWARD,
        /** No rule: nothing listens on the public port, the client's connect is refused. */
        ABSENT,
        /** The router's own HTTPS (or HTTP on a plain port) login page answers: "something else answers on 443". */
        ROUTER_PAGE
    }

    public RouterRule {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        if (publicPort < 1 || publicPort > 65535) {
            throw new IllegalArgumentException("router rule port: " + publicPort + " (expected: 1..65535)");
        }
        if ((action == Action.FORWARD) != target.isPresent()) {
            throw new IllegalArgumentException("router rule " + publicPort + ": " + action + " with target " + target
                    + " (expected: a target exactly for FORWARD)");
        }
    }

    public static RouterRule forward(int publicPort, InetSocketAddress target) {
        return new RouterRule(publicPort, Action.FORWARD, Optional.of(target));
    }

    public static RouterRule absent(int publicPort) {
        return new RouterRule(publicPort, Action.ABSENT, Optional.empty());
    }

    public static RouterRule routerPage(int publicPort) {
        return new RouterRule(publicPort, Action.ROUTER_PAGE, Optional.empty());
    }

    @Override
    public String toString() {
        return switch (action) {
            case FORWARD -> "tcp/" + publicPort + " -> " + target.get().getHostString() + ":" + target.get().getPort();
            case ABSENT -> "tcp/" + publicPort + " (no rule: refused)";
            case ROUTER_PAGE -> "tcp/" + publicPort + " -> the router's own login page";
        };
    }
}
