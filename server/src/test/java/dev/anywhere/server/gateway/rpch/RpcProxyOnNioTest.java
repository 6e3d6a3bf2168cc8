package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.server.net.NettyTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every {@link RpcProxyTest} with the gateway on NIO, the transport wherever no native one loads ({@code auto} picks epoll here). */
class RpcProxyOnNioTest extends RpcProxyTest {

    @BeforeAll
    static void nio() {
        System.setProperty(NettyTransport.PROPERTY, "nio");
    }

    @AfterAll
    static void clear() {
        System.clearProperty(NettyTransport.PROPERTY);
    }

    @Test
    void healthNamesTheTransport() {
        assertThat(gateway.health().json()).contains("\"transport\":\"nio\"").doesNotContain("transportFallback");
    }
}
