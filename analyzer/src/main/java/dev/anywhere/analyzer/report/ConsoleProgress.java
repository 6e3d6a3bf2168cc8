package dev.anywhere.analyzer.report;

import dev.anywhere.analyzer.check.Check;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.check.CheckResult;
import java.io.PrintWriter;

/**
 * Shows progress while checks run: one line per finished step, in the order they finish (concurrent steps finish in
 * any order, so the ordered tree is printed at the end by {@link TextReportWriter}).
 */
public final class ConsoleProgress implements CheckListener {

    private final PrintWriter out;

    public ConsoleProgress(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void finished(Check check, CheckResult result, int depth) {
        if (!result.reportsOutcome() || result.status() == dev.anywhere.analyzer.check.CheckStatus.SKIPPED) {
            return;
        }
        synchronized (out) {
            out.print("  .. " + TextReportWriter.line(new CheckResult(result.id(), result.title(), result.status(), result.summary(),
                    result.elapsedMillis(), result.evidence(), result.findings(), java.util.List.of()), 0));
            out.flush();
        }
    }
}
