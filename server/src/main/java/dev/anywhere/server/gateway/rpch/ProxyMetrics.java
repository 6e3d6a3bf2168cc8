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
    }

    /** One counter per (hop, direction), looked up once: acks come with every few PDUs. */
    private final java.util.concurrent.ConcurrentHashMap<String, Counter> acks = new java.util.concurrent.ConcurrentHashMap<>();

    void ack(String hop, String direction) {
        acks.computeIfAbsent(hop + '/' + direction,
                k -> registry.counter("anywhere.rpcproxy.flowcontrol.acks", "hop", hop, "direction", direction)).increment();
    }

    void failure(String reason) {
        registry.counter("anywhere.rpcproxy.failures", "reason", reason).increment();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
