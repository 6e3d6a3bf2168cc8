package dev.anywhere.bench.load;

import dev.anywhere.bench.BenchText;
import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.httpauth.HttpBasic;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RtsMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Idle capacity of the gateway: N virtual connections opened through it with a minimal blocking client (two sockets
 * per virtual connection, the channel requests, CONN/B1 and CONN/A1, then the OUT channel's 200, CONN/A3 and CONN/C2),
 * several at a time, left idle for a while; meanwhile the gateway's used heap after full GCs, its resident set and its
 * CPU are measured. The first tenth is opened before the baseline is taken, so class loading, JIT and allocator
 * warm-up count as fixed costs, not as costs of each virtual connection. Then every virtual connection must still answer: a bind on its IN channel, the bind_ack on its OUT
 * channel. Client source addresses are spread over 127.0.0.0/8 (127.1.x.y), so large N stays clear of the ephemeral
 * port range per address pair.
 *
 * <p>A virtual connection costs the gateway four descriptors (IN and OUT from the client, the IN and OUT legs to the
 * server), the client two and the endpoints two. Where the open-files limit of one process cannot cover N (the hard
 * limit cannot be raised without CAP_SYS_RESOURCE), the gateway, the endpoints and the clients are each split into as
 * many processes ("shards") as the limit requires; the gateway shards share one heap budget of
 * {@link GatewayProcess#HEAP_BYTES} and sit on the relay CPU, and the figures are their sums.
 */
public final class IdleProbe {

    /** Descriptors one idle virtual connection costs: in the gateway, in the client, in the endpoints. */
    static final int GATEWAY_FDS = 4;
    static final int CLIENT_FDS = 2;
    static final int ENDPOINT_FDS = 2;

    /**
     * The outcome. {@code heapBytesPerVc} is the gateway's heap growth per virtual connection (IN + OUT + backend legs);
     * {@code rssBytesPerVc} its resident set growth beyond the (pre-touched) heap: direct buffers, native memory.
     */
    public record Result(int requested, int opened, long heapBytesPerVc, long rssBytesPerVc, long heapUsedBytes, double openMillisPerVc,
            double idleSeconds, double idleCpuPercent, java.util.Map<String, Double> idleCpuPercentByThread, double settleSeconds, int answered,
            int gatewayShards, String error) {

        static Result skipped(int requested, String why) {
            return new Result(requested, 0, 0, 0, 0, 0, 0, 0, java.util.Map.of(), 0, 0, 0, why);
        }
    }

    /** One client's two sockets; the OUT channel's stream is buffered (small buffer: there may be 20,000 of them). */
    record IdleVc(Socket in, Socket out, InputStream outStream) {
    }

    private IdleProbe() {
    }

    /** Source address for the i-th client connection: 127.1.0.1, 127.1.0.2, ... 127.1.0.250, 127.1.1.1, ... */
    public static InetAddress sourceAddress(int i) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 1, (byte) ((i / 250) & 0xff), (byte) (1 + i % 250)});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Processes of a kind needed for {@code n} virtual connections at {@code perVc} descriptors each under {@code limit}. */
    static int shards(int n, int perVc, long limit) {
        long usable = limit <= 0 ? Long.MAX_VALUE : Math.max(1000, limit - 1500); // JVM, jars, sockets of its own
        return (int) Math.max(1, (n * (long) perVc + usable - 1) / usable);
    }

    /**
     * Opens {@code n} idle virtual connections through gateway shards placed by {@code placement} (as few as
     * {@code fileLimit} allows), keeps them idle for {@code idle}, measures, checks that each still answers, stops all.
     */
    public static Result measure(int n, Placement placement, long fileLimit, Path dir, Duration idle, Duration timeout, Consumer<String> progress,
            BenchText text) throws IOException, InterruptedException {
        int g = shards(n, GATEWAY_FDS, fileLimit);
        int e = shards(n, ENDPOINT_FDS, fileLimit);
        int c = shards(n, CLIENT_FDS, fileLimit);
        List<ChildJvm> endpoints = new ArrayList<>();
        List<GatewayProcess> gateways = new ArrayList<>();
        List<ChildJvm> clients = new ArrayList<>();
        String failure = null;
        try {
            if (g > 1) {
                progress.accept(text.get("rpch.idle-shards", "limit", fileLimit, "gateways", g, "endpoints", e, "clients", c));
            }
            List<String> endpointPorts = new ArrayList<>();
            for (int k = 0; k < e; k++) {
                ChildJvm jvm = ChildJvm.start("endpoints-" + k, dir, List.of(), List.of("-Xmx512m"), EndpointsMain.class, List.of());
                endpoints.add(jvm);
            }
            for (ChildJvm jvm : endpoints) {
                endpointPorts.add(jvm.next("LISTENING", timeout.plusSeconds(20)).substring("LISTENING ".length()).trim());
            }
            List<String> gatewayPorts = new ArrayList<>();
            for (int k = 0; k < g; k++) {
                GatewayProcess gw = GatewayProcess.start(dir, "gateway-idle-" + k, Integer.parseInt(endpointPorts.get(k % e)),
                        dev.anywhere.server.gateway.rpch.ProxySettings.defaults(), GatewayProcess.HEAP_BYTES / g, placement,
                        timeout, java.util.Optional.empty(), java.util.Optional.empty());
                gateways.add(gw);
                gatewayPorts.add(Integer.toString(gw.address().getPort()));
            }
            // A tenth of the virtual connections first, so that class loading, JIT and allocator warm-up are in the
            // baseline and not charged to each virtual connection; then the rest, measured.
            int warm = n / 10;
            for (int k = 0; k < c; k++) {
                clients.add(ChildJvm.start("idle-client-" + k, dir, List.of(), List.of("-Xmx512m"), IdleClientMain.class,
                        List.of(Integer.toString(k), Integer.toString(c), Integer.toString(n), String.join(",", gatewayPorts),
                                String.join(",", endpointPorts), Long.toString(timeout.toMillis()), "4", Integer.toString(warm))));
            }
            Duration openTimeout = timeout.plusSeconds(60 + n / 100); // generous: ~10 ms per virtual connection
            int warmed = 0;
            for (ChildJvm client : clients) {
                String[] words = client.next("WARM", openTimeout).substring("WARM ".length()).split(" ", 2);
                warmed += Integer.parseInt(words[0]);
                if (words.length > 1 && failure == null) {
                    failure = words[1];
                }
            }
            Thread.sleep(1000);
            long heapBefore = 0;
            long rssBefore = 0;
            for (GatewayProcess gw : gateways) {
                heapBefore += gw.usedHeapAfterGc(timeout);
                rssBefore += gw.rssBytes();
            }
            long t0 = System.nanoTime();
            for (ChildJvm client : clients) {
                client.send("GO");
            }
            int opened = 0;
            for (ChildJvm client : clients) {
                String[] words = client.next("OPENED", openTimeout).substring("OPENED ".length()).split(" ", 2);
                opened += Integer.parseInt(words[0]);
                if (words.length > 1 && failure == null) {
                    failure = words[1];
                }
            }
            int measured = opened - warmed;
            double openMillis = measured <= 0 ? 0 : (System.nanoTime() - t0) / 1e6 / measured;
            progress.accept(text.get("rpch.idle-open", "opened", opened, "millis", String.format(java.util.Locale.ROOT, "%.2f", openMillis),
                    "seconds", idle.toSeconds()));
            List<Long> pids = gateways.stream().map(GatewayProcess::pid).toList();
            double settleSeconds = settle(gateways, pids);
            double cpu0 = gateways.stream().mapToDouble(GatewayProcess::cpuSeconds).sum();
            java.util.Map<String, Double> threads0 = CpuMeter.secondsByThreadKind(pids);
            long i0 = System.nanoTime();
            Thread.sleep(idle.toMillis());
            double idleSeconds = (System.nanoTime() - i0) / 1e9;
            double idleCpu = gateways.stream().mapToDouble(GatewayProcess::cpuSeconds).sum() - cpu0;
            // where the idle CPU went, by kind of thread (event loops, JIT, GC), in % of one CPU; kinds under 0.05 % left out
            java.util.Map<String, Double> byThread = new java.util.TreeMap<>();
            CpuMeter.secondsByThreadKind(pids).forEach((kind, s) -> {
                double percent = 100.0 * (s - threads0.getOrDefault(kind, 0.0)) / idleSeconds;
                if (percent >= 0.05) {
                    byThread.put(kind, Math.round(percent * 10) / 10.0);
                }
            });
            long heapAfter = 0;
            long rssAfter = 0;
            for (GatewayProcess gw : gateways) {
                heapAfter += gw.usedHeapAfterGc(timeout);
                rssAfter += gw.rssBytes();
            }
            int answered = 0;
            for (ChildJvm client : clients) {
                client.send("CHECK");
            }
            for (ChildJvm client : clients) {
                String[] words = client.next("ANSWERED", openTimeout).substring("ANSWERED ".length()).split(" ", 2);
                answered += Integer.parseInt(words[0]);
                if (words.length > 1 && failure == null) {
                    failure = words[1];
                }
            }
            return new Result(n, opened, measured <= 0 ? 0 : Math.max(0, (heapAfter - heapBefore) / measured),
                    measured <= 0 || rssBefore < 0 ? 0 : Math.max(0, (rssAfter - rssBefore) / measured), heapAfter, openMillis, idleSeconds,
                    100.0 * idleCpu / idleSeconds, byThread, settleSeconds, answered, g, failure);
        } finally {
            clients.forEach(ChildJvm::close);
            gateways.forEach(GatewayProcess::close);
            endpoints.forEach(ChildJvm::close);
        }
    }

    /** Longest wait for the gateways to settle after the opening burst. */
    static final int SETTLE_MAX_SECONDS = 15;
    /** Two seconds whose CPU differs by at most this (percentage points of one CPU) are steady. */
    static final double STEADY_POINTS = 1.5;
    /** The JIT compilers of all shards together, in percentage points of one CPU, below which they count as done. */
    static final double COMPILERS_QUIET_POINTS = 0.5;

    /**
     * Waits until the gateways' CPU is steady — two consecutive seconds within {@value #STEADY_POINTS} points of one
     * CPU of each other, the JIT's compiler threads below {@value #COMPILERS_QUIET_POINTS} points in the second of
     * the two, at least two seconds, at most {@value #SETTLE_MAX_SECONDS} — and returns how long that took. The opening
     * burst leaves work that ends on its own (the JIT compiling what the burst made hot, a concurrent GC, deferred
     * writes); idle CPU is what holding the connections costs once that is over. A compiler busy at an even pace looks
     * steady, so it is asked for on its own (run Z, session 9: 5.3 of its 5.9 % idle CPU were C2 after a 2 s
     * settle). Steadiness, not the goal, decides: a cost that stays is measured as it is, and one still falling after
     * the limit is measured too.
     */
    static double settle(List<GatewayProcess> gateways, List<Long> pids) throws InterruptedException {
        long t0 = System.nanoTime();
        double before = gateways.stream().mapToDouble(GatewayProcess::cpuSeconds).sum();
        double compilersBefore = compilerSeconds(pids);
        double previous = -1;
        for (int second = 0; second < SETTLE_MAX_SECONDS; second++) {
            long s0 = System.nanoTime();
            Thread.sleep(1000);
            double now = gateways.stream().mapToDouble(GatewayProcess::cpuSeconds).sum();
            double compilersNow = compilerSeconds(pids);
            double elapsed = (System.nanoTime() - s0) / 1e9;
            double points = 100.0 * (now - before) / elapsed;
            double compilerPoints = 100.0 * (compilersNow - compilersBefore) / elapsed;
            before = now;
            compilersBefore = compilersNow;
            if (settled(previous, points, compilerPoints)) {
                break;
            }
            previous = points;
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The CPU seconds of the JIT's compiler threads (C1, C2) of {@code pids}. */
    private static double compilerSeconds(List<Long> pids) {
        return CpuMeter.secondsByThreadKind(pids).entrySet().stream().filter(e -> e.getKey().contains("Compiler"))
                .mapToDouble(java.util.Map.Entry::getValue).sum();
    }

    /** Whether a second at {@code points} % of one CPU is steady after one at {@code previous} (negative: none yet). */
    static boolean steady(double previous, double points) {
        return previous >= 0 && Math.abs(points - previous) <= STEADY_POINTS;
    }

    /** Steady, and the compilers (points of one CPU in the second just measured) done. */
    static boolean settled(double previous, double points, double compilerPoints) {
        return steady(previous, points) && compilerPoints < COMPILERS_QUIET_POINTS;
    }

    /** The idle clients of one process: blocking sockets, opened and checked by a few threads. */
    static final class Clients implements AutoCloseable {

        private final IdleVc[] vcs;
        private final AtomicInteger answered = new AtomicInteger();
        private volatile String error;

        Clients(int n) {
            this.vcs = new IdleVc[n];
        }

        /** Opens virtual connection i for every {@code from} &le; i &lt; {@code to} that {@code mine} accepts; stops at the first failure. */
        void open(int from, int to, IntPredicate mine, IntFunction<InetSocketAddress> gateway, IntUnaryOperator endpointPort, int threads,
                Duration timeout) throws InterruptedException {
            AtomicInteger next = new AtomicInteger(from);
            AtomicReference<String> failure = new AtomicReference<>();
            runParallel(threads, () -> {
                for (int i = next.getAndIncrement(); i < to && failure.get() == null; i = next.getAndIncrement()) {
                    if (!mine.test(i)) {
                        continue;
                    }
                    try {
                        vcs[i] = openOne(gateway.apply(i), endpointPort.applyAsInt(i), i, timeout);
                    } catch (IOException | RuntimeException e) {
                        failure.compareAndSet(null, "virtual connection " + (i + 1) + " of " + vcs.length + ": " + e.getMessage());
                    }
                }
            });
            if (error == null) {
                error = failure.get();
            }
        }

        int opened() {
            return (int) Arrays.stream(vcs).filter(v -> v != null).count();
        }

        String error() {
            return error;
        }

        int answered() {
            return answered.get();
        }

        /** Every open virtual connection binds; returns the first failure, or null. */
        String checkAll(int threads) throws InterruptedException {
            AtomicInteger cursor = new AtomicInteger();
            AtomicReference<String> failure = new AtomicReference<>();
            runParallel(threads, () -> {
                for (int i = cursor.getAndIncrement(); i < vcs.length; i = cursor.getAndIncrement()) {
                    if (vcs[i] == null) {
                        continue;
                    }
                    try {
                        answers(vcs[i]);
                        answered.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        failure.compareAndSet(null, "virtual connection " + (i + 1) + " did not answer after idling: " + e.getMessage());
                    }
                }
            });
            return failure.get();
        }

        @Override
        public void close() {
            for (IdleVc v : vcs) {
                if (v != null) {
                    closeQuietly(v.in());
                    closeQuietly(v.out());
                }
            }
        }
    }

    private static void runParallel(int threads, Runnable work) throws InterruptedException {
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(work, "bench-idle-" + t);
            th.start();
            all.add(th);
        }
        for (Thread th : all) {
            th.join();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** A bind to the echo interface on the IN channel; its bind_ack must come back on the OUT channel. */
    static void answers(IdleVc vc) throws IOException {
        int callId = 1;
        ByteBuf b = DceCodec.encode(new DcePdu.Bind(callId, DirectConnection.MAX_FRAG, DirectConnection.MAX_FRAG, 0,
                List.of(new PresentationContext(0, Topology.ECHO_IFACE, List.of(SyntaxId.NDR)))), ByteBufAllocator.DEFAULT);
        try {
            vc.in().getOutputStream().write(ByteBufUtil.getBytes(b));
        } finally {
            b.release();
        }
        while (true) {
            byte[] pdu = readPdu(vc.outStream(), "OUT channel");
            if (pdu[2] == RTS_PTYPE) {
                continue; // a Ping from the outbound proxy
            }
            DcePdu answer = DceCodec.decode(Unpooled.wrappedBuffer(pdu));
            if (!(answer instanceof DcePdu.BindAck ack) || ack.callId() != callId) {
                throw new IOException("expected bind_ack for call_id " + callId + ", got " + answer.getClass().getSimpleName());
            }
            return;
        }
    }

    private static final byte RTS_PTYPE = 20;

    /** One whole PDU (header + body) from {@code in}. */
    static byte[] readPdu(InputStream in, String where) throws IOException {
        byte[] header = in.readNBytes(16);
        if (header.length < 16) {
            throw new IOException(where + " closed");
        }
        int fragLength = (header[8] & 0xff) | (header[9] & 0xff) << 8;
        if (fragLength < 16) {
            throw new IOException(where + ": frag_length " + fragLength);
        }
        byte[] pdu = java.util.Arrays.copyOf(header, fragLength);
        if (in.readNBytes(pdu, 16, fragLength - 16) < fragLength - 16) {
            throw new IOException(where + " closed inside a PDU");
        }
        return pdu;
    }

    static byte[] request(String method, long contentLength, InetSocketAddress gateway, int endpointPort, byte[] body) {
        String head = method + " /rpc/rpcproxy.dll?" + Topology.SERVER + ":" + endpointPort + " HTTP/1.1\r\n"
                + "Accept: application/rpc\r\nUser-Agent: MSRPC\r\nHost: " + Topology.PROXY_HOST + ":" + gateway.getPort() + "\r\n"
                + "Content-Length: " + contentLength + "\r\nConnection: Keep-Alive\r\nCache-Control: no-cache\r\n"
                + "Pragma: No-cache\r\nAuthorization: " + new HttpBasic(Topology.USER, Topology.PASSWORD).authorization() + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    static byte[] rts(dev.anywhere.rpc.rpch.RtsMessage pdu) {
        ByteBuf b = Unpooled.buffer();
        RpchCodec.encode(pdu, b);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    /**
     * Local ports for the i-th virtual connection's IN and OUT sockets, below the ephemeral range: every virtual
     * connection has an address of its own, so fixed ports never collide, and ports taken by bind() stay out of the range
     * the gateway's own connect()s to the endpoints draw from (Linux skips ephemeral ports a bind() holds, on any
     * address). 0 (kernel's choice) where the ephemeral range starts too low for this.
     */
    static int[] clientPorts(int i) {
        return EPHEMERAL_LOW > 30_000 ? new int[] {10_000 + i % 10_000, 20_000 + i % 10_000} : new int[] {0, 0};
    }

    private static final int EPHEMERAL_LOW = ephemeralLow();

    private static int ephemeralLow() {
        try {
            return Integer.parseInt(java.nio.file.Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static IdleVc openOne(InetSocketAddress gateway, int endpointPort, int i, Duration timeout) throws IOException {
        UUID vc = UUID.randomUUID();
        InetAddress source = sourceAddress(i);
        int[] ports = clientPorts(i);
        Socket in = new Socket();
        Socket out = new Socket();
        try {
            in.setReuseAddress(true);
            in.bind(new InetSocketAddress(source, ports[0]));
            in.connect(gateway, (int) timeout.toMillis());
            in.setTcpNoDelay(true);
            out.setReuseAddress(true);
            out.bind(new InetSocketAddress(source, ports[1]));
            out.connect(gateway, (int) timeout.toMillis());
            out.setTcpNoDelay(true);
            out.setSoTimeout((int) timeout.toMillis());
            byte[] b1 = rts(new RtsMessage.ConnB1(1, vc, UUID.randomUUID(), 0x4000_0000L, 300_000, UUID.randomUUID()));
            byte[] a1 = rts(new RtsMessage.ConnA1(1, vc, UUID.randomUUID(), 0x40000));
            in.getOutputStream().write(request("RPC_IN_DATA", 0x4000_0000L, gateway, endpointPort, b1));
            out.getOutputStream().write(request("RPC_OUT_DATA", 76, gateway, endpointPort, a1));
            InputStream outStream = new BufferedInputStream(out.getInputStream(), 512);
            readOpened(outStream);
            return new IdleVc(in, out, outStream);
        } catch (IOException | RuntimeException e) {
            closeQuietly(in);
            closeQuietly(out);
            throw e;
        }
    }

    /** Reads the OUT channel's response head and two RTS PDUs (CONN/A3, CONN/C2). */
    static void readOpened(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int last4 = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("OUT channel closed after " + seen.size() + " bytes: "
                        + seen.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse(""));
            }
            seen.write(c);
            last4 = last4 << 8 | c;
            if (last4 == 0x0d0a0d0a) { // CRLF CRLF: end of the response head
                String status = seen.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
                if (!status.contains(" 200")) {
                    throw new IOException("OUT channel: " + status + " (expected: 200)");
                }
                break;
            }
        }
        for (int pdu = 0; pdu < 2; pdu++) {
            readPdu(in, "OUT channel, PDU " + (pdu + 1) + " of CONN/A3, CONN/C2");
        }
    }
}
