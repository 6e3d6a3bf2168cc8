package dev.anywhere.server.gateway;

import dev.anywhere.server.net.NettyTransport;
import java.time.Duration;

/**
 * The HTTPS listener's limits on its connections, as IIS (HTTP.sys) and nginx have them; the table with both servers'
 * equivalents is in docs/rpc-proxy.md. RPC_IN_DATA / RPC_OUT_DATA channels are not cut by these timeouts once their
 * request head has arrived: their bodies stream for the channel's lifetime and the proxy's own keep-alive and idle
 * rules govern them.
 *
 * @param tlsHandshakeTimeout from accept to a finished TLS handshake (also bounds the wait for a ClientHello)
 * @param requestHeaderTimeout a whole request head must arrive within it, counted from its first byte (from the end
 *        of the handshake for a connection's first request); the bodies the gateway reads itself (Autodiscover, and
 *        refused requests it drains) must end within it too
 * @param keepAliveTimeout how long a connection may sit idle between a response and the next request's first byte
 * @param maxConnections open connections above which a new one is closed at accept, before any byte is exchanged
 * @param ioThreads the connections' event loops (threads): 0 for one per available CPU ({@link #eventLoops()}), as
 *        nginx's {@code worker_processes auto} and HAProxy's {@code nbthread} default
 */
public record ListenerLimits(Duration tlsHandshakeTimeout, Duration requestHeaderTimeout, Duration keepAliveTimeout,
        int maxConnections, int ioThreads) {

    /** The most event loops {@code ioThreads} may ask for: far beyond any CPU count a gateway runs on. */
    public static final int MAX_IO_THREADS = 256;

    public ListenerLimits {
        positive("tls-handshake-timeout", "TLS handshake timeout", tlsHandshakeTimeout);
        positive("request-header-timeout", "request header timeout", requestHeaderTimeout);
        positive("keep-alive-timeout", "keep-alive timeout", keepAliveTimeout);
        if (maxConnections < 1) {
            throw new dev.anywhere.rpc.input.InvalidValue("limits.max-connections", Integer.toString(maxConnections),
                    "maximum connections: " + maxConnections + " (expected: 1 or more)");
        }
        if (ioThreads < 0 || ioThreads > MAX_IO_THREADS) {
            throw new dev.anywhere.rpc.input.InvalidValue("limits.io-threads", Integer.toString(ioThreads),
                    "I/O threads: " + ioThreads + " (expected: 0 for one per CPU, or 1 to " + MAX_IO_THREADS + ")");
        }
    }

    /** How many event loops serve the connections: {@code ioThreads}, or for 0 {@link NettyTransport#oneLoopPerCpu()}. */
    public int eventLoops() {
        return ioThreads > 0 ? ioThreads : NettyTransport.oneLoopPerCpu();
    }

    /**
     * 10 s handshake, 30 s request head, 120 s keep-alive (IIS's connectionTimeout), 50,000 connections: room for the
     * 20,000 idle virtual connections (two connections each) the gateway is sized for (docs/performance.md); one
     * event loop per CPU.
     */
    public static ListenerLimits defaults() {
        return new ListenerLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(120), 50_000, 0);
    }

    public ListenerLimits withTlsHandshakeTimeout(Duration timeout) {
        return new ListenerLimits(timeout, requestHeaderTimeout, keepAliveTimeout, maxConnections, ioThreads);
    }

    public ListenerLimits withRequestHeaderTimeout(Duration timeout) {
        return new ListenerLimits(tlsHandshakeTimeout, timeout, keepAliveTimeout, maxConnections, ioThreads);
    }

    public ListenerLimits withKeepAliveTimeout(Duration timeout) {
        return new ListenerLimits(tlsHandshakeTimeout, requestHeaderTimeout, timeout, maxConnections, ioThreads);
    }

    public ListenerLimits withMaxConnections(int max) {
        return new ListenerLimits(tlsHandshakeTimeout, requestHeaderTimeout, keepAliveTimeout, max, ioThreads);
    }

    public ListenerLimits withIoThreads(int threads) {
        return new ListenerLimits(tlsHandshakeTimeout, requestHeaderTimeout, keepAliveTimeout, maxConnections, threads);
    }

    /** A timeout must be more than 0; {@code key} names it for a translated message ({@code limits.keep-alive-timeout}). */
    private static void positive(String key, String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            String value = d == null ? "none" : dev.anywhere.server.configurator.Durations.format(d);
            throw new dev.anywhere.rpc.input.InvalidValue("limits." + key, value, what + ": " + value + " (expected: more than 0 s)");
        }
    }
}
