/**
 * The RPC over HTTP v2 client as Outlook and Windows do it: a {@link dev.anywhere.analyzer.rpch.VirtualConnection}
 * over two HTTP/1.1 connections to the RPC proxy (IN channel {@code RPC_IN_DATA}, OUT channel {@code RPC_OUT_DATA}),
 * HTTP authentication per connection, CONN/A1…C2, DCE/RPC bind and calls over it, client flow control, pings,
 * IN channel recycling, the echo request, and the MGMT and endpoint mapper calls rpcping and the analyzer use.
 * Failures are {@link dev.anywhere.analyzer.rpch.RpchFailure}s naming the hop and the cause. The [MS-RPCH] decisions
 * are the shared {@link dev.anywhere.rpc.rpch.client.ClientEngine}; this package is its blocking, diagnostic I/O.
 *
 * @see [MS-RPCH] 3.2.2 Client Details
 */
package dev.anywhere.analyzer.rpch;
