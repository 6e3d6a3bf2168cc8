package dev.anywhere.rpc.httpauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * HTTP Basic credentials (RFC 7617): the one encoder and decoder of every client and server in the project (the
 * analyzer's proxy legs, the Autodiscover client, the gateway, the web login, the lab's echo probe). An
 * {@code Authorization} value is {@code Basic} and the base64 of user-id {@code ":"} password.
 *
 * <p>The octets are UTF-8: the only charset a server may announce ({@code charset="UTF-8"}, §2.1), and for the ASCII
 * names and passwords Exchange sites use the same bytes as any ASCII-compatible default a server assumes without it.
 *
 * @param userId the user-id ({@code DOMAIN&#92;user} or {@code user@domain}); never contains {@code ':'}
 * @param password the password; may contain {@code ':'}; never printed
 * @see RFC 7617 §2 The 'Basic' Authentication Scheme
 */
public record HttpBasic(String userId, String password) {

    /** The scheme name as written in headers (compared case-insensitively, RFC 9110 §11.1). */
    public static final String SCHEME = "Basic";

    public HttpBasic {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(password, "password");
        // RFC 7617 §2: "a user-id containing a colon character is invalid" — the receiver splits at the first colon.
        if (userId.indexOf(':') >= 0) {
            throw new IllegalArgumentException("Basic user-id: contains ':' (expected: no colon, RFC 7617 §2)");
        }
    }

    /** The base64 of UTF-8 {@code user-id:password}: the credentials after the scheme name. */
    public String token() {
        return Base64.getEncoder().encodeToString(userPass());
    }

    /** The {@code Authorization} value: {@code Basic <token>}. */
    public String authorization() {
        return SCHEME + " " + token();
    }

    /**
     * Whether {@code sent} carries the same user-id and password as these, compared in time independent of where they
     * differ, so a guesser learns nothing from how fast a refusal comes.
     */
    public boolean matches(HttpBasic sent) {
        return MessageDigest.isEqual(sent.userPass(), userPass());
    }

    /**
     * Parses an {@code Authorization} value {@code Basic <base64>} (scheme case-insensitive): the user-id is what
     * stands before the first colon, the password all after it.
     *
     * @throws IllegalArgumentException for another scheme, a missing or non-base64 token, or decoded octets without
     *         a colon; the message never quotes the token
     */
    public static HttpBasic parse(String authorization) {
        String value = authorization.strip();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (!scheme.toLowerCase(Locale.ROOT).equals("basic")) {
            throw new IllegalArgumentException("authorization scheme: "
                    + (scheme.length() <= 20 ? scheme : scheme.substring(0, 20) + "…") + " (expected: Basic)");
        }
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (token.isEmpty()) {
            throw new IllegalArgumentException("Basic token: missing (expected: base64 after the scheme)");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Basic token: not base64 (expected: base64 of user-id:password)");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("Basic token: no ':' (expected: base64 of user-id:password)");
        }
        return new HttpBasic(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    private byte[] userPass() {
        return (userId + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "HttpBasic[userId=" + userId + ", password=[redacted]]";
    }
}
