package dev.anywhere.cli;

/**
 * A failure the user can act on, printed as one line without a stack trace: bad input that picocli could not
 * catch (exit 2), or a peer that is down (exit 3).
 */
final class UserError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    static UserError usage(String message) {
        return new UserError(message, Anywhere.USAGE);
    }

    static UserError unavailable(String message) {
        return new UserError(message, Anywhere.INTERNAL);
    }

    int exitCode() {
        return exitCode;
    }
}
