package dev.anywhere.bench.load.vc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.analyzer.rpch.RpcAuth;
import dev.anywhere.bench.load.IdleProbe;
import dev.anywhere.bench.load.Topology;
import dev.anywhere.rpc.dce.AuthVerifier;
import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.Fragmenter;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LeanVirtualConnection} against the real in-process {@link Topology} (gateway in plain HTTP with Basic
 * authentication, endpoints with the echo interface) on loopback, unauthenticated and with DCE/RPC security (the
 * endpoints verify the NTLM bind with the bench user's NT hash and tell, on opnum 1, the auth level they unprotected
 * the call at). Every wait is bounded; nothing asserts timing.
 */
class LeanVirtualConnectionTest {

    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static Topology topology;

    @BeforeAll
    static void start() throws Exception {
        topology = Topology.start(dir);
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    private static LeanClient.Builder settings() {
        return LeanClient.Settings.builder(topology.gatewayAddress(), topology.httpPort()).basic(Topology.USER, Topology.PASSWORD)
                .timeouts(T).ioThreads(2);
    }

    private static byte[] stub(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    @Test
    @Timeout(180)
    void pipelinedEchoesFromEmptyTo300KiBComeBackIntactOnFourConnections() throws Exception {
        int[] edges = {0, 1, 23, 24, 5815, 5816, 5817, 5840, 11632, 16384, 65535, 65536, 131072, 262144, 262145, 300 * 1024};
        Random random = new Random(42);
        try (LeanClient client = new LeanClient(settings().build())) {
            List<LeanVirtualConnection> vcs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                vcs.add(client.open().get(T.toMillis(), TimeUnit.MILLISECONDS));
            }
            int calls = 2000;
            byte[][] stubs = new byte[calls][];
            List<CompletableFuture<byte[]>> answers = new ArrayList<>(calls);
            List<CompletableFuture<Integer>> lengths = new ArrayList<>();
            long total = 0;
            for (int i = 0; i < calls; i++) {
                int size = i < edges.length ? edges[i] : i % 25 == 0 ? random.nextInt(300 * 1024 + 1) : random.nextInt(8193);
                stubs[i] = stub(random, size);
                total += size;
                answers.add(vcs.get(i % 4).call(0, stubs[i])); // all issued before any is awaited: pipelined
                if (i % 50 == 0) {
                    lengths.add(vcs.get((i + 1) % 4).echo(stubs[i])); // the length-only path, interleaved
                }
            }
            for (int i = 0; i < calls; i++) {
                byte[] got = answers.get(i).get(T.toMillis(), TimeUnit.MILLISECONDS);
                if (!Arrays.equals(got, stubs[i])) {
                    throw new AssertionError("call " + i + ": " + stubs[i].length + " bytes sent, " + got.length
                            + " bytes back" + (got.length == stubs[i].length ? " with other content" : ""));
                }
            }
            for (int k = 0; k < lengths.size(); k++) {
                assertThat(lengths.get(k).get(T.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(stubs[k * 50].length);
            }
            for (LeanVirtualConnection vc : vcs) {
                assertThat(vc.failure()).as(vc.stats()).isNull();
                assertThat(vc.isOpen()).isTrue();
                // > 128 KiB received per connection: the client acked its OUT window; > 64 KiB sent: the proxy acked IN
                assertThat(vc.flowControlAcksSent()).as(vc.stats()).isPositive();
                assertThat(vc.flowControlAcksReceived()).as(vc.stats()).isPositive();
                assertThat(vc.maxXmitFrag()).isEqualTo(5840);
            }
            assertThat(total).isGreaterThan(4 * 256 * 1024L);
        }
    }

    @Test
    @Timeout(240)
    void fiveHundredIdleConnectionsFromSpreadSourcesAllAnswer() throws Exception {
        try (LeanClient client = new LeanClient(settings().build())) {
            List<LeanVirtualConnection> vcs = client.openMany(500, 50, IdleProbe::sourceAddress);
            assertThat(vcs).hasSize(500).doesNotContainNull();
            assertThat(client.liveConnections()).isEqualTo(500);
            assertThat(topology.backendVirtualConnections()).isGreaterThanOrEqualTo(500);
            assertThat(client.echoEach(vcs, 64, T)).isEqualTo(500);
            for (LeanVirtualConnection vc : vcs) {
                vc.close();
            }
            assertThat(client.liveConnections()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void wrongPasswordFailsWith401NamingTheChannel() throws Exception {
        try (LeanClient client = new LeanClient(settings().basic(Topology.USER, "wrong").build())) {
            CompletableFuture<LeanVirtualConnection> f = client.open();
            assertThatThrownBy(() -> f.get(T.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(LeanFailure.class)
                    .hasMessageMatching("(IN|OUT) channel: 401 Unauthorized")
                    .satisfies(e -> System.out.println("wrong password: " + e.getMessage()));
            assertThatThrownBy(() -> client.openMany(3, 2, i -> null))
                    .isInstanceOf(LeanFailure.class)
                    .hasMessageStartingWith("opened 0 of 3 virtual connections; first failure: virtual connection #")
                    .hasMessageContaining("channel: 401 Unauthorized");
            assertThat(client.liveConnections()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void unknownEndpointPortFailsNamingTheProxyAnswer() throws Exception {
        try (LeanClient client = new LeanClient(settings().endpointPort(1).build())) {
            assertThatThrownBy(() -> client.open().get(T.toMillis(), TimeUnit.MILLISECONDS))
                    .cause().isInstanceOf(LeanFailure.class)
                    .hasMessageMatching("(IN|OUT) channel: .*")
                    .satisfies(e -> System.out.println("unknown endpoint port: " + e.getMessage()));
        }
    }

    @Test
    @Timeout(60)
    void bindOfAnUnknownInterfaceNamesTheBind() throws Exception {
        var iface = new dev.anywhere.rpc.dce.SyntaxId(java.util.UUID.fromString("11111111-2222-3333-4444-555555555555"), 1, 0);
        try (LeanClient client = new LeanClient(settings().iface(iface).build())) {
            assertThatThrownBy(() -> client.open().get(T.toMillis(), TimeUnit.MILLISECONDS))
                    .cause().isInstanceOf(LeanFailure.class)
                    .hasMessageStartingWith("bind: ")
                    .satisfies(e -> System.out.println("unknown interface: " + e.getMessage()));
        }
    }

    @Test
    @Timeout(60)
    void silentProxyTimesOutNamingWhatWasAwaited() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            // the kernel completes the TCP handshakes (backlog); nobody ever reads or answers
            var proxy = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), silent.getLocalPort());
            try (LeanClient client = new LeanClient(LeanClient.Settings.builder(proxy, topology.httpPort())
                    .basic(Topology.USER, Topology.PASSWORD).timeouts(Duration.ofSeconds(1)).build())) {
                assertThatThrownBy(() -> client.open().get(T.toMillis(), TimeUnit.MILLISECONDS))
                        .cause().isInstanceOf(LeanFailure.class)
                        .hasMessage("timeout waiting for the OUT channel's response after 1 s");
            }
        }
    }

    @Test
    @Timeout(60)
    void faultFailsTheCallNotTheConnection() throws Exception {
        try (LeanClient client = new LeanClient(settings().build())) {
            LeanVirtualConnection vc = client.open().get(T.toMillis(), TimeUnit.MILLISECONDS);
            assertThatThrownBy(() -> vc.call(7, new byte[8]).get(T.toMillis(), TimeUnit.MILLISECONDS))
                    .cause().isInstanceOf(LeanFailure.class)
                    .hasMessageMatching("call_id \\d+ \\(opnum 7\\): fault .*")
                    .satisfies(e -> System.out.println("unknown opnum: " + e.getMessage()));
            assertThat(vc.echo(new byte[100]).get(T.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(100);
        }
    }

    @Test
    @Timeout(60)
    void tlsToAPlainHttpProxyFailsNamingTheChannel() throws Exception {
        io.netty.handler.ssl.SslContext ssl = io.netty.handler.ssl.SslContextBuilder.forClient()
                .trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE).build();
        try (LeanClient client = new LeanClient(settings().tls(ssl, Topology.PROXY_HOST).timeouts(Duration.ofSeconds(5)).build())) {
            assertThatThrownBy(() -> client.open().get(T.toMillis(), TimeUnit.MILLISECONDS))
                    .cause().isInstanceOf(LeanFailure.class)
                    .hasMessageMatching("(IN|OUT) channel: .*")
                    .satisfies(e -> System.out.println("tls to plain: " + e.getMessage()));
        }
    }

    @Test
    @Timeout(120)
    void closeReleasesEveryBufferAndFailsPendingCalls() throws Exception {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        AtomicInteger leaks = new AtomicInteger();
        List<String> leakReports = new ArrayList<>();
        ResourceLeakDetector<?> detector = byteBufLeakDetector();
        if (detector != null) {
            detector.setLeakListener((type, records) -> {
                // paranoid mode tracks the gateway's and endpoints' buffers too: count the ones this client touched
                if (records.contains("bench.load.vc")) {
                    leaks.incrementAndGet();
                } else {
                    System.out.println("leak outside the lean client (not counted): " + type + ": " + records);
                }
                synchronized (leakReports) {
                    leakReports.add(type + ": " + records);
                }
            });
        }
        // no thread caches: an arena's active allocation count is exactly the buffers not yet released
        PooledByteBufAllocator alloc = new PooledByteBufAllocator(true, 1, 1, 8192, 9, 0, 0, false);
        ByteBuf canary = alloc.directBuffer(100); // the count sees an unreleased buffer...
        assertThat(activeAllocations(alloc)).isEqualTo(1);
        canary.release(); // ...and its release
        assertThat(activeAllocations(alloc)).isZero();
        try {
            Random random = new Random(7);
            LeanClient client = new LeanClient(settings().allocator(alloc).build());
            LeanVirtualConnection a = client.open().get(T.toMillis(), TimeUnit.MILLISECONDS);
            LeanVirtualConnection b = client.open().get(T.toMillis(), TimeUnit.MILLISECONDS);
            // complete traffic: fragmented both ways, partial reads, flow control acks
            List<CompletableFuture<byte[]>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                done.add(a.call(0, stub(random, i % 5 == 0 ? 200_000 : random.nextInt(20_000))));
            }
            for (CompletableFuture<byte[]> f : done) {
                f.get(T.toMillis(), TimeUnit.MILLISECONDS);
            }
            // calls in flight and queued behind the inbound proxy's window when the connection is closed
            List<CompletableFuture<Integer>> pending = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                pending.add(b.echo(stub(random, 300 * 1024)));
            }
            b.closeAsync().get(T.toMillis(), TimeUnit.MILLISECONDS);
            for (CompletableFuture<Integer> f : pending) {
                try {
                    f.get(T.toMillis(), TimeUnit.MILLISECONDS); // some may have completed before the close
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(LeanFailure.class).hasMessage("virtual connection closed by the client");
                }
            }
            b.close(); // idempotent
            assertThatThrownBy(() -> b.echo(new byte[1]).get(T.toMillis(), TimeUnit.MILLISECONDS))
                    .cause().hasMessage("virtual connection closed by the client");
            // a failing open with the same allocator
            LeanClient wrong = new LeanClient(settings().allocator(alloc).basic(Topology.USER, "nope").build());
            assertThatThrownBy(() -> wrong.open().get(T.toMillis(), TimeUnit.MILLISECONDS)).hasMessageContaining("401");
            wrong.close();
            // the client closes what is still open (a), with calls in flight
            for (int i = 0; i < 4; i++) {
                a.echo(stub(random, 100_000));
            }
            client.close();
            client.close(); // idempotent
            assertThat(a.isOpen()).isFalse();

            assertThat(activeAllocations(alloc)).as("buffers not released after close").isZero();
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(50);
                ByteBuf probe = alloc.directBuffer(64); // leak reports surface on later allocations
                probe.release();
                ByteBuf probe2 = Unpooled.directBuffer(16);
                probe2.release();
            }
            assertThat(leaks.get()).as(String.join("\n", leakReports)).isZero();
            System.out.println("leak listener installed: " + (detector != null) + ", level " + ResourceLeakDetector.getLevel());
        } finally {
            ResourceLeakDetector.setLevel(level);
            if (detector != null) {
                detector.setLeakListener(null);
            }
        }
    }

    /** Netty's one detector for all ByteBufs (package-private field), to count leak reports; null if not found. */
    private static ResourceLeakDetector<?> byteBufLeakDetector() {
        try {
            Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
            f.setAccessible(true);
            return (ResourceLeakDetector<?>) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static long activeAllocations(PooledByteBufAllocator alloc) {
        long n = 0;
        for (PoolArenaMetric m : alloc.metric().directArenas()) {
            n += m.numActiveAllocations();
        }
        for (PoolArenaMetric m : alloc.metric().heapArenas()) {
            n += m.numActiveAllocations();
        }
        return n;
    }

    /** Both load clients send through RequestFragment (the direct arm's DirectConnection too). */
    @Test
    void requestFragmentsAreWhatFragmenterAndDceCodecEncode() {
        Random random = new Random(3);
        for (int size : new int[] {0, 1, 5815, 5816, 5817, 20_000, 65_536}) {
            byte[] stub = stub(random, size);
            ByteBuf lean = LeanVirtualConnection.encodeRequest(77, 3, stub, 5840, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
            ByteBuf reference = Unpooled.buffer();
            for (DcePdu.CallFragment f : Fragmenter.fragment(new DcePdu.Request(77, 0, 3, Octets.of(stub)), 5840)) {
                DceCodec.encode(f, reference);
            }
            assertThat(ByteBufUtil.hexDump(lean)).as("stub of " + size).isEqualTo(ByteBufUtil.hexDump(reference));
            assertThat(dev.anywhere.bench.load.RequestFragment.encodedLength(size, 5840)).as("encoded length, stub of " + size)
                    .isEqualTo(reference.readableBytes());
            lean.release();
            reference.release();
        }
    }

    // ================================================================== DCE/RPC security

    private static LeanClient sealedClient(RpcAuth auth) {
        return new LeanClient(settings().rpcAuth(auth).build());
    }

    private static RpcAuth auth(int level, String password) {
        return new RpcAuth(level, NtlmCredentials.parse(Topology.USER, password));
    }

    private static byte[] call(LeanVirtualConnection vc, int opnum, byte[] stub) throws Exception {
        return vc.call(opnum, stub).get(T.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    @Timeout(120)
    void sealedAndSignedEchoesOfEveryFragmentBoundaryComeBackIntact() throws Exception {
        // 5840-byte fragments carry 5792 stub bytes when protected (24 header, 16-byte alignment, 8 + 16 verifier)
        int[] sizes = {0, 1, 15, 16, 17, 5791, 5792, 5793, 5815, 5816, 11584, 11585, 16384, 65536, 300 * 1024};
        Random random = new Random(7);
        for (int level : new int[] {AuthVerifier.LEVEL_PKT_PRIVACY, AuthVerifier.LEVEL_PKT_INTEGRITY}) {
            try (LeanClient client = sealedClient(auth(level, Topology.PASSWORD))) {
                LeanVirtualConnection vc = client.open().get(T.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(call(vc, 1, new byte[0])).as("auth_level the endpoints saw").containsExactly(level);
                List<byte[]> stubs = new ArrayList<>();
                List<CompletableFuture<byte[]>> answers = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (int size : sizes) {
                        byte[] stub = new byte[size];
                        random.nextBytes(stub);
                        stubs.add(stub);
                        answers.add(vc.call(0, stub)); // pipelined: sequence numbers and RC4 stream in wire order
                    }
                }
                CompletableFuture<Integer> length = vc.echo(new byte[20_000]);
                for (int i = 0; i < stubs.size(); i++) {
                    byte[] got = answers.get(i).get(T.toMillis(), TimeUnit.MILLISECONDS);
                    assertThat(Arrays.equals(got, stubs.get(i))).as("level " + level + ", call " + i + " of " + stubs.get(i).length
                            + " bytes, " + got.length + " back").isTrue();
                }
                assertThat(length.get(T.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(20_000);
                assertThat(vc.failure()).as(vc.stats()).isNull();
                assertThat(vc.isOpen()).isTrue();
            }
        }
    }

    @Test
    @Timeout(60)
    void withoutRpcAuthTheBindIsUnauthenticated() throws Exception {
        try (LeanClient client = sealedClient(null)) {
            LeanVirtualConnection vc = client.open().get(T.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(call(vc, 1, new byte[0])).containsExactly(1);
        }
    }

    @Test
    @Timeout(60)
    void aWrongRpcPasswordFailsTheFirstCallNotTheHttpLogon() throws Exception {
        try (LeanClient client = sealedClient(auth(AuthVerifier.LEVEL_PKT_PRIVACY, "wrong"))) {
            LeanVirtualConnection vc = client.open().get(T.toMillis(), TimeUnit.MILLISECONDS);
            assertThatThrownBy(() -> call(vc, 0, new byte[64]))
                    .cause().isInstanceOf(LeanFailure.class)
                    .hasMessage("call_id 2 (opnum 0): fault ERROR_ACCESS_DENIED(0x5)"); // the endpoints' answer to a failed AUTHENTICATE
        }
    }
}
