package dev.anywhere.directory;

/**
 * A directory operation failed. {@link #transientFailure()} separates "try again in 15 s" (server down, timeout,
 * busy) from errors that retrying will not fix (schema violation, object missing, access denied).
 */
public final class DirectoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;

    public DirectoryException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public boolean transientFailure() {
        return transientFailure;
    }
}
