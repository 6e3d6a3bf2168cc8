package dev.anywhere.directory.model;

import java.util.Objects;
import java.util.Optional;

/**
 * An Outlook provider ({@code msExchAutoDiscoverConfig} object EXCH, EXPR or WEB) that Autodiscover reads.
 *
 * @param name EXCH, EXPR or WEB
 * @param certPrincipalName {@code msExchAutoDiscoverCertPrincipalName}, e.g. {@code msstd:oa.frankysweb.org}; empty when unset
 * @param server {@code msExchAutoDiscoverServer}; empty when unset
 * @param ttlHours {@code msExchAutoDiscoverTTL}, hours, default 1, range -1..65536
 * @param rawFlags {@code msExchAutoDiscoverFlags}: bit 0x1 is ServerExclusiveConnect
 */
public record OutlookProvider(String name, Optional<String> certPrincipalName, Optional<String> server, int ttlHours,
        int rawFlags) {

    public static final int DEFAULT_TTL_HOURS = 1;
    public static final int FLAG_SERVER_EXCLUSIVE_CONNECT = 0x1;

    public OutlookProvider {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(certPrincipalName, "certPrincipalName");
        Objects.requireNonNull(server, "server");
        if (ttlHours < -1 || ttlHours > 65536) {
            throw new IllegalArgumentException("ttl: " + ttlHours + " (expected: -1..65536 hours)");
        }
    }

    /** A provider as PrepareAD creates it: no principal, no server, TTL 1, no flags. */
    public static OutlookProvider defaults(String name) {
        return new OutlookProvider(name, Optional.empty(), Optional.empty(), DEFAULT_TTL_HOURS, 0);
    }

    public boolean serverExclusiveConnect() {
        return (rawFlags & FLAG_SERVER_EXCLUSIVE_CONNECT) != 0;
    }
}
