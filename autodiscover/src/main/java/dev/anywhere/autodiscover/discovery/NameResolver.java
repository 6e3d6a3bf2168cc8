package dev.anywhere.autodiscover.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Name resolution for discovery: {@code --resolve} overrides first, then dnsjava against the chosen server (or the
 * system resolver when none is chosen). Every answer is described in one line for the attempt record.
 */
final class NameResolver {

    /** A resolved address and how it was found. */
    record Resolved(InetSocketAddress address, String answer) {
    }

    /** One SRV target in the order discovery tries it. */
    record SrvTarget(int priority, int weight, int port, String host) {
    }

    private final DiscoveryOptions options;
    private final Optional<Resolver> dns;

    NameResolver(DiscoveryOptions options) {
        this.options = options;
        this.dns = options.dnsServer().map(server -> {
            SimpleResolver r = new SimpleResolver(server);
            r.setTimeout(options.stepTimeout());
            return r;
        });
    }

    Resolved resolve(String host, int port) throws StepFailure {
        String key = host.toLowerCase(Locale.ROOT) + ":" + port;
        InetAddress override = options.resolveOverrides().get(key);
        if (override != null) {
            return new Resolved(new InetSocketAddress(override, port),
                    "override " + key + " -> " + override.getHostAddress() + " (--resolve)");
        }
        if (isLiteral(host)) {
            try {
                InetAddress a = InetAddress.getByName(host); // literal: no lookup happens
                return new Resolved(new InetSocketAddress(a, port), "literal " + a.getHostAddress());
            } catch (UnknownHostException e) {
                throw new StepFailure(AttemptReason.of(AttemptReason.Key.DNS_BAD_LITERAL, "host", host), e);
            }
        }
        if (dns.isEmpty()) {
            try {
                InetAddress[] all = InetAddress.getAllByName(host);
                return new Resolved(new InetSocketAddress(all[0], port), "system resolver: " + host + " -> "
                        + String.join(", ", java.util.Arrays.stream(all).map(InetAddress::getHostAddress).toList()));
            } catch (UnknownHostException e) {
                throw new StepFailure(AttemptReason.of(AttemptReason.Key.DNS_NOT_FOUND, "host", host), e);
            }
        }
        List<InetAddress> addresses = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            for (Record r : query(host, type)) {
                if (r instanceof ARecord a) {
                    addresses.add(a.getAddress());
                    lines.add("A " + a.getAddress().getHostAddress());
                } else if (r instanceof AAAARecord a) {
                    addresses.add(a.getAddress());
                    lines.add("AAAA " + a.getAddress().getHostAddress());
                }
            }
            if (!addresses.isEmpty()) {
                break;
            }
        }
        if (addresses.isEmpty()) {
            throw new StepFailure(AttemptReason.of(AttemptReason.Key.DNS_NO_ADDRESS, "host", host, "server", serverName()));
        }
        return new Resolved(new InetSocketAddress(addresses.get(0), port),
                host + " -> " + String.join(", ", lines) + " (from " + server() + ")");
    }

    /**
     * The SRV targets of {@code name}, by priority ascending and, within one priority, weight descending. RFC 2782
     * picks by weighted chance; a deterministic order keeps analyzer runs reproducible while still preferring weight.
     *
     * @see [MS-OXDISCO] 3.1.5 Message Processing Events and Sequencing Rules (DNS SRV)
     */
    List<SrvTarget> srv(String name) throws StepFailure {
        List<SrvTarget> out = new ArrayList<>();
        List<Record> records = dns.isPresent() ? query(name, Type.SRV) : systemSrv(name);
        for (Record r : records) {
            if (r instanceof SRVRecord s) {
                String target = s.getTarget().toString(true);
                if (!target.isEmpty() && !target.equals(".")) {
                    out.add(new SrvTarget(s.getPriority(), s.getWeight(), s.getPort(), target.toLowerCase(Locale.ROOT)));
                }
            }
        }
        out.sort(Comparator.comparingInt(SrvTarget::priority).thenComparing(SrvTarget::weight, Comparator.reverseOrder()));
        return out;
    }

    String server() {
        return serverName().line();
    }

    /** The DNS server asked, {@code 127.0.0.10:53}, or the system's resolver. */
    AttemptReason serverName() {
        return dns.isPresent() ? AttemptReason.of(AttemptReason.Key.ADDRESS, "address", options.dnsServer().get().getAddress()
                .getHostAddress() + ":" + options.dnsServer().get().getPort()) : AttemptReason.of(AttemptReason.Key.SYSTEM_RESOLVER);
    }

    private List<Record> query(String host, int type) throws StepFailure {
        Name name;
        try {
            name = Name.fromString(host.endsWith(".") ? host : host + ".");
        } catch (TextParseException e) {
            throw new StepFailure(AttemptReason.of(AttemptReason.Key.DNS_BAD_NAME, "host", host), e);
        }
        Message response;
        try {
            response = dns.orElseThrow().send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        } catch (IOException e) {
            // dnsjava's timeout has no message: the cause is said from its type, never "null"
            throw new StepFailure(AttemptReason.of(AttemptReason.Key.DNS_NO_ANSWER, "type", Type.string(type), "host", host, "server", serverName(),
                    "cause", AttemptReason.cause(e), "ms", options.stepTimeout().toMillis()), e);
        }
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            throw new StepFailure(AttemptReason.of(AttemptReason.Key.DNS_RCODE, "type", Type.string(type), "host", host, "rcode", Rcode.string(rcode)));
        }
        List<Record> out = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == type) {
                out.add(r);
            }
        }
        return out;
    }

    private List<Record> systemSrv(String name) throws StepFailure {
        try {
            Lookup l = new Lookup(name, Type.SRV);
            Record[] r = l.run();
            return r == null ? List.of() : List.of(r);
        } catch (TextParseException e) {
            throw new StepFailure(AttemptReason.of(AttemptReason.Key.DNS_BAD_NAME, "host", name), e);
        }
    }

    private static boolean isLiteral(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }
}
