package dev.anywhere.rpc.ntlm;

import io.netty.handler.codec.DecoderException;

/**
 * A malformed NTLM message or HTTP token: truncated, wrong signature or type, an offset or length outside
 * the message, an AV pair list without its terminator. Messages read {@code what: actual (expected: …)}.
 */
public final class NtlmProtocolException extends DecoderException {

    private static final long serialVersionUID = 1L;

    /** An exception with the given lower-case, {@code what: actual (expected: …)} message. */
    public NtlmProtocolException(String message) {
        super(message);
    }
}
