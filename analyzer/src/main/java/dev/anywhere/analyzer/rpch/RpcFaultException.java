package dev.anywhere.analyzer.rpch;

import dev.anywhere.rpc.dce.DceStatus;

/**
 * A call answered with a fault PDU: the server ran (or refused) the call and returned {@link #status()}.
 *
 * @see [C706] 12.6.4.7 The fault PDU
 */
public final class RpcFaultException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient DceStatus status;
    private final int callId;
    private final int opnum;

    public RpcFaultException(DceStatus status, int callId, int opnum) {
        super("fault " + status + " for call_id " + Integer.toUnsignedString(callId) + " (opnum " + opnum + ")");
        this.status = status;
        this.callId = callId;
        this.opnum = opnum;
    }

    public int opnum() {
        return opnum;
    }

    public DceStatus status() {
        return status;
    }

    public int callId() {
        return callId;
    }
}
