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
@Command(name = "dns", mixinStandardHelpOptions = true)
final class LabDnsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--zone-file", paramLabel = "FILE", required = true)
    Path zoneFile;

    @Option(names = "--origin", paramLabel = "NAME")
    String origin;

    @Option(names = "--listen", paramLabel = "ADDR:PORT", required = true)
    String listen;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        InetSocketAddress address = Roles.address("--listen", listen);
        if (!Files.isReadable(zoneFile)) {
            throw UserError.usage(CliText.local("lab.dns.unreadable", "file", zoneFile));
        }
        String name = origin != null ? origin : zoneFile.getFileName().toString().replaceFirst("\\.zone$", "");
        ZoneModel zone;
        try {
            zone = ZoneModel.fromZoneFile(zoneFile, name);
        } catch (RuntimeException e) {
            throw UserError.usage(e.getMessage());
        }
        try (DnsServer dns = DnsServer.start(address, ZoneSet.of(zone))) {
            out.println(CliText.local("lab.dns.started", "address", dns.address().getAddress().getHostAddress() + ":" + dns.port(),
                    "origin", zone.origin(), "count", zone.records().size()));
            out.flush();
            Roles.runUntilInterrupted(dns);
        } catch (java.io.UncheckedIOException e) {
            throw UserError.unavailable(e.getMessage());
        }
        return Anywhere.OK;
    }
}
