package dev.anywhere.bench.load;

import dev.anywhere.server.endpoints.RpcEndpoints;

/**
 * The RPC endpoints (echo interface, one ncacn_http port) in a JVM of their own, for the idle-capacity shards: prints
 * {@code LISTENING <port>}, then waits for {@code QUIT} or the end of stdin (see {@link ChildJvm}).
 */
public final class EndpointsMain {

    private EndpointsMain() {
    }

    public static void main(String[] args) throws Exception {
        RpcEndpoints endpoints = Topology.startEndpoints(false);
        System.out.println("LISTENING " + endpoints.ports().get(0));
        System.out.flush();
        try {
            ChildJvm.serve(command -> System.out.println("ERROR unknown command: " + command));
        } finally {
            endpoints.close();
        }
        System.exit(0);
    }
}
