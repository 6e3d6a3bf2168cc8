package dev.anywhere.analyzer.checks;

import java.util.Locale;
import java.util.Optional;

/**
 * The RPC proxy settings Outlook works with, from Autodiscover's EXPR or from manual settings.
 *
 * @param host ExternalHostname (EXPR Server)
 * @param port 443 unless told otherwise
 * @param ssl EXPR SSL
 * @param authPackage basic, ntlm, negotiate, … (lower case), empty when Autodiscover gave none
 * @param principal the msstd: name Outlook expects, explicit or implied (msstd:&lt;host&gt;)
 * @param principalExplicit whether the principal came from CertPrincipalName (not implied)
 * @param rpcServer the RPC server the proxy is asked to reach
 */
record ProxySettings(String host, int port, boolean ssl, Optional<String> authPackage, String principal,
        boolean principalExplicit, String rpcServer) {

    /** What {@code WWW-Authenticate} scheme the AuthPackage needs on /rpc. */
    Optional<String> requiredScheme() {
        return authPackage.map(a -> switch (a.toLowerCase(Locale.ROOT)) {
            case "basic" -> "Basic";
            case "negotiate", "kerb", "kerbntlm", "nego2" -> "Negotiate";
            case "certificate" -> "Certificate";
            default -> "NTLM";
        });
    }

    String describe(dev.anywhere.analyzer.text.Messages text) {
        return text.get(principalExplicit ? "summary.rpc-proxy.settings" : "summary.rpc-proxy.settings-implied", java.util.Map.of(
                "host", host, "port", port, "ssl", ssl ? "On" : "Off", "auth", authPackage.orElse(text.get("detail.none")),
                "principal", principal, "server", rpcServer));
    }
}
