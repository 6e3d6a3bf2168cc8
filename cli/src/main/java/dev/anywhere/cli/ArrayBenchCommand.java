package dev.anywhere.cli;

import dev.anywhere.bench.load.ArrayBench;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anywhere bench array}: the client access array on loopback (lean client, HAProxy, two gateway processes,
 * endpoints): throughput and CPU per GiB of two members behind HAProxy against one, per round; then a member killed
 * with SIGKILL in the middle of a load run (lost calls, recovery). Exit 1 when a call not in flight at the kill failed,
 * one was answered wrongly, or a client cut off by the kill did not recover.
 */
@Command(name = "array", mixinStandardHelpOptions = true, description = "Client access array on loopback: the load client through "
        + "HAProxy (TCP mode, round robin, /health checks, redispatch) to two gateway processes. Throughput and CPU per GiB of two "
        + "members against one and against the gateway alone, per round; then one member killed (SIGKILL) in the middle of a "
        + "load run: calls lost, in flight, recovery per client (exit 1 when a call not in flight at the kill failed or a client "
        + "did not recover). Needs haproxy. Loopback, free ports only.")
final class ArrayBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--smoke", description = "The bounded version (about 30 s): one round of 0.6 s per arm, 4 failover clients for 5 s.")
    boolean smoke;

    @Option(names = "--seconds", paramLabel = "S", description = "Bulk phase per arm and round (default: ${DEFAULT-VALUE}).")
    double seconds = 5;

    @Option(names = "--rounds", paramLabel = "N", description = "Measured rounds after one warm-up round (1..20; default: ${DEFAULT-VALUE}).")
    int rounds = 5;

    @Option(names = "--connections", paramLabel = "N", description = "Virtual connections per throughput arm (1..64; default: ${DEFAULT-VALUE}).")
    int connections = 8;

    @Option(names = "--failover-clients", paramLabel = "N", description = "Clients of the failover run, one virtual connection each "
            + "(1..256; default: ${DEFAULT-VALUE}).")
    int failoverClients = 16;

    @Option(names = "--failover-rate", paramLabel = "CALLS/S", description = "Calls per second of each failover client (1..1000; "
            + "default: ${DEFAULT-VALUE}).")
    int failoverRate = 25;

    @Option(names = "--only", paramLabel = "throughput|failover", description = "Run one part only.")
    String only;

    @Option(names = "--no-pin", description = "Let the scheduler place every process (default: members and HAProxy on CPU 0, client "
            + "and endpoints on the others).")
    boolean noPin;

    @Option(names = "--format", paramLabel = "text|json", description = "Output format (default: ${DEFAULT-VALUE}).")
    String format = "text";

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON report to FILE.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("text") && !format.equals("json")) {
            throw UserError.usage("--format: " + format + " (expected: text or json)");
        }
        if (only != null && !only.equals("throughput") && !only.equals("failover")) {
            throw UserError.usage("--only: " + only + " (expected: throughput or failover)");
        }
        boolean throughput = only == null || only.equals("throughput");
        boolean failover = only == null || only.equals("failover");
        ArrayBench.Settings s;
        try {
            s = smoke ? ArrayBench.Settings.smokeRun().only(throughput, failover).withPin(!noPin)
                    : new ArrayBench.Settings(seconds, rounds, connections, failoverClients, failoverRate, throughput, failover, !noPin, false);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        Path dir = Files.createTempDirectory("anywhere-bench-array");
        ArrayBench.Report report = ArrayBench.run(s, dir, line -> {
            err.println("bench " + line);
            err.flush();
        });
        SoakBenchCommand.writeReport(out, report.json());
        if (report.ok()) {
            LabCommand.deleteTree(dir);
        } else {
            err.println("bench array: the processes' logs are in " + dir);
        }
        SoakBenchCommand.printReport(spec, format, report.json(), report.text());
        return report.ok() ? Anywhere.OK : Anywhere.FINDINGS;
    }
}
