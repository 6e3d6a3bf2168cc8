package dev.anywhere.rpc.dce;

/**
 * A PDU failed the association's security: a bad or missing signature, a replayed or skipped sequence number, an
 * auth verifier that does not belong to the association, or an impossible {@code auth_pad_length}. The session's
 * RC4 streams cannot be trusted afterwards, so the association ends; a server answers the request with the fault
 * {@code ERROR_ACCESS_DENIED (5)} first, as Samba's server does for a request whose verifier fails.
 *
 * @see [MS-RPCE] 3.3.1.5.2 Request and Response (verification failure)
 */
public final class DceSecurityException extends DceProtocolException {
    private static final long serialVersionUID = 1L;

    /** What was wrong, for metrics and tests. */
    public enum Kind {
        /** The checksum did not match (an altered PDU, or another key). */
        BAD_SIGNATURE,
        /** The signature's sequence number was not the next one: a replayed, dropped or reordered fragment. */
        OUT_OF_SEQUENCE,
        /** The verifier is missing, malformed, or names another auth type, level or context id. */
        BAD_VERIFIER,
        /** auth_pad_length larger than the stub or than the 16-byte alignment needs. */
        BAD_PADDING
    }

    private final Kind kind;

    public DceSecurityException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
