package dev.anywhere.analyzer.finding;

import dev.anywhere.analyzer.check.CheckStatus;

/** How bad a finding is: ERROR breaks clients, WARNING may break some or later, INFO explains. */
public enum Severity {
    ERROR(CheckStatus.FAILED),
    WARNING(CheckStatus.WARNING),
    INFO(CheckStatus.PASSED);

    private final CheckStatus status;

    Severity(CheckStatus status) {
        this.status = status;
    }

    /** The status a check with this finding has at least. */
    public CheckStatus status() {
        return status;
    }
}
