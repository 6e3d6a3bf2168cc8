package dev.anywhere.analyzer.check;

import dev.anywhere.analyzer.finding.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * What a check's body reports before the runner adds timing and children: status, one-line summary, evidence and
 * findings. Built by static factories and {@code with…} methods.
 */
public record Outcome(CheckStatus status, String summary, List<Evidence> evidence, List<Finding> findings,
        List<CheckResult> results) {

    /**
     * @param results steps only known at run time (one per Autodiscover attempt), placed before the static children
     */
    public Outcome {
        evidence = List.copyOf(evidence);
        findings = List.copyOf(findings);
        results = List.copyOf(results);
    }

    public Outcome(CheckStatus status, String summary, List<Evidence> evidence, List<Finding> findings) {
        this(status, summary, evidence, findings, List.of());
    }

    /** The same outcome with steps found at run time below it. */
    public Outcome withResults(List<CheckResult> more) {
        List<CheckResult> all = new ArrayList<>(results);
        all.addAll(more);
        return new Outcome(status, summary, evidence, findings, all);
    }

    public static Outcome passed(String summary) {
        return new Outcome(CheckStatus.PASSED, summary, List.of(), List.of());
    }

    public static Outcome warning(String summary, Finding finding) {
        return new Outcome(CheckStatus.WARNING, summary, List.of(), List.of(finding));
    }

    public static Outcome failed(String summary, Finding finding) {
        return new Outcome(CheckStatus.FAILED, summary, List.of(), List.of(finding));
    }

    public static Outcome skipped(String why) {
        return new Outcome(CheckStatus.SKIPPED, why, List.of(), List.of());
    }

    /** The same outcome with one more piece of evidence. */
    public Outcome with(Evidence e) {
        List<Evidence> more = new ArrayList<>(evidence);
        more.add(e);
        return new Outcome(status, summary, more, findings, results);
    }

    /** The same outcome with one more finding; the status becomes at least as bad as the finding's severity. */
    public Outcome with(Finding f) {
        List<Finding> more = new ArrayList<>(findings);
        more.add(f);
        return new Outcome(status.worst(f.severity().status()), summary, evidence, more, results);
    }
}
