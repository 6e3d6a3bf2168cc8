/**
 * NTLM ([MS-NLMP]) for HTTP authentication at the RPC proxy and in the client: message model and codecs
 * (NEGOTIATE, CHALLENGE, AUTHENTICATE, AV pairs, VERSION), the NTLMv2 computations, a client context
 * ({@link dev.anywhere.rpc.ntlm.NtlmClient}), a server context ({@link dev.anywhere.rpc.ntlm.NtlmServer}) and
 * the {@code NTLM}/{@code Negotiate} HTTP header form ({@link dev.anywhere.rpc.ntlm.NtlmHttpHeader}).
 *
 * <p>Pure codecs on {@code byte[]}: no sockets, no Netty pipeline. Only NTLMv2 is spoken and accepted;
 * NTLMv1, LM-only and anonymous authentication are refused. Message signing and sealing (GSS_Wrap) and
 * SPNEGO-wrapped tokens are not implemented.
 *
 * @see [MS-NLMP] NT LAN Manager (NTLM) Authentication Protocol
 */
package dev.anywhere.rpc.ntlm;
