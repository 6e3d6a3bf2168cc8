/**
 * The byte-level layer shared by the DCE/RPC ({@link dev.anywhere.rpc.dce}) and NTLM
 * ({@link dev.anywhere.rpc.ntlm}) codecs: one bounds-checked little-endian reader
 * ({@link dev.anywhere.rpc.wire.LittleEndianReader}), one little-endian writer
 * ({@link dev.anywhere.rpc.wire.LittleEndianWriter}) and one immutable byte string
 * ({@link dev.anywhere.rpc.wire.OctetString}).
 *
 * <p>Nothing here knows a protocol: each protocol package names its own subtypes ({@code dce.Octets},
 * {@code ntlm.Octets}, {@code dce.WireReader}, …) and chooses the exception its bad input raises, so a
 * malformed NTLM token still fails with {@code NtlmProtocolException} and a malformed PDU with
 * {@code DceProtocolException}.
 */
package dev.anywhere.rpc.wire;
