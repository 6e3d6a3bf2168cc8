package dev.anywhere.bench.load.vc;

/**
 * Why a {@link LeanVirtualConnection} (or one call on it) failed, in one line that names the hop and the cause:
 * {@code "OUT channel: 401 Unauthorized"}, {@code "bind: nack reason 2"},
 * {@code "timeout waiting for CONN/C2 after 10 s"}. No stack trace is filled in: these are expected outcomes of a
 * load run, created on the event loop, possibly thousands at once.
 */
public final class LeanFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LeanFailure(String message) {
        super(message, null, false, false);
    }

    public LeanFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** The one-line message of {@code t}, unwrapping CompletionException / ExecutionException. */
    public static String describe(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException || c instanceof java.util.concurrent.ExecutionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        return c instanceof LeanFailure ? c.getMessage() : c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}
