package dev.anywhere.analyzer.net;

import dev.anywhere.autodiscover.discovery.ResolveOverride;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * How the analyzer finds addresses: curl-like {@code --resolve host:port:addr} overrides first, then the chosen DNS
 * server (dnsjava, so the lab's provider DNS can answer), then the system resolver. Every answer says where it came
 * from, for the report.
 */
public final class NameResolver {

    /** An answer: the addresses, how they were found, and the DNS result code when a lookup failed. */
    /** How {@link Answer#source()} begins when a DNS server answered (followed by its address:port). */
    public static final String DNS_SERVER = "DNS server ";

    public record Answer(String host, List<InetAddress> addresses, String source, String rcode) {
        public boolean found() {
            return !addresses.isEmpty();
        }
    }

    private final Map<String, InetAddress> overrides = new HashMap<>();
    private final Optional<InetSocketAddress> dnsServer;
    private final Duration timeout;

    public NameResolver(List<String> resolveOverrides, Optional<InetSocketAddress> dnsServer, Duration timeout) {
        for (String o : resolveOverrides) {
            // the Autodiscover client's parser: an override means the same in every phase of a run
            ResolveOverride r = ResolveOverride.parse(o);
            overrides.put(r.key(), r.address());
        }
        this.dnsServer = dnsServer;
        this.timeout = timeout;
    }

    private static String key(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** The address override for {@code host:port}, if any: overrides bypass DNS entirely, as in curl. */
    public Optional<InetAddress> override(String host, int port) {
        return Optional.ofNullable(overrides.get(key(host, port)));
    }

    public Answer resolve(String host, int port) {
        Optional<InetAddress> o = override(host, port);
        if (o.isPresent()) {
            return new Answer(host, List.of(o.get()), "--resolve override", "NOERROR");
        }
        if (dnsServer.isEmpty()) {
            try {
                return new Answer(host, List.of(InetAddress.getAllByName(host)), "system resolver", "NOERROR");
            } catch (UnknownHostException e) {
                return new Answer(host, List.of(), "system resolver", "NXDOMAIN or no address");
            }
        }
        try {
            Resolver r = new SimpleResolver(dnsServer.get());
            r.setTimeout(timeout);
            List<InetAddress> found = new ArrayList<>();
            String rcode = "NOERROR";
            for (int type : new int[] {Type.A, Type.AAAA}) {
                Lookup l = new Lookup(Name.fromString(host.endsWith(".") ? host : host + "."), type);
                l.setResolver(r);
                l.setCache(null);
                Record[] records = l.run();
                if (records != null) {
                    for (Record rec : records) {
                        if (rec instanceof ARecord a) {
                            found.add(a.getAddress());
                        } else if (rec instanceof AAAARecord a) {
                            found.add(a.getAddress());
                        }
                    }
                } else if (type == Type.A) {
                    rcode = l.getErrorString();
                }
            }
            String server = dnsServer.get().getAddress().getHostAddress() + ":" + dnsServer.get().getPort();
            return new Answer(host, found, DNS_SERVER + server, found.isEmpty() ? rcode : "NOERROR");
        } catch (TextParseException e) {
            return new Answer(host, List.of(), "DNS", "not a DNS name");
        }
    }

    public Optional<InetSocketAddress> dnsServer() {
        return dnsServer;
    }
}
