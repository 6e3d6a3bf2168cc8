package dev.anywhere.rpc.emsmdb;

import dev.anywhere.rpc.dce.DceProtocolException;

/**
 * The opaque buffer inside an EcDoRpcExt2 call (RPC_HEADER_EXT, compressed or obfuscated payload, ROP list, server
 * object handle table) is malformed. Unlike bad NDR, which faults the call, the server answers this with
 * {@link EcCode#RPC_FORMAT}. Messages read {@code what: actual (expected: …)}.
 *
 * @see [MS-OXCRPC] 3.1.4.2
 */
public final class EmsmdbFormatException extends DceProtocolException {
    private static final long serialVersionUID = 1L;

    public EmsmdbFormatException(String message) {
        super(message);
    }
}
