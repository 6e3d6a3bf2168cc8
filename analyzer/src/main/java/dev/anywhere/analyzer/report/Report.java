package dev.anywhere.analyzer.report;

import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.check.CheckStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * One analyzer run: what was tested, from where, when, and the result tree. Writers render it; its JSON form is
 * documented in docs/report-schema.md and versioned by {@link #SCHEMA_VERSION}.
 *
 * @param target what was analyzed (an e-mail address, a domain, or the RPC proxy in manual mode)
 * @param vantage inside or outside
 * @param started when the run began
 * @param elapsedMillis how long it took
 * @param language the language of titles and findings (en, de)
 * @param root the result tree
 * @param insecure the user waived certificate validation ({@code --insecure}): credentials may have gone to a server
 *        whose identity was not proven, which every format says prominently
 */
public record Report(String target, Vantage vantage, Instant started, long elapsedMillis, String language, CheckResult root,
        boolean insecure) {

    /** Bumped when a field changes meaning or disappears; adding fields keeps the version. */
    public static final int SCHEMA_VERSION = 1;

    public Report {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(vantage, "vantage");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(root, "root");
    }

    /** A run with certificate validation on. */
    public Report(String target, Vantage vantage, Instant started, long elapsedMillis, String language, CheckResult root) {
        this(target, vantage, started, elapsedMillis, language, root, false);
    }

    /** The same run with another result tree (the lab appends its server-side check). */
    public Report withRoot(CheckResult newRoot) {
        return new Report(target, vantage, started, elapsedMillis, language, newRoot, insecure);
    }

    /** The warning every format shows when validation was waived; empty otherwise. */
    public java.util.Optional<String> insecureWarning() {
        if (!insecure) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(text().get("report.insecure"));
    }

    /** The overall outcome, as RCA's banner puts it. */
    public CheckStatus status() {
        return root.status();
    }

    /** The banner text in the report's language. */
    public String banner() {
        return text().get(switch (status()) {
            case PASSED, SKIPPED -> "report.banner.passed";
            case WARNING -> "report.banner.warning";
            case FAILED -> "report.banner.failed";
        });
    }

    /** The report's words (headings, banner), in its language. */
    public dev.anywhere.analyzer.text.Messages text() {
        return dev.anywhere.analyzer.text.Messages.of(language);
    }
}
