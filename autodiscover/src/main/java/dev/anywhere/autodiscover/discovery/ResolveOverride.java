package dev.anywhere.autodiscover.discovery;

import dev.anywhere.rpc.input.InvalidValue;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * One curl-like {@code --resolve HOST:PORT:ADDR}: connections to {@code HOST:PORT} go to {@code ADDR} without asking
 * DNS. The one parser of the option for the Autodiscover client and the analyzer's resolver, so an override means the
 * same in every step of a run.
 *
 * @param host the host name as given
 * @param port the port
 * @param address the literal address to connect to
 */
public record ResolveOverride(String host, int port, InetAddress address) {

    /**
     * Parses {@code HOST:PORT:ADDR} ({@code ADDR} an IPv4 or IPv6 literal, bracketed or not). No name resolution
     * happens: a name as {@code ADDR} is refused, or the override would itself depend on the DNS it stands in for.
     *
     * @throws InvalidValue naming the part that is wrong: {@code resolve.form} (the whole option as given),
     *     {@code resolve.port} (the whole option), {@code resolve.address} (the address part)
     */
    public static ResolveOverride parse(String spec) {
        int first = spec.indexOf(':');
        int second = first < 0 ? -1 : spec.indexOf(':', first + 1);
        if (first < 1 || second < 0) {
            throw new InvalidValue("resolve.form", spec, "--resolve: " + spec + " (expected: HOST:PORT:ADDR)");
        }
        String host = spec.substring(0, first);
        int port;
        try {
            port = Integer.parseInt(spec.substring(first + 1, second));
        } catch (NumberFormatException e) {
            throw new InvalidValue("resolve.port", spec, "--resolve port: " + spec + " (expected: HOST:PORT:ADDR)");
        }
        String addr = spec.substring(second + 1);
        if (addr.startsWith("[") && addr.endsWith("]")) {
            addr = addr.substring(1, addr.length() - 1);
        }
        // digits and dots (IPv4), or hex with colons (IPv6): "cafe" is hex but a name, and would be looked up
        boolean literal = addr.matches("[0-9.]+") || addr.contains(":") && addr.matches("[0-9a-fA-F:.]+");
        if (!literal) {
            throw notALiteral(addr);
        }
        try {
            return new ResolveOverride(host, port, InetAddress.getByName(addr)); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            InvalidValue refused = notALiteral(addr);
            refused.initCause(e);
            throw refused;
        }
    }

    private static InvalidValue notALiteral(String addr) {
        return new InvalidValue("resolve.address", addr, "--resolve address: " + addr + " (expected: an IP literal)");
    }

    /** {@code host:port}, the host in lower case: what a connection is looked up by. */
    public String key() {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }
}
