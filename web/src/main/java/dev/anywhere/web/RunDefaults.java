package dev.anywhere.web;

import dev.anywhere.lab.site.LabState;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the server adds to every run from the page: settings an administrator decides when starting {@code anywhere
 * serve}, not a page visitor (which DNS server to ask, which CAs to trust, the ports of a shifted lab).
 *
 * @param dnsServer the DNS server to ask instead of the system's
 * @param trust PEM files of CAs trusted besides the system's store
 * @param resolve curl-like HOST:PORT:ADDRESS overrides
 * @param httpsPort the port for https
 * @param httpPort the port for the HTTP redirect method
 * @param stepTimeout each step's timeout
 */
public record RunDefaults(Optional<InetSocketAddress> dnsServer, List<Path> trust, List<String> resolve, int httpsPort, int httpPort,
        Duration stepTimeout) {

    public RunDefaults {
        trust = List.copyOf(trust);
        resolve = List.copyOf(resolve);
    }

    /** The system's resolver and trust store, the standard ports, 10 s per step. */
    public static RunDefaults system() {
        return new RunDefaults(Optional.empty(), List.of(), List.of(), 443, 80, Duration.ofSeconds(10));
    }

    /** A running lab as {@code lab.json} describes it: its provider DNS, its CA, its (possibly shifted) ports. */
    public static RunDefaults of(LabState lab) {
        String dns = lab.dnsServer();
        int colon = dns.lastIndexOf(':');
        InetSocketAddress server = new InetSocketAddress(dns.substring(0, colon), Integer.parseInt(dns.substring(colon + 1)));
        return new RunDefaults(Optional.of(server), List.of(Path.of(lab.caBundle())), List.of(), lab.portMap().getOrDefault("443", 443),
                lab.portMap().getOrDefault("80", 80), Duration.ofSeconds(10));
    }
}
