package dev.anywhere.rpc.ntlm;

/**
 * A message from the peer failed NTLM session security: its signature does not match, or it carries the wrong
 * sequence number (a replayed, dropped or reordered message). Either way the session's RC4 streams can no longer
 * be trusted, so the caller ends the session.
 *
 * @see [MS-NLMP] 3.4.4.2 With Extended Session Security
 */
public final class NtlmSignatureException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Problem {
        /** The signature is not 16 bytes or its version is not 1. */
        MALFORMED_SIGNATURE,
        /** The sequence number is not the one expected next in this direction. */
        OUT_OF_SEQUENCE,
        /** The checksum does not match the message (altered, or sealed under another key). */
        BAD_CHECKSUM
    }

    private final Problem problem;

    NtlmSignatureException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    /** What was wrong. */
    public Problem problem() {
        return problem;
    }
}
