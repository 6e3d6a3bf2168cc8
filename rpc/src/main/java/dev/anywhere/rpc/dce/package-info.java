/**
 * DCE/RPC connection-oriented PDUs and NDR, the wire layer under every RPC interface Anywhere speaks.
 *
 * <p>Pure codecs on Netty {@link io.netty.buffer.ByteBuf}s, no sockets: {@link dev.anywhere.rpc.dce.DceCodec}
 * turns bytes into immutable {@link dev.anywhere.rpc.dce.DcePdu} records and back; {@link
 * dev.anywhere.rpc.dce.FragmentAssembler} and {@link dev.anywhere.rpc.dce.Fragmenter} handle multi-fragment
 * calls; {@link dev.anywhere.rpc.dce.NdrReader} / {@link dev.anywhere.rpc.dce.NdrWriter} marshal stub data in
 * NDR 2.0 (little-endian only) and {@link dev.anywhere.rpc.dce.Tower} is the endpoint mapper's tower.
 *
 * <p>Every count read from the wire is range-checked before anything is allocated; malformed input raises
 * {@link dev.anywhere.rpc.dce.DceProtocolException} with a message of the form {@code what: actual (expected: …)}.
 *
 * <p>Only the little-endian, ASCII, IEEE data representation ({@code packed_drep 10 00 00 00}) is supported;
 * every Windows and Samba peer uses it. Big-endian peers are rejected with a clear error.
 *
 * @see <a href="https://pubs.opengroup.org/onlinepubs/9629399/">[C706] DCE 1.1: Remote Procedure Call</a>, chapters 12 and 14
 * @see [MS-RPCE] 2.2.2 Connection-Oriented RPC PDUs
 */
package dev.anywhere.rpc.dce;
