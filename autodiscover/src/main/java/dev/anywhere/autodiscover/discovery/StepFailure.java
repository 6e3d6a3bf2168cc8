package dev.anywhere.autodiscover.discovery;

/** A discovery step failed; the message is the attempt's reason. Internal: never escapes {@link AutodiscoverClient}. */
final class StepFailure extends Exception {

    private static final long serialVersionUID = 1L;

    StepFailure(String message) {
        super(message, null, false, false);
    }

    StepFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
