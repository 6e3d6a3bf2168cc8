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
 */
public record Report(String target, Vantage vantage, Instant started, long elapsedMillis, String language, CheckResult root) {

    /** Bumped when a field changes meaning or disappears; adding fields keeps the version. */
    public static final int SCHEMA_VERSION = 1;

    public Report {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(vantage, "vantage");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(root, "root");
    }

    /** The overall outcome, as RCA's banner puts it. */
    public CheckStatus status() {
        return root.status();
    }

    /** The banner text in the report's language. */
    public String banner() {
        boolean de = language.equals("de");
        return switch (status()) {
            case PASSED, SKIPPED -> de ? "Verbindungstest erfolgreich" : "Connectivity test successful";
            case WARNING -> de ? "Verbindungstest erfolgreich, mit Warnungen" : "Connectivity test successful with warnings";
            case FAILED -> de ? "Verbindungstest fehlgeschlagen" : "Connectivity test failed";
        };
    }
}
