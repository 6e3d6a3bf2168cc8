package dev.anywhere.cli;

import dev.anywhere.lab.dns.DnsServer;
import dev.anywhere.lab.dns.ZoneModel;
import dev.anywhere.lab.dns.ZoneSet;
import dev.anywhere.rpc.input.InvalidValue;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
        ZoneSet zones;
        try {
            zone = ZoneModel.fromZoneFile(zoneFile, name);
            zones = ZoneSet.of(zone); // checks the apex: a file without SOA or NS is refused here, not while serving
        } catch (UncheckedIOException e) {
            // the reader's keyed refusal is its cause's cause (an UncheckedIOException wraps an IOException)
            throw UserError.usage(e.getCause() != null && e.getCause().getCause() instanceof InvalidValue keyed
                    ? Inputs.problem(keyed, CliText.ofLocale()) : e.getMessage());
        } catch (RuntimeException e) {
            throw UserError.usage(Inputs.problem(e, CliText.ofLocale()));
        }
        try (DnsServer dns = DnsServer.start(address, zones)) {
            out.println(CliText.local("lab.dns.started", "address", dns.address().getAddress().getHostAddress() + ":" + dns.port(),
                    "origin", zone.origin(), "count", zone.records().size()));
            out.flush();
            Roles.runUntilInterrupted(dns);
        } catch (UncheckedIOException e) {
            throw UserError.unavailable(e.getMessage());
        }
        return Anywhere.OK;
    }
}
