package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.ntlm.NtlmAuthentication;
import dev.anywhere.rpc.ntlm.NtlmServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Verifies the AUTHENTICATE messages of rpc_auth_3 off the event loop: the NT hash look-up reads the directory. A
 * bounded pool with a deadline per verification, like the gateway's logons; and the security meters:
 * {@code anywhere.endpoints.security.binds{level}}, {@code anywhere.endpoints.security.failures{reason}}.
 */
final class DceAuthenticator implements AutoCloseable {

    /** A verification that got no answer in time or found the pool full. */
    static final class Unanswered extends Exception {
        private static final long serialVersionUID = 1L;

        Unanswered(String message) {
            super(message, null, false, false);
        }
    }

    private final DceAuthentication settings;
    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor timer;
    private final MeterRegistry metrics;

    DceAuthenticator(DceAuthentication settings) {
        this.settings = settings;
        this.metrics = settings.metrics();
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.SECONDS,
                settings.queue() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(settings.queue()),
                r -> daemon(r, "endpoints-ntlm-" + n.incrementAndGet()));
        this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "endpoints-ntlm-timer"));
        timer.setRemoveOnCancelPolicy(true);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    DceAuthentication settings() {
        return settings;
    }

    /** A server context for one handshake; anonymous NTLM is accepted here, interfaces decide what it may call. */
    NtlmServer newHandshake() {
        return NtlmServer.allowingAnonymous(settings.identity(), settings.lookup());
    }

    /**
     * Verifies {@code authenticate} with {@code ntlm} on the pool. The future fails with {@link Unanswered} when the
     * pool is full or the deadline passes, with the {@link dev.anywhere.rpc.ntlm.NtlmAuthenticationException} of a
     * refusal, or with whatever the look-up threw.
     */
    CompletableFuture<NtlmAuthentication> authenticate(NtlmServer ntlm, byte[] authenticate) {
        CompletableFuture<NtlmAuthentication> result = new CompletableFuture<>();
        Future<?> task;
        try {
            task = pool.submit(() -> {
                try {
                    result.complete(ntlm.authenticate(authenticate));
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new Unanswered("all " + settings.threads() + " verification threads busy and "
                    + settings.queue() + " waiting"));
            return result;
        }
        try {
            ScheduledFuture<?> deadline = timer.schedule(() -> {
                if (result.completeExceptionally(new Unanswered("no NT hash within "
                        + settings.deadline().toMillis() + " ms"))) {
                    task.cancel(true);
                }
            }, settings.deadline().toMillis(), TimeUnit.MILLISECONDS);
            result.whenComplete((v, e) -> deadline.cancel(false));
        } catch (RejectedExecutionException closed) {
            task.cancel(true);
            result.completeExceptionally(new Unanswered("the endpoints are closing"));
        }
        return result;
    }

    void bound(CallSecurity.Level level) {
        metrics.counter("anywhere.endpoints.security.binds", "level", level.name().toLowerCase(java.util.Locale.ROOT))
                .increment();
    }

    void failure(String reason) {
        Counter c = metrics.counter("anywhere.endpoints.security.failures", "reason", reason);
        c.increment();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        pool.shutdownNow();
    }
}
