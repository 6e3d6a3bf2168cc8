package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.testing.Peers;
import dev.anywhere.server.net.NettyTransport;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every {@link RpcProxyTest} with the gateway on native epoll (the client side and the server legs on the same event
 * loops): flow control, batching and every failure path behave as on NIO. Linux x86-64 only; required under CI=true.
 */
class RpcProxyOnEpollTest extends RpcProxyTest {

    @BeforeAll
    static void epoll() {
        Peers.require(Epoll.isAvailable(), "Netty's native epoll transport (linux-x86_64)");
        System.setProperty(NettyTransport.PROPERTY, "epoll");
    }

    @AfterAll
    static void clear() {
        System.clearProperty(NettyTransport.PROPERTY);
    }

    @Test
    void healthNamesTheTransport() {
        assertThat(gateway.health().json()).contains("\"transport\":\"epoll\"").doesNotContain("transportFallback");
    }
}
