package dev.anywhere.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.bench.load.GalDumpBench;
import dev.anywhere.lab.site.LabSite;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anywhere bench gal}: the lab (as {@code lab up} starts it, in this process) with its directory grown to a
 * GAL of {@code --entries} rows; the GAL dumped through EX1's gateway as Outlook's address book reads it (NSPI, sealed)
 * against a paged LDAP search of the same entries straight from DC1's slapd. Binds the lab's fixed loopback addresses.
 */
@Command(name = "gal", mixinStandardHelpOptions = true, description = "Dump a GAL of --entries rows through the lab (RPC over "
        + "HTTP with TLS and NTLM through EX1's gateway, NSPI sealed at PKT_PRIVACY) against reading the same entries "
        + "from DC1 with a paged LDAP search: wall time and CPU per 1,000 rows for each, per round. Starts the lab in this "
        + "process (its fixed loopback addresses must be free) and grows its directory. DC1 is the embedded directory on "
        + "the default site, OpenLDAP slapd with --topology cas-array.")
final class GalBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--entries", paramLabel = "N", description = "GAL rows (306..100000; default: ${DEFAULT-VALUE}).")
    int entries = 10_000;

    @Option(names = "--rounds", paramLabel = "N", description = "Reported rounds after a warm-up (1..50; default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--page", paramLabel = "N", description = "Rows per NspiQueryRows and per LDAP page (1..1000; default: "
            + "${DEFAULT-VALUE}, what 'anywhere addressbook' reads).")
    int page = 500;

    @Option(names = "--format", paramLabel = "text|json", description = "Output format (default: ${DEFAULT-VALUE}).")
    String format = "text";

    @Option(names = "--topology", paramLabel = "FILE|NAME", description = "The lab's topology, as for 'lab up' (default: "
            + "the single site).")
    Path topology;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("text") && !format.equals("json")) {
            throw UserError.usage("--format: " + format + " (expected: text or json)");
        }
        if (entries < 306 || entries > 100_000) {
            throw UserError.usage("--entries: " + entries + " (expected: 306..100000)");
        }
        if (rounds < 1 || rounds > 50) {
            throw UserError.usage("--rounds: " + rounds + " (expected: 1..50)");
        }
        if (page < 1 || page > 1000) {
            throw UserError.usage("--page: " + page + " (expected: 1..1000)");
        }
        PrintWriter err = spec.commandLine().getErr();
        Path dir = Files.createTempDirectory("anywhere-bench-gal");
        ObjectNode report;
        LabSite.Plan plan = LabCommand.plan(topology, dir);
        try (LabSite site = LabSite.start(plan, s -> { })) {
            LabCommand.enableOutlookAnywhere(site);
            if (!LabCommand.awaitEnabled(site)) {
                throw UserError.unavailable("bench gal: the lab's gateway did not enable /rpc within 10 s");
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
            out.printf("GAL of %d rows, %d rounds, %d rows per page, DC1 %s, load average %.2f on %d CPUs%n", entries, rounds,
                    page, report.get("directory").asText(), report.get("load_average_1min").asDouble(),
                    report.get("cpus").asInt());
            out.printf("%-6s %12s %16s %16s %18s %10s%n", "arm", "wall ms", "wall ms/1000", "JVM CPU ms/1000",
                    "slapd CPU ms/1000", "disturbed");
            for (var r : report.get("rounds_detail")) {
                for (String arm : new String[] {"nspi", "ldap"}) {
                    var a = r.get(arm);
                    out.printf("%-6s %12.0f %16.2f %16.2f %18.2f %10s%n", arm, a.get("wall_ms").asDouble(),
                            a.get("wall_ms_per_1000_rows").asDouble(), a.get("jvm_cpu_ms_per_1000_rows").asDouble(),
                            a.get("slapd_cpu_ms_per_1000_rows").asDouble(), a.get("disturbed").asBoolean());
                }
            }
        }
        out.flush();
        return Anywhere.OK;
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary directory: best effort
        }
    }
}
