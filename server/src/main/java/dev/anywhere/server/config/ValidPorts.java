package dev.anywhere.server.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;

/**
 * RpcProxy's ValidPorts value: which {@code server:port} pairs the proxy may open a connection to. Syntax
 * {@code name:port;name:lo-hi;…}; a name may start with {@code *.} as a suffix wildcard or be {@code *} alone.
 * Anything not listed is refused with {@code 503 RPC Error: 6ba} and no socket is opened.
 *
 * @see [MS-RPCH] 3.2.3.5.2 (the proxy MUST check the target against its policy)
 */
public final class ValidPorts {

    /** One entry: a name pattern and an inclusive port range. */
    public record Entry(String name, int low, int high) {

        public Entry {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("valid ports entry: empty server name");
            }
            if (low < 1 || high > 65535 || low > high) {
                throw new IllegalArgumentException("valid ports entry: port range " + low + "-" + high
                        + " (expected: 1 <= low <= high <= 65535)");
            }
            name = name.toLowerCase(Locale.ROOT);
        }

        boolean matches(String server, int port) {
            if (port < low || port > high) {
                return false;
            }
            String s = server.toLowerCase(Locale.ROOT);
            if (name.equals("*")) {
                return true;
            }
            if (name.startsWith("*.")) {
                return s.endsWith(name.substring(1));
            }
            return s.equals(name);
        }

        @Override
        public String toString() {
            return name + ":" + (low == high ? Integer.toString(low) : low + "-" + high);
        }
    }

    private static final ValidPorts NONE = new ValidPorts(List.of());

    private final List<Entry> entries;

    private ValidPorts(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static ValidPorts none() {
        return NONE;
    }

    public List<Entry> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether the proxy may connect to {@code server:port}. */
    public boolean permits(String server, int port) {
        for (Entry e : entries) {
            if (e.matches(server, port)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The value the configurator writes for a server: its short name, its FQDN and {@code localhost}, each with the
     * given ports, adjacent ports merged into ranges, names sorted (as Exchange sorts them).
     */
    public static ValidPorts forServer(String shortName, String fqdn, List<Integer> ports) {
        return forNames(List.of(shortName, fqdn), ports);
    }

    /**
     * The value for several servers (Exchange 2007/2010 list every mailbox server of the organisation, so that any
     * member of a client access array reaches the server a client names): each name with the given ports, plus
     * {@code localhost}, adjacent ports merged into ranges, names sorted.
     */
    public static ValidPorts forNames(java.util.Collection<String> serverNames, List<Integer> ports) {
        List<Integer> sorted = ports.stream().distinct().sorted().toList();
        List<int[]> ranges = new ArrayList<>();
        for (int p : sorted) {
            if (!ranges.isEmpty() && ranges.get(ranges.size() - 1)[1] == p - 1) {
                ranges.get(ranges.size() - 1)[1] = p;
            } else {
                ranges.add(new int[] {p, p});
            }
        }
        TreeMap<String, Boolean> names = new TreeMap<>();
        serverNames.forEach(n -> names.put(n.toLowerCase(Locale.ROOT), true));
        names.put("localhost", true);
        List<Entry> entries = new ArrayList<>();
        for (String name : names.keySet()) {
            for (int[] r : ranges) {
                entries.add(new Entry(name, r[0], r[1]));
            }
        }
        return new ValidPorts(entries);
    }

    /** Parses RpcProxy syntax; empty or blank text means nothing is permitted. */
    public static ValidPorts parse(String text) {
        Objects.requireNonNull(text, "text");
        List<Entry> entries = new ArrayList<>();
        for (String raw : text.split(";")) {
            String item = raw.trim();
            if (item.isEmpty()) {
                continue;
            }
            int colon = item.lastIndexOf(':');
            if (colon <= 0 || colon == item.length() - 1) {
                throw new IllegalArgumentException("valid ports entry: '" + item + "' (expected: name:port or name:low-high)");
            }
            String name = item.substring(0, colon).trim();
            String ports = item.substring(colon + 1).trim();
            int dash = ports.indexOf('-');
            try {
                int low = Integer.parseInt(dash < 0 ? ports : ports.substring(0, dash).trim());
                int high = dash < 0 ? low : Integer.parseInt(ports.substring(dash + 1).trim());
                entries.add(new Entry(name, low, high));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("valid ports entry: '" + item + "' (expected: name:port or name:low-high)", e);
            }
        }
        entries.sort(Comparator.comparing(Entry::name).thenComparingInt(Entry::low));
        return new ValidPorts(entries);
    }

    @Override
    public String toString() {
        return String.join(";", entries.stream().map(Entry::toString).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValidPorts v && v.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }
}
