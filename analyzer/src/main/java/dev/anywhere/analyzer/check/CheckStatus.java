package dev.anywhere.analyzer.check;

/**
 * The outcome of one check, ordered from best to worst so that a parent takes the worst of its children. SKIPPED is
 * JUnit's "aborted": a precondition failed, so the check did not run.
 */
public enum CheckStatus {
    PASSED,
    SKIPPED,
    WARNING,
    FAILED;

    /** The worse of two statuses. */
    public CheckStatus worst(CheckStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
