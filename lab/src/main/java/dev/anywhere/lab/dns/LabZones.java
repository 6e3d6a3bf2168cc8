package dev.anywhere.lab.dns;

/**
 * The default site's zones (docs/architecture.md §1): the provider's public zone {@code frankysweb.org} and DC1's internal zone
 * {@code frankysweb.local}, with the lab's loopback addresses.
 */
public final class LabZones {

    /** The public zone served by the provider's DNS. */
    public static final String PUBLIC_DOMAIN = "frankysweb.org";
    /** The Active Directory DNS domain served by DC1. */
    public static final String INTERNAL_DOMAIN = "frankysweb.local";

    /** Provider DNS (RFC 1035 port 53 when permitted). */
    public static final String PROVIDER_DNS_ADDRESS = "127.0.0.10";
    /** The router's public address, DNAT tcp/443 and 80 to EX1. */
    public static final String ROUTER_PUBLIC_ADDRESS = "127.0.0.20";
    /** DC1: directory and internal DNS. */
    public static final String DC1_ADDRESS = "127.0.100.250";
    /** EX1: the Exchange server. */
    public static final String EX1_ADDRESS = "127.0.100.251";
    /** Where {@link DnsFault#WRONG_ADDRESS} points {@code oa}: a loopback address nothing in the lab listens on. */
    public static final String WRONG_ADDRESS = "127.0.0.99";

    private LabZones() {}

    /**
     * Optional parts of the public zone.
     *
     * @param autodiscoverSrv add {@code _autodiscover._tcp SRV 0 0 443 autodiscover.frankysweb.org.} (RFC 2782;
     *     [MS-OXDISCO] 3.1.5.3)
     * @param apexAddress add an A record for {@code frankysweb.org} itself (the "root domain" Autodiscover candidate)
     */
    public record PublicZoneOptions(boolean autodiscoverSrv, boolean apexAddress) {
        /** Neither SRV nor apex address: only {@code oa} and {@code autodiscover}. */
        public static final PublicZoneOptions DEFAULT = new PublicZoneOptions(false, false);
    }

    /** The provider's zone with {@code oa} and {@code autodiscover} pointing at the router's public address. */
    public static ZoneModel publicZone(PublicZoneOptions options) {
        ZoneModel.Builder zone = ZoneModel.builder(PUBLIC_DOMAIN)
                .soa("ns1", "hostmaster", 2026010101L)
                .ns("ns1")
                .a("ns1", PROVIDER_DNS_ADDRESS)
                .a("oa", ROUTER_PUBLIC_ADDRESS)
                .a("autodiscover", ROUTER_PUBLIC_ADDRESS);
        if (options.autodiscoverSrv()) {
            zone.srv("_autodiscover._tcp", 0, 0, 443, "autodiscover");
        }
        if (options.apexAddress()) {
            zone.a("@", ROUTER_PUBLIC_ADDRESS);
        }
        return zone.build();
    }

    /** DC1's Active Directory zone: {@code dc1}, {@code ex1} and the LDAP locator SRV record. */
    public static ZoneModel internalZone() {
        return ZoneModel.builder(INTERNAL_DOMAIN)
                .soa("dc1", "hostmaster", 2026010101L)
                .ns("dc1")
                .a("dc1", DC1_ADDRESS)
                .a("ex1", EX1_ADDRESS)
                .srv("_ldap._tcp", 0, 100, 389, "dc1")
                .build();
    }

    /**
     * The split-brain copy of the public zone on DC1: the public names resolve to EX1's internal address, so domain
     * members inside reach EX1 directly under the names on its certificate.
     */
    public static ZoneModel splitBrainZone() {
        return ZoneModel.builder(PUBLIC_DOMAIN)
                .soa("dc1.frankysweb.local.", "hostmaster.frankysweb.local.", 2026010101L)
                .ns("dc1.frankysweb.local.")
                .a("oa", EX1_ADDRESS)
                .a("autodiscover", EX1_ADDRESS)
                .build();
    }

    /** The provider DNS's zones, default options. */
    public static ZoneSet provider() {
        return ZoneSet.of(publicZone(PublicZoneOptions.DEFAULT));
    }

    /** The provider DNS's zones with {@code fault} applied to the public zone. */
    public static ZoneSet provider(PublicZoneOptions options, DnsFault fault) {
        return ZoneSet.of(fault.apply(publicZone(options)));
    }

    /** DC1's zones: the internal zone, and the split-brain public zone when {@code splitBrain}. */
    public static ZoneSet internal(boolean splitBrain) {
        return splitBrain ? ZoneSet.of(internalZone(), splitBrainZone()) : ZoneSet.of(internalZone());
    }
}
