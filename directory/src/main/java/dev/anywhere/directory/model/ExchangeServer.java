package dev.anywhere.directory.model;

import java.util.Locale;
import java.util.Objects;

/**
 * A server of the site as the directory knows it (an {@code msExchExchangeServer} or a domain controller's computer object).
 *
 * @param name the NetBIOS-style short name (EX1)
 * @param fqdn the DNS name (ex1.frankysweb.local)
 * @param exchange whether this is an Exchange server that can host /rpc
 */
public record ExchangeServer(String name, String fqdn, boolean exchange) {

    public ExchangeServer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fqdn, "fqdn");
    }

    /** The short name in lower case, the spelling ValidPorts uses. */
    public String shortName() {
        return name.toLowerCase(Locale.ROOT);
    }
}
