package dev.anywhere.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.server.endpoints.RpcEndpoints;
import dev.anywhere.server.net.NettyTransport;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The direct arm's client is as lean as the RPC over HTTP one: one flush per batch of calls. */
class DirectConnectionTest {

    @Test
    void callsReleasedTogetherLeaveInOneFlushAndAllAnswer() throws Exception {
        NettyTransport transport = ClientTransport.pick();
        EventLoopGroup group = transport.newGroup(1, "direct-test");
        try (RpcEndpoints endpoints = Topology.startEndpoints(true)) {
            InetSocketAddress tcp = new InetSocketAddress(endpoints.address(), endpoints.tcpPort().orElseThrow());
            DirectConnection c = DirectConnection.open(group, transport, tcp, InetAddress.getLoopbackAddress(),
                    Topology.ECHO_IFACE, Duration.ofSeconds(10));
            try {
                assertThat(c.echo(new byte[100]).get(10, TimeUnit.SECONDS)).isEqualTo(100);
                long before = c.flushes();
                // Eight calls released by one pass of the loop, as a batch of responses releases the next calls.
                CompletableFuture<List<CompletableFuture<Integer>>> issued = new CompletableFuture<>();
                group.next().execute(() -> {
                    List<CompletableFuture<Integer>> calls = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        calls.add(c.echo(new byte[16 * 1024 + i]));
                    }
                    issued.complete(calls);
                });
                List<CompletableFuture<Integer>> calls = issued.get(10, TimeUnit.SECONDS);
                for (int i = 0; i < calls.size(); i++) {
                    assertThat(calls.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(16 * 1024 + i);
                }
                assertThat(c.flushes() - before).as("flushes for eight calls queued together").isEqualTo(1);
            } finally {
                c.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5000);
        }
    }
}
