/**
 * RPC over HTTP v2 transport control: RTS PDUs, their commands, the PDU catalogue and the byte-stream framer.
 *
 * <p>{@link dev.anywhere.rpc.rpch.RtsMessage} is what the roles use: a sealed interface with one immutable record per
 * PDU layout of [MS-RPCH] 2.2.4 and named fields ({@code ConnA1(version, virtualConnectionCookie, outChannelCookie,
 * receiveWindowSize)}, …). {@link dev.anywhere.rpc.rpch.RtsPdu} (flags + command list, built with the factories of
 * {@link dev.anywhere.rpc.rpch.RtsPdus} and named by {@link dev.anywhere.rpc.rpch.RtsPduKind#classify(RtsPdu)}) is
 * the wire form; only the codec reads its commands by type or position. {@link dev.anywhere.rpc.rpch.RpchCodec} is
 * the pure codec on {@link io.netty.buffer.ByteBuf}; {@link dev.anywhere.rpc.rpch.RpchFrameDecoder} splits a TCP or
 * HTTP body stream into PDUs by {@code frag_length}, each an {@link dev.anywhere.rpc.rpch.RpchPdu}: a decoded
 * {@code RtsMessage} or an opaque, zero-copy {@link dev.anywhere.rpc.rpch.RpcPduFrame}.
 *
 * <p>Malformed input raises {@link dev.anywhere.rpc.rpch.RpchProtocolException} with a message of the form
 * {@code what: actual (expected: …)}.
 *
 * @see [MS-RPCH] 2.2.3.5 RTS Commands
 * @see [MS-RPCH] 2.2.3.6 RTS PDU Structure
 * @see [MS-RPCH] 2.2.4 RTS PDUs
 */
package dev.anywhere.rpc.rpch;
