package dev.anywhere.server.endpoints;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

/**
 * Writes to one leg of a virtual connection from any thread, in the order of the calls. A {@link VirtualConnection}
 * writes under its lock from both legs' event loops; a write made directly on the leg's own loop could overtake
 * writes still queued from the other thread and reorder fragments, so every write goes through here. What arrives
 * while a batch is pending joins it: one event-loop task and one flush (writev) per batch instead of one task and one
 * flush per PDU.
 */
final class LegWriter implements Runnable {

    private static final AttributeKey<LegWriter> KEY = AttributeKey.valueOf(LegWriter.class, "writer");

    private final Channel channel;
    /** What the next task writes; null while nothing waits, so an idle leg holds no queue. Guarded by this. */
    private ArrayDeque<ByteBuf> pending;
    /** A task to write {@link #pending} is queued on the event loop; guarded by this. */
    private boolean scheduled;

    private LegWriter(Channel channel) {
        this.channel = channel;
    }

    /** The writer of {@code channel} (one per channel, created on first use). */
    static LegWriter of(Channel channel) {
        LegWriter w = channel.attr(KEY).get();
        if (w == null) {
            LegWriter created = new LegWriter(channel);
            w = channel.attr(KEY).setIfAbsent(created);
            if (w == null) {
                w = created;
            }
        }
        return w;
    }

    /** Queues {@code msg}, an encoded PDU (ownership passes), to be written and flushed on the channel's event loop. */
    void write(ByteBuf msg) {
        boolean schedule;
        synchronized (this) {
            if (pending == null) {
                pending = new ArrayDeque<>(8);
            }
            pending.add(msg);
            schedule = !scheduled;
            scheduled = true;
        }
        if (schedule) {
            try {
                channel.eventLoop().execute(this);
            } catch (RejectedExecutionException e) {
                // The loop is shutting down; nothing is left to write to.
                synchronized (this) {
                    scheduled = false;
                    if (pending != null) {
                        pending.forEach(ReferenceCountUtil::release);
                        pending = null;
                    }
                }
            }
        }
    }

    /**
     * Writes the batch and flushes once. A write queued meanwhile schedules the next task, which runs after this one
     * (the loop's tasks run in order), so order holds across batches; so does a task queued after a write, e.g. the
     * close after the last PDUs.
     */
    @Override
    public void run() {
        ArrayDeque<ByteBuf> batch;
        synchronized (this) {
            batch = pending;
            pending = null;
            scheduled = false;
        }
        if (batch == null) {
            return;
        }
        for (ByteBuf msg; (msg = batch.poll()) != null; ) {
            // Not the void promise: a write to a closed leg fails quietly, as before, instead of firing exceptionCaught.
            channel.write(msg);
        }
        channel.flush();
    }
}
