package dev.anywhere.analyzer.report;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

/** Renders a report in one format. */
public interface ReportWriter {

    void write(Report report, Writer out) throws IOException;

    /** The writer for a --format value: text, json, html or junit. */
    static ReportWriter forFormat(String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "text" -> new TextReportWriter();
            case "json" -> new JsonReportWriter();
            case "html" -> new HtmlReportWriter();
            case "junit" -> new JunitReportWriter();
            default -> throw new IllegalArgumentException("format: '" + format + "' (expected: text, json, html or junit)");
        };
    }
}
