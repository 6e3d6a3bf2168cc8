package dev.anywhere.analyzer.report;

import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.finding.Finding;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * JUnit XML for CI systems: one test case per step with an outcome of its own (leaves and steps with findings) (its path of titles as the name), failures carrying the
 * findings, warnings reported as passed with their text in system-out, skipped steps as skipped.
 */
public final class JunitReportWriter implements ReportWriter {

    @Override
    public void write(Report report, Writer out) throws IOException {
        List<String[]> cases = new ArrayList<>();
        collect(report.root(), "", cases);
        long failures = cases.stream().filter(c -> c[1].equals("FAILED")).count();
        long skipped = cases.stream().filter(c -> c[1].equals("SKIPPED")).count();
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.write("<testsuite name=\"" + Html.escape("anywhere analyze " + report.target()) + "\" tests=\"" + cases.size()
                + "\" failures=\"" + failures + "\" errors=\"0\" skipped=\"" + skipped + "\" time=\""
                + seconds(report.elapsedMillis()) + "\" timestamp=\"" + report.started() + "\">\n");
        for (String[] c : cases) {
            out.write("  <testcase classname=\"" + Html.escape(c[3]) + "\" name=\"" + Html.escape(c[0]) + "\" time=\"" + c[2] + "\"");
            switch (c[1]) {
                case "FAILED" -> out.write(">\n    <failure message=\"" + Html.escape(c[4]) + "\">" + Html.escape(c[5]) + "</failure>\n  </testcase>\n");
                case "SKIPPED" -> out.write(">\n    <skipped message=\"" + Html.escape(c[4]) + "\"/>\n  </testcase>\n");
                case "WARNING" -> out.write(">\n    <system-out>" + Html.escape(c[4] + "\n" + c[5]) + "</system-out>\n  </testcase>\n");
                default -> out.write("/>\n");
            }
        }
        out.write("</testsuite>\n");
        out.flush();
    }

    private static void collect(CheckResult r, String path, List<String[]> cases) {
        String name = path.isEmpty() ? r.title() : path + " / " + r.title();
        if (r.reportsOutcome()) {
            StringBuilder detail = new StringBuilder();
            for (Finding f : r.findings()) {
                detail.append(f.id()).append(": ").append(f.title()).append("\ncause: ").append(f.cause()).append("\nfix: ").append(f.fix()).append('\n');
            }
            cases.add(new String[] {name, r.status().name(), seconds(r.elapsedMillis()), r.id(), r.summary(), detail.toString()});
        }
        for (CheckResult c : r.children()) {
            collect(c, name, cases);
        }
    }

    private static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
