/**
 * The referral service's RPC interface, RFR ({@code 1544f5e0-613c-11d1-93df-00c04fd7bd09} v1.0): RfrGetNewDSA and
 * RfrGetFQDNFromServerDN, request and response, each encoded and decoded by the same record ({@link
 * dev.anywhere.rpc.rfr.RfrCalls}) so that the server and a client share one codec. Malformed stub data raises {@link
 * dev.anywhere.rpc.dce.DceProtocolException}, which the endpoints answer with {@code RPC_X_BAD_STUB_DATA}.
 *
 * @see [MS-OXABREF] 3.1.4 Message Processing Events and Sequencing Rules
 */
package dev.anywhere.rpc.rfr;
