package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One task per loop ticks every channel on it; a channel that goes stops being ticked; the last one ends the task. */
class TickSweeperTest {

    @Test
    void ticksEveryChannelOfTheLoopAndStopsWithTheLast() throws Exception {
        EventLoop loop = new DefaultEventLoop();
        try {
            AtomicInteger a = new AtomicInteger();
            AtomicInteger b = new AtomicInteger();
            TickSweeper.Tickable ta = a::incrementAndGet;
            TickSweeper.Tickable tb = b::incrementAndGet;
            TickSweeper.add(loop, 20, ta);
            TickSweeper.add(loop, 20, tb);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((a.get() < 3 || b.get() < 3) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(a.get()).isGreaterThanOrEqualTo(3);
            assertThat(b.get()).isGreaterThanOrEqualTo(3);
            TickSweeper.remove(loop, 20, ta);
            int aNow = loop.submit(a::get).get(5, TimeUnit.SECONDS);
            Thread.sleep(100);
            assertThat(a.get()).isEqualTo(aNow);
            assertThat(loop.submit(() -> TickSweeper.ticking(loop)).get(5, TimeUnit.SECONDS)).isEqualTo(1);
            TickSweeper.remove(loop, 20, tb);
            assertThat(loop.submit(() -> TickSweeper.ticking(loop)).get(5, TimeUnit.SECONDS)).isZero();
            int bNow = b.get();
            Thread.sleep(100);
            assertThat(b.get()).isEqualTo(bNow); // no task left to wake the loop
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aTickThatClosesItsChannelDoesNotDisturbTheSweep() throws Exception {
        EventLoop loop = new DefaultEventLoop();
        try {
            AtomicInteger other = new AtomicInteger();
            TickSweeper.Tickable[] self = new TickSweeper.Tickable[1];
            self[0] = () -> TickSweeper.remove(loop, 15, self[0]); // like an idle channel closing itself
            TickSweeper.add(loop, 15, self[0]);
            TickSweeper.add(loop, 15, other::incrementAndGet);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (other.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(other.get()).isGreaterThanOrEqualTo(3);
            assertThat(loop.submit(() -> TickSweeper.ticking(loop)).get(5, TimeUnit.SECONDS)).isEqualTo(1);
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
