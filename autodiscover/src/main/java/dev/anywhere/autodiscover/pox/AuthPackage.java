package dev.anywhere.autodiscover.pox;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code AuthPackage} value: how the client authenticates to the RPC proxy. Used only on EXCH, EXPR and EXHTTP;
 * per spec, if it is absent the client uses Kerberos or NTLM. Exchange writes mixed case ({@code Ntlm}); parsing is
 * case-insensitive.
 *
 * @see [MS-OXDSCLI] 2.2.4.1.1.2 Account (Protocol/AuthPackage)
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/authpackage-pox">AuthPackage (POX)</a>
 */
public enum AuthPackage {
    BASIC("Basic"),
    KERB("Kerb"),
    KERB_NTLM("KerbNtlm"),
    NTLM("Ntlm"),
    CERTIFICATE("Certificate"),
    NEGOTIATE("Negotiate"),
    /** NegoEx; Exchange writes it only for NegoEx-capable clients. */
    NEGO2("Nego2"),
    ANONYMOUS("Anonymous");

    private final String wireName;

    AuthPackage(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling Exchange writes. */
    public String wireName() {
        return wireName;
    }

    /** Parses case-insensitively ({@code ntlm}, {@code NTLM} and {@code Ntlm} are the same). */
    public static Optional<AuthPackage> parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (AuthPackage a : values()) {
            if (a.wireName.toLowerCase(Locale.ROOT).equals(t)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
