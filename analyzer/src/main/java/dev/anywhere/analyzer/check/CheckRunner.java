package dev.anywhere.analyzer.check;

import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.text.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs a check tree: each body under its own timeout; children only when the body did not fail (otherwise they are
 * reported as SKIPPED with the reason); independent children concurrently, on bounded pools. The result keeps the
 * tree's order whatever order the concurrent children finish in: each child's result goes to its own position.
 *
 * <p>Two pools, so that waiting never starves: subtrees run on at most {@link #MAX_PARALLEL_SUBTREES} walker threads,
 * and a subtree that finds none free runs on its parent's thread (nothing is queued that a waiting parent depends
 * on); bodies run on a fixed pool one larger than that, because each walker (and the caller's thread) waits on one
 * body at a time. A body that ignores its cancellation keeps its thread; the next body then waits in the queue, and
 * its deadline counts that wait, so the run still ends in time.
 */
public final class CheckRunner implements AutoCloseable {

    /** How many subtrees run side by side besides the caller's; the lab's widest level (the tunnel's checks) is 4. */
    public static final int MAX_PARALLEL_SUBTREES = 4;

    private final ExecutorService walkers = new ThreadPoolExecutor(0, MAX_PARALLEL_SUBTREES, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), threads("check-walk"), new ThreadPoolExecutor.CallerRunsPolicy());
    private final ExecutorService bodies = Executors.newFixedThreadPool(MAX_PARALLEL_SUBTREES + 1, threads("check"));
    private final CheckListener listener;
    private final Function<String, Finding> timeoutFinding;
    private final Messages text;

    /**
     * @param listener follows the run
     * @param timeoutFinding the finding for a step that ran out of time, given the step's title
     * @param language en or de, for the runner's own words (why a step was skipped or failed)
     */
    public CheckRunner(CheckListener listener, Function<String, Finding> timeoutFinding, String language) {
        this.listener = listener;
        this.timeoutFinding = timeoutFinding;
        this.text = Messages.of(language);
    }

    /** A runner that words its own summaries in English. */
    public CheckRunner(CheckListener listener, Function<String, Finding> timeoutFinding) {
        this(listener, timeoutFinding, "en");
    }

    public CheckResult run(Check root, CheckContext context) {
        return run(root, context, 0);
    }

    private CheckResult run(Check check, CheckContext context, int depth) {
        listener.started(check, depth);
        long start = System.nanoTime();
        Outcome outcome = check.body() == null ? Outcome.passed("") : body(check, context);
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        List<CheckResult> children = new ArrayList<>(outcome.results());
        if (outcome.status() == CheckStatus.FAILED || outcome.status() == CheckStatus.SKIPPED) {
            String why = outcome.status() == CheckStatus.SKIPPED ? outcome.summary()
                    : text.get("summary.skipped.failed", java.util.Map.of("step", check.title()));
            for (Check c : check.children()) {
                children.add(skipped(c, why, depth + 1));
            }
        } else if (check.concurrent() && check.children().size() > 1) {
            List<CompletableFuture<CheckResult>> futures = new ArrayList<>();
            for (Check c : check.children()) {
                futures.add(CompletableFuture.supplyAsync(() -> run(c, context, depth + 1), walkers));
            }
            futures.forEach(f -> children.add(f.join()));
        } else {
            for (Check c : check.children()) {
                children.add(run(c, context, depth + 1));
            }
        }
        if (check.body() == null) {
            elapsed = (System.nanoTime() - start) / 1_000_000;
        }
        CheckResult result = new CheckResult(check.id(), check.title(), outcome.status(), outcome.summary(), elapsed,
                outcome.evidence(), outcome.findings(), children);
        listener.finished(check, result, depth);
        return result;
    }

    private Outcome body(Check check, CheckContext context) {
        Future<Outcome> f = bodies.submit(() -> check.body().run(context));
        try {
            return f.get(check.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return Outcome.failed(text.get("summary.check.timeout", java.util.Map.of("ms", check.timeout().toMillis())),
                    timeoutFinding.apply(check.title()));
        } catch (ExecutionException e) {
            // A sentence, never the exception's class name: that means nothing to the reader of a report.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Outcome(CheckStatus.FAILED, text.get("summary.check.failed", java.util.Map.of("cause", text.cause(cause))), List.of(),
                    List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.skipped(text.get("summary.check.interrupted"));
        }
    }

    private CheckResult skipped(Check check, String why, int depth) {
        List<CheckResult> children = new ArrayList<>();
        for (Check c : check.children()) {
            children.add(skipped(c, why, depth + 1));
        }
        CheckResult r = new CheckResult(check.id(), check.title(), CheckStatus.SKIPPED, why, 0, List.of(), List.of(), children);
        listener.finished(check, r, depth);
        return r;
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        walkers.shutdownNow();
        bodies.shutdownNow();
    }
}
