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
        CheckListener listener = new CheckListener() {
            @Override
            public void finished(Check check, CheckResult result, int depth) {
                seen.add(depth + ":" + check.id());
            }
        };
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
}
