package dev.anywhere.directory;

import java.util.Optional;

/**
 * A directory operation failed. {@link #transientFailure()} separates "try again in 15 s" (server down, timeout,
 * busy) from errors that retrying will not fix (schema violation, object missing, access denied). Where this module
 * says what went wrong itself, {@link #text()} has it as a key with values for the reader's language; the message is
 * the English sentence.
 */
public final class DirectoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;
    private final DirectoryText text;

    public DirectoryException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
        this.text = null;
    }

    public DirectoryException(DirectoryText text, boolean transientFailure, Throwable cause) {
        super(text.english(), cause);
        this.transientFailure = transientFailure;
        this.text = text;
    }

    public boolean transientFailure() {
        return transientFailure;
    }

    /** What went wrong as a key with values; empty for a sentence without one (the message alone). */
    public Optional<DirectoryText> text() {
        return Optional.ofNullable(text);
    }
}
