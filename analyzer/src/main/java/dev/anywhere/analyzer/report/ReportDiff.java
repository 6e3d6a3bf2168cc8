package dev.anywhere.analyzer.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What differs between two JSON reports ({@code anywhere analyze --diff}, and the web page's comparison): each step's
 * status and summary, and findings present in only one. Steps are matched by their stable id; a step one run did not
 * reach reads "(not run)".
 */
public final class ReportDiff {

    /** The text for a step that is absent from one report. */
    public static final String NOT_RUN = "(not run)";

    /** One step that reads differently in the two reports. */
    public record Difference(String id, String a, String b) {
    }

    private ReportDiff() {
    }

    /** The steps of {@code a} and {@code b} (JSON reports, schema version 1) that differ, in tree order. */
    public static List<Difference> of(JsonNode a, JsonNode b) {
        Map<String, String> left = new LinkedHashMap<>();
        Map<String, String> right = new LinkedHashMap<>();
        flatten(a.path("checks"), left);
        flatten(b.path("checks"), right);
        Set<String> ids = new LinkedHashSet<>(left.keySet());
        ids.addAll(right.keySet());
        List<Difference> differences = new ArrayList<>();
        for (String id : ids) {
            String l = left.getOrDefault(id, NOT_RUN);
            String r = right.getOrDefault(id, NOT_RUN);
            if (!l.equals(r)) {
                differences.add(new Difference(id, l, r));
            }
        }
        return differences;
    }

    private static void flatten(JsonNode check, Map<String, String> into) {
        if (check.isMissingNode()) {
            return;
        }
        StringBuilder findings = new StringBuilder();
        for (JsonNode f : check.path("findings")) {
            findings.append(" [").append(f.path("id").asText()).append("]");
        }
        into.put(check.path("id").asText(), check.path("status").asText() + " - " + check.path("summary").asText() + findings);
        Iterator<JsonNode> children = check.path("children").elements();
        while (children.hasNext()) {
            flatten(children.next(), into);
        }
    }
}
