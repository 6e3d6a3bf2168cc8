package dev.anywhere.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NettyTransportTest {

    @AfterEach
    void clear() {
        System.clearProperty(NettyTransport.PROPERTY);
    }

    @Test
    void anUnknownChoiceIsRefusedNamingTheChoices() {
        assertThatThrownBy(() -> NettyTransport.Choice.parse("kqueue")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("transport: 'kqueue' (expected: auto, epoll, io_uring or nio)");
        System.setProperty(NettyTransport.PROPERTY, "uring");
        assertThatThrownBy(NettyTransport::configured).hasMessage("transport: 'uring' (expected: auto, epoll, io_uring or nio)");
    }

    @Test
    void choicesParseCaseInsensitively() {
        assertThat(NettyTransport.Choice.parse("IO_URING")).isEqualTo(NettyTransport.Choice.IO_URING);
        assertThat(NettyTransport.Choice.parse(" nio ")).isEqualTo(NettyTransport.Choice.NIO);
    }

    @Test
    void nioIsNioWithoutAFallbackReason() {
        NettyTransport t = NettyTransport.choose(NettyTransport.Choice.NIO);
        assertThat(t.name()).isEqualTo("nio");
        assertThat(t.fallbackReason()).isNull();
        assertThat(t.socketChannel()).isEqualTo(NioSocketChannel.class);
    }

    @Test
    void aNativeTransportRunsWhereItLoadsElseNioSaysWhy() {
        NettyTransport epoll = NettyTransport.choose(NettyTransport.Choice.EPOLL);
        if (Epoll.isAvailable()) {
            assertThat(epoll.describe()).isEqualTo("epoll");
            assertThat(epoll.socketChannel()).isEqualTo(EpollSocketChannel.class);
        } else {
            assertThat(epoll.name()).isEqualTo("nio");
            assertThat(epoll.fallbackReason()).startsWith("epoll unavailable: ");
        }
        NettyTransport uring = NettyTransport.choose(NettyTransport.Choice.IO_URING);
        if (IoUring.isAvailable()) {
            assertThat(uring.describe()).isEqualTo("io_uring");
            assertThat(uring.socketChannel()).isEqualTo(IoUringSocketChannel.class);
        } else {
            assertThat(uring.name()).isEqualTo("nio");
            assertThat(uring.fallbackReason()).startsWith("io_uring unavailable: ");
        }
    }

    @Test
    void autoPrefersEpollThenIoUringThenNio() {
        String expected = Epoll.isAvailable() ? "epoll" : IoUring.isAvailable() ? "io_uring" : "nio";
        assertThat(NettyTransport.choose(NettyTransport.Choice.AUTO).name()).isEqualTo(expected);
        assertThat(NettyTransport.configured().name()).isEqualTo(expected); // unset property: auto
        System.setProperty(NettyTransport.PROPERTY, "nio");
        assertThat(NettyTransport.configured().name()).isEqualTo("nio");
    }

    @Test
    void aConnectionFromAnotherChannelsLoopUsesThatChannelsTransport() {
        assertThat(NettyTransport.socketChannelFor(new EmbeddedChannel())).isEqualTo(NioSocketChannel.class);
        assertThat(NettyTransport.socketChannelFor(new NioSocketChannel())).isEqualTo(NioSocketChannel.class);
        if (Epoll.isAvailable()) {
            assertThat(NettyTransport.socketChannelFor(new EpollSocketChannel())).isEqualTo(EpollSocketChannel.class);
        }
    }

    /** A named group's threads carry the prefix and do not keep the JVM alive (a profile tells the groups apart). */
    @Test
    void aNamedGroupsThreadsCarryThePrefixAndAreDaemons() throws Exception {
        io.netty.channel.EventLoopGroup group = NettyTransport.choose(NettyTransport.Choice.NIO).newGroup(1, "load-test");
        try {
            Thread t = group.next().submit(Thread::currentThread).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(t.getName()).startsWith("load-test-");
            assertThat(t.isDaemon()).isTrue();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(5000);
        }
    }
}
