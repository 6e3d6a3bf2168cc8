package dev.anywhere.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.Analyzer;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.analyzer.report.Vantage;
import dev.anywhere.lab.site.LabSite;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** How long a healthy analyzer run takes against the whole lab site. */
@Command(name = "analyzer", mixinStandardHelpOptions = true)
final class AnalyzerBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--iterations", paramLabel = "N")
    int iterations = 10;

    @Option(names = "--format", paramLabel = "text|json")
    String format = "text";

    @Override
    public Integer call() throws Exception {
        if (iterations < 1 || iterations > 200) {
            throw UserError.usage(CliText.local("bench.iterations-bad", "iterations", iterations, "max", 200));
        }
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("anywhere-bench-analyzer");
        long[] millis = new long[iterations];
        CheckStatus status;
        try {
            LabSite.Plan plan = LabCommand.plan(null, dir);
            try (LabSite site = LabSite.start(plan, s -> { })) {
                LabCommand.enableOutlookAnywhere(site);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!site.gateway().config().current().enabled() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                AnalyzeOptions options = new AnalyzeOptions("franky@frankysweb.org", Optional.of("FRANKYSWEB\\franky"),
                        Optional.of(plan.passwords().of("franky")), List.of(), Optional.of(site.providerDns().orElseThrow().address()),
                        List.of(site.trustBundle()), Vantage.OUTSIDE, Duration.ofSeconds(10), "en", Optional.empty(),
                        plan.ports().port(443), plan.ports().port(80), List.of(), false);
                status = new Analyzer(options).run(CheckListener.NONE).status(); // warm-up: class loading, JIT, TLS session setup
                for (int i = 0; i < iterations; i++) {
                    Report r = new Analyzer(options).run(CheckListener.NONE);
                    millis[i] = r.elapsedMillis();
                    status = status.worst(r.status());
                }
            }
        } finally {
            LabCommand.deleteTree(dir);
        }
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        long median = sorted[sorted.length / 2];
        boolean healthy = status == CheckStatus.PASSED;
        if (format.equals("json")) {
            ObjectNode n = new ObjectMapper().createObjectNode();
            n.put("iterations", iterations).put("min_ms", sorted[0]).put("median_ms", median).put("max_ms", sorted[sorted.length - 1])
                    .put("all_checks_passed", healthy).put("goal_median_ms", 2000).put("goal_met", healthy && median <= 2000);
            out.println(n.toPrettyString());
        } else {
            out.println(CliText.local("bench.analyzer.result", "runs", iterations, "min", sorted[0], "median", median,
                    "max", sorted[sorted.length - 1], "goal", CliText.local(median <= 2000 ? "bench.goal.met" : "bench.goal.missed"),
                    "checks", healthy ? "" : CliText.local("bench.analyzer.not-all-passed")));
        }
        return healthy && median <= 2000 ? Anywhere.OK : Anywhere.FINDINGS;
    }
}
