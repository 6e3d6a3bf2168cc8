/**
 * The address book's RPC interface, NSPI ({@code f5cc5a18-4264-101a-8c59-08002b2f8426} v56.0): its data types
 * ({@link dev.anywhere.rpc.nspi.Stat}, {@link dev.anywhere.rpc.nspi.PropertyValue}, {@link
 * dev.anywhere.rpc.nspi.PropertyRow}, {@link dev.anywhere.rpc.nspi.PropertyRowSet}, {@link
 * dev.anywhere.rpc.nspi.PropertyTagArray}, {@link dev.anywhere.rpc.nspi.Restriction}) and every call the server
 * answers, request and response, each encoded and decoded by the same record ({@link dev.anywhere.rpc.nspi.NspiCalls})
 * so that the server and a client share one codec.
 *
 * <p>Counts are capped as the IDL's {@code range()} says (100,000 rows, tags and strings) and checked against the
 * bytes present before anything is allocated; malformed stub data raises {@link
 * dev.anywhere.rpc.dce.DceProtocolException}, which the endpoints answer with {@code RPC_X_BAD_STUB_DATA}.
 *
 * @see [MS-OXNSPI] 3.1.4 Message Processing Events and Sequencing Rules (the IDL: 6 Appendix A)
 */
package dev.anywhere.rpc.nspi;
