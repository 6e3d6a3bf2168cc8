package dev.anywhere.autodiscover.pox;

import java.util.Locale;
import java.util.Optional;

/**
 * An authentication method as Exchange's cmdlets name it, for the server-side {@link AuthPackageRule}: the configured
 * client method ({@code ExternalClientAuthenticationMethod}) and the methods enabled on the {@code /rpc} virtual
 * directory ({@code IISAuthenticationMethods}). Only the names matter here; the directory module owns the flag values.
 */
public enum AuthMethod {
    BASIC("Basic"),
    NTLM("Ntlm"),
    NEGOTIATE("Negotiate"),
    NEGO_EX("NegoEx"),
    KERBEROS("Kerberos"),
    CERTIFICATE("Certificate"),
    DIGEST("Digest"),
    LIVE_ID_NEGOTIATE("LiveIdNegotiate");

    private final String cmdletName;

    AuthMethod(String cmdletName) {
        this.cmdletName = cmdletName;
    }

    public String cmdletName() {
        return cmdletName;
    }

    /** Parses a cmdlet spelling case-insensitively; empty for a name this rule does not use. */
    public static Optional<AuthMethod> parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (AuthMethod m : values()) {
            if (m.cmdletName.toLowerCase(Locale.ROOT).equals(t)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
