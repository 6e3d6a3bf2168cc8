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
 * of an upstream gateway, that upstream alone, and the gateway under test in its own process, interleaved round by
 * round after a discarded warm-up round; then recycling under load and idle capacity. Loopback only; nginx and the
 * gateway processes are started as children and stopped. Keys: docs/performance.md.
 */
@Command(name = "rpch", mixinStandardHelpOptions = true)
final class RpchBenchCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    TransportOption transport;


    @Spec
    CommandSpec spec;

    @Option(names = "--smoke")
    boolean smoke;

    @Option(names = "--seconds", paramLabel = "S")
    double seconds = 5;

    @Option(names = "--latency-seconds", paramLabel = "S")
    double latencySeconds;

    @Option(names = "--connections", paramLabel = "N")
    int connections = 4;

    @Option(names = "--rounds", paramLabel = "R")
    int rounds = 3;

    /** Absent: the machine kind's rates ({@code RpchBench.KIND_RATE}); {@code auto} or 0: 50 % load from the warm-up. */
    @Option(names = "--rate", paramLabel = "CALLS/S|auto")
    String rate;

    @Option(names = "--idle", paramLabel = "N")
    int idle = 20_000;

    @Option(names = "--recycle-lifetime", paramLabel = "BYTES")
    long recycleLifetime = 4 << 20;

    @Option(names = "--window", paramLabel = "BYTES")
    int window = RpchBench.Settings.BULK_WINDOW;

    @Option(names = "--histograms", paramLabel = "DIR")
    Path histograms;

    @Option(names = "--compare-transports")
    boolean compareTransports;

    @Option(names = "--profile", paramLabel = "DIR")
    Path profile;

    @Option(names = "--rpc-auth", paramLabel = "none|integrity|privacy")
    String rpcAuth = "privacy";

    @Option(names = "--no-tls")
    boolean noTls;

    @Option(names = "--no-pin")
    boolean noPin;

    @Option(names = "--no-nginx")
    boolean noNginx;

    @Option(names = "--format", paramLabel = "text|json")
    String format = "text";

    @Override
    public Integer call() throws Exception {
        Inputs.textOrJson(format);
        RpchBench.Settings s;
        try {
            s = smoke ? RpchBench.Settings.smoke() : RpchBench.Settings.full(seconds, connections).withRounds(rounds).withRate(RpchBench.parseRate(rate))
                    .withIdleVcs(idle).withRecycleLifetime(recycleLifetime);
            s = s.withReceiveWindow(window);
            if (noNginx) {
                s = s.withNginx(false);
            }
            if (noPin) {
                s = s.withPin(false);
            }
            if (noTls) {
                s = s.withTls(false);
            }
        } catch (IllegalArgumentException e) {
            throw UserError.usage(Inputs.problem(e, CliText.ofLocale()));
        }
        try {
            RpchBench.checkRpcAuth(rpcAuth);
            RpchBench.checkLatencySeconds(latencySeconds);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(Inputs.problem(e, CliText.ofLocale()));
        }
        PrintWriter out = spec.commandLine().getOut();
        ObjectNode report = run(s, spec.commandLine().getErr(), bench -> {
            RpchBench b = bench.compareTransports(compareTransports).rpcAuth(rpcAuth).latencySeconds(latencySeconds);
            b = histograms == null ? b : b.histogramsTo(histograms);
            return profile == null ? b : b.profileTo(profile.toAbsolutePath());
        });
        out.println(format.equals("json") ? report.toPrettyString() : RpchBench.table(report));
        out.flush();
        return 0;
    }

    /** Runs the benchmark in a temporary directory, progress on {@code err}. */
    static ObjectNode run(RpchBench.Settings s, PrintWriter err, java.util.function.UnaryOperator<RpchBench> options) throws Exception {
        Path dir = Files.createTempDirectory("anywhere-bench-rpch");
        try {
            RpchBench bench = new RpchBench(s, line -> {
                err.println("bench rpch: " + line);
                err.flush();
            });
            return options.apply(bench).run(dir);
        } finally {
            LabCommand.deleteTree(dir);
        }
    }
}
