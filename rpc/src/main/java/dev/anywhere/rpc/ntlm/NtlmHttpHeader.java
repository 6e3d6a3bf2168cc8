package dev.anywhere.rpc.ntlm;

import dev.anywhere.rpc.wire.Octets;
import java.util.Base64;
import java.util.Locale;

/**
 * The HTTP form of NTLM messages: {@code Authorization} and {@code WWW-Authenticate} values
 * {@code NTLM <base64>} and {@code Negotiate <base64>}. Under {@code Negotiate}, Windows sends a raw NTLMSSP
 * message when Kerberos is not available; that is accepted. A SPNEGO-wrapped token (GSS-API framing,
 * first byte 0x60 for NegTokenInit or 0xa1 for NegTokenResp) is refused: SPNEGO is not implemented.
 *
 * @see [MS-NTHT] 2 Messages
 * @see [MS-NLMP] 2.2.1 NTLM Messages
 */
public final class NtlmHttpHeader {

    /** Longest token accepted, in base64 characters: {@link NtlmLayout#MAX_MESSAGE_SIZE} bytes encoded. */
    static final int MAX_TOKEN_CHARS = (NtlmLayout.MAX_MESSAGE_SIZE + 2) / 3 * 4;

    /** The HTTP authentication scheme carrying the message. */
    public enum Scheme {
        /** {@code NTLM}. */
        NTLM("NTLM"),
        /** {@code Negotiate}, carrying raw NTLM. */
        NEGOTIATE("Negotiate");

        private final String token;

        Scheme(String token) {
            this.token = token;
        }

        /** The scheme as written in the header. */
        public String token() {
            return token;
        }
    }

    /**
     * A parsed header value.
     *
     * @param scheme the scheme
     * @param message the raw NTLM message
     * @param type the message's MessageType
     */
    public record Token(Scheme scheme, Octets message, MessageType type) {
    }

    private NtlmHttpHeader() {
    }

    /** {@code "<scheme> <base64 of message>"}. */
    public static String format(Scheme scheme, byte[] message) {
        return scheme.token() + " " + Base64.getEncoder().encodeToString(message);
    }

    /**
     * Parses {@code NTLM <base64>} or {@code Negotiate <base64>} (scheme case-insensitive) and checks that the
     * token is an NTLMSSP message of a known type.
     *
     * @throws NtlmProtocolException for another scheme, a missing or non-base64 token, SPNEGO, or a bad
     *         signature or type
     */
    public static Token parse(String headerValue) {
        String value = headerValue.strip();
        int space = value.indexOf(' ');
        String schemeText = space < 0 ? value : value.substring(0, space);
        Scheme scheme = switch (schemeText.toLowerCase(Locale.ROOT)) {
            case "ntlm" -> Scheme.NTLM;
            case "negotiate" -> Scheme.NEGOTIATE;
            default -> throw new NtlmProtocolException(
                    "authorization scheme: " + abbreviate(schemeText) + " (expected: NTLM or Negotiate)");
        };
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (token.isEmpty()) {
            throw new NtlmProtocolException(scheme.token() + " token: missing (expected: base64 after the scheme)");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new NtlmProtocolException(scheme.token() + " token: " + token.length()
                    + " characters (expected: at most " + MAX_TOKEN_CHARS + ")");
        }
        byte[] message;
        try {
            message = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw new NtlmProtocolException(scheme.token() + " token: not base64 (expected: base64 of an NTLMSSP message)");
        }
        if (message.length > 0 && ((message[0] & 0xff) == 0x60 || (message[0] & 0xff) == 0xa1)) {
            throw new NtlmProtocolException(scheme.token() + " token: spnego-wrapped (first byte 0x"
                    + Integer.toHexString(message[0] & 0xff) + ") (expected: a raw NTLMSSP message, spnego is not supported)");
        }
        return new Token(scheme, Octets.of(message), typeOf(message));
    }

    /** The MessageType of an NTLM message, after checking its signature. */
    public static MessageType typeOf(byte[] message) {
        return NtlmLayout.signatureAndType(NtlmLayout.reader(message));
    }

    private static String abbreviate(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "…";
    }
}
