package dev.anywhere.cli;

import dev.anywhere.bench.load.SoakRun;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anywhere bench soak}: mixed load through the router while the endpoints are restarted, the directory is
 * stopped and started and the gateway is killed, in turn; lost and duplicated calls, recovery per fault, descriptors and
 * heap before and after. Exit 1 when a call not in progress at a fault was lost, duplicated or mismatched, or a process
 * grew beyond the bounds. Loopback only, free ports only.
 */
@Command(name = "soak", mixinStandardHelpOptions = true)
final class SoakBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    static final class Length {
        @Option(names = "--minutes", paramLabel = "N")
        Integer minutes;

        @Option(names = "--seconds", paramLabel = "S")
        Integer seconds;
    }

    @ArgGroup(exclusive = true)
    Length length;

    @Option(names = "--format", paramLabel = "text|json")
    String format = "text";

    @Option(names = "--out", paramLabel = "FILE")
    Path out;

    @Option(names = "--work-dir", paramLabel = "DIR")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        Inputs.textOrJson(format);
        Duration d;
        if (length != null && length.seconds != null) {
            if (length.seconds < 45 || length.seconds > 86_400) {
                throw UserError.usage(CliText.local("bench.soak.seconds-bad", "seconds", length.seconds));
            }
            d = Duration.ofSeconds(length.seconds);
        } else {
            int minutes = length == null || length.minutes == null ? 30 : length.minutes;
            if (minutes < 1 || minutes > 1440) {
                throw UserError.usage(CliText.local("bench.soak.minutes-bad", "minutes", minutes));
            }
            d = Duration.ofMinutes(minutes);
        }
        if (workDir != null && Files.isDirectory(workDir)) {
            try (var entries = Files.list(workDir)) {
                if (entries.findAny().isPresent()) {
                    throw UserError.usage(CliText.local("bench.soak.work-dir-not-empty", "dir", workDir));
                }
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("anywhere-bench-soak");
        SoakRun.Report report = SoakRun.run(SoakRun.Settings.of(d), dir, line -> {
            err.println("bench " + line);
            err.flush();
        });
        writeReport(out, report.json());
        if (report.ok() && workDir == null) {
            LabCommand.deleteTree(dir);
        } else {
            err.println(CliText.local("bench.soak.logs", "dir", dir));
        }
        printReport(spec, format, report.json(), report.text());
        return report.ok() ? Anywhere.OK : Anywhere.FINDINGS;
    }

    /** Writes a run's JSON report to {@code out} (creating its directory) when {@code out} was given. */
    static void writeReport(Path out, com.fasterxml.jackson.databind.node.ObjectNode json) throws java.io.IOException {
        if (out != null) {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            Files.writeString(out, json.toPrettyString() + "\n", StandardCharsets.UTF_8);
        }
    }

    /** Prints a run's report on standard output as JSON or as its text. */
    static void printReport(CommandSpec spec, String format, com.fasterxml.jackson.databind.node.ObjectNode json, String text) {
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(format.equals("json") ? json.toPrettyString() + "\n" : text);
        stdout.flush();
    }
}
