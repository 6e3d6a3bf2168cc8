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
@Command(name = "rpch", mixinStandardHelpOptions = true, description = "RPC over HTTP: gateway vs. direct ncacn_ip_tcp vs. "
        + "nginx relay, side by side (throughput, added p50/p99, CPU per GiB, heap per idle virtual connection). Loopback only.")
final class RpchBenchCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    TransportOption transport;


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

    @Option(names = "--rate", paramLabel = "CALLS/S", description = "Total rate of the open-loop latency phase; 0 (default) = 50 %% "
            + "load: half the slowest relay arm's 1 KiB maximum, measured in the warm-up round.")
    int rate = RpchBench.AUTO_RATE;

    @Option(names = "--idle", paramLabel = "N", description = "Idle virtual connections held through a gateway process "
            + "(idle_vcs_held, idle_vc_bytes, idle_cpu_percent; default: ${DEFAULT-VALUE}; 0 skips). About 3 open files each in "
            + "this process and in the gateway's: as root the bench raises the limit, otherwise raise 'ulimit -n'.")
    int idle = 20_000;

    @Option(names = "--recycle-lifetime", paramLabel = "BYTES", description = "ChannelLifetime of the recycling-under-load phase "
            + "(default: ${DEFAULT-VALUE}; 131072..2147483648, 0 skips).")
    long recycleLifetime = 4 << 20;

    @Option(names = "--window", paramLabel = "BYTES", description = "Receive window of every RPC over HTTP hop in the arms: load "
            + "client, gateway, endpoints (default: ${DEFAULT-VALUE}, the bulk condition; 65536 is the Windows and "
            + "product default; 8192..262144).")
    int window = RpchBench.Settings.BULK_WINDOW;

    @Option(names = "--histograms", paramLabel = "DIR", description = "Also write every measured latency phase's HdrHistogram log "
            + "(microseconds) to DIR/ARM-roundN.hlog.")
    Path histograms;

    @Option(names = "--compare-transports", description = "Also run the gateway process on each other Netty transport that loads "
            + "here (arms gateway_epoll, gateway_io_uring, gateway_nio), in every round beside the gateway arm.")
    boolean compareTransports;

    @Option(names = "--profile", paramLabel = "DIR", description = "After the rounds, record the gateway process with JFR during one "
            + "extra bulk phase: DIR/gateway-bulk.jfr and DIR/gateway-bulk-summary.txt (top frames and allocations, jfr summary).")
    Path profile;

    @Option(names = "--rpc-auth", paramLabel = "none|integrity|privacy", description = "DCE/RPC protection of the gateway_sealed "
            + "arm, run right after the gateway arm in every round through the same gateway process (ratios sealed_vs_unsealed, bulk, "
            + "and sealed_vs_unsealed_1k, 1 KiB calls): privacy (default, sealed as Outlook binds), integrity (signed), none (skip).")
    String rpcAuth = "privacy";

    @Option(names = "--no-tls", description = "Skip the TLS 1.3 arms (nginx_tls, gateway_tls) and the handshake runs.")
    boolean noTls;

    @Option(names = "--no-pin", description = "Do not pin: by default (with taskset and 2+ CPUs) nginx and the gateway under test "
            + "run on CPU 0, the load client and the endpoints on the others.")
    boolean noPin;

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
            throw UserError.usage(e.getMessage());
        }
        try {
            RpchBench.checkRpcAuth(rpcAuth);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        ObjectNode report = run(s, spec.commandLine().getErr(), bench -> {
            RpchBench b = bench.compareTransports(compareTransports).rpcAuth(rpcAuth);
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
