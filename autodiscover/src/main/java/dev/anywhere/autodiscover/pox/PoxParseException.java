package dev.anywhere.autodiscover.pox;

import java.util.Objects;

/**
 * A POX document was refused or could not be read. A server answers every instance with ErrorCode 600
 * ({@link #errorCode()}); a client treats the candidate URL as invalid. The message reads
 * {@code what: actual (expected: …)}.
 */
public final class PoxParseException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the document was refused. */
    public enum Reason {
        /** The document exceeds {@link PoxLimits#maxBytes()}; refused before parsing. */
        TOO_LARGE,
        /** A document type declaration (DTD) was present; refused before anything in it was resolved. */
        DTD_REFUSED,
        /** An entity reference other than the five predefined ones was present. */
        ENTITY_REFUSED,
        /** Element nesting exceeds {@link PoxLimits#maxDepth()}. */
        TOO_DEEP,
        /** More start tags than {@link PoxLimits#maxElements()}. */
        TOO_MANY_ELEMENTS,
        /** Not well-formed XML, or not XML at all. */
        MALFORMED,
        /** The root element is not {@code Autodiscover}. */
        WRONG_ROOT,
        /** An Autodiscover element in a namespace other than the schema's. */
        WRONG_NAMESPACE,
        /** A required element is absent. */
        MISSING_ELEMENT,
        /** An element that may appear once appeared twice. */
        DUPLICATE_ELEMENT,
        /** An element's text is not one of the allowed values. */
        INVALID_VALUE
    }

    private final Reason reason;

    public PoxParseException(Reason reason, String message) {
        this(reason, message, null);
    }

    public PoxParseException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** The Autodiscover error a server returns for this failure: always 600 (invalid request). */
    public ErrorCode errorCode() {
        return ErrorCode.INVALID_REQUEST;
    }

    @Override
    public String toString() {
        return "PoxParseException[" + reason + "]: " + getMessage();
    }
}
