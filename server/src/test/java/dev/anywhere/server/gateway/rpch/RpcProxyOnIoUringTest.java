package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.testing.Peers;
import dev.anywhere.server.net.NettyTransport;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every {@link RpcProxyTest} with the gateway on native io_uring (the client side and the server legs on the same event
 * loops): flow control, batching and every failure path behave as on NIO. Linux x86-64 only; required under CI=true.
 */
class RpcProxyOnIoUringTest extends RpcProxyTest {

    @BeforeAll
    static void ioUring() {
        Peers.require(IoUring.isAvailable(), "Netty's native io_uring transport (linux-x86_64)");
        System.setProperty(NettyTransport.PROPERTY, "io_uring");
    }

    @AfterAll
    static void clear() {
        System.clearProperty(NettyTransport.PROPERTY);
    }

    @Test
    void healthNamesTheTransport() {
        assertThat(gateway.health().json()).contains("\"transport\":\"io_uring\"").doesNotContain("transportFallback");
    }
}
