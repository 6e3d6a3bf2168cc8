package dev.anywhere.autodiscover.pox;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the {@code AuthPackage} the server writes into EXPR (and EXHTTP) for one caller, with Exchange's Negotiate
 * downgrade: a client that cannot handle Negotiate gets {@code Ntlm} when the proxy accepts NTLM or Negotiate, else
 * {@code Basic} when TLS is required and the proxy accepts Basic, else no {@code AuthPackage} at all (the
 * configuration is unusable for that client, Exchange's "Misconfigured").
 *
 * <p>Inputs are the directory's values: the configured client method ({@code ExternalClientAuthenticationMethod};
 * empty when the stored flag word is not exactly one method), the <em>effective</em> IIS methods on {@code /rpc}
 * (callers expand a stored 0 to Basic+Ntlm+Negotiate first), and whether clients must use TLS.
 *
 * @see [MS-OXDSCLI] 2.2.4.1.1.2 Account (Protocol/AuthPackage)
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/authpackage-pox">AuthPackage (POX)</a>
 */
public final class AuthPackageRule {

    private AuthPackageRule() {
    }

    /**
     * The AuthPackage for this caller, or empty when the element must be omitted.
     *
     * @param configured the configured client authentication method, empty if misconfigured
     * @param iisMethods the authentication methods enabled on the RPC proxy's virtual directory
     * @param sslRequired true when clients must use TLS ({@code ExternalClientsRequireSsl})
     * @param client what the caller can handle
     */
    public static Optional<AuthPackage> choose(Optional<AuthMethod> configured, Set<AuthMethod> iisMethods,
            boolean sslRequired, ClientCapabilities client) {
        Objects.requireNonNull(configured, "configured");
        Objects.requireNonNull(iisMethods, "iisMethods");
        Objects.requireNonNull(client, "client");
        if (configured.isEmpty()) {
            return Optional.empty();
        }
        return switch (configured.get()) {
            case BASIC -> Optional.of(AuthPackage.BASIC);
            case NTLM -> Optional.of(AuthPackage.NTLM);
            case NEGOTIATE -> client.negotiate() ? Optional.of(AuthPackage.NEGOTIATE)
                    : downgrade(iisMethods, sslRequired);
            // [infer] NegoEx falls back to Negotiate for clients that handle Negotiate but not NegoEx.
            case NEGO_EX -> client.negoEx() ? Optional.of(AuthPackage.NEGO2)
                    : client.negotiate() ? Optional.of(AuthPackage.NEGOTIATE) : downgrade(iisMethods, sslRequired);
            // Not a single-flag client method Exchange accepts: reads back as Misconfigured.
            default -> Optional.empty();
        };
    }

    /** Convenience overload: derives the capabilities from the two request headers (either may be null). */
    public static Optional<AuthPackage> choose(Optional<AuthMethod> configured, Set<AuthMethod> iisMethods,
            boolean sslRequired, String xClientCanHandle, String userAgent) {
        return choose(configured, iisMethods, sslRequired, ClientCapabilities.fromHeaders(xClientCanHandle, userAgent));
    }

    private static Optional<AuthPackage> downgrade(Set<AuthMethod> iis, boolean sslRequired) {
        if (iis.contains(AuthMethod.NTLM) || iis.contains(AuthMethod.NEGOTIATE)) {
            return Optional.of(AuthPackage.NTLM);
        }
        if (sslRequired && iis.contains(AuthMethod.BASIC)) {
            return Optional.of(AuthPackage.BASIC);
        }
        return Optional.empty();
    }
}
