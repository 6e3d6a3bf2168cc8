package dev.anywhere.lab.dns;

import java.util.Set;
import java.util.stream.Collectors;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Zone;

/**
 * A loaded zone: dnsjava's lookup structure plus the owner names, which tell an empty non-terminal (NODATA,
 * RFC 8020 2) from a name that does not exist (NXDOMAIN).
 *
 * <p>Never mutated after construction; dnsjava's {@link Zone} is only read.
 */
record ServedZone(Zone zone, Set<Name> owners) {

    static ServedZone of(ZoneModel model) {
        Set<Name> owners = model.records().stream().map(Record::getName).collect(Collectors.toUnmodifiableSet());
        return new ServedZone(model.toZone(), owners);
    }

    Name origin() {
        return zone.getOrigin();
    }

    /** Whether some record is owned by a name strictly below {@code name}, which then exists as a non-terminal. */
    boolean hasNamesBelow(Name name) {
        for (Name owner : owners) {
            if (!owner.equals(name) && owner.subdomain(name)) {
                return true;
            }
        }
        return false;
    }
}
