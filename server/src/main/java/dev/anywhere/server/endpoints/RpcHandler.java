package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.wire.Octets;

/**
 * The server stub of one RPC interface: turns the NDR 2.0 stub data of a request into the stub data of the
 * response. Runs on the connection's event loop, so it must not block.
 *
 * <p>Throw {@link RpcFaultException} to answer with a fault; a {@link dev.anywhere.rpc.dce.DceProtocolException}
 * (what {@link dev.anywhere.rpc.dce.NdrReader} throws on malformed stub data) becomes the fault
 * {@code RPC_X_BAD_STUB_DATA(0x6f7)}; any other exception becomes {@code nca_s_fault_unspec(0x1c000012)}.
 * Opnums outside {@code 0 .. opnumCount-1} never reach the handler ({@code nca_s_op_rng_error}).
 */
@FunctionalInterface
public interface RpcHandler {
    Octets invoke(RpcCall call);
}
