package dev.anywhere.lab.pki;

/** A certificate or key could not be built, encoded or read; the message says which and why. */
public final class PkiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }

    public PkiException(String message) {
        super(message);
    }
}
