package dev.anywhere.rpc.rpch.client;

import java.util.Objects;

/**
 * Why the client engine ended a virtual connection; the I/O adapter turns it into its own failure type (the analyzer's
 * {@code RpchFailure} names a hop, the bench's lean client a one-line message).
 *
 * @param kind what went wrong
 * @param opened whether CONN/C2 had arrived (before it, the proxy is at fault; after it, the virtual connection)
 * @param message one line, e.g. {@code RTS PDU: CONN/C1|CONN/C2 (expected: CONN/A3)}
 */
public record ClientFault(Kind kind, boolean opened, String message) {

    public enum Kind {
        /** The peer sent a PDU the state does not allow. */
        PROTOCOL,
        /** A channel's connection ended when the protocol did not expect it. */
        CLOSED,
        /** The IN channel's byte budget ran out and this client does not recycle channels. */
        LIFETIME,
        /** The server asked for OUT channel recycling and this client does not recycle channels. */
        RECYCLING_UNSUPPORTED
    }

    public ClientFault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
