package dev.anywhere.directory.model;

import java.util.Optional;

/**
 * The single method Autodiscover tells clients to use against the RPC proxy ({@code ExternalClientAuthenticationMethod}).
 * Stored as exactly one flag of {@link AuthenticationMethod}; any other stored value reads back as {@link #MISCONFIGURED},
 * exactly as Exchange's calculated property does.
 */
public enum ClientAuthenticationMethod {
    BASIC(AuthenticationMethod.BASIC),
    NTLM(AuthenticationMethod.NTLM),
    NEGO_EX(AuthenticationMethod.NEGO_EX),
    NEGOTIATE(AuthenticationMethod.NEGOTIATE),
    /** The stored flag word is not exactly one of the flags above. */
    MISCONFIGURED(null);

    private final AuthenticationMethod method;

    ClientAuthenticationMethod(AuthenticationMethod method) {
        this.method = method;
    }

    /** The underlying flag, empty for {@link #MISCONFIGURED}. */
    public Optional<AuthenticationMethod> method() {
        return Optional.ofNullable(method);
    }

    /** Reads the raw {@code msExchExternalAuthenticationMethods} value. */
    public static ClientAuthenticationMethod fromFlags(int flags) {
        for (ClientAuthenticationMethod c : values()) {
            if (c.method != null && c.method.flag() == flags) {
                return c;
            }
        }
        return MISCONFIGURED;
    }

    /** Maps a cmdlet spelling (Basic, Ntlm, Negotiate, NegoEx) to the client method. */
    public static Optional<ClientAuthenticationMethod> parse(String text) {
        return AuthenticationMethod.parse(text).flatMap(m -> {
            for (ClientAuthenticationMethod c : values()) {
                if (c.method == m) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        });
    }

    public String cmdletName() {
        return method == null ? "Misconfigured" : method.cmdletName();
    }
}
