package dev.anywhere.server.gateway.rpch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The RPC over HTTP proxy's meters: {@code anywhere.rpcproxy.channels.active{channel=in|out}},
 * {@code anywhere.rpcproxy.bytes{direction=client_to_server|server_to_client}},
 * {@code anywhere.rpcproxy.flowcontrol.acks{hop, direction=sent|received}}, {@code anywhere.rpcproxy.pings{direction=sent|received}},
 * {@code anywhere.rpcproxy.failures{reason}}.
 */
public final class ProxyMetrics {

    private final MeterRegistry registry;
    final AtomicInteger activeIn = new AtomicInteger();
    final AtomicInteger activeOut = new AtomicInteger();
    final Counter bytesToServer;
    final Counter bytesToClient;
    final Counter pingsSent;
    final Counter pingsReceived;

    public ProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("anywhere.rpcproxy.channels.active", activeIn, AtomicInteger::get).tag("channel", "in").register(registry);
        Gauge.builder("anywhere.rpcproxy.channels.active", activeOut, AtomicInteger::get).tag("channel", "out").register(registry);
        bytesToServer = registry.counter("anywhere.rpcproxy.bytes", "direction", "client_to_server");
        bytesToClient = registry.counter("anywhere.rpcproxy.bytes", "direction", "server_to_client");
        pingsSent = registry.counter("anywhere.rpcproxy.pings", "direction", "sent");
        pingsReceived = registry.counter("anywhere.rpcproxy.pings", "direction", "received");
        acksClientToProxySent = acks("client_to_proxy", "sent");
        acksServerToProxySent = acks("server_to_proxy", "sent");
        acksProxyToClientReceived = acks("proxy_to_client", "received");
        acksProxyToServerReceived = acks("proxy_to_server", "received");
    }

    /*
     * The four acknowledgement counters the proxy moves, each registered once: acks come with every few PDUs, and a
     * look-up by name cost a string and a lambda each time (JFR, docs/performance.md).
     */
    final Counter acksClientToProxySent;
    final Counter acksServerToProxySent;
    final Counter acksProxyToClientReceived;
    final Counter acksProxyToServerReceived;

    private Counter acks(String hop, String direction) {
        return registry.counter("anywhere.rpcproxy.flowcontrol.acks", "hop", hop, "direction", direction);
    }

    void failure(String reason) {
        registry.counter("anywhere.rpcproxy.failures", "reason", reason).increment();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
