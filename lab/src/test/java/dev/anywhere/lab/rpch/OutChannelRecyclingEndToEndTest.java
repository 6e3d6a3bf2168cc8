package dev.anywhere.lab.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.rpch.ProxyAuth;
import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.analyzer.rpch.Transcript;
import dev.anywhere.analyzer.rpch.VirtualConnection;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.endpoints.RpcInterface;
import dev.anywhere.server.gateway.rpch.ProxySettings;
import dev.anywhere.server.testing.SecuredRpcSite;
import dev.anywhere.server.testing.TestAccounts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * OUT channel recycling end to end: the analyzer's client, the real gateway (its outbound proxy serves the replacement
 * OUT channel: OUT_R1) and the real RPC endpoints, which start recycling as the OUT channel nears the ChannelLifetime
 * the proxy announced in CONN/A2 (here the protocol minimum, 128 KiB, instead of 1 GiB). Many pipelined calls with
 * known content stream through while the OUT channel is replaced several times: every response arrives once, in order.
 */
class OutChannelRecyclingEndToEndTest {

    private static final SyntaxId ECHO_IFACE = new SyntaxId(UUID.fromString("0b3b3c1e-8d55-4c43-9a4e-5a0c6f1f7e21"), 1, 0);
    /** [MS-RPCH] 2.2.3.5.5: the smallest ChannelLifetime allowed. */
    private static final long LIFETIME = 0x20000;

    private static final LabTls TLS = LabTls.shared();

    @TempDir
    Path dir;

    @AutoClose
    private SecuredRpcSite site;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Transcript transcript = new Transcript();

    @BeforeEach
    void start() throws Exception {
        site = SecuredRpcSite.in(dir).credentials(TestAccounts.CREDENTIALS)
                .serving(new RpcInterface(ECHO_IFACE, "echo", 1, call -> call.stub()))
                .endpointErrors((remote, message) -> errors.add(message)).schemes(HttpAuthScheme.BASIC)
                .tls(TLS.serverContext()).requireSsl()
                .proxySettings(ProxySettings.defaults().withChannelLifetime(LIFETIME)).start();
    }

    private RpchClientOptions.Builder options() {
        return TLS.client(site, site.endpointPort()).timeouts(Duration.ofSeconds(10))
                .auth(new ProxyAuth.Basic(TestAccounts.FRANKY, TestAccounts.FRANKY_PASSWORD));
    }

    /** Call {@code i}'s request (and expected response): 300..3299 bytes, every 10th up to 15 KiB (3 fragments). */
    private static byte[] payload(int i) {
        byte[] b = new byte[300 + (i * 7919) % (i % 10 == 9 ? 15_000 : 3000)];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) (i * 31 + k);
        }
        b[0] = (byte) i;
        b[1] = (byte) (i >>> 8);
        b[2] = (byte) (i >>> 16);
        b[3] = (byte) (i >>> 24);
        return b;
    }

    /**
     * Streams {@code calls} calls, at most {@code inFlight} outstanding; returns the response bytes received. Arrival
     * order is recorded by the completing thread (the virtual connection's event loop): this thread waits on a
     * semaphore, never on the futures, because a thread blocked in {@code CompletableFuture.get()} helps run the
     * future's dependents and could record an arrival late.
     */
    private long stream(VirtualConnection vc, int ctx, int calls, int inFlight) throws Exception {
        ConcurrentLinkedQueue<Integer> arrivals = new ConcurrentLinkedQueue<>();
        java.util.concurrent.ConcurrentHashMap<Integer, Object> results = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.Semaphore arrived = new java.util.concurrent.Semaphore(0);
        long bytes = 0;
        int next = 0;
        int done = 0;
        while (done < calls) {
            while (next < calls && next - done < inFlight) {
                int i = next++;
                vc.call(ctx, 0, Unpooled.wrappedBuffer(payload(i))).whenComplete((r, e) -> {
                    arrivals.add(i);
                    results.put(i, e != null ? e : r);
                    arrived.release();
                });
            }
            assertThat(arrived.tryAcquire(20, TimeUnit.SECONDS)).as("response to call %d within 20 s", done).isTrue();
            done++;
        }
        for (int i = 0; i < calls; i++) {
            Object r = results.get(i);
            assertThat(r).as("response to call %d", i).isInstanceOf(ByteBuf.class);
            ByteBuf b = (ByteBuf) r;
            try {
                assertThat(Arrays.equals(ByteBufUtil.getBytes(b), payload(i))).as("response to call %d", i).isTrue();
                bytes += b.readableBytes();
            } finally {
                b.release();
            }
        }
        assertThat(new ArrayList<>(arrivals)).as("arrival order").containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, calls).boxed().toList());
        return bytes;
    }

    @RepeatedTest(5)
    void manyCallsSurviveRepeatedOutChannelRecycling() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options().build(), transcript)) {
            int ctx = vc.bind(ECHO_IFACE).get(10, TimeUnit.SECONDS).contextId();
            long bytes = stream(vc, ctx, 400, 12);
            VirtualConnection.Stats s = vc.stats();
            System.out.printf("OUT recycling e2e: 400 calls, %d response bytes, %d OUT recycles, %d IN recycles%n", bytes,
                    s.outChannelRecycles(), s.inChannelRecycles());
            assertThat(bytes).isGreaterThan(4 * LIFETIME);
            assertThat(s.outChannelRecycles()).as(String.join("\n", transcript.lines())).isGreaterThanOrEqualTo(2);
            assertThat(vc.failure()).isEmpty();
        }
        assertThat(errors).isEmpty();
    }

    @RepeatedTest(3)
    void inAndOutChannelRecyclingRunSideBySide() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options().inRecycleAfter(96 * 1024).build(), transcript)) {
            int ctx = vc.bind(ECHO_IFACE).get(10, TimeUnit.SECONDS).contextId();
            long bytes = stream(vc, ctx, 300, 8);
            VirtualConnection.Stats s = vc.stats();
            System.out.printf("IN+OUT recycling e2e: 300 calls, %d response bytes, %d OUT recycles, %d IN recycles%n", bytes,
                    s.outChannelRecycles(), s.inChannelRecycles());
            assertThat(s.outChannelRecycles()).isGreaterThanOrEqualTo(2);
            assertThat(s.inChannelRecycles()).isGreaterThanOrEqualTo(2);
            assertThat(vc.failure()).isEmpty();
        }
        assertThat(errors).isEmpty();
    }
}
