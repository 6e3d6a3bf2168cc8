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
@Command(name = "array", mixinStandardHelpOptions = true)
final class ArrayBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--smoke")
    boolean smoke;

    @Option(names = "--seconds", paramLabel = "S")
    double seconds = 5;

    @Option(names = "--rounds", paramLabel = "N")
    int rounds = 5;

    @Option(names = "--connections", paramLabel = "N")
    int connections = 8;

    @Option(names = "--failover-clients", paramLabel = "N")
    int failoverClients = 16;

    @Option(names = "--failover-rate", paramLabel = "CALLS/S")
    int failoverRate = 25;

    @Option(names = "--only", paramLabel = "throughput|failover")
    String only;

    @Option(names = "--no-pin")
    boolean noPin;

    @Option(names = "--format", paramLabel = "text|json")
    String format = "text";

    @Option(names = "--out", paramLabel = "FILE")
    Path out;

    @Override
    public Integer call() throws Exception {
        Inputs.textOrJson(format);
        if (only != null && !only.equals("throughput") && !only.equals("failover")) {
            throw UserError.usage(CliText.local("bench.array.only-bad", "only", only));
        }
        boolean throughput = only == null || only.equals("throughput");
        boolean failover = only == null || only.equals("failover");
        ArrayBench.Settings s;
        try {
            s = smoke ? ArrayBench.Settings.smokeRun().only(throughput, failover).withPin(!noPin)
                    : new ArrayBench.Settings(seconds, rounds, connections, failoverClients, failoverRate, throughput, failover, !noPin, false);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(Inputs.problem(e, CliText.ofLocale()));
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
            err.println(CliText.local("bench.array.logs", "dir", dir));
        }
        SoakBenchCommand.printReport(spec, format, report.json(), report.text());
        return report.ok() ? Anywhere.OK : Anywhere.FINDINGS;
    }
}
