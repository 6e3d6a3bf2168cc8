/**
 * The byte-level layer under every {@code rpc} codec (DCE/RPC and NDR, RTS, NTLM, SPNEGO): one bounds-checked
 * little-endian reader ({@link dev.anywhere.rpc.wire.WireReader}), one little-endian writer
 * ({@link dev.anywhere.rpc.wire.WireWriter}), one immutable byte string ({@link dev.anywhere.rpc.wire.Octets})
 * and the GUID wire form ({@link dev.anywhere.rpc.wire.Guids}).
 *
 * <p>Nothing here knows a protocol: each codec gives the reader the exception its bad input raises, so a
 * malformed NTLM token still fails with {@code NtlmProtocolException} and a malformed PDU with
 * {@code DceProtocolException}; the NTLM message layout (header, payload fields) is {@code ntlm.NtlmLayout}.
 */
package dev.anywhere.rpc.wire;
