package dev.anywhere.server.gateway;

import dev.anywhere.server.events.Event;
import dev.anywhere.server.events.EventLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's events, written to the data directory's event log on one thread of their own, so that an event loop
 * never waits on the disk. When a burst fills the queue (a password-guessing run), the excess is dropped and
 * counted in {@code anywhere.gateway.events.dropped}; the metrics still count every failure.
 */
final class GatewayEvents implements AutoCloseable {

    static final int QUEUE = 1_000;

    private static final Logger log = LoggerFactory.getLogger(GatewayEvents.class);

    private final EventLog eventLog;
    private final ThreadPoolExecutor writer;
    private final Counter dropped;

    GatewayEvents(EventLog eventLog, MeterRegistry metrics) {
        this.eventLog = eventLog;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "gateway-events");
            t.setDaemon(true);
            return t;
        });
        this.dropped = metrics.counter("anywhere.gateway.events.dropped");
    }

    void write(Event event) {
        try {
            writer.execute(() -> {
                try {
                    eventLog.write(event);
                } catch (RuntimeException e) {
                    log.warn("gateway: cannot write event {}: {}", event.id(), e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            dropped.increment();
        }
    }

    /** Writes what is queued (bounded), then stops. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
