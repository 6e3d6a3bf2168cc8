package dev.anywhere.analyzer.rpch;

import dev.anywhere.analyzer.rpch.RpchFailure.Hop;
import dev.anywhere.analyzer.rpch.RpchFailure.Kind;
import dev.anywhere.rpc.dce.DceStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * What {@code rpcping.exe} does, as a library: either echo requests to the proxy only ({@code /E}), or a virtual
 * connection to {@code server:port} through the proxy, a bind to the management interface and N round trips of
 * {@code is_server_listening} (or {@code inq_if_ids}), timed.
 */
public final class RpcPing {

    /** The MGMT call each iteration makes. */
    public enum Probe {
        IS_SERVER_LISTENING,
        INQ_IF_IDS
    }

    /** Latencies in microseconds (min, median, p99, max) over the iterations. */
    public record Latency(int count, long minMicros, long medianMicros, long p99Micros, long maxMicros, Duration total) {
        static Latency of(long[] nanos, Duration total) {
            Histogram h = new Histogram(3_600_000_000L, 3);
            for (long n : nanos) {
                h.recordValue(Math.max(1, Math.min(n / 1000, h.getHighestTrackableValue())));
            }
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Latency(nanos.length, sorted[0] / 1000, h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                    sorted[sorted.length - 1] / 1000, total);
        }
    }

    /**
     * The outcome of a successful run.
     *
     * @param echo the last echo answer ({@code echoOnly})
     * @param opened time to open the virtual connection
     * @param bind the MGMT bind
     * @param interfaces inq_if_ids' answer when that was the probe
     * @param latency the iterations' round trips
     * @param stats the virtual connection's counters at the end
     */
    public record Result(Optional<EchoResult> echo, Optional<Duration> opened, Optional<BindResult> bind,
            Optional<Mgmt.IfIds> interfaces, Latency latency, Optional<VirtualConnection.Stats> stats) {
    }

    private RpcPing() {
    }

    /** Runs {@code iterations} echo requests or MGMT calls; any failure ends the run. */
    public static Result run(RpchClientOptions options, boolean echoOnly, int iterations, Probe probe, Transcript transcript)
            throws RpchFailure {
        return run(options, Optional.empty(), echoOnly, iterations, probe, transcript);
    }

    /**
     * As {@link #run(RpchClientOptions, boolean, int, Probe, Transcript)}, binding MGMT with DCE/RPC authentication
     * when {@code rpcAuth} is present (rpcping's {@code /a connect|integrity|privacy}); every response is then
     * verified.
     */
    public static Result run(RpchClientOptions options, Optional<RpcAuth> rpcAuth, boolean echoOnly, int iterations,
            Probe probe, Transcript transcript) throws RpchFailure {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations: " + iterations + " (expected: >= 1)");
        }
        long[] nanos = new long[iterations];
        long start = System.nanoTime();
        if (echoOnly) {
            EchoResult last = null;
            for (int i = 0; i < iterations; i++) {
                last = VirtualConnection.echo(options, transcript);
                nanos[i] = last.total().toNanos();
            }
            return new Result(Optional.of(last), Optional.empty(), Optional.empty(), Optional.empty(),
                    Latency.of(nanos, Duration.ofNanos(System.nanoTime() - start)), Optional.empty());
        }
        long openStart = System.nanoTime();
        try (VirtualConnection vc = VirtualConnection.open(options, transcript)) {
            Duration opened = Duration.ofNanos(System.nanoTime() - openStart);
            BindResult bind = await(rpcAuth.isPresent() ? vc.bind(Mgmt.INTERFACE, rpcAuth.get())
                    : vc.bind(Mgmt.INTERFACE, true), options, Hop.BIND);
            Mgmt.IfIds ids = null;
            long callsStart = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                long t0 = System.nanoTime();
                if (probe == Probe.INQ_IF_IDS) {
                    ids = await(Mgmt.inqIfIds(vc, bind.contextId()), options, Hop.CALL);
                    check(ids.status(), "inq_if_ids");
                } else {
                    Mgmt.Listening l = await(Mgmt.isServerListening(vc, bind.contextId()), options, Hop.CALL);
                    check(l.status(), "is_server_listening");
                    if (!l.listening()) {
                        throw new RpchFailure(Hop.CALL, Kind.RPC_FAULT, RpchFailure.Text.of("call.not-listening", "query",
                                options.query()));
                    }
                }
                nanos[i] = System.nanoTime() - t0;
            }
            return new Result(Optional.empty(), Optional.of(opened), Optional.of(bind), Optional.ofNullable(ids),
                    Latency.of(nanos, Duration.ofNanos(System.nanoTime() - callsStart)), Optional.of(vc.stats()));
        }
    }

    private static void check(DceStatus status, String call) throws RpchFailure {
        if (status.code() != 0) {
            throw new RpchFailure(Hop.CALL, Kind.RPC_FAULT, RpchFailure.Text.of("call.status", "call", call, "status", status));
        }
    }

    /** Waits for a bind or call a little past its own timeout; failures become the hop's {@link RpchFailure}. */
    static <T> T await(CompletableFuture<T> f, RpchClientOptions o, Hop hop) throws RpchFailure {
        try {
            return f.get(o.callTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw RpchFailure.of(hop, e.getCause());
        } catch (TimeoutException e) {
            throw new RpchFailure(hop, Kind.TIMEOUT, RpchFailure.Text.of("call.no-answer", "ms", o.callTimeout().toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpchFailure(hop, Kind.TIMEOUT, RpchFailure.Text.of("call.interrupted"));
        }
    }

    /** {@code 1.234 ms}. */
    public static String millis(long micros) {
        return String.format(java.util.Locale.ROOT, "%.3f ms", micros / 1000.0);
    }

}
