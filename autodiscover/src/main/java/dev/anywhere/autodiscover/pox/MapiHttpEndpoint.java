package dev.anywhere.autodiscover.pox;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code MailStore} or {@code AddressBook} element of a {@code mapiHttp} protocol.
 *
 * @param internalUrl {@code InternalUrl}
 * @param externalUrl {@code ExternalUrl}
 * @see [MS-OXDSCLI] 2.2.4.1.1.2.6 MapiHttp
 */
public record MapiHttpEndpoint(Optional<String> internalUrl, Optional<String> externalUrl) {

    public MapiHttpEndpoint {
        Objects.requireNonNull(internalUrl, "internalUrl");
        Objects.requireNonNull(externalUrl, "externalUrl");
    }
}
