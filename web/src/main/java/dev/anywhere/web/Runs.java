package dev.anywhere.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.analyzer.Analyzer;
import dev.anywhere.analyzer.report.Report;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs in progress and recently finished. Analyzer runs block for seconds (DNS, TLS, virtual connections), so they
 * run on a pool of their own, never on an event loop. A run either starts now or is refused with the reason (too many
 * runs in all, or from this client): the count of accepted runs, not the pool's queue, is the bound.
 */
final class Runs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Runs.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Finished runs kept for a late subscriber; older ones are read from the history. */
    private static final int KEPT = 64;

    private final WebSettings settings;
    private final History history;
    private final ThreadPoolExecutor executor;
    private final Map<String, Integer> perClient = new LinkedHashMap<>();
    /** Runs accepted and not yet finished; counted here, not by the pool, which sees a thread as busy until it is back. */
    private int running;
    private boolean exclusiveRunning;
    private final Map<String, LiveRun> runs = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LiveRun> eldest) {
            return size() > KEPT && eldest.getValue().done();
        }
    };

    Runs(WebSettings settings, History history) {
        this.settings = settings;
        this.history = history;
        this.executor = new ThreadPoolExecutor(settings.maxRuns(), settings.maxRuns(), 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "web-run");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** What a run does: produce a report, telling {@code listener} each step; it may add to the final event. */
    interface Work {
        Report run(LiveRun run, dev.anywhere.analyzer.check.CheckListener listener) throws Exception;

        /** Fields added to the {@code done} event (a scenario's verdict). */
        default void describe(Report report, ObjectNode done) {
        }
    }

    /** Starts {@code request} for {@code client} (its address), or refuses it with the limit it would exceed. */
    LiveRun start(RunRequest request, String client) throws RequestRefused {
        return start(request.language(), request.toString(), client,
                (run, listener) -> new Analyzer(request.options(settings.defaults())).run(listener), false);
    }

    /**
     * Starts {@code work} for {@code client}, or refuses it with the limit it would exceed; {@code what} says in the log
     * what runs (never with a password). An {@code exclusive} run (a lab scenario, which stops the healthy lab) starts
     * only when nothing else runs, and nothing else starts while it runs.
     */
    LiveRun start(String language, String what, String client, Work work, boolean exclusive) throws RequestRefused {
        LiveRun run = new LiveRun(UUID.randomUUID().toString(), client);
        synchronized (this) {
            if (exclusiveRunning) {
                throw new RequestRefused(429, Texts.of(language, "scenario.running"));
            }
            if (exclusive && running > 0) {
                throw new RequestRefused(429, Texts.of(language, "scenario.wait", running));
            }
            if (running >= settings.maxRuns()) {
                throw new RequestRefused(429, Texts.of(language, "limit.all", settings.maxRuns()));
            }
            if (perClient.getOrDefault(client, 0) >= settings.maxRunsPerClient()) {
                throw new RequestRefused(429, Texts.of(language, "limit.client", settings.maxRunsPerClient()));
            }
            try {
                executor.execute(() -> execute(run, language, work, exclusive));
            } catch (RejectedExecutionException e) {
                throw new RequestRefused(429, Texts.of(language, "limit.all", settings.maxRuns()));
            }
            perClient.merge(client, 1, Integer::sum);
            running++;
            exclusiveRunning = exclusive;
            runs.put(run.id(), run);
        }
        LOG.info("run {} started for {}: {}", run.id(), client, what);
        return run;
    }

    Optional<LiveRun> live(String id) {
        synchronized (this) {
            return Optional.ofNullable(runs.get(id));
        }
    }

    private void execute(LiveRun run, String language, Work work, boolean exclusive) {
        try {
            Report report = work.run(run, new RunEvents(run));
            history.save(run.id(), report);
            ObjectNode done = JSON.createObjectNode();
            done.put("run", run.id());
            done.put("status", report.status().name().toLowerCase(java.util.Locale.ROOT));
            done.put("banner", report.banner());
            report.insecureWarning().ifPresent(w -> done.put("insecureWarning", w));
            work.describe(report, done);
            LOG.info("run {} finished: {}", run.id(), report.status());
            run.finish("done", done.toString());
        } catch (Exception | Error e) {
            // The message only, never the exception's class: the page shows it to a person.
            String why = e.getMessage() == null ? "no detail" : e.getMessage();
            LOG.warn("run {} failed: {}", run.id(), why);
            ObjectNode failed = JSON.createObjectNode();
            failed.put("run", run.id());
            failed.put("error", Texts.of(language, "failed", why));
            run.finish("failed", failed.toString());
        } finally {
            synchronized (this) {
                perClient.computeIfPresent(run.client(), (k, n) -> n <= 1 ? null : n - 1);
                running--;
                if (exclusive) {
                    exclusiveRunning = false;
                }
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            // A run interrupted here may still be storing its report; the history must not change after close.
            executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
