package dev.anywhere.analyzer;

import dev.anywhere.analyzer.check.Check;
import dev.anywhere.analyzer.check.CheckContext;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.check.CheckRunner;
import dev.anywhere.analyzer.checks.AutodiscoverPhase;
import dev.anywhere.analyzer.checks.RpcProxyPhase;
import dev.anywhere.analyzer.finding.FindingCatalogue;
import dev.anywhere.analyzer.net.NameResolver;
import dev.anywhere.analyzer.net.TrustAnchors;
import dev.anywhere.analyzer.report.Report;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Remote Connectivity Analyzer's Outlook Anywhere test, run from wherever this runs: Autodiscover (unless manual
 * settings are given), then RPC over HTTP through the proxy Autodiscover named.
 */
public final class Analyzer {

    private final AnalyzeOptions options;
    private final FindingCatalogue catalogue;

    public Analyzer(AnalyzeOptions options) {
        this.options = options;
        // Read beside the tree's construction and the first network steps, which need no finding yet.
        this.catalogue = FindingCatalogue.loadInBackground(options.language());
    }

    /** The check tree this run will execute; {@code afterEcho} are the steps that need a virtual connection. */
    public Check tree(List<Check> afterEcho) {
        TrustAnchors anchors = TrustAnchors.systemPlus(options.trust());
        NameResolver resolver = new NameResolver(options.resolve(), options.dnsServer(), options.stepTimeout());
        List<Check> phases = new ArrayList<>();
        if (options.manual().isEmpty()) {
            phases.add(new AutodiscoverPhase(options, catalogue, anchors.roots()).check());
        }
        phases.add(new RpcProxyPhase(options, catalogue, anchors, resolver, afterEcho).check());
        return Check.group("outlook-anywhere", dev.anywhere.analyzer.text.Messages.of(options.language()).get("check.outlook-anywhere.title",
                Map.of("target", options.target())), phases);
    }

    public Report run(CheckListener listener) throws IOException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Check root = tree(List.of());
        CheckResult result;
        try (CheckRunner runner = new CheckRunner(listener,
                step -> catalogue.finding("check.timeout", Map.of("step", step, "timeoutMs", options.stepTimeout().toMillis())),
                options.language())) {
            result = runner.run(root, new CheckContext());
        }
        return new Report(options.target(), options.vantage(), started, (System.nanoTime() - t0) / 1_000_000, options.language(), result,
                options.insecure());
    }

    public FindingCatalogue catalogue() {
        return catalogue;
    }
}
