package dev.anywhere.bench.load;

import dev.anywhere.server.endpoints.RpcEndpoints;

/**
 * The RPC endpoints (echo interface, one ncacn_http port) in a JVM of their own, for the idle-capacity shards and the
 * soak (which restarts them): {@code [<port>]} (default: any free port). Prints {@code LISTENING <port>}, then answers
 * {@code HEAP} and waits for {@code QUIT} or the end of stdin (see {@link ChildJvm}).
 */
public final class EndpointsMain {

    private EndpointsMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        RpcEndpoints endpoints = Topology.startEndpoints(false, RpcEndpoints.Limits.DEFAULT.receiveWindow(), port);
        ChildJvm.listenAndServe(endpoints.ports().get(0), endpoints);
    }
}
