package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.testing.Peers;
import dev.anywhere.server.net.NettyTransport;
import org.junit.jupiter.api.Test;

/**
 * Every {@link RpcProxyTest} with the gateway on one Netty transport (the client side and the server legs on the same
 * event loops): flow control, batching and every failure path behave alike on each. The native ones need
 * linux-x86_64; required under CI=true.
 */
abstract class RpcProxyOnTransportTest extends RpcProxyTest {

    abstract NettyTransport.Choice transport();

    @Override
    void startGateway(ProxySettings settings) throws Exception {
        String id = transport().id();
        Peers.require(NettyTransport.choose(transport()).name().equals(id), "Netty's " + id + " transport (linux-x86_64)");
        System.setProperty(NettyTransport.PROPERTY, id); // read when the gateway starts
        try {
            super.startGateway(settings);
        } finally {
            System.clearProperty(NettyTransport.PROPERTY);
        }
    }

    @Test
    void healthNamesTheTransport() {
        assertThat(gateway.health().json()).contains("\"transport\":\"" + transport().id() + "\"").doesNotContain("transportFallback");
    }
}
