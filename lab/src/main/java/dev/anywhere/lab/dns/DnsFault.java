package dev.anywhere.lab.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The DNS faults the lab can inject into the public zone; each maps a healthy zone to a broken copy, which is then
 * swapped into the running server with {@link DnsServer#replaceZones}.
 */
public enum DnsFault {
    /** No fault: the zone as given. */
    NONE("none"),
    /** {@code oa} does not exist: clients get NXDOMAIN for the Outlook Anywhere host name. */
    MISSING_OA("dns-missing-oa"),
    /** {@code oa} points at {@link LabZones#WRONG_ADDRESS}, where nothing listens: connections are refused. */
    WRONG_ADDRESS("dns-wrong-address");

    private final String scenario;

    DnsFault(String scenario) {
        this.scenario = scenario;
    }

    /** The lab scenario name, e.g. {@code dns-missing-oa}. */
    public String scenario() {
        return scenario;
    }

    /** The broken copy of {@code publicZone} (a zone containing {@code oa}). */
    public ZoneModel apply(ZoneModel publicZone) {
        return switch (this) {
            case NONE -> publicZone;
            case MISSING_OA -> publicZone.withoutName("oa");
            case WRONG_ADDRESS -> publicZone.withAddress("oa", literal(LabZones.WRONG_ADDRESS));
        };
    }

    /** The fault whose scenario name is {@code scenario}. */
    public static DnsFault ofScenario(String scenario) {
        for (DnsFault f : values()) {
            if (f.scenario.equals(scenario)) {
                return f;
            }
        }
        throw new IllegalArgumentException("dns fault scenario: " + scenario + " (expected: one of none, "
                + "dns-missing-oa, dns-wrong-address)");
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip); // a literal: no resolver involved
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
