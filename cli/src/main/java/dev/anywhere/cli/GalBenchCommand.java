package dev.anywhere.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.bench.load.GalDumpBench;
import dev.anywhere.lab.site.LabSite;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anywhere bench gal}: the lab (as {@code lab up} starts it, in this process) with its directory grown to a
 * GAL of {@code --entries} rows; the GAL dumped through EX1's gateway as Outlook's address book reads it (NSPI, sealed)
 * against a paged LDAP search of the same entries straight from DC1. Binds the lab's fixed loopback addresses.
 */
@Command(name = "gal", mixinStandardHelpOptions = true)
final class GalBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--entries", paramLabel = "N")
    int entries = 10_000;

    @Option(names = "--rounds", paramLabel = "N")
    int rounds = 3;

    @Option(names = "--page", paramLabel = "N")
    int page = 500;

    @Option(names = "--format", paramLabel = "text|json")
    String format = "text";

    @Option(names = "--topology", paramLabel = "FILE|NAME")
    Path topology;

    @Override
    public Integer call() throws Exception {
        Inputs.textOrJson(format);
        if (entries < 306 || entries > 100_000) {
            throw UserError.usage(CliText.local("bench.gal.entries-bad", "entries", entries));
        }
        if (rounds < 1 || rounds > 50) {
            throw UserError.usage(CliText.local("bench.gal.rounds-bad", "rounds", rounds));
        }
        if (page < 1 || page > 1000) {
            throw UserError.usage(CliText.local("bench.gal.page-bad", "page", page));
        }
        PrintWriter err = spec.commandLine().getErr();
        Path dir = Files.createTempDirectory("anywhere-bench-gal");
        ObjectNode report;
        LabSite.Plan plan = LabCommand.plan(topology, dir);
        try (LabSite site = LabSite.start(plan, s -> { })) {
            LabCommand.enableOutlookAnywhere(site);
            if (!LabCommand.awaitEnabled(site)) {
                throw UserError.unavailable(CliText.local("bench.gal.not-enabled"));
            }
            report = new GalDumpBench(new GalDumpBench.Settings(entries, rounds, page), site,
                    plan.passwords().of("franky"), err).run();
        } finally {
            deleteTree(dir);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            out.print(table(report, CliText.ofLocale()));
        }
        out.flush();
        return Anywhere.OK;
    }

    /**
     * The text report in {@code text}'s language: the heading and one row per arm and round, figures with the decimal
     * point in every language (the JSON is unchanged; its English "directory" said in {@code text}'s words).
     */
    static String table(ObjectNode report, CliText text) {
        StringBuilder b = new StringBuilder();
        b.append(text.get("bench.gal.heading", "entries", report.get("entries").asInt(), "rounds", report.get("rounds").asInt(), "page",
                report.get("page").asInt(), "directory", directory(report.get("directory").asText(), text), "load",
                String.format(Locale.ROOT, "%.2f", report.get("load_average_1min").asDouble()), "cpus", report.get("cpus").asInt())).append('\n');
        b.append(String.format(Locale.ROOT, "%-6s %12s %16s %16s %18s %10s%n", text.get("bench.gal.column.arm"), text.get("bench.gal.column.wall"),
                text.get("bench.gal.column.wall-per-1000"), text.get("bench.gal.column.jvm-cpu"), text.get("bench.gal.column.slapd-cpu"),
                text.get("bench.gal.column.disturbed")));
        for (var r : report.get("rounds_detail")) {
            for (String arm : new String[] {"nspi", "ldap"}) {
                var a = r.get(arm);
                b.append(String.format(Locale.ROOT, "%-6s %12.0f %16.2f %16.2f %18.2f %10s%n", arm, a.get("wall_ms").asDouble(),
                        a.get("wall_ms_per_1000_rows").asDouble(), a.get("jvm_cpu_ms_per_1000_rows").asDouble(),
                        a.get("slapd_cpu_ms_per_1000_rows").asDouble(),
                        text.get(a.get("disturbed").asBoolean() ? "bench.gal.disturbed.yes" : "bench.gal.disturbed.no")));
            }
        }
        return b.toString();
    }

    /** GalDumpBench's English DC1 ("embedded UnboundID in this JVM", "OpenLDAP slapd, pid N") in {@code text}'s words. */
    private static String directory(String json, CliText text) {
        if (json.equals("embedded UnboundID in this JVM")) {
            return text.get("bench.gal.directory-embedded");
        }
        return json.startsWith(SLAPD) ? text.get("bench.gal.directory-slapd", "pid", json.substring(SLAPD.length())) : json;
    }

    private static final String SLAPD = "OpenLDAP slapd, pid ";

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary directory: best effort
        }
    }
}
