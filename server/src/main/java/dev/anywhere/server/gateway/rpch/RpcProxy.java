package dev.anywhere.server.gateway.rpch;

import dev.anywhere.server.gateway.BackendResolver;

/**
 * The RPC over HTTP proxy of one gateway: opens an {@link InboundProxy} or {@link OutboundProxy} for each permitted
 * IN or OUT channel. The caller has authenticated the request and checked ValidPorts on {@code server:port}; the
 * proxy binds each virtual connection to the account that opened it ({@link VirtualConnectionOwners}).
 *
 * @see [MS-RPCH] 3.2.3 RPC over HTTP proxy details
 */
public final class RpcProxy {

    private final ProxySettings settings;
    private final BackendResolver resolver;
    private final ProxyMetrics metrics;
    private final VirtualConnectionOwners owners;

    public RpcProxy(ProxySettings settings, BackendResolver resolver, ProxyMetrics metrics) {
        this(settings, resolver, metrics, new VirtualConnectionOwners());
    }

    RpcProxy(ProxySettings settings, BackendResolver resolver, ProxyMetrics metrics, VirtualConnectionOwners owners) {
        this.settings = settings;
        this.resolver = resolver;
        this.metrics = metrics;
        this.owners = owners;
    }

    /** An IN channel of {@code account} (the authenticated account name) whose body is about to arrive. */
    public ProxyChannel inbound(ClientLeg client, String account, String server, int port) {
        return new InboundProxy(client, new ProxyChannel.Owner(account, owners), server, port, settings, resolver, metrics);
    }

    /** An OUT channel (CONN/A1) or, with {@code replacement}, a replacement OUT channel (OUT_R1/A3) of {@code account}. */
    public ProxyChannel outbound(ClientLeg client, String account, String server, int port, boolean replacement) {
        return new OutboundProxy(client, new ProxyChannel.Owner(account, owners), server, port, replacement, settings,
                resolver, metrics);
    }

    public ProxySettings settings() {
        return settings;
    }
}
