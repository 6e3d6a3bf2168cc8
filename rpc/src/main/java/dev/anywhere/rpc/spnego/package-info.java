/**
 * SPNEGO ([RFC 4178], [MS-SPNG]): the negotiation tokens DCE/RPC carries for auth type 9 (RPC_C_AUTHN_GSS_NEGOTIATE),
 * which Samba's client and Windows clients use by default, with NTLM as the only mechanism behind it. Pure codecs:
 * DER in, records out, every length checked against its enclosure.
 */
package dev.anywhere.rpc.spnego;
