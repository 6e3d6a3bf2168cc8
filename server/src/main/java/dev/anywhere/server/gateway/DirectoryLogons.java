package dev.anywhere.server.gateway;

import dev.anywhere.directory.DirectoryException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where logons wait for the directory: a small fixed pool with a bounded queue, so a slow or hung directory costs
 * a few threads and never an event loop. Each logon has a deadline; the request then gets 503 while the LDAP call
 * runs into its own, longer timeout on the pool thread. While the directory is unreachable it is probed every
 * {@link LogonSettings#probeInterval()}, so {@code /health} turns back even when no logon comes.
 */
final class DirectoryLogons implements AutoCloseable {

    /** Why a logon got no answer from the directory. */
    enum Unanswered {
        /** The pool and its queue are full. */
        BUSY,
        /** No answer within the deadline. */
        SLOW,
        /** The directory could not be reached or failed transiently. */
        UNREACHABLE
    }

    /** A logon the directory did not answer. */
    static final class NoAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Unanswered why;

        NoAnswer(Unanswered why, String message) {
            super(message, null, false, false);
            this.why = why;
        }

        Unanswered why() {
            return why;
        }
    }

    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService timer;
    private final LogonSettings settings;
    private final DirectoryHealth health;
    private final CredentialVerifier credentials;
    private final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();

    DirectoryLogons(LogonSettings settings, DirectoryHealth health, CredentialVerifier credentials) {
        this.settings = settings;
        this.health = health;
        this.credentials = credentials;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.SECONDS,
                settings.queue() == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(settings.queue()),
                r -> daemon(r, "gateway-logon-" + n.incrementAndGet()));
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "gateway-logon-timer"));
        t.setRemoveOnCancelPolicy(true);
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.timer = t;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Probes once now (so /health knows from the start); again every probe interval while unreachable. */
    void startProbing() {
        if (probing.compareAndSet(false, true)) {
            try {
                timer.execute(this::probe);
            } catch (RejectedExecutionException closed) {
                probing.set(false);
            }
        }
    }

    private void probe() {
        run(() -> {
            credentials.probe();
            return Boolean.TRUE;
        }).whenComplete((ok, error) -> {
            if (health.reachable()) {
                probing.set(false);
                return;
            }
            try {
                timer.schedule(this::probe, settings.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                probing.set(false); // the gateway is closing
            }
        });
    }

    /** Whether the directory is known to be unreachable now (a logon or probe failed and none answered since). */
    boolean directoryUnreachable() {
        return !health.reachable();
    }

    private void unreachable(String why, Map<String, String> data) {
        health.unreachable(why, data);
        startProbing();
    }

    /**
     * Runs {@code work} on the pool. The future fails with {@link NoAnswer} when the pool is full, the deadline passes
     * or the directory fails transiently; any other failure of {@code work} is passed on as it is.
     */
    <T> CompletableFuture<T> run(Callable<T> work) {
        return run(work, true);
    }

    /**
     * Runs work that reads the directory but hides its failures in its answer (an Autodiscover 603): on the pool and
     * with the deadline like a logon, but its completion says nothing about whether the directory answers.
     */
    <T> CompletableFuture<T> runAnswer(Callable<T> work) {
        return run(work, false);
    }

    private <T> CompletableFuture<T> run(Callable<T> work, boolean provesReachable) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Future<?> task;
        try {
            task = pool.submit(() -> {
                try {
                    T value = work.call();
                    // An answer after the deadline proves nothing about the next logon: it stays unreachable.
                    if (result.complete(value) && provesReachable) {
                        health.answered();
                    }
                } catch (DirectoryException e) {
                    if (e.transientFailure()) {
                        // Health first: whoever sees the 503 must find /health already saying why.
                        if (!result.isDone()) {
                            unreachable(e.getMessage(), e.text().map(t -> t.data("reason.")).orElse(Map.of()));
                        }
                        result.completeExceptionally(new NoAnswer(Unanswered.UNREACHABLE, e.getMessage()));
                    } else if (result.completeExceptionally(e) && provesReachable) {
                        health.answered();
                    }
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                } catch (Exception e) {
                    // A checked refusal (a wrong NTLM response) is an answer: the directory gave the hash in time.
                    if (result.completeExceptionally(e) && provesReachable) {
                        health.answered();
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new NoAnswer(Unanswered.BUSY, "all " + settings.threads()
                    + " logon threads busy and " + settings.queue() + " logons waiting"));
            return result;
        }
        try {
            ScheduledFuture<?> deadline = timer.schedule(() -> {
                String why = "no answer within " + settings.deadline().toMillis() + " ms";
                if (!result.isDone()) {
                    unreachable(why, Map.of());
                }
                if (result.completeExceptionally(new NoAnswer(Unanswered.SLOW, why))) {
                    task.cancel(true);
                }
            }, settings.deadline().toMillis(), TimeUnit.MILLISECONDS);
            result.whenComplete((v, e) -> deadline.cancel(false));
        } catch (RejectedExecutionException closed) {
            task.cancel(true);
            result.completeExceptionally(new NoAnswer(Unanswered.BUSY, "the gateway is closing"));
        }
        return result;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        pool.shutdownNow();
    }
}
