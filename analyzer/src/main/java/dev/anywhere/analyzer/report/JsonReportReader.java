package dev.anywhere.analyzer.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.check.Evidence;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.finding.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A JSON report (schema version 1) read back into a {@link Report}, so that a stored run renders as HTML or JUnit
 * through the same writers as a fresh one. Only reports written by {@link JsonReportWriter} are expected: a missing
 * or unknown field is an {@link IllegalArgumentException} naming it.
 */
public final class JsonReportReader {

    private JsonReportReader() {
    }

    public static Report read(JsonNode json) {
        if (!json.has("schemaVersion")) {
            throw new IllegalArgumentException("report: schemaVersion missing (expected: " + Report.SCHEMA_VERSION + ")");
        }
        if (json.path("schemaVersion").asInt() != Report.SCHEMA_VERSION) {
            throw new IllegalArgumentException("report: schemaVersion " + json.path("schemaVersion") + " (expected: "
                    + Report.SCHEMA_VERSION + ")");
        }
        return new Report(text(json, "target"), Vantage.valueOf(text(json, "vantage").toUpperCase(Locale.ROOT)),
                Instant.parse(text(json, "started")), json.path("elapsedMs").asLong(), text(json, "language"), check(json.path("checks")),
                json.path("insecure").asBoolean(false));
    }

    private static CheckResult check(JsonNode n) {
        List<Evidence> evidence = new ArrayList<>();
        for (JsonNode e : n.path("evidence")) {
            evidence.add(new Evidence(text(e, "label"), text(e, "text")));
        }
        List<Finding> findings = new ArrayList<>();
        for (JsonNode f : n.path("findings")) {
            List<String> refs = new ArrayList<>();
            f.path("references").forEach(r -> refs.add(r.asText()));
            findings.add(new Finding(text(f, "id"), Severity.valueOf(text(f, "severity").toUpperCase(Locale.ROOT)), text(f, "title"),
                    text(f, "cause"), text(f, "fix"), refs));
        }
        List<CheckResult> children = new ArrayList<>();
        for (JsonNode c : n.path("children")) {
            children.add(check(c));
        }
        return new CheckResult(text(n, "id"), text(n, "title"), CheckStatus.valueOf(text(n, "status").toUpperCase(Locale.ROOT)),
                text(n, "summary"), n.path("elapsedMs").asLong(), evidence, findings, children);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("report: '" + field + "' missing or not a string");
        }
        return v.asText();
    }
}
