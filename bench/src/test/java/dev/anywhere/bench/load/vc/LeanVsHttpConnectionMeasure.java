package dev.anywhere.bench.load.vc;

import dev.anywhere.bench.load.CpuMeter;
import dev.anywhere.bench.load.HttpConnection;
import dev.anywhere.bench.load.LoadConnection;
import dev.anywhere.bench.load.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test: measures bulk echo through the gateway with {@link LeanVirtualConnection} and with the analyzer-based
 * {@link HttpConnection}, back to back against the same {@link Topology}: 16 KiB stubs, 4 outstanding per virtual
 * connection, 4 virtual connections, 5 s per arm after a 1 s warm-up, alternating arms for {@code lean.measure.rounds}
 * rounds (default 3). Prints MiB/s (stub bytes echoed, one direction) and process CPU seconds per GiB echoed (the
 * whole JVM: client + gateway + endpoints). Disabled unless {@code -Dlean.measure=true}:
 *
 * <pre>
 * ./mvnw -B -o -Dbuild.dirName=target-cli -pl bench -am verify -Dtest=LeanVsHttpConnectionMeasure \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dlean.measure=true
 * </pre>
 */
class LeanVsHttpConnectionMeasure {

    private static final int STUB = 16 * 1024;
    private static final int OUTSTANDING = 4;
    private static final int VCS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** CPU seconds per GiB: the whole process, the gateway's threads, the endpoints' threads, and the rest (client). */
    record Result(String arm, double mibPerS, double cpuSecondsPerGib, double gatewayPerGib, double backendPerGib,
            double clientPerGib, long calls, long errors) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-6s %8.1f MiB/s  CPU s/GiB: process %6.2f = gateway %5.2f + endpoints %5.2f"
                    + " + client %5.2f  (%d calls, %d errors)", arm, mibPerS, cpuSecondsPerGib, gatewayPerGib, backendPerGib,
                    clientPerGib, calls, errors);
        }
    }

    @Test
    @Timeout(600)
    @EnabledIfSystemProperty(named = "lean.measure", matches = "true")
    void measure() throws Exception {
        int rounds = Integer.getInteger("lean.measure.rounds", 3);
        List<Result> results = new ArrayList<>();
        try (Topology topology = Topology.start(dir);
                LeanClient lean = new LeanClient(LeanClient.Settings.builder(topology.gatewayAddress(), topology.httpPort())
                        .basic(Topology.USER, Topology.PASSWORD).timeouts(TIMEOUT).build())) {
            for (int r = 0; r < rounds; r++) {
                List<LoadConnection> l = new ArrayList<>();
                for (int i = 0; i < VCS; i++) {
                    l.add(lean.open().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
                }
                results.add(run("lean", l));
                List<LoadConnection> h = new ArrayList<>();
                for (int i = 0; i < VCS; i++) {
                    h.add(HttpConnection.open(topology.gatewayAddress(), topology.httpPort(), TIMEOUT));
                }
                results.add(run("http", h));
            }
            System.out.println("lean: " + lean.transport() + ", " + lean.settings().ioThreads() + " event loop threads; "
                    + STUB / 1024 + " KiB stubs, " + OUTSTANDING + " outstanding x " + VCS + " VCs, "
                    + Runtime.getRuntime().availableProcessors() + " cores");
        }
        results.forEach(System.out::println);
    }

    /** {@code -Dlean.idle=N}: opens N idle connections with openMany, echoes once on each, prints the times. */
    @Test
    @Timeout(900)
    @EnabledIfSystemProperty(named = "lean.idle", matches = "\\d+")
    void idle() throws Exception {
        int n = Integer.getInteger("lean.idle");
        try (Topology topology = Topology.start(dir);
                LeanClient lean = new LeanClient(LeanClient.Settings.builder(topology.gatewayAddress(), topology.httpPort())
                        .basic(Topology.USER, Topology.PASSWORD).timeouts(Duration.ofSeconds(60)).build())) {
            long t0 = System.nanoTime();
            List<LeanVirtualConnection> vcs = lean.openMany(n, 200, dev.anywhere.bench.load.IdleProbe::sourceAddress);
            long t1 = System.nanoTime();
            int answered = lean.echoEach(vcs, 64, Duration.ofSeconds(120));
            long t2 = System.nanoTime();
            System.out.printf(Locale.ROOT, "idle: %d opened in %.1f s (%.2f ms each), %d answered an echo in %.1f s%n", vcs.size(),
                    (t1 - t0) / 1e9, (t1 - t0) / 1e6 / n, answered, (t2 - t1) / 1e9);
        }
    }

    private static Result run(String arm, List<LoadConnection> vcs) throws Exception {
        byte[] stub = new byte[STUB];
        for (int i = 0; i < stub.length; i++) {
            stub[i] = (byte) (i * 31);
        }
        try {
            drive(vcs, stub, 1_000, new AtomicLong(), new AtomicLong(), new AtomicReference<>()); // warm-up
            AtomicLong calls = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            AtomicReference<String> firstError = new AtomicReference<>();
            double cpu0 = CpuMeter.processSeconds();
            double gw0 = CpuMeter.groupSeconds(Topology.GATEWAY_THREADS);
            double be0 = CpuMeter.groupSeconds(Topology.BACKEND_THREADS);
            long t0 = System.nanoTime();
            drive(vcs, stub, 5_000, calls, errors, firstError);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = CpuMeter.processSeconds() - cpu0;
            double gw = CpuMeter.groupSeconds(Topology.GATEWAY_THREADS) - gw0;
            double be = CpuMeter.groupSeconds(Topology.BACKEND_THREADS) - be0;
            double gib = (double) calls.get() * STUB / (1L << 30);
            Result r = new Result(arm, gib * 1024 / seconds, cpu / gib, gw / gib, be / gib, (cpu - gw - be) / gib, calls.get(),
                    errors.get());
            if (firstError.get() != null) {
                System.out.println(arm + " first error: " + firstError.get());
            }
            return r;
        } finally {
            vcs.forEach(LoadConnection::close);
        }
    }

    /** Keeps OUTSTANDING echoes in flight per connection for {@code millis}; waits for the last ones to finish. */
    private static void drive(List<LoadConnection> vcs, byte[] stub, long millis, AtomicLong calls, AtomicLong errors,
            AtomicReference<String> firstError) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (LoadConnection vc : vcs) {
            for (int k = 0; k < OUTSTANDING; k++) {
                CompletableFuture<Void> lane = new CompletableFuture<>();
                lanes.add(lane);
                issue(vc, stub, deadline, calls, errors, firstError, lane);
            }
        }
        CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).get(millis + TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void issue(LoadConnection vc, byte[] stub, long deadline, AtomicLong calls, AtomicLong errors,
            AtomicReference<String> firstError, CompletableFuture<Void> lane) {
        vc.echo(stub).whenComplete((n, e) -> {
            if (e != null || n != stub.length) {
                errors.incrementAndGet();
                firstError.compareAndSet(null, e != null ? LeanFailure.describe(e) : "length " + n);
                lane.complete(null);
                return;
            }
            calls.incrementAndGet();
            if (System.nanoTime() < deadline) {
                issue(vc, stub, deadline, calls, errors, firstError, lane);
            } else {
                lane.complete(null);
            }
        });
    }
}
