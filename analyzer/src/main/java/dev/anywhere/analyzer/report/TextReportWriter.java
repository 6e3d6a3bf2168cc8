package dev.anywhere.analyzer.report;

import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.finding.Finding;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console report: the check tree, the banner, then each finding with its cause and fix; with {@code --insecure} a
 * warning line above the tree and above the banner.
 */
public final class TextReportWriter implements ReportWriter {

    @Override
    public void write(Report report, Writer out) throws IOException {
        String warning = report.insecureWarning().map(w -> "!! " + w + "\n").orElse("");
        out.write(warning);
        tree(report.root(), 0, out);
        dev.anywhere.analyzer.text.Messages text = report.text();
        out.write("\n" + warning + report.banner() + " " + text.get("report.counts", Map.of("target", report.target(), "ms", report.elapsedMillis(),
                "passed", report.root().count(CheckStatus.PASSED), "warnings", report.root().count(CheckStatus.WARNING),
                "failed", report.root().count(CheckStatus.FAILED), "skipped", report.root().count(CheckStatus.SKIPPED))) + "\n");
        Map<String, Finding> unique = new LinkedHashMap<>();
        report.root().allFindings().forEach(f -> unique.putIfAbsent(f.id() + f.title(), f));
        for (Finding f : unique.values()) {
            out.write("\n" + text.get("severity." + f.severity().name()) + " " + f.id() + ": " + f.title() + "\n");
            out.write("  " + text.get("report.text.cause") + " " + f.cause() + "\n");
            out.write("  " + text.get("report.text.fix") + " " + f.fix() + "\n");
            if (!f.references().isEmpty()) {
                out.write("  " + text.get("report.text.see") + " " + String.join("; ", f.references()) + "\n");
            }
        }
        out.flush();
    }

    static void tree(CheckResult r, int depth, Writer out) throws IOException {
        out.write(line(r, depth));
        for (CheckResult c : r.children()) {
            tree(c, depth + 1, out);
        }
    }

    static String line(CheckResult r, int depth) {
        String summary = r.summary().isEmpty() ? "" : " - " + r.summary();
        return "  ".repeat(depth) + Symbols.of(r.status()) + " " + r.title() + summary
                + (r.status() == CheckStatus.SKIPPED ? "" : " (" + r.elapsedMillis() + " ms)") + "\n";
    }
}
