package dev.anywhere.server.config;

import dev.anywhere.directory.model.AuthenticationMethod;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP authentication schemes /rpc can offer, in the order IIS lists them in {@code WWW-Authenticate}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4559">RFC 4559 Negotiate</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7617">RFC 7617 Basic</a>
 */
public enum HttpAuthScheme {
    NEGOTIATE("Negotiate"),
    NTLM("NTLM"),
    BASIC("Basic");

    private final String token;

    HttpAuthScheme(String token) {
        this.token = token;
    }

    /** The scheme token on the wire. */
    public String token() {
        return token;
    }

    public static Optional<HttpAuthScheme> parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (HttpAuthScheme s : values()) {
            if (s.token.toLowerCase(Locale.ROOT).equals(t)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * What IIS enables for a set of IISAuthenticationMethods: Basic for Basic; Windows authentication (offered as
     * Negotiate and NTLM providers) for any of Ntlm, Negotiate, Kerberos, LiveIdNegotiate. Negotiate is offered only
     * when Negotiate or Kerberos is in the set, NTLM only when Ntlm or Negotiate is (Negotiate falls back to NTLM).
     */
    public static Set<HttpAuthScheme> fromIisMethods(Set<AuthenticationMethod> methods) {
        EnumSet<HttpAuthScheme> schemes = EnumSet.noneOf(HttpAuthScheme.class);
        if (methods.contains(AuthenticationMethod.NEGOTIATE) || methods.contains(AuthenticationMethod.KERBEROS)
                || methods.contains(AuthenticationMethod.LIVE_ID_NEGOTIATE)) {
            schemes.add(NEGOTIATE);
        }
        if (methods.contains(AuthenticationMethod.NTLM) || methods.contains(AuthenticationMethod.NEGOTIATE)) {
            schemes.add(NTLM);
        }
        if (methods.contains(AuthenticationMethod.BASIC)) {
            schemes.add(BASIC);
        }
        return schemes;
    }
}
