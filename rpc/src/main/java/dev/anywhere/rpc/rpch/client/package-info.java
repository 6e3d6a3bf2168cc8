/**
 * The client role of RPC over HTTP v2 as one I/O-free state machine, {@link dev.anywhere.rpc.rpch.client.ClientEngine}:
 * the analyzer's client and the bench's lean load client are its two I/O adapters, so every [MS-RPCH] decision of the
 * client role is made here once.
 *
 * @see [MS-RPCH] 3.2.2 Client Details
 */
package dev.anywhere.rpc.rpch.client;
