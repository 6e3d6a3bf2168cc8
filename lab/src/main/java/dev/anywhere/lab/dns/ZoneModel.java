package dev.anywhere.lab.dns;

import dev.anywhere.rpc.input.InvalidValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Zone;

/**
 * One zone as data: its origin and every resource record in it, including the SOA and NS records at the apex.
 *
 * <p>Immutable; the "with"/"without" methods return changed copies, which is how fault scenarios alter a zone
 * before handing a new {@link ZoneSet} to a running server. Names given as strings are relative to the origin
 * unless they end with a dot; {@code "@"} is the origin itself (RFC 1035 5.1 master-file conventions).
 *
 * @param origin the zone apex, absolute
 * @param records the zone's records, all at or below {@code origin}, class IN
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1035#section-5">RFC 1035 5 Master files</a>
 */
public record ZoneModel(Name origin, List<Record> records) {

    /** TTL used by the builder unless {@link Builder#ttl(long)} says otherwise: one hour. */
    public static final long DEFAULT_TTL = 3600;

    public ZoneModel {
        Objects.requireNonNull(origin, "origin");
        if (!origin.isAbsolute()) {
            throw new IllegalArgumentException("zone origin: " + origin + " (expected: an absolute name)");
        }
        records = List.copyOf(records);
        for (Record r : records) {
            if (!r.getName().subdomain(origin)) {
                throw new InvalidValue("zone.owner", r.getName().toString(), Map.of("origin", origin.toString()),
                        "record owner: " + r.getName() + " (expected: at or below " + origin + ")");
            }
            if (r.getDClass() != DClass.IN) {
                throw new InvalidValue("zone.class", DClass.string(r.getDClass()), Map.of("record", r.toString()),
                        "record class: " + DClass.string(r.getDClass()) + " of " + r + " (expected: IN)");
            }
        }
    }

    /**
     * Starts a zone at {@code origin} with a default SOA ({@code ns1.<origin>}, {@code hostmaster.<origin>}).
     *
     * @param origin the apex, e.g. {@code "frankysweb.org"} (a trailing dot is optional)
     */
    public static Builder builder(String origin) {
        return new Builder(absolute(origin));
    }

