package dev.anywhere.rpc.dce;

import io.netty.handler.codec.DecoderException;

/**
 * A DCE/RPC connection-oriented PDU or NDR stream violates [C706] / [MS-RPCE]; the connection that carried it
 * is closed with a protocol error. Messages read {@code what: actual (expected: …)}.
 */
public class DceProtocolException extends DecoderException {
    private static final long serialVersionUID = 1L;

    public DceProtocolException(String message) {
        super(message);
    }

    public DceProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
