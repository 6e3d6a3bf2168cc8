package dev.anywhere.lab.dns;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SetResponse;
import org.xbill.DNS.Type;

/**
 * The authoritative part of RFC 1034 4.3.2: find the zone, follow CNAMEs inside it, and answer with data, a negative
 * answer or a referral. No recursion and no I/O.
 */
final class ZoneLookup {

    /** CNAME hops followed before giving up; a chain longer than this is almost certainly a loop. */
    static final int MAX_CNAME_HOPS = 8;

    private ZoneLookup() {}

    static Answer lookup(ZoneSet zones, Name qname, int qtype) {
        Optional<ServedZone> found = zones.zoneFor(qname);
        if (found.isEmpty()) {
            return Answer.refused(); // not ours: RFC 1035 4.1.1 REFUSED, as authoritative-only servers do
        }
        ServedZone zone = found.get();
        List<Record> answer = new ArrayList<>();
        Set<Name> visited = new HashSet<>();
        Name name = qname;
        for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
            visited.add(name);
            SetResponse sr = zone.zone().findRecords(name, qtype);
            if (sr.isSuccessful()) {
                for (RRset rrset : sr.answers()) {
                    answer.addAll(rrset.rrs(false)); // false: no round-robin rotation, answers stay deterministic
                }
                return new Answer(Rcode.NOERROR, true, answer, List.of(), additional(zone, answer));
            }
            if (sr.isCNAME()) {
                Record cname = sr.getCNAME();
                answer.add(cname);
                Name target = sr.getCNAME().getTarget();
                if (!target.subdomain(zone.origin()) || visited.contains(target)) {
                    // out of zone (the client resolves it) or a loop: answer with the chain so far (RFC 1034 3.6.2)
                    return new Answer(Rcode.NOERROR, true, answer, List.of(), List.of());
                }
                name = target;
                continue;
            }
            if (sr.isDNAME()) {
                answer.add(sr.getDNAME()); // no CNAME synthesis (RFC 6672); the client sees the DNAME
                return new Answer(Rcode.NOERROR, true, answer, List.of(), List.of());
            }
            if (sr.isDelegation()) {
                if (!answer.isEmpty()) {
                    return new Answer(Rcode.NOERROR, true, answer, List.of(), List.of());
                }
                List<Record> ns = sr.getNS().rrs(false);
                return new Answer(Rcode.NOERROR, false, List.of(), ns, additional(zone, ns));
            }
            boolean nxdomain = sr.isNXDOMAIN() && !zone.hasNamesBelow(name);
            // RFC 2308 3: negative answers carry the SOA, with the TTL capped by the SOA minimum
            return new Answer(nxdomain ? Rcode.NXDOMAIN : Rcode.NOERROR, true, answer, List.of(negativeSoa(zone)),
                    List.of());
        }
        return new Answer(Rcode.NOERROR, true, answer, List.of(), List.of());
    }

    private static Record negativeSoa(ServedZone zone) {
        SOARecord soa = zone.zone().getSOA();
        long ttl = Math.min(soa.getTTL(), soa.getMinimum());
        return new SOARecord(soa.getName(), DClass.IN, ttl, soa.getHost(), soa.getAdmin(), soa.getSerial(),
                soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum());
    }

    /** In-zone A/AAAA records of SRV and NS targets (RFC 2782 "Additional Data", RFC 1035 3.3.11). */
    private static List<Record> additional(ServedZone zone, List<Record> records) {
        Set<Record> extra = new LinkedHashSet<>();
        for (Record r : records) {
            if (r.getType() != Type.SRV && r.getType() != Type.NS) {
                continue;
            }
            Name target = r.getAdditionalName();
            if (target == null || !target.subdomain(zone.origin())) {
                continue;
            }
            for (int type : new int[] {Type.A, Type.AAAA}) {
                RRset set = zone.zone().findExactMatch(target, type);
                if (set != null) {
                    extra.addAll(set.rrs(false));
                }
            }
        }
        return List.copyOf(extra);
    }
}
