package dev.anywhere.autodiscover.pox;

import java.util.Objects;

/**
 * An {@code OWAUrl} element of a WEB protocol's {@code Internal} or {@code External} section.
 *
 * @param authenticationMethod the {@code AuthenticationMethod} attribute as written, e.g. {@code Ntlm, WindowsIntegrated}
 * @param url the element text (kept verbatim, not validated: spec examples contain malformed URLs)
 * @see [MS-OXDSCLI] 2.2.4.1.1.2 Account (Protocol/Internal/OWAUrl)
 */
public record OwaUrl(String authenticationMethod, String url) {

    public OwaUrl {
        Objects.requireNonNull(authenticationMethod, "authenticationMethod");
        Objects.requireNonNull(url, "url");
    }
}
