package dev.anywhere.rpc.spnego;

/** A SPNEGO token that is not what [RFC 4178] 4.2 allows; the message says which field and why. */
public final class SpnegoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SpnegoException(String message) {
        super(message);
    }
}
