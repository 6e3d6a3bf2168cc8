package dev.anywhere.lab.topology;

import com.fasterxml.jackson.annotation.JsonValue;

/** The hosts that serve DNS zones in the lab: the provider's public server and DC1's internal one. */
public enum ZoneServer {
    /** The DNS provider's authoritative server: what the internet sees. */
    PROVIDER_DNS("provider-dns"),
    /** DC1's DNS: the internal zone and the split-brain copy of the public one. */
    DC1("dc1");

    private final String host;

    ZoneServer(String host) {
        this.host = host;
    }

    /** The host's name, also its name in topology files. */
    @JsonValue
    public String host() {
        return host;
    }
}
