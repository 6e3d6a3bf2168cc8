package dev.anywhere.bench.load;

import dev.anywhere.server.net.NettyTransport;

/**
 * The Netty transport and event-loop count of the bench's load clients. Every client arm (the RPC over HTTP load client
 * and the direct ncacn_ip_tcp client of the direct and HAProxy arms) runs on the same ones, so no reference arm is
 * slowed by a costlier client: until session 9 the direct client ran on NIO with four loops on one CPU, about twice
 * the system calls per GiB (docs/performance.md, "A fair reference client").
 */
public final class ClientTransport {

    /** {@code -Dlean.vc.nio=true} forces NIO (to compare, or where the native library misbehaves). */
    static final String FORCE_NIO = "lean.vc.nio";

    private ClientTransport() {
    }

    /**
     * Epoll, or NIO where it cannot load (the reason in {@link NettyTransport#describe()}) or is refused by
     * {@value #FORCE_NIO}. Not the bench's {@code --transport}: that one is the relays' and the endpoints' under test.
     */
    public static NettyTransport pick() {
        return NettyTransport.choose(Boolean.getBoolean(FORCE_NIO) ? NettyTransport.Choice.NIO : NettyTransport.Choice.EPOLL);
    }

    /** Event loops for a load client: one per CPU this JVM may use, at most four (one when pinned to one CPU). */
    public static int defaultIoThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }
}
