package dev.anywhere.lab.dns;

/** Zones for tests: the lab's public zone plus one record of every supported type and some edge cases. */
final class TestZones {

    /** Number of A records at {@code big.frankysweb.org}: 60 × 16 bytes do not fit in 512. */
    static final int BIG_COUNT = 60;

    private TestZones() {}

    static ZoneModel rich() {
        ZoneModel.Builder b = ZoneModel.builder("frankysweb.org")
                .soa("ns1", "hostmaster", 2026010101L)
                .ns("ns1")
                .a("ns1", "127.0.0.10")
                .a("oa", "127.0.0.20")
                .a("autodiscover", "127.0.0.20")
                .aaaa("oa", "::1")
                .cname("www", "oa")
                .cname("mail", "www")                  // two-hop chain mail -> www -> oa
                .cname("outside", "ex1.frankysweb.local.") // target out of zone
                .cname("loop1", "loop2")
                .cname("loop2", "loop1")
                .srv("_autodiscover._tcp", 0, 0, 443, "autodiscover")
                .txt("@", "v=spf1 -all")
                .delegation("sub", "ns.sub")
                .a("ns.sub", "127.0.0.53");
        for (int i = 1; i <= BIG_COUNT; i++) {
            b.a("big", "127.0.1." + i);
        }
        return b.build();
    }

    static ZoneSet richSet() {
        return ZoneSet.of(rich(), LabZones.internalZone());
    }
}
