package dev.anywhere.rpc.rpch;

/**
 * One PDU cut from an RPC over HTTP v2 stream: a decoded RTS PDU ({@link RtsMessage}) or any other PDU kept
 * opaque for relaying ({@link RpcPduFrame}). Sealed so that a handler's "RTS or data" branch covers everything.
 *
 * @see [MS-RPCH] 2.2.3.6 RTS PDU Structure
 */
public sealed interface RpchPdu permits RtsMessage, RpcPduFrame {
}
