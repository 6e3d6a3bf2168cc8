package dev.anywhere.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.bench.load.RpchBench;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anywhere bench rpch}: the same echo load against direct ncacn_ip_tcp, nginx (plaintext, RPC settings) in front
 * of the gateway, and the gateway alone, interleaved round by round after a discarded warm-up round; then heap per
 * idle virtual connection. Loopback only; nginx is started as a child process and stopped. Keys: docs/performance.md.
 */
@Command(name = "rpch", mixinStandardHelpOptions = true, description = "RPC over HTTP: gateway vs. direct ncacn_ip_tcp vs. "
        + "nginx relay, side by side (throughput, added p50/p99, CPU per GiB, heap per idle virtual connection). Loopback only.")
final class RpchBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--smoke", description = "Tiny run (1 s phases, 2 connections, 2 rounds): well under a minute.")
    boolean smoke;

    @Option(names = "--seconds", paramLabel = "S", description = "Length of each phase (bulk, latency) per arm and round "
            + "(default: ${DEFAULT-VALUE}).")
    double seconds = 5;

    @Option(names = "--connections", paramLabel = "N", description = "Connections per arm (default: ${DEFAULT-VALUE}).")
    int connections = 4;

    @Option(names = "--rounds", paramLabel = "R", description = "Measured rounds after the warm-up (default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--rate", paramLabel = "CALLS/S", description = "Total rate of the open-loop latency phase (default: ${DEFAULT-VALUE}).")
    int rate = 1000;

    @Option(names = "--idle", paramLabel = "N", description = "Idle virtual connections for idle_vc_bytes (default: ${DEFAULT-VALUE}).")
    int idle = 2000;

    @Option(names = "--no-nginx", description = "Skip the nginx arm.")
    boolean noNginx;

    @Option(names = "--format", paramLabel = "text|json", description = "Output format (default: ${DEFAULT-VALUE}).")
    String format = "text";

    @Override
    public Integer call() throws Exception {
        if (!format.equals("text") && !format.equals("json")) {
            throw UserError.usage("--format: " + format + " (expected: text or json)");
        }
        RpchBench.Settings s;
        try {
            s = smoke ? RpchBench.Settings.smoke() : RpchBench.Settings.full(seconds, connections).withRounds(rounds).withRate(rate)
                    .withIdleVcs(idle);
            if (noNginx) {
                s = s.withNginx(false);
            }
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = Files.createTempDirectory("anywhere-bench-rpch");
        ObjectNode report;
        try {
            report = new RpchBench(s, line -> {
                err.println("bench rpch: " + line);
                err.flush();
            }).run(dir);
        } finally {
            LabCommand.deleteTree(dir);
        }
        out.println(format.equals("json") ? report.toPrettyString() : RpchBench.table(report));
        out.flush();
        return 0;
    }
}
