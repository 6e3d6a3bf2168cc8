package dev.anywhere.analyzer.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.finding.FindingCatalogue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CheckRunnerTest {

    private final FindingCatalogue catalogue = FindingCatalogue.load("en");

    private CheckRunner runner(CheckListener listener) {
        return new CheckRunner(listener, step -> catalogue.finding("check.timeout", Map.of("step", step, "timeoutMs", 100)));
    }

    @Test
    void aFailedStepSkipsItsChildrenWithTheReason() {
        Check tree = Check.group("root", "Root", List.of(
                Check.of("root.dns", "Resolve", ctx -> Outcome.failed("NXDOMAIN", catalogue.finding("dns.host-not-found", Map.of("host", "oa"))))
                        .withChildren(List.of(Check.of("root.dns.tcp", "Connect", ctx -> Outcome.passed("open")))),
                Check.of("root.other", "Other", ctx -> Outcome.passed("fine"))));
        try (CheckRunner r = runner(CheckListener.NONE)) {
            CheckResult result = r.run(tree, new CheckContext());
            assertThat(result.status()).isEqualTo(CheckStatus.FAILED);
            CheckResult tcp = result.children().get(0).children().get(0);
            assertThat(tcp.status()).isEqualTo(CheckStatus.SKIPPED);
            assertThat(tcp.summary()).isEqualTo("skipped: 'Resolve' failed");
            assertThat(result.children().get(1).status()).isEqualTo(CheckStatus.PASSED);
            assertThat(result.allFindings()).extracting(f -> f.id()).containsExactly("dns.host-not-found");
            assertThat(result.count(CheckStatus.SKIPPED)).isEqualTo(1);
        }
    }

    @Test
    void aStepThatHangsTimesOutWithAFinding() {
        Check slow = Check.of("slow", "Slow server", ctx -> {
            Thread.sleep(5_000);
            return Outcome.passed("late");
        }).withTimeout(Duration.ofMillis(100));
        try (CheckRunner r = runner(CheckListener.NONE)) {
            long t = System.nanoTime();
            CheckResult result = r.run(slow, new CheckContext());
            assertThat((System.nanoTime() - t) / 1_000_000).isLessThan(3_000);
            assertThat(result.status()).isEqualTo(CheckStatus.FAILED);
            assertThat(result.summary()).isEqualTo("no answer within 100 ms");
            assertThat(result.findings().get(0).title()).isEqualTo("Slow server: no answer within 100 ms");
        }
    }

    @Test
    void concurrentChildrenRunInParallelAndTheListenerSeesEveryStep() {
        List<String> seen = new CopyOnWriteArrayList<>();
        CheckListener listener = onFinished((id, depth) -> seen.add(depth + ":" + id));
        Check.Body sleeper = ctx -> {
            Thread.sleep(300);
            return Outcome.passed("");
        };
        Check tree = Check.group("root", "Root", List.of(Check.of("a", "A", sleeper), Check.of("b", "B", sleeper),
                Check.of("c", "C", sleeper))).concurrently();
        try (CheckRunner r = runner(listener)) {
            long t = System.nanoTime();
            r.run(tree, new CheckContext());
            assertThat((System.nanoTime() - t) / 1_000_000).isLessThan(850);
        }
        assertThat(seen).containsExactlyInAnyOrder("1:a", "1:b", "1:c", "0:root");
        assertThat(seen.get(3)).isEqualTo("0:root");
    }

    @Test
    void anExceptionIsAFailedStepNotACrash() {
        try (CheckRunner r = runner(CheckListener.NONE)) {
            CheckResult result = r.run(Check.of("x", "Boom", ctx -> {
                throw new java.io.IOException("connection reset");
            }), new CheckContext());
            assertThat(result.status()).isEqualTo(CheckStatus.FAILED);
            assertThat(result.summary()).isEqualTo("check failed: the other side closed the connection without an answer");
        }
    }

    /** The runner's own words follow the report's language, and no exception class name reaches them. */
    @Test
    void theRunnersSummariesAreGermanInAGermanReport() {
        Check tree = Check.group("root", "Root", List.of(
                Check.of("a", "Auflösen", ctx -> Outcome.failed("NXDOMAIN", catalogue.finding("dns.host-not-found", Map.of("host", "oa"))))
                        .withChildren(List.of(Check.of("a.b", "Verbinden", ctx -> Outcome.passed("offen")))),
                Check.of("c", "Kaputt", ctx -> {
                    throw new IllegalStateException();
                })));
        try (CheckRunner r = new CheckRunner(CheckListener.NONE, step -> catalogue.finding("check.timeout",
                Map.of("step", step, "timeoutMs", 100)), "de")) {
            CheckResult result = r.run(tree, new CheckContext());
            assertThat(result.children().get(0).children().get(0).summary()).isEqualTo("übersprungen: „Auflösen“ ist fehlgeschlagen");
            assertThat(result.children().get(1).summary()).isEqualTo("Prüfung fehlgeschlagen: ein unerwarteter Fehler");
        }
    }

    @Test
    void evidenceIsRedactedWhenCreated() {
        Evidence e = new Evidence("HTTP", "RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nAuthorization: Basic RlJBTktZU1dFQlxmcmFua3k6c2VjcmV0\r\n"
                + "authorization: NTLM TlRMTVNTUAABAAAAB4IIog==\r\nWWW-Authenticate: NTLM TlRMTVNTUAACAAAA\r\n\r\n<Password>hunter2</Password> password=abc");
        assertThat(e.text()).contains("Authorization: Basic [redacted]").contains("authorization: NTLM [redacted]")
                .contains("WWW-Authenticate: NTLM [redacted]").doesNotContain("RlJB").doesNotContain("hunter2").doesNotContain("abc");
    }

    /** Probes that finish in the reverse order still land in the tree's order, with the same results. */
    @Test
    void theTreeKeepsItsOrderWhenConcurrentProbesFinishInAnotherOrder() {
        List<String> finished = new CopyOnWriteArrayList<>();
        CheckListener listener = onFinished((id, depth) -> {
            if (depth == 1) {
                finished.add(id);
            }
        });
        // The first probe is the slowest: a fake probe with an injected delay, so they finish c, b, a.
        List<Check> probes = List.of(delayed("a", 240), delayed("b", 120), delayed("c", 0));
        try (CheckRunner r = runner(listener)) {
            CheckResult result = r.run(Check.group("root", "Root", probes).concurrently(), new CheckContext());
            assertThat(finished).containsExactly("c", "b", "a");
            assertThat(result.children()).extracting(CheckResult::id).containsExactly("a", "b", "c");
            assertThat(result.children()).extracting(CheckResult::summary).containsExactly("a answered", "b answered", "c answered");
        }
    }

    /**
     * The pools are bounded: many independent probes never run more bodies at once than the walkers plus the caller,
     * and a tree wider and deeper than the pools still completes, in order (a subtree finding no walker free runs on
     * its parent's thread instead of waiting for one).
     */
    @Test
    void aWideDeepTreeRunsOnBoundedPoolsWithoutStarving() {
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        Check.Body probe = ctx -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
            } finally {
                running.decrementAndGet();
            }
            return Outcome.passed("ok");
        };
        List<Check> groups = new java.util.ArrayList<>();
        List<String> leaves = new java.util.ArrayList<>();
        for (int g = 0; g < 4; g++) {
            List<Check> inner = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                inner.add(Check.of("g" + g + "." + i, "Probe " + g + "." + i, probe));
                leaves.add("g" + g + "." + i);
            }
            groups.add(Check.of("g" + g, "Group " + g, probe).withChildren(inner).concurrently());
        }
        try (CheckRunner r = runner(CheckListener.NONE)) {
            CheckResult result = r.run(Check.group("root", "Root", groups).concurrently(), new CheckContext());
            assertThat(result.status()).isEqualTo(CheckStatus.PASSED);
            assertThat(result.children().stream().flatMap(c -> c.children().stream()).map(CheckResult::id)).containsExactlyElementsOf(leaves);
        }
        assertThat(most.get()).isBetween(2, CheckRunner.MAX_PARALLEL_SUBTREES + 1);
    }

    private static Check delayed(String id, long millis) {
        return Check.of(id, id.toUpperCase(java.util.Locale.ROOT), ctx -> {
            Thread.sleep(millis);
            return Outcome.passed(id + " answered");
        });
    }

    private static CheckListener onFinished(java.util.function.BiConsumer<String, Integer> step) {
        return new CheckListener() {
            @Override
            public void finished(Check check, CheckResult result, int depth) {
                step.accept(check.id(), depth);
            }
        };
    }
}
