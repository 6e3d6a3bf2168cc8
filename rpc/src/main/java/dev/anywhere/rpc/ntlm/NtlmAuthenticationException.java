package dev.anywhere.rpc.ntlm;

/**
 * The server refused an NTLM handshake. {@link #getMessage()} says exactly what was wrong, for the log;
 * {@link #publicMessage()} is the same for every failure, for whatever goes back to the client, so that a
 * 401 never tells which part (user, password, domain) was wrong.
 */
public final class NtlmAuthenticationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the handshake was refused; for metrics and logs, never for the client. */
    public enum Failure {
        /** A message was malformed (truncated, bad signature, out-of-range offsets …). */
        MALFORMED_MESSAGE,
        /** An anonymous AUTHENTICATE_MESSAGE (empty user and responses). */
        ANONYMOUS,
        /** An NTLMv1 or LM-only response; only NTLMv2 is accepted. */
        NOT_NTLMV2,
        /** The lookup found no account for the domain and user. */
        UNKNOWN_USER,
        /** The NTProofStr did not match: wrong password (or wrong user/domain spelling). */
        WRONG_PASSWORD,
        /** The MIC over the three messages did not match, or was announced and missing. */
        MIC_MISMATCH
    }

    private final Failure failure;

    /** A refusal for {@code failure}, with a lower-case {@code what: actual (expected: …)} message. */
    public NtlmAuthenticationException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    /** A refusal caused by a malformed message. */
    public NtlmAuthenticationException(NtlmProtocolException cause) {
        super(cause.getMessage(), cause);
        this.failure = Failure.MALFORMED_MESSAGE;
    }

    /** Why. */
    public Failure failure() {
        return failure;
    }

    /** The text safe to show the client: the same for every failure. */
    public String publicMessage() {
        return "authentication failed";
    }
}
