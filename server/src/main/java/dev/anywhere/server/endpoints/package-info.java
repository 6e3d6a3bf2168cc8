/**
 * EX1's RPC endpoints behind the RPC over HTTP proxy: ncacn_http listeners (banner, RPC over HTTP v1 or one leg of a
 * v2 virtual connection, legs paired by cookie), an optional ncacn_ip_tcp listener, a connection-oriented DCE/RPC
 * engine, and the endpoint mapper and management interfaces. Public and stable: {@link
 * dev.anywhere.server.endpoints.RpcEndpoints}, {@link dev.anywhere.server.endpoints.InterfaceRegistry}, {@link
 * dev.anywhere.server.endpoints.RpcInterface}, {@link dev.anywhere.server.endpoints.RpcHandler}, {@link
 * dev.anywhere.server.endpoints.RpcCall}, {@link dev.anywhere.server.endpoints.RpcFaultException}; everything else is
 * package-private. Design, state machines and limits: {@code docs/rpc-endpoints.md}.
 *
 * @see [MS-RPCH] 3.2.5 RPC Server Details
 * @see [C706] 12 Connection-oriented RPC Protocol
 * @see [MS-RPCE] 3.3 Connection-Oriented RPC Protocol Details
 */
package dev.anywhere.server.endpoints;
