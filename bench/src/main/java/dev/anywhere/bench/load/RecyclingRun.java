package dev.anywhere.bench.load;

import dev.anywhere.analyzer.rpch.ProxyAuth;
import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.analyzer.rpch.Transcript;
import dev.anywhere.analyzer.rpch.VirtualConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Recycling under bulk load: virtual connections through a gateway that announces a small
 * ChannelLifetime, so the endpoints recycle the OUT channel ([MS-RPCH] 3.2.5.5.x, OUT_R1) and the client its IN channel
 * (IN_R1) every few MiB while echo calls stream through. The analyzer's client is used here because it implements
 * both recyclings; every call carries its own sequence number and content, so a lost, duplicated or misdelivered
 * response shows as a missing or mismatching answer.
 */
public final class RecyclingRun {

    /** The outcome of one run. */
    public record Result(long channelLifetime, double seconds, long calls, long answered, long lost, long mismatched, long bytes,
            int inRecycles, int outRecycles, long errors, String firstError) {

        public double recyclesPerSecond() {
            return seconds <= 0 ? 0 : (inRecycles + outRecycles) / seconds;
        }

        public boolean lossless() {
            return calls > 0 && lost == 0 && mismatched == 0 && errors == 0;
        }
    }

    private RecyclingRun() {
    }

    /** Call {@code seq}'s stub: the sequence number, then a pattern derived from it. */
    static byte[] payload(long seq, int size) {
        byte[] b = new byte[size];
        for (int k = 8; k < size; k++) {
            b[k] = (byte) (seq * 31 + k);
        }
        ByteBuffer.wrap(b).putLong(0, seq);
        return b;
    }

    /**
     * {@code connections} virtual connections through {@code gateway} (which announces {@code channelLifetime}), each
     * keeping {@code depth} calls of {@code stubBytes} outstanding for {@code seconds}; the IN channel is recycled after
     * {@code channelLifetime} bytes as well.
     */
    public static Result run(InetSocketAddress gateway, int endpointPort, long channelLifetime, int connections, int depth, int stubBytes,
            double seconds, Duration timeout) throws InterruptedException {
        List<VirtualConnection> vcs = new ArrayList<>();
        List<Integer> contexts = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicLong calls = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        AtomicLong mismatched = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        List<CompletableFuture<Void>> chains = new ArrayList<>();
        long t0 = System.nanoTime();
        double elapsed = 0;
        try {
            for (int i = 0; i < connections; i++) {
                RpchClientOptions o = RpchClientOptions.builder(Topology.PROXY_HOST, gateway.getPort(), Topology.SERVER, endpointPort)
                        .tls(false).addressOverride(gateway.getAddress()).timeouts(timeout).callTimeout(timeout)
                        .auth(new ProxyAuth.Basic(Topology.USER, Topology.PASSWORD)).inRecycleAfter(channelLifetime).build();
                VirtualConnection vc = VirtualConnection.open(o, Transcript.off());
                vcs.add(vc);
                contexts.add(vc.bind(Topology.ECHO_IFACE).get(timeout.toMillis(), TimeUnit.MILLISECONDS).contextId());
            }
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            AtomicLong seq = new AtomicLong();
            t0 = System.nanoTime();
            for (int i = 0; i < vcs.size(); i++) {
                for (int d = 0; d < depth; d++) {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    chains.add(done);
                    chain(vcs.get(i), contexts.get(i), stubBytes, deadline, seq, calls, answered, mismatched, bytes, done, errors, firstError);
                }
            }
            CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new))
                    .get((long) (seconds * 1000) + 2 * timeout.toMillis(), TimeUnit.MILLISECONDS);
            elapsed = (System.nanoTime() - t0) / 1e9;
        } catch (Exception e) {
            elapsed = (System.nanoTime() - t0) / 1e9;
            if (errors.getAndIncrement() == 0) {
                firstError.set(HttpConnection.describe(e));
            }
        } finally {
            int in = 0;
            int out = 0;
            for (VirtualConnection vc : vcs) {
                in += vc.stats().inChannelRecycles();
                out += vc.stats().outChannelRecycles();
                vc.failure().ifPresent(f -> {
                    if (errors.getAndIncrement() == 0) {
                        firstError.set(HttpConnection.describe(f));
                    }
                });
                vc.close();
            }
            long lost = calls.get() - answered.get() - mismatched.get();
            return new Result(channelLifetime, elapsed, calls.get(), answered.get(), lost, mismatched.get(), bytes.get(), in, out, errors.get(),
                    firstError.get());
        }
    }

    private static void chain(VirtualConnection vc, int ctx, int size, long deadline, AtomicLong seq, AtomicLong calls, AtomicLong answered,
            AtomicLong mismatched, AtomicLong bytes, CompletableFuture<Void> done, AtomicLong errors, AtomicReference<String> firstError) {
        if (System.nanoTime() >= deadline) {
            done.complete(null);
            return;
        }
        long s = seq.getAndIncrement();
        byte[] request = payload(s, size);
        calls.incrementAndGet();
        vc.call(ctx, 0, Unpooled.wrappedBuffer(request)).whenComplete((ByteBuf r, Throwable e) -> {
            if (e != null) {
                if (errors.getAndIncrement() == 0) {
                    firstError.set(HttpConnection.describe(e));
                }
                done.complete(null);
                return;
            }
            try {
                if (Arrays.equals(ByteBufUtil.getBytes(r), request)) {
                    answered.incrementAndGet();
                    bytes.addAndGet(2L * size);
                } else {
                    mismatched.incrementAndGet();
                }
            } finally {
                r.release();
            }
            chain(vc, ctx, size, deadline, seq, calls, answered, mismatched, bytes, done, errors, firstError);
        });
    }
}
