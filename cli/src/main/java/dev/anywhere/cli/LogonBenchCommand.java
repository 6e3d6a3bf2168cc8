package dev.anywhere.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.bench.load.LogonBench;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anywhere bench logon}: mailbox logons per second through the gateway (fresh virtual connection, sealed EMSMDB
 * bind, EcDoConnectEx, RopLogon, EcDoDisconnect, close) with the CPU each party spends per logon. Loopback, free ports
 * only. Keys: docs/performance.md.
 */
@Command(name = "logon", mixinStandardHelpOptions = true)
final class LogonBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--seconds", paramLabel = "S")
    double seconds = 5;

    @Option(names = "--workers", paramLabel = "N")
    int workers = 4;

    @Option(names = "--rounds", paramLabel = "R")
    int rounds = 3;

    @Option(names = "--format", paramLabel = "text|json")
    String format = "text";

    @Override
    public Integer call() throws Exception {
        Inputs.textOrJson(format);
        LogonBench.Settings s;
        try {
            s = new LogonBench.Settings(seconds, workers, rounds, Duration.ofSeconds(10));
        } catch (IllegalArgumentException e) {
            throw UserError.usage(Inputs.problem(e, CliText.ofLocale()));
        }
        ObjectNode report = run(s, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        out.print(format.equals("json") ? report.toPrettyString() + "\n" : LogonBench.text(report));
        out.flush();
        return report.get("failures").asLong() == 0 && report.get("logons").asLong() > 0 ? Anywhere.OK : Anywhere.FINDINGS;
    }

    /** Runs the benchmark in a temporary directory, progress on {@code err}. */
    static ObjectNode run(LogonBench.Settings s, PrintWriter err) throws Exception {
        Path dir = Files.createTempDirectory("anywhere-bench-logon");
        try {
            return new LogonBench(s, line -> {
                err.println("bench logon: " + line);
                err.flush();
            }).run(dir);
        } finally {
            LabCommand.deleteTree(dir);
        }
    }
}
