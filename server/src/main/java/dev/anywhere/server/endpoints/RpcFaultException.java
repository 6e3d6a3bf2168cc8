package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.dce.DceStatus;
import java.util.Objects;

/**
 * Thrown by an {@link RpcHandler} to answer a call with a fault PDU carrying {@link #status()} instead of a
 * response, e.g. {@code throw new RpcFaultException(DceStatus.RPC_X_BAD_STUB_DATA)}.
 *
 * @see [C706] 12.6.4.7 The fault PDU
 */
public final class RpcFaultException extends RuntimeException {
    private final transient DceStatus status;

    public RpcFaultException(DceStatus status) {
        super("fault: " + Objects.requireNonNull(status, "status"));
        this.status = status;
    }

    public RpcFaultException(DceStatus status, String detail) {
        super("fault: " + Objects.requireNonNull(status, "status") + ": " + detail);
        this.status = status;
    }

    /** The status the fault PDU carries. */
    public DceStatus status() {
        return status;
    }
}