    /**
     * Reads a standard master file (RFC 1035 5) with dnsjava's parser; {@code $INCLUDE} is disabled so that a zone
     * file cannot read other files.
     *
     * @param file the zone file
     * @param origin the origin for relative names when the file has no {@code $ORIGIN}
     * @throws UncheckedIOException if the file cannot be read, does not parse or holds a record this zone cannot
     *     serve (outside the origin, not class IN), with the file name in the message; its cause's cause is the keyed
     *     refusal ({@link InvalidValue}: {@code zone-file.unreadable} with the parser's {@code detail},
     *     {@code zone-file.malformed}, {@code zone-file.owner}, {@code zone-file.class}; the file as {@code file}) a
     *     user interface says in its reader's language
     */
    public static ZoneModel fromZoneFile(Path file, String origin) {
        Name apex = absolute(origin);
        List<Record> records = new ArrayList<>();
        String where = file.toString();
        try (Master master = new Master(where, apex, DEFAULT_TTL)) {
            master.disableIncludes(true); // strict: an $INCLUDE line is an error, not silently skipped
            for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
                records.add(r);
            }
        } catch (IOException e) {
            // the parser's own words (line number, what it expected) are the detail
            throw unusable(new InvalidValue("zone-file.unreadable", where, Map.of("file", where, "detail", String.valueOf(e.getMessage())),
                    "zone file " + file + ": " + e.getMessage()), e);
        } catch (RuntimeException e) {
            // the parser fails on some malformed lines with an unchecked exception (an empty quoted owner name: "")
            throw unusable(new InvalidValue("zone-file.malformed", where, Map.of("file", where),
                    "zone file " + file + ": malformed record (expected: RFC 1035 master file syntax)"), e);
        }
        try {
            return new ZoneModel(apex, records);
        } catch (InvalidValue e) {
            // a record the file may legally hold but this zone cannot serve is a problem of the file, as a parse error is
            Map<String, String> details = new LinkedHashMap<>(e.details());
            details.put("file", where);
            throw unusable(new InvalidValue(e.key().replaceFirst("^zone\\.", "zone-file."), e.value(), details,
                    "zone file " + file + ": " + e.getMessage()), e);
        }
    }

    /**
     * A zone file's refusal as the reader's {@link UncheckedIOException} (which can only wrap an {@link IOException}):
     * the keyed refusal one level down, the failure behind it below that, for logs.
     */
    private static UncheckedIOException unusable(InvalidValue refusal, Throwable cause) {
        refusal.initCause(cause);
        return new UncheckedIOException(refusal.getMessage(), new IOException(refusal.getMessage(), refusal));
    }

    /** Parses {@code name} relative to the origin ({@code "@"} is the origin; a trailing dot makes it absolute). */
    public Name name(String name) {
        return resolve(name, origin);
    }

    /** The records whose owner is {@code name} (relative to the origin) and whose type is {@code type}. */
    public List<Record> records(String name, int type) {
        Name owner = name(name);
        return records.stream().filter(r -> r.getName().equals(owner) && r.getType() == type).toList();
    }

    /** A copy without the records of type {@code type} at {@code name}; e.g. {@code without("oa", Type.A)}. */
    public ZoneModel without(String name, int type) {
        Name owner = name(name);
        return filter(r -> !(r.getName().equals(owner) && r.getType() == type));
    }

    /** A copy without any record owned by {@code name} (the name no longer exists: NXDOMAIN). */
    public ZoneModel withoutName(String name) {
        Name owner = name(name);
        return filter(r -> !r.getName().equals(owner));
    }

    /** A copy with {@code record} added. */
    public ZoneModel with(Record record) {
        List<Record> copy = new ArrayList<>(records);
        copy.add(record);
        return new ZoneModel(origin, copy);
    }

    /**
     * A copy in which {@code name} has exactly one address record, {@code address} (A or AAAA by its family), and no
     * other record of that type; the {@code dns-wrong-address} fault.
     */
    public ZoneModel withAddress(String name, InetAddress address) {
        int type = address instanceof Inet6Address ? Type.AAAA : Type.A;
        long ttl = records(name, type).stream().mapToLong(Record::getTTL).findFirst().orElse(DEFAULT_TTL);
        return without(name, type).with(addressRecord(name(name), ttl, address));
    }

    /**
     * The zone as master-file text (RFC 1035 5), one record per line with absolute names, readable by {@link
     * #fromZoneFile}.
     */
    public String toMasterFile() {
        StringBuilder text = new StringBuilder("$ORIGIN ").append(origin).append('\n');
        records.forEach(r -> text.append(r).append('\n'));
        return text.toString();
    }

    /**
     * The dnsjava zone for lookups; fails with the reason when the apex lacks its SOA or NS records ({@link InvalidValue}
     * {@code zone.apex}: the origin, dnsjava's words as {@code detail}).
     */
    Zone toZone() {
        try {
            return new Zone(origin, records.toArray(Record[]::new));
        } catch (IOException | RuntimeException e) {
            InvalidValue refused = new InvalidValue("zone.apex", origin.toString(), Map.of("detail", String.valueOf(e.getMessage())),
                    "zone " + origin + ": " + e.getMessage() + " (expected: one SOA and at least one NS record at the apex)");
            refused.initCause(e);
            throw refused;
        }
    }

    private ZoneModel filter(Predicate<Record> keep) {
        return new ZoneModel(origin, records.stream().filter(keep).toList());
    }

    static Name absolute(String name) {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("domain name: " + name + " (" + e.getMessage() + ")", e);
        }
    }

    static Name resolve(String name, Name origin) {
        if (name.equals("@")) {
            return origin;
        }
        try {
            return Name.fromString(name, origin);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("domain name: " + name + " (" + e.getMessage() + ")", e);
        }
    }

    static Record addressRecord(Name owner, long ttl, InetAddress address) {
        if (address instanceof Inet4Address) {
            return new ARecord(owner, DClass.IN, ttl, address);
        }
        return new AAAARecord(owner, DClass.IN, ttl, address);
    }

    /** Builds a {@link ZoneModel} record by record; names are relative to the origin unless they end with a dot. */
    public static final class Builder {
        private final Name origin;
        private final List<Record> records = new ArrayList<>();
        private long ttl = DEFAULT_TTL;
        private Name primary;
        private Name admin;
        private long serial = 1;

        private Builder(Name origin) {
            this.origin = origin;
            this.primary = resolve("ns1", origin);
            this.admin = resolve("hostmaster", origin);
        }

        /** TTL of the records added after this call (and of the SOA). */
        public Builder ttl(long seconds) {
            if (seconds < 0 || seconds > 0x7FFFFFFFL) {
                throw new IllegalArgumentException("ttl: " + seconds + " (expected: 0..2147483647, RFC 2181 8)");
            }
            this.ttl = seconds;
            return this;
        }

        /** The SOA's MNAME, RNAME (mailbox as a name) and serial. */
        public Builder soa(String primaryNameServer, String adminMailbox, long serial) {
            this.primary = resolve(primaryNameServer, origin);
            this.admin = resolve(adminMailbox, origin);
            this.serial = serial;
            return this;
        }

        /** An NS record at the apex. */
        public Builder ns(String nameServer) {
            records.add(new NSRecord(origin, DClass.IN, ttl, resolve(nameServer, origin)));
            return this;
        }

        /** An NS record at {@code name} below the apex: a delegation (zone cut). */
        public Builder delegation(String name, String nameServer) {
            records.add(new NSRecord(resolve(name, origin), DClass.IN, ttl, resolve(nameServer, origin)));
            return this;
        }

        /** An A record; {@code address} must be an IPv4 literal. */
        public Builder a(String name, String address) {
            InetAddress ip = literal(address);
            if (!(ip instanceof Inet4Address)) {
                throw new IllegalArgumentException("A record address: " + address + " (expected: an IPv4 literal)");
            }
            records.add(addressRecord(resolve(name, origin), ttl, ip));
            return this;
        }

        /** An AAAA record; {@code address} must be an IPv6 literal. */
        public Builder aaaa(String name, String address) {
            InetAddress ip = literal(address);
            if (!(ip instanceof Inet6Address)) {
                throw new IllegalArgumentException("AAAA record address: " + address + " (expected: an IPv6 literal)");
            }
            records.add(addressRecord(resolve(name, origin), ttl, ip));
            return this;
        }

        /** A CNAME record; per RFC 1034 3.6.2 the alias may own no other data (checked when the zone is loaded). */
        public Builder cname(String alias, String target) {
            records.add(new CNAMERecord(resolve(alias, origin), DClass.IN, ttl, resolve(target, origin)));
            return this;
        }

        /** An SRV record (RFC 2782), e.g. {@code srv("_autodiscover._tcp", 0, 0, 443, "autodiscover")}. */
        public Builder srv(String name, int priority, int weight, int port, String target) {
            records.add(new SRVRecord(resolve(name, origin), DClass.IN, ttl, priority, weight, port,
                    resolve(target, origin)));
            return this;
        }

        /** A TXT record with one or more character-strings. */
        public Builder txt(String name, String... strings) {
            records.add(new TXTRecord(resolve(name, origin), DClass.IN, ttl, List.of(strings)));
            return this;
        }

        /** Any other record, e.g. one parsed with {@link Record#fromString}. */
        public Builder record(Record record) {
            records.add(record);
            return this;
        }

        /** The zone, with the SOA first. */
        public ZoneModel build() {
            List<Record> all = new ArrayList<>(records.size() + 1);
            // SOA timers per RFC 1912 2.2 suggestions; minimum doubles as the negative-caching TTL (RFC 2308 4)
            all.add(new SOARecord(origin, DClass.IN, ttl, primary, admin, serial, 3600, 600, 86400, 300));
            all.addAll(records);
            return new ZoneModel(origin, all);
        }

        private static InetAddress literal(String address) {
            // only literals: InetAddress.getByName on a literal never touches the resolver
            if (!address.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("address: " + address + " (expected: an IP literal)");
            }
            try {
                return InetAddress.getByName(address);
            } catch (IOException e) {
                throw new IllegalArgumentException("address: " + address + " (expected: an IP literal)", e);
            }
        }
    }
}
