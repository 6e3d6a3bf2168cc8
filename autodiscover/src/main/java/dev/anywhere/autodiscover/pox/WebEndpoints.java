package dev.anywhere.autodiscover.pox;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code Internal} or {@code External} section of a WEB protocol: OWA URLs plus a nested {@code Protocol} carrying
 * the web-service URL ({@code ASUrl}) for the inside (EXCH) or outside (EXPR).
 *
 * @param owaUrls the {@code OWAUrl} elements in document order
 * @param protocol the nested {@code Protocol} element, if any
 * @see [MS-OXDSCLI] 2.2.4.1.1.2 Account (Protocol/Internal, Protocol/External)
 * @see [MS-OXDSCLI] 4.4 MapiHttp Response (example of both)
 */
public record WebEndpoints(List<OwaUrl> owaUrls, Optional<Protocol> protocol) {

    public WebEndpoints {
        owaUrls = List.copyOf(owaUrls);
        Objects.requireNonNull(protocol, "protocol");
    }
}
