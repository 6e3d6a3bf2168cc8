package dev.anywhere.analyzer.check;

import dev.anywhere.analyzer.finding.Finding;
import java.util.List;
import java.util.Objects;

/**
 * One node of the result tree, like a step of the Remote Connectivity Analyzer: what was checked, how it went, how
 * long it took, what was seen, what it means and how to fix it.
 *
 * @param id a stable identifier of the check ({@code rpc-proxy.tls.certificate})
 * @param title what was checked, in the report's language
 * @param status the outcome, never better than the worst child
 * @param summary one line on the outcome ("IP addresses returned: 127.0.0.20")
 * @param elapsedMillis time the check itself took
 * @param evidence what was seen, redacted
 * @param findings what it means, from the catalogue
 * @param children the steps below
 */
public record CheckResult(String id, String title, CheckStatus status, String summary, long elapsedMillis,
        List<Evidence> evidence, List<Finding> findings, List<CheckResult> children) {

    public CheckResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(summary, "summary");
        evidence = List.copyOf(evidence);
        findings = List.copyOf(findings);
        children = List.copyOf(children);
        for (CheckResult c : children) {
            status = status.worst(c.status == CheckStatus.SKIPPED ? CheckStatus.PASSED : c.status);
        }
    }

    /** The step with this id in this subtree, depth first. */
    public java.util.Optional<CheckResult> find(String stepId) {
        if (id.equals(stepId)) {
            return java.util.Optional.of(this);
        }
        for (CheckResult c : children) {
            java.util.Optional<CheckResult> found = c.find(stepId);
            if (found.isPresent()) {
                return found;
            }
        }
        return java.util.Optional.empty();
    }

    /** Every finding of this node and below, depth first. */
    public List<Finding> allFindings() {
        java.util.ArrayList<Finding> all = new java.util.ArrayList<>(findings);
        children.forEach(c -> all.addAll(c.allFindings()));
        return all;
    }

    /** Whether this node is an outcome of its own (a leaf, or a step with findings) rather than only a group. */
    public boolean reportsOutcome() {
        return children.isEmpty() || !findings.isEmpty();
    }

    /** Counts the steps with the given status in this subtree (see {@link #reportsOutcome()}). */
    public int count(CheckStatus s) {
        int n = status == s && reportsOutcome() ? 1 : 0;
        for (CheckResult c : children) {
            n += c.count(s);
        }
        return n;
    }
}
