package dev.anywhere.server.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Writes to a leg from any thread: call order kept, one task and one flush per batch. */
class LegWriterTest {

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private static String read(EmbeddedChannel ch) {
        ByteBuf b = ch.readOutbound();
        try {
            return b.toString(StandardCharsets.US_ASCII);
        } finally {
            b.release();
        }
    }

    @Test
    void aBatchIsWrittenInOrderWithOneFlush() {
        AtomicInteger flushes = new AtomicInteger();
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes.incrementAndGet();
                ctx.flush();
            }
        });
        LegWriter w = LegWriter.of(ch);
        assertThat(LegWriter.of(ch)).isSameAs(w);
        w.write(text("a"));
        w.write(text("b"));
        w.write(text("c"));
        assertThat((Object) ch.readOutbound()).isNull(); // nothing before the loop runs the batch
        ch.runPendingTasks();
        assertThat(flushes).hasValue(1);
        assertThat(List.of(read(ch), read(ch), read(ch))).containsExactly("a", "b", "c");
        w.write(text("d"));
        ch.runPendingTasks();
        assertThat(flushes).hasValue(2);
        assertThat(read(ch)).isEqualTo("d");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void writesFromTwoThreadsKeepEachThreadsOrderAndAllArrive() throws Exception {
        EventLoopGroup group = new DefaultEventLoopGroup(2);
        try {
            LocalAddress address = new LocalAddress("leg-writer-test");
            List<String> received = new CopyOnWriteArrayList<>();
            int perThread = 2_000;
            CountDownLatch all = new CountDownLatch(2 * perThread + 1); // and the one from the leg's loop
            Channel server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInitializer<LocalChannel>() {
                        @Override
                        protected void initChannel(LocalChannel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ByteBuf b = (ByteBuf) msg;
                                    while (b.isReadable()) {
                                        received.add(b.readCharSequence(6, StandardCharsets.US_ASCII).toString());
                                        all.countDown();
                                    }
                                    b.release();
                                }
                            });
                        }
                    }).bind(address).sync().channel();
            Channel client = new Bootstrap().group(group).channel(LocalChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(address).sync().channel();
            LegWriter w = LegWriter.of(client);
            Object lock = new Object(); // the virtual connection's lock, as in VirtualConnection
            List<Thread> threads = new ArrayList<>();
            for (String prefix : List.of("a", "b")) {
                threads.add(new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        synchronized (lock) {
                            w.write(text(prefix + String.format("%05d", i)));
                        }
                    }
                }));
            }
            threads.add(new Thread(() -> client.eventLoop().execute(() -> {
                synchronized (lock) {
                    w.write(text("z00000")); // from the leg's own loop
                }
            })));
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(received).hasSize(2 * perThread + 1).contains("z00000");
            for (String prefix : List.of("a", "b")) {
                List<String> mine = received.stream().filter(s -> s.startsWith(prefix)).toList();
                assertThat(mine).hasSize(perThread);
                for (int i = 0; i < perThread; i++) {
                    assertThat(mine.get(i)).isEqualTo(prefix + String.format("%05d", i));
                }
            }
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
