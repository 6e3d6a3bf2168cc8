package dev.anywhere.lab.topology;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * A service a lab host offers on a well-known port: the keys of a host's {@code ports} in a topology file
 * ({@code "https": 443}). The lab starts each one only where a host lists it.
 */
public enum Service {
    /** DNS, UDP and TCP (the provider's and DC1's servers). */
    DNS("dns", 53),
    /** LDAP (DC1's directory, DC2's in the array). */
    LDAP("ldap", 389),
    /** HTTPS: the gateway, nginx or HAProxy. */
    HTTPS("https", 443),
    /** Plain HTTP: the Autodiscover redirect. */
    HTTP("http", 80),
    /** The gateway's admin listener ({@code /health}, {@code /metrics}), which HAProxy checks. */
    ADMIN("admin", 8081),
    /** The store's RPC endpoint (ncacn_http). */
    STORE("store", 6001),
    /** The referral service's RPC endpoint. */
    REFERRAL("referral", 6002),
    /** The address book's RPC endpoint. */
    NSPI("nspi", 6004),
    /** The endpoint mapper over HTTP. */
    EPM_HTTP("epm-http", 593);

    private final String id;
    private final int wellKnownPort;

    Service(String id, int wellKnownPort) {
        this.id = id;
        this.wellKnownPort = wellKnownPort;
    }

    /** The name in topology files and {@code lab.json}. */
    @JsonValue
    public String id() {
        return id;
    }

    /** The port this service usually has, for examples in error messages. */
    public int wellKnownPort() {
        return wellKnownPort;
    }

    /** The RPC endpoints' ports, in the order the lab registers them. */
    public static final List<Service> RPC = List.of(STORE, REFERRAL, NSPI, EPM_HTTP);
}
