package dev.anywhere.cli;

import dev.anywhere.lab.dns.DnsServer;
import dev.anywhere.lab.dns.ZoneModel;
import dev.anywhere.lab.dns.ZoneSet;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lab dns}: the lab's DNS server alone, serving one zone file. */
@Command(name = "dns", mixinStandardHelpOptions = true, description = "Run the lab's authoritative DNS server alone (UDP and "
        + "TCP) with one zone file (RFC 1035 master file) until Ctrl-C.")
final class LabDnsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--zone-file", paramLabel = "FILE", required = true, description = "The zone (master file).")
    Path zoneFile;

    @Option(names = "--origin", paramLabel = "NAME", description = "The zone's origin when the file has no $ORIGIN (default: the file name without .zone).")
    String origin;

    @Option(names = "--listen", paramLabel = "ADDR:PORT", required = true, description = "Where to listen, e.g. 127.0.0.10:53 (10053 without root).")
    String listen;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        InetSocketAddress address = Roles.address("--listen", listen);
        if (!Files.isReadable(zoneFile)) {
            throw UserError.usage("--zone-file: " + zoneFile + " cannot be read (expected: a zone file)");
        }
        String name = origin != null ? origin : zoneFile.getFileName().toString().replaceFirst("\\.zone$", "");
        ZoneModel zone;
        try {
            zone = ZoneModel.fromZoneFile(zoneFile, name);
        } catch (RuntimeException e) {
            throw UserError.usage(e.getMessage());
        }
        try (DnsServer dns = DnsServer.start(address, ZoneSet.of(zone))) {
            out.printf("DNS server on %s (udp+tcp) serving %s (%d records). Ctrl-C stops it.%n",
                    dns.address().getAddress().getHostAddress() + ":" + dns.port(), zone.origin(), zone.records().size());
            out.flush();
            Roles.runUntilInterrupted(dns);
        } catch (java.io.UncheckedIOException e) {
            throw UserError.unavailable(e.getMessage());
        }
        return Anywhere.OK;
    }
}
