package dev.anywhere.lab.dns;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * The zones one server is authoritative for: an immutable snapshot that {@link DnsServer#replaceZones} swaps in one
 * step, so a query sees either the old zones or the new ones, never a mix.
 *
 * <p>Every zone is checked when the set is built (SOA and NS at the apex), so a broken zone fails here and not
 * while serving.
 */
public final class ZoneSet {

    private static final ZoneSet EMPTY = new ZoneSet(List.of());

    private final List<ZoneModel> models;
    private final Map<Name, ServedZone> zones;

    private ZoneSet(List<ZoneModel> models) {
        Map<Name, ServedZone> byOrigin = new LinkedHashMap<>();
        for (ZoneModel model : models) {
            if (byOrigin.put(model.origin(), ServedZone.of(model)) != null) {
                throw new IllegalArgumentException(
                        "zone origin: " + model.origin() + " twice (expected: unique origins)");
            }
        }
        this.models = List.copyOf(models);
        this.zones = Collections.unmodifiableMap(byOrigin);
    }

    /** A set of the given zones; origins must be distinct. */
    public static ZoneSet of(ZoneModel... zones) {
        return new ZoneSet(List.of(zones));
    }

    /** A set of the given zones; origins must be distinct. */
    public static ZoneSet of(List<ZoneModel> zones) {
        return new ZoneSet(zones);
    }

    /** No zones: every query is REFUSED. */
    public static ZoneSet empty() {
        return EMPTY;
    }

    /** The zone models, in the order given. */
    public List<ZoneModel> models() {
        return models;
    }

    /** The model whose origin is {@code origin}, if served. */
    public Optional<ZoneModel> model(String origin) {
        Name apex = ZoneModel.absolute(origin);
        return models.stream().filter(m -> m.origin().equals(apex)).findFirst();
    }

    /** A copy in which the zone with {@code zone}'s origin is replaced by (or extended with) {@code zone}. */
    public ZoneSet with(ZoneModel zone) {
        List<ZoneModel> copy = new ArrayList<>(models);
        copy.removeIf(m -> m.origin().equals(zone.origin()));
        copy.add(zone);
        return new ZoneSet(copy);
    }

    /**
     * The zone that is authoritative for {@code qname}: the served zone with the longest origin that {@code qname} is
     * at or below (RFC 1034 4.3.2 step 2).
     */
    Optional<ServedZone> zoneFor(Name qname) {
        for (Name candidate = qname; ; candidate = parent(candidate)) {
            ServedZone zone = zones.get(candidate);
            if (zone != null) {
                return Optional.of(zone);
            }
            if (candidate.labels() <= 1) {
                return Optional.empty();
            }
        }
    }

    private static Name parent(Name name) {
        return new Name(name, 1);
    }

    @Override
    public String toString() {
        return "ZoneSet" + zones.keySet();
    }
}
