package dev.anywhere.server.gateway.rpch;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The periodic keep-alive and idle checks ({@link ProxyChannel#tick()}) of every proxy channel on one event loop, run
 * by one task per loop and period instead of one timer per channel. With one timer each, 4,000 idle virtual
 * connections (8,000 channels) woke a loop about 270 times a second and cost an idle gateway about 3 % of a CPU; one
 * sweep per period costs a wake-up and a pass over the channels. Channels are ticked at the same period as before, so
 * pings and idle time-outs fall due within one period as they did. Everything here runs on the loop.
 */
final class TickSweeper {

    /** What a sweep ticks: a proxy channel. */
    interface Tickable {
        void tick();
    }

    private record Key(EventLoop loop, long periodMillis) {
    }

    private static final Map<Key, TickSweeper> SWEEPERS = new ConcurrentHashMap<>();

    private final Key key;
    private final Set<Tickable> channels = new LinkedHashSet<>();
    private ScheduledFuture<?> task;

    private TickSweeper(Key key) {
        this.key = key;
    }

    /** Ticks {@code channel} every {@code periodMillis} on {@code loop} until {@link #remove}. */
    static void add(EventLoop loop, long periodMillis, Tickable channel) {
        onLoop(loop, () -> {
            TickSweeper s = SWEEPERS.computeIfAbsent(new Key(loop, periodMillis), TickSweeper::new);
            s.channels.add(channel);
            if (s.task == null) {
                s.task = loop.scheduleAtFixedRate(s::sweep, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Stops ticking {@code channel}; the loop's task ends with its last channel. */
    static void remove(EventLoop loop, long periodMillis, Tickable channel) {
        onLoop(loop, () -> {
            TickSweeper s = SWEEPERS.get(new Key(loop, periodMillis));
            if (s != null && s.channels.remove(channel) && s.channels.isEmpty()) {
                s.stop();
            }
        });
    }

    private void sweep() {
        // a tick may close its channel (and remove it from the set), so tick a snapshot
        for (Tickable c : new ArrayList<>(channels)) {
            c.tick();
        }
        if (channels.isEmpty()) {
            stop();
        }
    }

    private void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        SWEEPERS.remove(key, this);
    }

    /** How many channels the sweepers of {@code loop} tick (tests). */
    static int ticking(EventLoop loop) {
        return SWEEPERS.entrySet().stream().filter(e -> e.getKey().loop() == loop).mapToInt(e -> e.getValue().channels.size()).sum();
    }

    private static void onLoop(EventLoop loop, Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            try {
                loop.execute(r);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the loop is shutting down: its tasks and channels go with it
            }
        }
    }
}
