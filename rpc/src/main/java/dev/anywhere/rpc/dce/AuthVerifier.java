package dev.anywhere.rpc.dce;

import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import java.util.Objects;

/**
 * The auth verifier at the end of a PDU: the 8-byte {@code sec_trailer} followed by {@code auth_length} bytes
 * of auth value, carried opaquely (the security provider interprets {@link #authValue()}). {@code padLength}
 * zero bytes precede the trailer so that it is aligned.
 *
 * <pre>
 *  0 auth_type       u8
 *  1 auth_level      u8
 *  2 auth_pad_length u8
 *  3 auth_reserved   u8
 *  4 auth_context_id u32
 *  8 auth_value      auth_length bytes
 * </pre>
 *
 * @see [MS-RPCE] 2.2.2.11 sec_trailer Structure
 * @see [C706] 13.2.6.1 Authentication Verifier
 */
public record AuthVerifier(int authType, int authLevel, int padLength, int contextId, Octets authValue) {
    /** Bytes in sec_trailer. */
    public static final int TRAILER_LENGTH = 8;
    /** RPC_C_AUTHN_WINNT (NTLM). */
    public static final int AUTHN_WINNT = 10;
    /** RPC_C_AUTHN_GSS_NEGOTIATE (SPNEGO). */
    public static final int AUTHN_GSS_NEGOTIATE = 9;
    /** RPC_C_AUTHN_LEVEL_CONNECT. */
    public static final int LEVEL_CONNECT = 2;
    /** RPC_C_AUTHN_LEVEL_PKT_INTEGRITY. */
    public static final int LEVEL_PKT_INTEGRITY = 5;
    /** RPC_C_AUTHN_LEVEL_PKT_PRIVACY. */
    public static final int LEVEL_PKT_PRIVACY = 6;

    public AuthVerifier {
        Objects.requireNonNull(authValue, "authValue");
        check("auth_type", authType, 0xff);
        check("auth_level", authLevel, 0xff);
        check("auth_pad_length", padLength, 0xff);
        if (authValue.length() > 0xffff) {
            throw new IllegalArgumentException("auth_length: " + authValue.length() + " (expected: <= 65535)");
        }
    }

    /**
     * The auth_pad_length that aligns the sec_trailer: [MS-RPCE] 2.2.2.11 requires 16-byte alignment from
     * the start of the PDU body (the byte after the 16-byte common header).
     */
    public static int padFor(int bodyLength) {
        return WireReader.padding(bodyLength, 16);
    }

    private static void check(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: 0.." + max + ")");
        }
    }
}
