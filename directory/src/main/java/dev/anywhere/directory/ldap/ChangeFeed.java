package dev.anywhere.directory.ldap;

import dev.anywhere.directory.ChangeMechanism;
import dev.anywhere.directory.ChangeSubscription;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running change feed: one daemon thread that polls or reconnects and runs the listener, so listener calls never
 * overlap and never run on an LDAP SDK reader thread.
 *
 * <p>The listener also runs once when the feed loses the directory ({@link #lost()}): the caller then reads the
 * directory itself, finds it unreachable and says so (the service host: event 2001, retries), instead of waiting
 * silently for a change that cannot come.
 */
abstract class ChangeFeed implements ChangeSubscription {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

    private final ChangeMechanism mechanism;
    private final Runnable listener;
    protected final ScheduledExecutorService executor;
    protected volatile boolean closed;
    private final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);

    ChangeFeed(ChangeMechanism mechanism, Runnable listener) {
        this.mechanism = mechanism;
        this.listener = listener;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "anywhere-directory-watch-" + mechanism.name().toLowerCase(java.util.Locale.ROOT));
            t.setDaemon(true);
            return t;
        });
    }

    abstract void start();

    private final java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();

    /** The feed is live: every change from now on will fire. */
    protected void established() {
        down.set(false);
        ready.countDown();
    }

    /** The feed cannot reach the directory: fires once per outage (until {@link #established()} again). */
    protected void lost() {
        if (down.compareAndSet(false, true)) {
            fire();
        }
    }

    /** Waits until the feed is live; false when it is still (re)connecting after {@code timeout}. */
    boolean awaitEstablished(java.time.Duration timeout) {
        try {
            return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public ChangeMechanism mechanism() {
        return mechanism;
    }

    /** Runs the listener on the feed thread. */
    protected void fire() {
        if (closed) {
            return;
        }
        try {
            executor.execute(() -> {
                if (closed) {
                    return;
                }
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    LOG.warn("directory change listener failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    protected void schedule(Runnable task, long delayMillis) {
        if (closed) {
            return;
        }
        try {
            executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        stop();
    }

    /** Releases connections; called once by {@link #close()}. */
    protected void stop() {
    }
}
