package dev.anywhere.autodiscover.discovery;

/**
 * A discovery step failed; its {@link #reason()} is the attempt's reason. Internal: never escapes
 * {@link AutodiscoverClient}.
 */
final class StepFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient AttemptReason reason;

    StepFailure(AttemptReason reason) {
        this(reason, null);
    }

    StepFailure(AttemptReason reason, Throwable cause) {
        super(reason.line(), cause, false, false);
        this.reason = reason;
    }

    AttemptReason reason() {
        return reason;
    }
}
