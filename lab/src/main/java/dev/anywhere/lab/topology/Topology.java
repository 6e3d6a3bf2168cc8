package dev.anywhere.lab.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.anywhere.lab.pki.CertificateFault;
import dev.anywhere.lab.pki.KeyType;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The lab's site as data (a JSON file read with Jackson): hosts with loopback addresses and well-known ports, the
 * DNS zones each DNS host serves, the router's port forwarding rules, certificates, users, the port policy, the
 * middlebox, and faults to apply. {@link #frankysweb()} is the site of docs/architecture.md §1.
 *
 * <p>Records name hosts rather than addresses where they can ({@code "oa" A "router"}, {@code "to": "ex1:443"}), so
 * moving a host moves everything that points at it. {@link #validate()} checks that the file holds together and
 * {@link #withFaultsApplied()} turns faults into the broken topology the lab then starts.
 *
 * @param name the site's name
 * @param portPolicy real or shifted ports
 * @param hosts every host, by unique name; the lab needs {@code provider-dns}, {@code router}, {@code dc1} and
 *     {@code ex1}, and {@code middlebox} when one is chosen
 * @param zones the DNS zones and who serves them
 * @param router the router's port forwarding rules
 * @param certificates the certificates the lab CA issues, with the host that presents each
 * @param users the directory's users; a missing password is generated on {@code lab up}
 * @param middlebox what sits between the router and EX1 (default {@code none})
 * @param faults what to break
 * @param array when not null, a client access array: HAProxy on a host of its own in front of several Exchange
 *     servers' gateways ({@link #casArray()}); null for the single-server site
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "portPolicy", "hosts", "zones", "router", "certificates", "users", "middlebox", "faults", "array"})
public record Topology(String name, PortPolicy portPolicy, List<Host> hosts, List<Zone> zones, List<Forward> router,
        List<Certificate> certificates, List<User> users, Middlebox middlebox, Faults faults, Array array) {

    /** Backwards-compatible constructor: a single-server site. */
    public Topology(String name, PortPolicy portPolicy, List<Host> hosts, List<Zone> zones, List<Forward> router,
            List<Certificate> certificates, List<User> users, Middlebox middlebox, Faults faults) {
        this(name, portPolicy, hosts, zones, router, certificates, users, middlebox, faults, null);
    }

    /** The named topologies {@code --topology} takes besides a file. */
    public static final List<String> NAMES = List.of("frankysweb", "cas-array");

    /** The hosts every lab topology has. */
    public static final List<String> REQUIRED_HOSTS = List.of("provider-dns", "router", "dc1", "ex1");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // a closed set is named, never numbered: 1 is not nginx-stock
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");

    public Topology {
        name = name == null ? "lab" : name;
        portPolicy = portPolicy == null ? PortPolicy.AUTO : portPolicy;
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        zones = zones == null ? List.of() : List.copyOf(zones);
        router = router == null ? List.of() : List.copyOf(router);
        certificates = certificates == null ? List.of() : List.copyOf(certificates);
        users = users == null ? List.of() : List.copyOf(users);
        middlebox = middlebox == null ? Middlebox.NONE : middlebox;
        faults = faults == null ? Faults.NONE : faults;
    }

    /**
     * A host.
     *
     * @param name unique, lower-case ({@code ex1})
     * @param address an IPv4 loopback address (127.0.0.0/8)
     * @param ports service to well-known port ({@code "https": 443}); the port policy maps them
     */
    @JsonPropertyOrder({"name", "address", "ports"})
    public record Host(String name, String address, Map<Service, Integer> ports) {
        public Host {
            ports = ports == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ports));
        }

        /** The well-known port of {@code service}. */
        public Optional<Integer> port(Service service) {
            return Optional.ofNullable(ports.get(service));
        }
    }

    /**
     * A client access array: HAProxy in TCP mode on {@code balancer}'s {@code https} port, health-checking each
     * member's gateway through {@code /health} on the member's {@code admin} port, and balancing without affinity.
     * Each member is a whole Exchange server of its own (gateway, service host following the directory, RPC
     * endpoints); its server name is its host name in upper case ({@code ex2} is EX2).
     *
     * @param balancer the host HAProxy listens on
     * @param members the Exchange servers behind it, by host name ({@code ex1}, {@code ex2}, …)
     * @param directories empty: DC1's embedded directory for everyone; {@code [dc1, dc2]}: two OpenLDAP slapd
     *     providers in multi-provider (mirror) replication, member {@code i} following {@code directories[i % 2]}
     *     (its nearest replica)
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"balancer", "members", "directories"})
    public record Array(String balancer, List<String> members, List<String> directories) {
        public Array {
            members = members == null ? List.of() : List.copyOf(members);
            directories = directories == null ? List.of() : List.copyOf(directories);
        }

        /** The directory host member {@code index} follows: its nearest replica, or dc1. */
        public String directoryOf(int index) {
            return directories.isEmpty() ? "dc1" : directories.get(index % directories.size());
        }
    }

    /**
     * A DNS zone.
     *
     * @param origin the apex, e.g. {@code frankysweb.org}
     * @param server the host whose DNS serves it ({@code provider-dns} or {@code dc1})
     * @param records the records besides SOA and NS (which are generated for {@code server})
     */
    public record Zone(String origin, ZoneServer server, List<DnsRecord> records) {
        public Zone {
            records = records == null ? List.of() : List.copyOf(records);
        }
    }

    /**
     * A DNS record.
     *
     * @param name owner relative to the origin ({@code @} for the apex)
     * @param type {@code A}, {@code CNAME} or {@code SRV}
     * @param value A: a host name of the topology or a 127.x literal; CNAME: a name; SRV: {@code "prio weight port target"}
     */
    public record DnsRecord(String name, RecordType type, String value) {
    }

    /**
     * A port forwarding rule of the router (DNAT).
     *
     * @param port the public well-known port
     * @param to {@code host:port} inside, a host name of the topology and a well-known port
     */
    public record Forward(int port, String to) {
    }

    /**
     * A server certificate the lab CA issues.
     *
     * @param name file name stem under {@code pki/} ({@code ex1})
     * @param host the host that presents it
     * @param subject {@code CN=…}
     * @param dnsNames the subjectAltName DNS names
     * @param days validity in days
     * @param key {@code rsa2048} (default), {@code rsa1024} or {@code ec256}
     */
    @JsonPropertyOrder({"name", "host", "subject", "dnsNames", "days", "key"})
    public record Certificate(String name, String host, String subject, List<String> dnsNames, int days, KeyType key) {
        public Certificate {
            dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
            key = key == null ? KeyType.RSA_2048 : key;
            days = days == 0 ? 365 : days;
        }
    }

    /**
     * A directory user (sAMAccountName); a null password is generated on {@code lab up} and kept in the data dir.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record User(String name, String password) {
    }

    /**
     * Faults as data.
     *
     * @param dns records removed or altered
     * @param router rule variants by public port
     * @param certificate certificate faults for the EX1 certificate, by scenario name in JSON ({@code cert-expired}, …)
     * @param middlebox overrides the topology's middlebox when not null
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Faults(List<DnsChange> dns, List<RuleChange> router, List<CertificateFault> certificate, Middlebox middlebox) {
        public static final Faults NONE = new Faults(List.of(), List.of(), List.of(), null);

        public Faults {
            dns = dns == null ? List.of() : List.copyOf(dns);
            router = router == null ? List.of() : List.copyOf(router);
            certificate = certificate == null ? List.of() : List.copyOf(certificate);
        }

        public boolean none() {
            return dns.isEmpty() && router.isEmpty() && certificate.isEmpty() && middlebox == null;
        }
    }

    /**
     * A DNS fault.
     *
     * @param zone the zone's origin
     * @param name the owner name relative to the origin
     * @param action {@code remove} (every record of the name) or {@code address} (A record points at {@code value})
     * @param value for {@code address}: a host name of the topology or a 127.x literal
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DnsChange(String zone, String name, DnsAction action, String value) {
    }

    /**
     * A router fault: the rule for {@code port} becomes {@code variant}.
     *
     * @param port the public well-known port
     * @param variant {@code forward}, {@code absent}, {@code wrong-host} or {@code router-page}
     * @param to for {@code wrong-host}: {@code host:port} (default {@code dc1} at the same port: nothing listens)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RuleChange(int port, RuleVariant variant, String to) {
    }

    // ---------------------------------------------------------------- the default site

    // what every named topology shares: the internet side and DC1
    private static final Host PROVIDER_DNS = new Host("provider-dns", "127.0.0.10", ordered(Service.DNS, 53));
    private static final Host ROUTER = new Host("router", "127.0.0.20", Map.of());
    private static final Host DC1 = new Host("dc1", "127.0.100.250", ordered(Service.LDAP, 389, Service.DNS, 53));
    private static final Zone PUBLIC_ZONE = new Zone("frankysweb.org", ZoneServer.PROVIDER_DNS, List.of(
            new DnsRecord("oa", RecordType.A, "router"), new DnsRecord("autodiscover", RecordType.A, "router")));

    /** The site of docs/architecture.md §1: provider DNS, router, DC1, EX1 (and a middlebox host for nginx) on loopback. */
    public static Topology frankysweb() {
        List<Host> hosts = List.of(PROVIDER_DNS, ROUTER, DC1,
                new Host("ex1", "127.0.100.251", ordered(Service.HTTPS, 443, Service.HTTP, 80, Service.STORE, 6001,
                        Service.REFERRAL, 6002, Service.NSPI, 6004, Service.EPM_HTTP, 593)),
                new Host("middlebox", "127.0.100.252", ordered(Service.HTTPS, 443)));
        List<Zone> zones = List.of(PUBLIC_ZONE,
                new Zone("frankysweb.local", ZoneServer.DC1, List.of(
                        new DnsRecord("dc1", RecordType.A, "dc1"),
                        new DnsRecord("ex1", RecordType.A, "ex1"),
                        new DnsRecord("_ldap._tcp", RecordType.SRV, "0 100 389 dc1"))),
                new Zone("frankysweb.org", ZoneServer.DC1, List.of(
                        new DnsRecord("oa", RecordType.A, "ex1"),
                        new DnsRecord("autodiscover", RecordType.A, "ex1"))));
        List<Forward> router = List.of(new Forward(443, "ex1:443"), new Forward(80, "ex1:80"));
        List<Certificate> certificates = List.of(new Certificate("ex1", "ex1", "CN=oa.frankysweb.org",
                List.of("oa.frankysweb.org", "autodiscover.frankysweb.org"), 365, KeyType.RSA_2048));
        List<User> users = List.of(new User("svc-anywhere", null), new User("Administrator", null),
                new User("franky", null), new User("hanna", null), new User("max", null));
        return new Topology("frankysweb", PortPolicy.AUTO, hosts, zones, router, certificates, users, Middlebox.NONE, Faults.NONE);
    }

    /**
     * The client access array of docs/architecture.md §8 on loopback: the router forwards 443 to HAProxy on {@code lb},
     * which balances over EX1 and EX2 (each gateway, service host and RPC endpoints, each its own certificate for
     * the same public names); DC1 and DC2 as slapd providers in mirror replication, EX1 following DC1 and EX2 DC2;
     * every server in the internal zone; inside clients reach the balancer too.
     */
    public static Topology casArray() {
        Map<Service, Integer> member = ordered(Service.HTTPS, 443, Service.ADMIN, 8081, Service.STORE, 6001,
                Service.REFERRAL, 6002, Service.NSPI, 6004, Service.EPM_HTTP, 593);
        Map<Service, Integer> ex1 = new LinkedHashMap<>(member);
        ex1.put(Service.HTTP, 80);
        List<Host> hosts = List.of(PROVIDER_DNS, ROUTER, DC1,
                new Host("dc2", "127.0.100.249", ordered(Service.LDAP, 389)),
                new Host("ex1", "127.0.100.251", ex1),
                new Host("ex2", "127.0.100.253", member),
                new Host("lb", "127.0.100.254", ordered(Service.HTTPS, 443)));
        List<Zone> zones = List.of(PUBLIC_ZONE,
                new Zone("frankysweb.local", ZoneServer.DC1, List.of(
                        new DnsRecord("dc1", RecordType.A, "dc1"),
                        new DnsRecord("dc2", RecordType.A, "dc2"),
                        new DnsRecord("ex1", RecordType.A, "ex1"),
                        new DnsRecord("ex2", RecordType.A, "ex2"),
                        new DnsRecord("_ldap._tcp", RecordType.SRV, "0 100 389 dc1"),
                        new DnsRecord("_ldap._tcp", RecordType.SRV, "0 100 389 dc2"))),
                new Zone("frankysweb.org", ZoneServer.DC1, List.of(
                        new DnsRecord("oa", RecordType.A, "lb"),
                        new DnsRecord("autodiscover", RecordType.A, "lb"))));
        List<Forward> router = List.of(new Forward(443, "lb:443"), new Forward(80, "ex1:80"));
        List<String> names = List.of("oa.frankysweb.org", "autodiscover.frankysweb.org");
        List<Certificate> certificates = List.of(
                new Certificate("ex1", "ex1", "CN=oa.frankysweb.org", names, 365, KeyType.RSA_2048),
                new Certificate("ex2", "ex2", "CN=oa.frankysweb.org", names, 365, KeyType.RSA_2048));
        return new Topology("cas-array", PortPolicy.AUTO, hosts, zones, router, certificates, frankysweb().users(),
                Middlebox.NONE, Faults.NONE, new Array("lb", List.of("ex1", "ex2"), List.of("dc1", "dc2")));
    }

    /** A named topology ({@link #NAMES}), if {@code name} is one. */
    public static Optional<Topology> named(String name) {
        return switch (name) {
            case "frankysweb" -> Optional.of(frankysweb());
            case "cas-array" -> Optional.of(casArray());
            default -> Optional.empty();
        };
    }

    private static Map<Service, Integer> ordered(Object... kv) {
        Map<Service, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((Service) kv[i], (Integer) kv[i + 1]);
        }
        return m;
    }

    // ---------------------------------------------------------------- JSON

    /** Reads and validates a topology file. */
    public static Topology read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TopologyException(TopologyText.of("read.failed", "source", file, "detail", e.getMessage()), e);
        }
        return parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses and validates topology JSON; {@code source} names it in messages. */
    public static Topology parse(String json, String source) {
        Topology t;
        try {
            t = JSON.readValue(json, Topology.class);
        } catch (UnrecognizedPropertyException e) {
            throw new TopologyException(TopologyText.of("json.unknown-field", "source", source, "field", e.getPropertyName(), "path", path(e),
                    "known", new java.util.TreeSet<>(e.getKnownPropertyIds().stream().map(String::valueOf).toList())), e);
        } catch (InvalidFormatException e) {
            if (e.getTargetType() == null || !e.getTargetType().isEnum()) {
                throw malformed(source, e);
            }
            throw new TopologyException(TopologyText.of("json.bad-choice", "source", source, "path", path(e), "value", e.getValue(),
                    "choices", String.join(", ", jsonNames(e.getTargetType()))), e);
        } catch (ValueInstantiationException e) {
            // A value the model's own constructor refuses (the port policy's offset) says what itself.
            Object detail = e.getCause() instanceof TopologyException refused ? refused.text()
                    : (e.getCause() == null ? e : e.getCause()).getMessage();
            throw new TopologyException(TopologyText.of("json.invalid", "source", source, "detail", detail), e);
        } catch (JsonProcessingException e) {
            throw malformed(source, e);
        }
        if (t == null) {
            throw new TopologyException(TopologyText.of("json.empty", "source", source));
        }
        t.validate();
        return t;
    }

    private static TopologyException malformed(String source, JsonProcessingException e) {
        // The parser's own sentence is its words, quoted as it is; the sentence around it is the reader's.
        return new TopologyException(TopologyText.of("json.malformed", "source", source, "detail", e.getOriginalMessage().split("\n")[0],
                "line", e.getLocation() == null ? 0 : e.getLocation().getLineNr()), e);
    }

    /** The JSON forms of an enum's constants, in declaration order: what a topology file may say. */
    private static List<String> jsonNames(Class<?> enumType) {
        return java.util.Arrays.stream(enumType.getEnumConstants()).map(c -> JSON.convertValue(c, String.class)).toList();
    }

    private static Object path(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (var ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    b.append(b.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    b.append('[').append(ref.getIndex()).append(']');
                }
            }
            return b.toString();
        }
        return TopologyText.of("where.top-level");
    }

    /** The topology as JSON (what {@link #parse} reads back to an equal topology). */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("topology json: " + e.getMessage(), e);
        }
    }

    /** Writes {@link #toJson()} to {@code file}. */
    public void write(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- validation

    /**
     * Checks that the topology holds together; the first problem is thrown, phrased {@code what: actual (expected:
     * …)}.
     *
     * @throws TopologyException naming the first problem
     */
    public Topology validate() {
        Set<String> names = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (Host h : hosts) {
            if (h.name() == null || !NAME.matcher(h.name()).matches()) {
                throw new TopologyException(TopologyText.of("host.name", "name", h.name()));
            }
            if (!names.add(h.name())) {
                throw new TopologyException(TopologyText.of("host.twice", "host", h.name()));
            }
            if (h.address() == null || !loopback(h.address())) {
                throw new TopologyException(TopologyText.of("host.address", "host", h.name(), "address", h.address()));
            }
            if (!addresses.add(h.address())) {
                throw new TopologyException(TopologyText.of("host.address-used", "host", h.name(), "address", h.address()));
            }
            h.ports().forEach((service, port) -> checkPort(TopologyText.of("where.host-port", "host", h.name(), "service", service.id()), port));
        }
        for (String required : REQUIRED_HOSTS) {
            if (!names.contains(required)) {
                throw new TopologyException(TopologyText.of("hosts.missing", "host", required, "required", String.join(", ", REQUIRED_HOSTS)));
            }
        }
        requirePort("provider-dns", Service.DNS);
        requirePort("dc1", Service.DNS);
        requirePort("dc1", Service.LDAP);
        requirePort("ex1", Service.HTTPS);
        Set<String> servedBy = new HashSet<>();
        for (Zone z : zones) {
            if (z.origin() == null || z.origin().isBlank()) {
                throw new TopologyException(TopologyText.of("zone.no-origin"));
            }
            if (z.server() == null) {
                throw new TopologyException(TopologyText.of("zone.no-server", "zone", z.origin(), "servers",
                        String.join(", ", jsonNames(ZoneServer.class))));
            }
            TopologyText where = TopologyText.of("where.zone", "zone", z.origin(), "server", z.server().host());
            if (!servedBy.add(z.server() + "/" + z.origin())) {
                throw new TopologyException(TopologyText.of("zone.twice", "where", where));
            }
            for (DnsRecord r : z.records()) {
                checkRecord(where, r);
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (Forward f : router) {
            TopologyText rule = TopologyText.of("where.router-rule", "port", f.port());
            checkPort(rule, f.port());
            if (!ports.add(f.port())) {
                throw new TopologyException(TopologyText.of("rule.twice", "where", rule));
            }
            target(rule, f.to());
        }
        Set<String> certNames = new HashSet<>();
        for (Certificate c : certificates) {
            if (c.name() == null || !NAME.matcher(c.name()).matches() || !certNames.add(c.name())) {
                throw new TopologyException(TopologyText.of("certificate.name", "name", c.name()));
            }
            if (!names.contains(c.host())) {
                throw new TopologyException(TopologyText.of("certificate.host", "certificate", c.name(), "host", c.host()));
            }
            if (c.subject() == null || !c.subject().startsWith("CN=")) {
                throw new TopologyException(TopologyText.of("certificate.subject", "certificate", c.name(), "subject", c.subject()));
            }
            if (c.days() < 1) {
                throw new TopologyException(TopologyText.of("certificate.days", "certificate", c.name(), "days", c.days()));
            }
        }
        if (certificates.stream().noneMatch(c -> c.host().equals("ex1"))) {
            throw new TopologyException(TopologyText.of("certificates.none-for-ex1"));
        }
        Set<String> userNames = new HashSet<>();
        for (User u : users) {
            String lower = u.name() == null ? null : u.name().toLowerCase(java.util.Locale.ROOT);
            if (lower == null || SEEDED_USERS.stream().noneMatch(s -> s.equalsIgnoreCase(u.name()))) {
                throw new TopologyException(TopologyText.of("user.unknown", "user", u.name(), "users", String.join(", ", SEEDED_USERS)));
            }
            if (!userNames.add(lower)) {
                throw new TopologyException(TopologyText.of("user.twice", "user", u.name()));
            }
            if (u.password() != null && u.password().length() < 8) {
                throw new TopologyException(TopologyText.of("user.password", "user", u.name(), "length", u.password().length()));
            }
        }
        checkMiddlebox(TopologyText.of("where.middlebox"), middlebox);
        checkFaults();
        checkArray();
        return this;
    }

    private void checkArray() {
        if (array == null) {
            return;
        }
        if (array.balancer() == null || host(array.balancer()).isEmpty()) {
            throw new TopologyException(TopologyText.of("array.balancer", "host", array.balancer()));
        }
        requirePort(array.balancer(), Service.HTTPS);
        if (array.members().isEmpty()) {
            throw new TopologyException(TopologyText.of("array.no-members"));
        }
        if (!array.members().contains("ex1")) {
            throw new TopologyException(TopologyText.of("array.no-ex1", "members", array.members()));
        }
        Set<String> seen = new HashSet<>();
        for (String m : array.members()) {
            if (m == null || !m.matches("ex[0-9]{1,2}") || host(m).isEmpty()) {
                throw new TopologyException(TopologyText.of("array.member", "member", m));
            }
            if (!seen.add(m)) {
                throw new TopologyException(TopologyText.of("array.member-twice", "member", m));
            }
            requirePort(m, Service.HTTPS);
            requirePort(m, Service.ADMIN);
            if (certificates.stream().noneMatch(c -> c.host().equals(m))) {
                throw new TopologyException(TopologyText.of("array.member-no-certificate", "member", m));
            }
        }
        if (!array.directories().isEmpty() && !array.directories().equals(List.of("dc1", "dc2"))) {
            throw new TopologyException(TopologyText.of("array.directories", "directories", array.directories()));
        }
        for (String d : array.directories()) {
            if (host(d).isEmpty()) {
                throw new TopologyException(TopologyText.of("array.directory", "host", d));
            }
            requirePort(d, Service.LDAP);
        }
        if (middlebox != Middlebox.NONE || faults.middlebox() != null && faults.middlebox() != Middlebox.NONE) {
            throw new TopologyException(TopologyText.of("array.middlebox", "middlebox",
                    (faults.middlebox() != null ? faults.middlebox() : middlebox).id()));
        }
    }

    /** The hosts of the Exchange servers: the array's members, or {@code ex1} alone. */
    public List<String> memberHosts() {
        return array == null ? List.of("ex1") : array.members();
    }

    /** The certificate {@code hostName} presents. */
    public Certificate certificateOf(String hostName) {
        return certificates.stream().filter(c -> c.host().equals(hostName)).findFirst().orElseThrow(
                () -> new TopologyException(TopologyText.of("host.no-certificate", "host", hostName)));
    }

    /** The users the lab directory is seeded with (SiteSeed.USERS). */
    public static final List<String> SEEDED_USERS = List.of("svc-anywhere", "Administrator", "franky", "hanna", "max");

    private void checkMiddlebox(TopologyText where, Middlebox value) {
        if (value != Middlebox.NONE) {
            if (host("middlebox").isEmpty()) {
                throw new TopologyException(TopologyText.of("middlebox.no-host", "where", where, "middlebox", value.id()));
            }
            requirePort("middlebox", Service.HTTPS);
        }
    }

    private void checkFaults() {
        for (DnsChange c : faults.dns()) {
            TopologyText where = TopologyText.of("where.fault-dns", "zone", c.zone(), "name", c.name());
            if (zones.stream().noneMatch(z -> z.origin().equalsIgnoreCase(String.valueOf(c.zone())))) {
                throw new TopologyException(TopologyText.of("fault.no-zone", "where", where));
            }
            if (c.action() == null) {
                throw new TopologyException(TopologyText.of("fault.no-action", "where", where, "actions",
                        String.join(", ", jsonNames(DnsAction.class))));
            }
            if (c.action() == DnsAction.ADDRESS) {
                checkAddressValue(where, c.value());
            }
        }
        for (RuleChange c : faults.router()) {
            TopologyText where = TopologyText.of("where.fault-router", "port", c.port());
            if (router.stream().noneMatch(f -> f.port() == c.port())) {
                throw new TopologyException(TopologyText.of("fault.no-rule", "where", where, "ports",
                        router.stream().map(f -> String.valueOf(f.port())).toList()));
            }
            if (c.variant() == null) {
                throw new TopologyException(TopologyText.of("fault.no-variant", "where", where, "variants",
                        String.join(", ", jsonNames(RuleVariant.class))));
            }
            if (c.to() != null) {
                target(where, c.to());
            }
        }
        if (faults.middlebox() != null) {
            checkMiddlebox(TopologyText.of("where.fault-middlebox"), faults.middlebox());
        }
    }

    private void checkRecord(TopologyText where, DnsRecord r) {
        TopologyText at = TopologyText.of("where.record", "where", where, "name", r.name());
        if (r.name() == null || r.name().isBlank()) {
            throw new TopologyException(TopologyText.of("record.no-name", "where", where));
        }
        if (r.type() == null) {
            throw new TopologyException(TopologyText.of("record.no-type", "where", at, "types", String.join(", ", jsonNames(RecordType.class))));
        }
        switch (r.type()) {
            case A -> checkAddressValue(at, r.value());
            case CNAME -> {
                if (r.value() == null || r.value().isBlank()) {
                    throw new TopologyException(TopologyText.of("record.cname", "where", at));
                }
            }
            case SRV -> {
                String[] p = r.value() == null ? new String[0] : r.value().trim().split("\\s+");
                if (p.length != 4 || !p[0].matches("\\d+") || !p[1].matches("\\d+") || !p[2].matches("\\d+")) {
                    throw new TopologyException(TopologyText.of("record.srv", "where", at, "value", r.value()));
                }
            }
        }
    }

    private void checkAddressValue(TopologyText where, String value) {
        if (value == null || (host(value).isEmpty() && !loopback(value))) {
            throw new TopologyException(TopologyText.of("address", "where", where, "address", value));
        }
    }

    private void requirePort(String host, Service service) {
        if (host(host).orElseThrow().port(service).isEmpty()) {
            throw new TopologyException(TopologyText.of("host.no-port", "host", host, "service", service.id(),
                    "port", service.wellKnownPort()));
        }
    }

    private static void checkPort(TopologyText where, Integer port) {
        if (port == null || port < 1 || port > 65535) {
            throw new TopologyException(TopologyText.of("port", "where", where, "port", port));
        }
    }

    /** Resolves {@code host:port} of a rule; the host must exist. */
    private Target target(TopologyText where, String to) {
        int colon = to == null ? -1 : to.lastIndexOf(':');
        if (colon <= 0 || !to.substring(colon + 1).matches("\\d{1,5}")) {
            throw new TopologyException(TopologyText.of("target", "where", where, "target", to));
        }
        String h = to.substring(0, colon);
        int port = Integer.parseInt(to.substring(colon + 1));
        checkPort(TopologyText.of("where.target-port", "where", where), port);
        if (host(h).isEmpty()) {
            throw new TopologyException(TopologyText.of("target.host", "where", where, "host", h, "hosts", hosts.stream().map(Host::name).toList()));
        }
        return new Target(h, port);
    }

    /** A rule's target: host name and well-known port. */
    public record Target(String host, int port) {
    }

    /** The target of a {@code host:port} string, after validation. */
    public Target parseTarget(String to) {
        return target(TopologyText.of("where.target"), to);
    }

    static boolean loopback(String address) {
        if (!address.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            return false;
        }
        for (String part : address.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- queries

    public Optional<Host> host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }

    /** The host's address; the host must exist. */
    public InetAddress address(String hostName) {
        Host h = host(hostName).orElseThrow(() -> new TopologyException(TopologyText.of("host.unknown", "host", hostName)));
        try {
            return InetAddress.getByName(h.address());
        } catch (java.net.UnknownHostException e) {
            throw new TopologyException(TopologyText.of("host.address-unusable", "host", hostName, "address", h.address()), e);
        }
    }

    /** An A record value: a host's address or the literal itself. */
    public String addressOf(String value) {
        return host(value).map(Host::address).orElse(value);
    }

    /** The certificate EX1 presents. */
    public Certificate ex1Certificate() {
        return certificates.stream().filter(c -> c.host().equals("ex1")).findFirst().orElseThrow();
    }

    // ---------------------------------------------------------------- faults

    /**
     * This topology with its faults applied and cleared: DNS records removed or re-pointed, router rules replaced
     * by their variants (recorded in {@link #ruleVariants()} of the result), certificate faults kept for the issuing
     * step, middlebox chosen.
     */
    public Topology withFaultsApplied() {
        validate();
        List<Zone> newZones = new ArrayList<>();
        for (Zone z : zones) {
            List<DnsRecord> records = new ArrayList<>(z.records());
            for (DnsChange c : faults.dns()) {
                // faults break what the internet sees: the provider's copy of the zone, not DC1's split-brain one
                boolean publicCopy = zones.stream().anyMatch(o -> o.origin().equalsIgnoreCase(c.zone())
                        && o.server() == ZoneServer.PROVIDER_DNS);
                if (!c.zone().equalsIgnoreCase(z.origin()) || publicCopy && z.server() != ZoneServer.PROVIDER_DNS) {
                    continue;
                }
                records.removeIf(r -> r.name().equalsIgnoreCase(c.name()));
                if (c.action() == DnsAction.ADDRESS) {
                    records.add(new DnsRecord(c.name(), RecordType.A, c.value()));
                }
            }
            newZones.add(new Zone(z.origin(), z.server(), records));
        }
        Middlebox box = faults.middlebox() != null ? faults.middlebox() : middlebox;
        Faults kept = new Faults(List.of(), faults.router(), faults.certificate(), null);
        return new Topology(name, portPolicy, hosts, newZones, router, certificates, users, box, kept, array);
    }

    /** The variant each router rule runs as: {@code forward} unless a router fault says otherwise. */
    public Map<Integer, RuleChange> ruleVariants() {
        Map<Integer, RuleChange> m = new LinkedHashMap<>();
        for (Forward f : router) {
            m.put(f.port(), new RuleChange(f.port(), RuleVariant.FORWARD, f.to()));
        }
        for (RuleChange c : faults.router()) {
            String to = switch (c.variant()) {
                case FORWARD -> c.to() != null ? c.to() : m.get(c.port()).to();
                case WRONG_HOST -> c.to() != null ? c.to() : "dc1:" + c.port();
                case ABSENT, ROUTER_PAGE -> null;
            };
            m.put(c.port(), new RuleChange(c.port(), c.variant(), to));
        }
        return m;
    }

    /** The certificate faults to build into EX1's certificate. */
    public Set<CertificateFault> certificateFaults() {
        Set<CertificateFault> s = java.util.EnumSet.noneOf(CertificateFault.class);
        s.addAll(faults.certificate());
        return s;
    }

    /** This topology with {@code faults} instead of its own. */
    public Topology withFaults(Faults faults) {
        return new Topology(name, portPolicy, hosts, zones, router, certificates, users, middlebox,
                Objects.requireNonNull(faults, "faults"), array);
    }

    /** This topology with another port policy. */
    public Topology withPortPolicy(PortPolicy policy) {
        return new Topology(name, policy, hosts, zones, router, certificates, users, middlebox, faults, array);
    }

    /** This topology with host {@code hostName} on another address (tests give EX1 one of their own: its RPC ports never shift). */
    public Topology withHostAddress(String hostName, String address) {
        List<Host> moved = hosts.stream().map(h -> h.name().equals(hostName) ? new Host(h.name(), address, h.ports()) : h).toList();
        return new Topology(name, portPolicy, moved, zones, router, certificates, users, middlebox, faults);
    }
}
