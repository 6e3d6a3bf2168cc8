package dev.anywhere.rpc.rpch;

import io.netty.handler.codec.DecoderException;

/**
 * A PDU on an RPC over HTTP v2 channel violates [MS-RPCH]: the channel is closed with a protocol error and
 * every other connection is left alone. Messages read {@code what: actual (expected: …)}.
 */
public class RpchProtocolException extends DecoderException {
    private static final long serialVersionUID = 1L;

    public RpchProtocolException(String message) {
        super(message);
    }

    public RpchProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
