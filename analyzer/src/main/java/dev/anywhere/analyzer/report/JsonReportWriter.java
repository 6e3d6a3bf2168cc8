package dev.anywhere.analyzer.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.check.Evidence;
import dev.anywhere.analyzer.finding.Finding;
import java.io.IOException;
import java.io.Writer;

/** The report for machines, in the shape docs/report-schema.md documents (schemaVersion 1). */
public final class JsonReportWriter implements ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public void write(Report report, Writer out) throws IOException {
        JSON.writeValue(out, toJson(report));
    }

    public static ObjectNode toJson(Report report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", Report.SCHEMA_VERSION);
        root.put("tool", "anywhere analyze");
        root.put("target", report.target());
        root.put("vantage", report.vantage().name().toLowerCase(java.util.Locale.ROOT));
        root.put("started", report.started().toString());
        root.put("elapsedMs", report.elapsedMillis());
        root.put("language", report.language());
        root.put("status", report.status().name().toLowerCase(java.util.Locale.ROOT));
        root.put("banner", report.banner());
        root.put("insecure", report.insecure());
        report.insecureWarning().ifPresent(w -> root.put("insecureWarning", w));
        ObjectNode counts = root.putObject("counts");
        for (CheckStatus s : CheckStatus.values()) {
            counts.put(s.name().toLowerCase(java.util.Locale.ROOT), report.root().count(s));
        }
        root.set("checks", check(report.root()));
        return root;
    }

    /** One check and its subtree, as it appears under {@code checks} (the web page streams these as steps finish). */
    public static ObjectNode check(CheckResult r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", r.id());
        n.put("title", r.title());
        n.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
        n.put("summary", r.summary());
        n.put("elapsedMs", r.elapsedMillis());
        ArrayNode evidence = n.putArray("evidence");
        for (Evidence e : r.evidence()) {
            evidence.addObject().put("label", e.label()).put("text", e.text());
        }
        ArrayNode findings = n.putArray("findings");
        for (Finding f : r.findings()) {
            ObjectNode fn = findings.addObject();
            fn.put("id", f.id()).put("severity", f.severity().name().toLowerCase(java.util.Locale.ROOT)).put("title", f.title())
                    .put("cause", f.cause()).put("fix", f.fix());
            ArrayNode refs = fn.putArray("references");
            f.references().forEach(refs::add);
        }
        ArrayNode children = n.putArray("children");
        r.children().forEach(c -> children.add(check(c)));
        return n;
    }
}
