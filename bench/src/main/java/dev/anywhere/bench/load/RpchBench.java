package dev.anywhere.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.analyzer.rpch.RpcAuth;
import dev.anywhere.bench.BenchText;
import dev.anywhere.bench.load.vc.LeanClient;
import dev.anywhere.bench.tls.HandshakeRate;
import dev.anywhere.bench.tls.TlsMaterial;
import dev.anywhere.rpc.dce.AuthVerifier;
import dev.anywhere.rpc.input.InvalidValue;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.server.gateway.TlsEngine;
import io.netty.handler.ssl.SslProvider;
import java.util.Optional;
import dev.anywhere.server.endpoints.RpcEndpoints;
import dev.anywhere.server.gateway.rpch.ProxySettings;
import dev.anywhere.server.net.NettyTransport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code anywhere bench rpch}: the same load against seven arms, interleaved round by round after a discarded warm-up
 * round, on loopback:
 *
 * <ol>
 *   <li>{@code direct}: plain DCE/RPC over TCP to the endpoints' ncacn_ip_tcp port ({@link DirectConnection});</li>
 *   <li>{@code haproxy}: the same through HAProxy as a plain TCP relay ({@link HaproxyRelay}): the price of one
 *       user-space hop on this machine;</li>
 *   <li>{@code nginx}: RPC over HTTP through nginx (plaintext, RPC settings) in front of the in-process gateway
 *       ({@link NginxRelay});</li>
 *   <li>{@code upstream}: RPC over HTTP straight to that in-process gateway, so that nginx's own hop is the difference
 *       between the two;</li>
 *   <li>{@code gateway}: RPC over HTTP to the gateway under test, in a process of its own ({@link GatewayProcess});</li>
 *   <li>{@code nginx_tls}, {@code gateway_tls}: the same two over TLS 1.3 (TLS_AES_128_GCM_SHA256, X25519, one RSA 2048
 *       certificate; {@link TlsMaterial}), nginx with OpenSSL, the gateway with its {@link TlsEngine}.</li>
 * </ol>
 *
 * Pinned ({@link Placement}), nginx and the gateway under test each have CPU 0 to themselves while the client and the
 * endpoints share the other CPU. Per arm and round: N connections opened (setup time), a bulk phase (each connection
 * keeps {@code depth} echo calls of {@code bulkBytes} outstanding: bytes/s, CPU seconds per GiB), and an open-loop
 * latency phase (1 KiB echoes at a fixed total rate, latency measured from the intended send time, so coordinated
 * omission is accounted for), in which the arms take turns ({@link #latencyPhase}). Then recycling under bulk load ({@link RecyclingRun}) and idle capacity
 * ({@link IdleProbe}), both against gateway processes. The JSON keys are documented in docs/performance.md.
 */
public final class RpchBench {

    /** The arms, in the order of every round. */
    public enum Arm {
        // the arms a headline ratio divides run back to back: direct, HAProxy, the gateway (then the same gateway process
        // with signed or sealed DCE/RPC, and the gateway on its other transports), then nginx and the upstream gateway it fronts
        DIRECT, HAPROXY, GATEWAY, GATEWAY_SEALED, GATEWAY_EPOLL, GATEWAY_IO_URING, GATEWAY_NIO, NGINX, UPSTREAM, NGINX_TLS, GATEWAY_TLS;

        boolean tls() {
            return this == NGINX_TLS || this == GATEWAY_TLS;
        }

        /** For the transport-comparison arms ({@code --compare-transports}): the transport their gateway runs on. */
        NettyTransport.Choice transport() {
            return switch (this) {
                case GATEWAY_EPOLL -> NettyTransport.Choice.EPOLL;
                case GATEWAY_IO_URING -> NettyTransport.Choice.IO_URING;
                case GATEWAY_NIO -> NettyTransport.Choice.NIO;
                default -> null;
            };
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * {@link Settings#ratePerSecond()} meaning "50 % load": half the slowest relay arm's 1 KiB maximum, from the warm-up
     * ({@code --rate auto} or {@code 0}).
     */
    public static final int AUTO_RATE = 0;

    /** The transport of every load client, the direct one and the RPC over HTTP one alike. */
    private static final NettyTransport CLIENT_TRANSPORT = ClientTransport.pick();

    /**
     * {@link Settings#ratePerSecond()} meaning the machine kind's fixed rates ({@link MachineKind}), "50 % load" where no
     * kind matches: the full run's default, so that two runs on one kind measure latency at the same load.
     */
    public static final int KIND_RATE = -1;

    /** Twice the latency rate when the rate is automatic and no relay arm measured a maximum. */
    static final int WARMUP_RATE = 500;

    /** What to run. */
    public record Settings(double phaseSeconds, int connections, int depth, int bulkBytes, int latencyBytes, int ratePerSecond,
            int rounds, int idleVcs, boolean nginx, Duration timeout, boolean pin, long recycleLifetime, boolean tls, int receiveWindow) {

        /**
         * The receive window of every RPC over HTTP hop in the arms (client, gateway, endpoints): 256 KiB, the bulk
         * condition of the CPU-per-GiB goal (docs/performance.md) and the largest [MS-RPCH] 2.2.3.5.1 allows. The product's default is
         * Windows' 64 KiB ({@code --window 65536} measures that).
         */
        public static final int BULK_WINDOW = 256 * 1024;

        public Settings {
            if (phaseSeconds <= 0 || phaseSeconds > 600) {
                throw new InvalidValue("bench.seconds", String.valueOf(phaseSeconds), "seconds: " + phaseSeconds + " (expected: >0..600)");
            }
            if (connections < 1 || connections > 64) {
                throw new InvalidValue("bench.connections", String.valueOf(connections), "connections: " + connections + " (expected: 1..64)");
            }
            if (rounds < 1 || rounds > 20) {
                throw new InvalidValue("bench.rounds", String.valueOf(rounds), "rounds: " + rounds + " (expected: 1..20)");
            }
            if (idleVcs < 0 || idleVcs > 50_000) {
                throw new InvalidValue("bench.idle", String.valueOf(idleVcs), "idle: " + idleVcs + " (expected: 0..50000)");
            }
            if (ratePerSecond < KIND_RATE || ratePerSecond > 1_000_000) {
                throw badRate(String.valueOf(ratePerSecond));
            }
            if (depth < 1 || depth > 64 || bulkBytes < 1 || bulkBytes > 1 << 20 || latencyBytes < 1 || latencyBytes > 1 << 20) {
                throw new IllegalArgumentException("depth 1..64, bulk and latency bytes 1..1 MiB");
            }
            // [MS-RPCH] 2.2.3.5.5: ChannelLifetime 128 KiB..2 GiB; 0 = no recycling phase
            if (recycleLifetime != 0 && (recycleLifetime < 0x20000 || recycleLifetime > 0x8000_0000L)) {
                throw new InvalidValue("bench.recycle-lifetime", String.valueOf(recycleLifetime), "recycle lifetime: " + recycleLifetime
                        + " (expected: 0, or 131072..2147483648 bytes)");
            }
            // [MS-RPCH] 2.2.3.5.1 ReceiveWindowSize: 8 KiB..256 KiB; at least the endpoints' fragment size
            if (receiveWindow < 0x2000 || receiveWindow > 0x40000 || receiveWindow < RpcEndpoints.Limits.DEFAULT.maxFrag()) {
                throw new InvalidValue("bench.window", String.valueOf(receiveWindow), "window: " + receiveWindow + " (expected: 8192..262144 bytes)");
            }
        }

        /** {@code --smoke}: well under a minute. */
        public static Settings smoke() {
            return new Settings(0.6, 2, 2, 16 * 1024, 1024, AUTO_RATE, 1, 1000, true, Duration.ofSeconds(10), true, 1 << 20, true, BULK_WINDOW);
        }

        /** The full run: {@code seconds} per phase, at the machine kind's latency rates. */
        public static Settings full(double seconds, int connections) {
            return new Settings(seconds, connections, 4, 16 * 1024, 1024, KIND_RATE, 3, 20_000, true, Duration.ofSeconds(10), true, 4 << 20, true, BULK_WINDOW);
        }

        public Settings withIdleVcs(int n) {
            return new Settings(phaseSeconds, connections, depth, bulkBytes, latencyBytes, ratePerSecond, rounds, n, nginx, timeout, pin,
                    recycleLifetime, tls, receiveWindow);
        }

        public Settings withRate(int r) {
            return new Settings(phaseSeconds, connections, depth, bulkBytes, latencyBytes, r, rounds, idleVcs, nginx, timeout, pin,
                    recycleLifetime, tls, receiveWindow);
        }

        public Settings withNginx(boolean on) {
            return new Settings(phaseSeconds, connections, depth, bulkBytes, latencyBytes, ratePerSecond, rounds, idleVcs, on, timeout, pin,
                    recycleLifetime, tls, receiveWindow);
        }

        public Settings withRounds(int r) {
            return new Settings(phaseSeconds, connections, depth, bulkBytes, latencyBytes, ratePerSecond, r, idleVcs, nginx, timeout, pin,
                    recycleLifetime, tls, receiveWindow);
        }

        public Settings withPin(boolean on) {
            return new Settings(phaseSeconds, connections, depth, bulkBytes, latencyBytes, ratePerSecond, rounds, idleVcs, nginx, timeout, on,
                    recycleLifetime, tls, receiveWindow);
        }

        public Settings withTls(boolean on) {
            return new Settings(phaseSeconds, connections, depth, bulkBytes, latencyBytes, ratePerSecond, rounds, idleVcs, nginx, timeout, pin,
                    recycleLifetime, on, receiveWindow);
        }

        public Settings withReceiveWindow(int bytes) {
            return new Settings(phaseSeconds, connections, depth, bulkBytes, latencyBytes, ratePerSecond, rounds, idleVcs, nginx, timeout, pin,
                    recycleLifetime, tls, bytes);
        }

        /** The gateway processes' settings: the product's defaults with this run's receive window. */
        ProxySettings proxySettings() {
            return ProxySettings.defaults().withReceiveWindow(receiveWindow);
        }

        public Settings withRecycleLifetime(long bytes) {
            return new Settings(phaseSeconds, connections, depth, bulkBytes, latencyBytes, ratePerSecond, rounds, idleVcs, nginx, timeout, pin,
                    bytes, tls, receiveWindow);
        }
    }

    /**
     * {@code --rate}'s value as {@link Settings#ratePerSecond()}: absent is the machine kind's rates, {@code auto} (or
     * {@code 0}) the warm-up's "50 % load", a number a fixed rate for every arm.
     */
    public static int parseRate(String value) {
        if (value == null) {
            return KIND_RATE;
        }
        if (value.equals("auto")) {
            return AUTO_RATE;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n; // above the maximum: refused by Settings in the same words
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw badRate(value);
    }

    private static InvalidValue badRate(String value) {
        return new InvalidValue("bench.rate", value, "rate: " + value + " (expected: auto (or 0), or 1..1000000)");
    }

    /** One arm in one round. */
    public record Sample(Arm arm, double maxCallsPerSecond, double bytesPerSecond, double relayCpuSeconds, double relayUserShare, double relayCpuPerGib, double processCpuPerGib,
            double backendCpuPerGib, double p50Micros, double p99Micros, double p999Micros, double maxMicros, long latencyCalls,
            double setupMillisMedian, double setupMillisMax, long errors, String firstError, MachineLoad.Phase load,
            double p50MedianTurnMicros, double p99MedianTurnMicros) {

        /** Without per-turn figures (bulk only, or a sample built by hand). */
        public Sample(Arm arm, double maxCallsPerSecond, double bytesPerSecond, double relayCpuSeconds, double relayUserShare, double relayCpuPerGib,
                double processCpuPerGib, double backendCpuPerGib, double p50Micros, double p99Micros, double p999Micros, double maxMicros,
                long latencyCalls, double setupMillisMedian, double setupMillisMax, long errors, String firstError, MachineLoad.Phase load) {
            this(arm, maxCallsPerSecond, bytesPerSecond, relayCpuSeconds, relayUserShare, relayCpuPerGib, processCpuPerGib, backendCpuPerGib,
                    p50Micros, p99Micros, p999Micros, maxMicros, latencyCalls, setupMillisMedian, setupMillisMax, errors, firstError, load,
                    Double.NaN, Double.NaN);
        }

        /** This sample with the machine load {@code phase} had in its round's phases. */
        Sample withLoad(MachineLoad.Phase phase) {
            return new Sample(arm, maxCallsPerSecond, bytesPerSecond, relayCpuSeconds, relayUserShare, relayCpuPerGib, processCpuPerGib,
                    backendCpuPerGib, p50Micros, p99Micros, p999Micros, maxMicros, latencyCalls, setupMillisMedian, setupMillisMax, errors,
                    firstError, phase, p50MedianTurnMicros, p99MedianTurnMicros);
        }
    }

    /** The relays under measurement in one run. */
    private record Relays(HaproxyRelay haproxy, NginxRelay nginx, GatewayProcess gateway, NginxRelay nginxTls, GatewayProcess gatewayTls,
            Map<Arm, GatewayProcess> transportGateways, Map<Arm, LeanClient> clients) {

        List<Long> pids(Arm arm) {
            return switch (arm) {
                case DIRECT, UPSTREAM -> List.of();
                case HAPROXY -> haproxy.pids();
                case NGINX -> nginx.pids();
                case NGINX_TLS -> nginxTls.pids();
                case GATEWAY, GATEWAY_SEALED -> List.of(gateway.pid());
                case GATEWAY_TLS -> List.of(gatewayTls.pid());
                case GATEWAY_EPOLL, GATEWAY_IO_URING, GATEWAY_NIO -> List.of(transportGateways.get(arm).pid());
            };
        }

        /** Every relay process of the run: with the bench's JVM, what counts as the benchmark's own CPU. */
        List<Long> allPids() {
            List<Long> all = new ArrayList<>();
            for (Arm a : Arm.values()) {
                boolean present = switch (a) {
                    case DIRECT, UPSTREAM, GATEWAY_SEALED -> false; // the sealed arm's process is the gateway arm's
                    case HAPROXY -> haproxy != null;
                    case NGINX -> nginx != null;
                    case NGINX_TLS -> nginxTls != null;
                    case GATEWAY -> gateway != null;
                    case GATEWAY_TLS -> gatewayTls != null;
                    case GATEWAY_EPOLL, GATEWAY_IO_URING, GATEWAY_NIO -> transportGateways.containsKey(a);
                };
                if (present) {
                    all.addAll(pids(a));
                }
            }
            return all;
        }
    }

    /**
     * Full TLS handshakes against one TLS arm's relay: the rate, and the relay's CPU per handshake. {@code round}: the
     * measured round (1..), 0 for a measurement after the rounds (ECDSA); {@code load}: the machine during the phase.
     */
    record Handshakes(Arm arm, String key, int round, HandshakeRate.Result result, double relayCpuSeconds, MachineLoad.Phase load) {

        /** NaN without handshakes, or with relay CPU below /proc's 10 ms ticks (0 ms would divide as "free"). */
        double cpuMillisPerHandshake() {
            return result.handshakes() == 0 || !(relayCpuSeconds > 0) ? Double.NaN : 1000 * relayCpuSeconds / result.handshakes();
        }
    }

    /** One lean client per RPC over HTTP arm: its own event loops, Basic, the endpoints' ncacn_http port; TLS with {@code ssl}. */
    private LeanClient leanClient(InetSocketAddress proxy, int endpointPort, io.netty.handler.ssl.SslContext ssl) {
        return leanClient(proxy, endpointPort, ssl, null);
    }

    /** As above, binding with DCE/RPC security {@code rpcAuth} (null: unauthenticated). */
    private LeanClient leanClient(InetSocketAddress proxy, int endpointPort, io.netty.handler.ssl.SslContext ssl, RpcAuth rpcAuth) {
        LeanClient.Builder b = LeanClient.Settings.builder(proxy, endpointPort).basic(Topology.USER, Topology.PASSWORD).timeouts(settings.timeout())
                .receiveWindow(settings.receiveWindow()).rpcAuth(rpcAuth);
        if (ssl != null) {
            b.tls(ssl, TlsMaterial.HOST);
        }
        return new LeanClient(b.build());
    }

    /** The client's TLS engine, the same for every TLS arm: BoringSSL where it loads. */
    static SslProvider clientTlsProvider() {
        return TlsMaterial.openSslAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    private final Settings settings;
    private final Consumer<String> progress;
    /** The progress lines' language: the JVM's, as the command line's. */
    private final BenchText text = BenchText.local();
    private Path histogramDir;
    private boolean compareTransports;
    /** {@code --latency-seconds}: the latency phase of {@link #LATENCY_HEADLINE_ARMS} per measured round; 0 = {@code --seconds}. */
    private double headlineLatencySeconds;
    /** Each measured round's turn p99s per arm, in the order of the turns: the p99 headline's cycles, and kept in the report. */
    private final Map<Arm, List<List<Double>>> turnP99s = new EnumMap<>(Arm.class);

    /** One measured round's turn p99s of {@code arm} (NaN for a turn without calls, so turn i stays cycle i). */
    void keepTurns(Arm arm, List<Double> turnP99) {
        turnP99s.computeIfAbsent(arm, k -> new ArrayList<>()).add(List.copyOf(turnP99));
    }
    /** The sealed arm's latency rate as run; -1 while it has not run. */
    private int sealedRate = -1;
    /** The machine's kind, read before the benchmark pins itself (pinned, the JVM sees fewer CPUs). */
    private final Optional<MachineKind> kind;
    /** /proc/cpuinfo's model name, for the report's {@code machine.cpu_model}. */
    private final String cpuModel;
    private Path profileDir;
    private int sealedLevel = AuthVerifier.LEVEL_PKT_PRIVACY;
    /** Per arm, each measured round's bulk phase by mechanism (the warm-up's are not kept). */
    private final Map<Arm, List<RelayCost>> relayCosts = new EnumMap<>(Arm.class);

    /**
     * What one bulk phase cost the relay process per GiB relayed, by mechanism: user and system CPU seconds, context
     * switches (every thread's, voluntary and involuntary), and system calls when counted ({@link SyscallCount}; NaN
     * otherwise). NaN where the arm has no relay process of its own (direct, upstream).
     */
    record RelayCost(double userPerGib, double systemPerGib, double contextSwitchesPerGib, double syscallsPerGib) {
    }

    /**
     * The DCE/RPC protection of the {@code gateway_sealed} arm, as {@code --rpc-auth} names it: {@code privacy} (sealed,
     * the default, as Outlook binds), {@code integrity} (signed) or {@code none} (the arm does not run).
     *
     * @throws IllegalArgumentException for another word
     */
    public RpchBench rpcAuth(String word) {
        this.sealedLevel = sealedLevel(word);
        return this;
    }

    /** Checks {@code --rpc-auth}'s word before anything starts; see {@link #rpcAuth(String)}. */
    public static void checkRpcAuth(String word) {
        sealedLevel(word);
    }

    /** The auth level of {@code --rpc-auth}'s word; -1 for {@code none}. */
    static int sealedLevel(String word) {
        return switch (word) {
            case "none" -> -1;
            case "integrity" -> AuthVerifier.LEVEL_PKT_INTEGRITY;
            case "privacy" -> AuthVerifier.LEVEL_PKT_PRIVACY;
            default -> throw new InvalidValue("bench.rpc-auth", word, "--rpc-auth: " + word + " (expected: none, integrity or privacy)");
        };
    }

    /** The sealed arm's protection in the report's words. */
    private String sealedLevelName() {
        return sealedLevel == AuthVerifier.LEVEL_PKT_PRIVACY ? "privacy" : sealedLevel == AuthVerifier.LEVEL_PKT_INTEGRITY ? "integrity" : "none";
    }

    /** True for the two arms whose 1 KiB closed-loop rate is measured in every round (sealed against unsealed). */
    private boolean sealedPair(Arm arm) {
        return sealedLevel > 0 && (arm == Arm.GATEWAY || arm == Arm.GATEWAY_SEALED);
    }

    /**
     * Also runs the gateway process on each other Netty transport that loads here (arms {@code gateway_epoll},
     * {@code gateway_io_uring}, {@code gateway_nio}; the one the {@code gateway} arm runs on is not repeated).
     */
    public RpchBench compareTransports(boolean on) {
        this.compareTransports = on;
        return this;
    }

    /** Also records the gateway process with JFR during one extra bulk phase after the rounds ({@link GatewayProfile}). */
    public RpchBench profileTo(Path dir) {
        this.profileDir = dir;
        return this;
    }

    /**
     * The arms the added-latency headlines divide ({@code p50_added_vs_nginx}, {@code p99_added_vs_nginx}): the gateway
     * over direct, against nginx over the upstream gateway it fronts.
     */
    static final Set<Arm> LATENCY_HEADLINE_ARMS = Collections.unmodifiableSet(EnumSet.of(Arm.DIRECT, Arm.GATEWAY, Arm.NGINX, Arm.UPSTREAM));

    /**
     * Lengthens the latency phase of the {@link #LATENCY_HEADLINE_ARMS} in every measured round to {@code seconds}
     * (0: {@code --seconds}, as every other arm and the warm-up): more blocks of turns for the p99 headline, whose
     * sampling error at the default length lets two runs land more than 15 % apart by chance. The other arms keep their
     * length, so the run grows by the headline arms' extra turns only. On the 2-CPU VM the extra four-arm cycles' ratios
     * spread wider, so six times the blocks did not shrink the error (docs/performance.md, "Session 11").
     *
     * @throws IllegalArgumentException outside 0 and >0..600
     */
    public RpchBench latencySeconds(double seconds) {
        checkLatencySeconds(seconds);
        this.headlineLatencySeconds = seconds;
        return this;
    }

    /** Checks {@code --latency-seconds}' value before anything starts; see {@link #latencySeconds(double)}. */
    public static void checkLatencySeconds(double seconds) {
        if (!(seconds == 0 || (seconds > 0 && seconds <= 600))) {
            throw new InvalidValue("bench.latency-seconds", String.valueOf(seconds),
                    "--latency-seconds: " + seconds + " (expected: 0, or >0..600)");
        }
    }

    /** How long {@code arm}'s latency phase lasts in a round: the headline arms' own length in the measured rounds. */
    double latencySeconds(Arm arm, boolean warmup) {
        return !warmup && headlineLatencySeconds > 0 && LATENCY_HEADLINE_ARMS.contains(arm) ? headlineLatencySeconds : settings.phaseSeconds();
    }

    /** Also writes each measured latency phase's HdrHistogram (log format, µs) to {@code dir}/ARM-roundN.hlog. */
    public RpchBench histogramsTo(Path dir) {
        this.histogramDir = dir;
        return this;
    }

    public RpchBench(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
        String cpuinfo = MachineKind.cpuinfo(); // read once, before the benchmark pins itself (then fewer CPUs show)
        this.cpuModel = MachineKind.modelName(cpuinfo);
        this.kind = MachineKind.detect(MachineKind.table(), Runtime.getRuntime().availableProcessors(), cpuinfo);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** Runs everything; returns the report (see docs/performance.md for the keys). */
    public ObjectNode run(Path workDir) throws Exception {
        Files.createDirectories(workDir);
        Map<Arm, List<Sample>> samples = new EnumMap<>(Arm.class);
        Map<Arm, String> unavailable = new EnumMap<>(Arm.class);
        Map<Arm, Sample> warmupSamples = new EnumMap<>(Arm.class);
        Map<Arm, List<Histogram>> latencies = new EnumMap<>(Arm.class);
        List<Handshakes> handshakes = List.of();
        LatencyRates rates = LatencyRates.choose(settings.ratePerSecond(), kind);
        Map<Arm, Sample> maxima = new EnumMap<>(Arm.class); // the warm-up's 1 KiB maxima
        String gatewayTransport = null;
        int clientLoops = 0; // event loops per load client, as started
        ObjectNode profile = null;
        long fileLimit = OpenFiles.ensure(IdleProbe.GATEWAY_FDS * (long) settings.idleVcs() + 4096);
        Placement placement = Placement.choose(settings.pin());
        placement.pinSelf();
        IdleProbe.Result idle;
        RecyclingRun.Result recycling = null;
        try (Topology topology = Topology.start(workDir.resolve("upstream"), settings.receiveWindow())) {
            NginxRelay nginx = null;
            GatewayProcess gateway = null;
            HaproxyRelay haproxy = null;
            NginxRelay nginxTls = null;
            GatewayProcess gatewayTls = null;
            TlsMaterial tlsMaterial = null;
            if (HaproxyRelay.binary().isEmpty()) {
                unavailable.put(Arm.HAPROXY, "haproxy not installed (expected: the Debian package haproxy)");
            } else {
                try {
                    haproxy = HaproxyRelay.start(workDir.resolve("haproxy"), new InetSocketAddress("127.0.0.1", freePort()),
                            topology.tcpAddress(), placement.relayPrefix());
                } catch (IOException e) {
                    unavailable.put(Arm.HAPROXY, "haproxy did not start: " + e.getMessage());
                }
            }
            if (!settings.nginx()) {
                unavailable.put(Arm.NGINX, "disabled (--no-nginx)");
            } else if (NginxRelay.binary().isEmpty()) {
                unavailable.put(Arm.NGINX, "nginx not installed (expected: the Debian package nginx)");
            } else {
                try {
                    nginx = NginxRelay.start(workDir.resolve("nginx"), new InetSocketAddress("127.0.0.1", freePort()),
                            topology.gatewayAddress(), 1024);
                    for (long pid : nginx.pids()) {
                        placement.pinRelay(pid);
                    }
                } catch (IOException e) {
                    unavailable.put(Arm.NGINX, "nginx did not start: " + e.getMessage());
                }
            }
            // the TLS handshake client's loops; the direct client's on the lean clients' transport and loop count, read
            // here, pinned, as the lean clients read it
            EventLoopGroup tlsGroup = new MultiThreadIoEventLoopGroup(Math.min(settings.connections(), 4), NioIoHandler.newFactory());
            clientLoops = ClientTransport.defaultIoThreads();
            EventLoopGroup directClients = CLIENT_TRANSPORT.newGroup(clientLoops, "direct-client");
            Map<Arm, LeanClient> clients = new EnumMap<>(Arm.class);
            Map<Arm, GatewayProcess> transportGateways = new EnumMap<>(Arm.class);
            try {
                progress.accept(text.get("rpch.start-gateway", "placement", placement.describe(text)));
                gateway = GatewayProcess.start(workDir.resolve("gateway"), topology.httpPort(), settings.proxySettings(), placement,
                        settings.timeout());
                clients.put(Arm.UPSTREAM, leanClient(topology.gatewayAddress(), topology.httpPort(), null));
                clients.put(Arm.GATEWAY, leanClient(gateway.address(), topology.httpPort(), null));
                if (sealedLevel > 0) {
                    // the same gateway process and endpoints; only the client's bind and calls are protected
                    clients.put(Arm.GATEWAY_SEALED, leanClient(gateway.address(), topology.httpPort(), null, new RpcAuth(sealedLevel,
                            NtlmCredentials.parse(Topology.USER, Topology.PASSWORD))));
                } else {
                    unavailable.put(Arm.GATEWAY_SEALED, "disabled (--rpc-auth none)");
                }
                for (Arm a : Arm.values()) {
                    if (a.transport() == null) {
                        continue;
                    }
                    if (!compareTransports) {
                        unavailable.put(a, "not compared (--compare-transports)");
                    } else if (gateway.transport().equals(a.transport().id())) {
                        unavailable.put(a, "the gateway arm runs on " + a.transport().id());
                    } else {
                        GatewayProcess gw = GatewayProcess.start(workDir.resolve(a.id()), a.id(), topology.httpPort(), settings.proxySettings(),
                                GatewayProcess.HEAP_BYTES, placement, settings.timeout(), Optional.empty(), Optional.of(a.transport()));
                        if (!gw.transport().equals(a.transport().id())) {
                            unavailable.put(a, "transport " + gw.transport());
                            gw.close();
                        } else {
                            transportGateways.put(a, gw);
                            clients.put(a, leanClient(gw.address(), topology.httpPort(), null));
                        }
                    }
                }
                if (nginx != null) {
                    clients.put(Arm.NGINX, leanClient(nginx.address(), topology.httpPort(), null));
                }
                if (settings.tls()) {
                    TlsMaterial material = TlsMaterial.create(workDir.resolve("tls"));
                    io.netty.handler.ssl.SslContext clientTls = material.clientContext(clientTlsProvider());
                    gatewayTls = GatewayProcess.start(workDir.resolve("gateway-tls"), "gateway-tls", topology.httpPort(),
                            settings.proxySettings(), GatewayProcess.HEAP_BYTES, placement, settings.timeout(),
                            Optional.of(material.directory()), Optional.empty());
                    clients.put(Arm.GATEWAY_TLS, leanClient(gatewayTls.address(), topology.httpPort(), clientTls));
                    if (nginx != null) {
                        nginxTls = NginxRelay.start(workDir.resolve("nginx-tls"), new InetSocketAddress("127.0.0.1", freePort()),
                                topology.gatewayAddress(), 1024, Optional.of(new NginxRelay.Tls(material.certificateChainFile(),
                                        material.privateKeyFile(), false)), placement.relayPrefix());
                        clients.put(Arm.NGINX_TLS, leanClient(nginxTls.address(), topology.httpPort(), clientTls));
                    } else {
                        unavailable.put(Arm.NGINX_TLS, unavailable.get(Arm.NGINX));
                    }
                    tlsMaterial = material;
                } else {
                    unavailable.put(Arm.NGINX_TLS, "disabled (--no-tls)");
                    unavailable.put(Arm.GATEWAY_TLS, "disabled (--no-tls)");
                }
                // the RSA handshakes of every round: one client for all of them, as for every target
                HandshakeRate rsaRate = tlsMaterial == null ? null : new HandshakeRate(tlsMaterial, clientTlsProvider(), tlsGroup);
                List<Handshakes> rsaRounds = new ArrayList<>();
                Relays relays = new Relays(haproxy, nginx, gateway, nginxTls, gatewayTls, transportGateways, clients);
                List<Arm> arms = Stream.of(Arm.values()).filter(a -> !unavailable.containsKey(a)).toList();
                for (int round = 0; round <= settings.rounds(); round++) {
                    boolean warmup = round == 0;
                    String label = warmup ? text.get("phase.warm-up") : text.get("phase.round", "round", round);
                    // The warm-up is as long as a round: the gateway process and the bench JVM compile their hot paths
                    // in it (C2), not in round 1, whose gateway CPU per GiB read the highest of five in most runs
                    // with a warm-up half as long (docs/performance.md, session 9).
                    double seconds = settings.phaseSeconds();
                    List<ArmRound> open = new ArrayList<>();
                    try {
                        for (Arm arm : arms) {
                            progress.accept(text.get(warmup || sealedPair(arm) ? "rpch.bulk-closed-loop" : "rpch.bulk", "phase", label, "arm",
                                    arm.id(), "seconds", oneDecimal(seconds), "loop", oneDecimal(seconds / 2)));
                            open.add(bulkPhase(arm, topology, relays, directClients, seconds, warmup));
                        }
                        if (warmup) {
                            // every arm's maximum is known now: the warm-up's latency phase already runs at the rate
                            // the rounds use, so it warms the path and the rate that the rounds measure
                            open.forEach(r -> maxima.put(r.arm, r.bulk));
                            rates = rates.afterWarmUp(maxima);
                        }
                        int slices = latencySlices(seconds);
                        progress.accept(text.get("rpch.latency", "phase", label, "seconds", oneDecimal(seconds), "rate", rates.relay(), "slices", slices,
                                "slice", String.format(Locale.ROOT, "%.2f", seconds / slices)));
                        double headline = latencySeconds(Arm.GATEWAY, warmup);
                        if (headline != seconds) {
                            progress.accept(text.get("rpch.latency-headline", "arms", LATENCY_HEADLINE_ARMS.stream().map(Arm::id)
                                    .collect(Collectors.joining(", ")), "seconds", oneDecimal(headline), "slices", latencySlices(headline)));
                        }
                        LatencyRates these = rates;
                        latencyPhase(open, () -> ownCpu(relays), a -> latencySeconds(a, warmup),
                                a -> a == Arm.GATEWAY_SEALED ? these.sealed() : these.relay());
                        for (ArmRound r : open) {
                            Sample s = r.sample();
                            if (warmup) {
                                warmupSamples.put(r.arm, s);
                            } else {
                                samples.computeIfAbsent(r.arm, k -> new ArrayList<>()).add(s);
                                latencies.computeIfAbsent(r.arm, k -> new ArrayList<>()).add(r.latency);
                                keepTurns(r.arm, r.turnP99);
                                if (histogramDir != null) {
                                    writeHistogram(r.arm, r.latency);
                                }
                            }
                        }
                    } finally {
                        open.forEach(ArmRound::close);
                    }
                    if (rsaRate != null) {
                        handshakeRound(rsaRate, relays, round, label, seconds / 2, samples, rsaRounds);
                    }
                }
                sealedRate = arms.contains(Arm.GATEWAY_SEALED) ? rates.sealed() : -1;
                gatewayTransport = gateway.transport();
                if (profileDir != null) {
                    profile = profile(topology, relays, directClients);
                }
                if (tlsMaterial != null) {
                    List<Handshakes> all = new ArrayList<>(rsaRounds);
                    all.addAll(ecdsaHandshakes(workDir, topology, placement, tlsGroup, nginx != null));
                    handshakes = all;
                }
            } finally {
                clients.values().forEach(LeanClient::close);
                tlsGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5000);
                directClients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5000);
                if (nginx != null) {
                    nginx.close();
                }
                if (nginxTls != null) {
                    nginxTls.close();
                }
                if (gatewayTls != null) {
                    gatewayTls.close();
                }
                if (haproxy != null) {
                    haproxy.close();
                }
                if (gateway != null) {
                    gateway.close();
                }
                transportGateways.values().forEach(GatewayProcess::close);
            }
            if (settings.recycleLifetime() > 0) {
                progress.accept(text.get("rpch.recycling", "kib", settings.recycleLifetime() >> 10, "seconds", oneDecimal(settings.phaseSeconds())));
                try (GatewayProcess small = GatewayProcess.start(workDir.resolve("gateway-recycling"), topology.httpPort(),
                        settings.proxySettings().withChannelLifetime(settings.recycleLifetime()), placement, settings.timeout())) {
                    recycling = RecyclingRun.run(small.address(), topology.httpPort(), settings.recycleLifetime(), settings.connections(),
                            settings.depth(), settings.bulkBytes(), settings.phaseSeconds(), settings.timeout());
                }
            }
            idle = idle(placement, fileLimit, workDir);
        } finally {
            placement.restoreSelf();
        }
        ObjectNode report = report(samples, latencies, unavailable, idle, recycling, handshakes);
        ObjectNode set = (ObjectNode) report.get("settings");
        set.put("placement", placement.describe()).put("pinned", placement.pinned()).put("open_files_limit", fileLimit);
        set.put("rate_per_second", rates.relay());
        set.put("receive_window_bytes", settings.receiveWindow());
        set.put("transport_gateway", gatewayTransport);
        set.put("transport_bench_jvm", NettyTransport.configured().describe()); // the endpoints and the upstream gateway
        set.put("transport_clients", CLIENT_TRANSPORT.describe() + ", " + clientLoops
                + " event loop(s) per client (the direct client and the RPC over HTTP load client alike)");
        if (profile != null) {
            report.set("profile", profile);
        }
        set.put("rpc_auth", sealedLevelName()).put("rpc_auth_arm", "gateway_sealed: the gateway arm's process and endpoints, the client"
                + " binding with NTLM at this level and protecting every fragment ([MS-RPCE] 2.2.2.11); bulk, then 1 KiB calls closed loop"
                + " (as the gateway arm in the same round), then the latency phase");
        putRates(report, rates, kind, maxima, sealedRate);
        ((ObjectNode) report.get("machine")).put("cpu_model", cpuModel);
        for (Map.Entry<Arm, Sample> w : warmupSamples.entrySet()) {
            ObjectNode arm = (ObjectNode) report.get("arms").get(w.getKey().id());
            if (arm.get("available").asBoolean() && !Double.isNaN(w.getValue().maxCallsPerSecond())) {
                arm.put("max_calls_per_s_1k_warmup", Math.round(w.getValue().maxCallsPerSecond()));
            }
        }
        return report;
    }

    private void writeHistogram(Arm arm, Histogram h) throws IOException {
        Files.createDirectories(histogramDir);
        Path file;
        int round = 1;
        while (Files.exists(file = histogramDir.resolve(arm.id() + "-round" + round + ".hlog"))) {
            round++;
        }
        try (java.io.PrintStream out = new java.io.PrintStream(Files.newOutputStream(file), true, java.nio.charset.StandardCharsets.US_ASCII)) {
            org.HdrHistogram.HistogramLogWriter w = new org.HdrHistogram.HistogramLogWriter(out);
            w.outputComment("anywhere bench rpch, arm " + arm.id() + ", round " + round + ", open-loop echo latency in microseconds");
            w.outputLogFormatVersion();
            w.outputLegend();
            w.outputIntervalHistogram(h);
        }
    }

    /** Half the lowest 1 KiB maximum of the relay arms (the direct arm has no relay to load), at least 20 calls/s. */
    static int halfLoad(Map<Arm, Sample> warmup) {
        double min = slowestRelayMax(warmup);
        return (int) Math.max(20, Math.min(1_000_000, Math.round((Double.isNaN(min) ? 2 * WARMUP_RATE : min) / 2)));
    }

    /** The lowest 1 KiB maximum of the relay arms in the warm-up; NaN when none measured one. */
    static double slowestRelayMax(Map<Arm, Sample> warmup) {
        // the sealed arm is no relay of its own: its client's protection must not lower every arm's latency load
        return warmup.entrySet().stream().filter(e -> e.getKey() != Arm.DIRECT && e.getKey() != Arm.GATEWAY_SEALED)
                .mapToDouble(e -> e.getValue().maxCallsPerSecond())
                .filter(d -> !Double.isNaN(d) && d > 0).min().orElse(Double.NaN);
    }

    /**
     * The latency rates' keys: {@code machine.kind}, {@code settings.rate_basis}, the sealed arm's rate, and each rate as a
     * share of the warm-up maximum it was meant to be half of ({@code latency_load}, {@code latency_load_sealed}) with
     * the warning of a fixed rate too close to the maximum.
     */
    static void putRates(ObjectNode report, LatencyRates rates, Optional<MachineKind> kind, Map<Arm, Sample> maxima, int sealedRate) {
        ObjectNode set = (ObjectNode) report.get("settings");
        ObjectNode machine = (ObjectNode) report.get("machine");
        // the machine's kind whatever chose the rates: a run at --rate auto says which kind's table entry it can refine
        kind.ifPresentOrElse(k -> machine.put("kind", k.id()), () -> machine.putNull("kind"));
        set.put("rate_basis", rates.basisText());
        double load = LatencyRates.load(rates.relay(), slowestRelayMax(maxima));
        putNumber(set, "latency_load", load);
        if (sealedRate > 0) {
            set.put("latency_rate_sealed", sealedRate).put("latency_rate_sealed_basis", rates.sealedBasisText());
            Sample sealed = maxima.get(Arm.GATEWAY_SEALED);
            putNumber(set, "latency_load_sealed", LatencyRates.load(sealedRate, sealed == null ? Double.NaN : sealed.maxCallsPerSecond()));
        } else {
            set.putNull("latency_rate_sealed");
            set.putNull("latency_load_sealed");
        }
        rates.warning(load).ifPresentOrElse(w -> set.put("latency_load_warning", w), () -> set.putNull("latency_load_warning"));
    }

    private static void putNumber(ObjectNode node, String key, double v) {
        if (Double.isNaN(v)) {
            node.putNull(key);
        } else {
            node.put(key, v);
        }
    }

    /**
     * The sealed arm's own "50 % load": half its 1 KiB closed-loop maximum in the warm-up, at least 20 calls/s. At the
     * relay arms' rate it ran above half its own maximum (22,770 calls/s against 32,750 in run T), so its latency measured
     * a client falling behind rather than the path. Without a measured maximum: {@code relayRate}.
     */
    static int sealedHalfLoad(Map<Arm, Sample> warmup, int relayRate) {
        Sample s = warmup.get(Arm.GATEWAY_SEALED);
        double max = s == null ? Double.NaN : s.maxCallsPerSecond();
        return Double.isNaN(max) || max <= 0 ? relayRate : (int) Math.max(20, Math.min(1_000_000, Math.round(max / 2)));
    }

    private IdleProbe.Result idle(Placement placement, long fileLimit, Path workDir) throws Exception {
        if (settings.idleVcs() == 0) {
            return IdleProbe.Result.skipped(0, "disabled (--idle 0)");
        }
        Duration window = Duration.ofMillis((long) (Math.max(1.0, settings.phaseSeconds()) * 1000));
        progress.accept(text.get("rpch.idle", "vcs", settings.idleVcs()));
        return IdleProbe.measure(settings.idleVcs(), placement, fileLimit, workDir.resolve("idle"), window, settings.timeout(),
                progress, text);
    }

    /** Connection {@code i} of {@code arm}; the direct and HAProxy arms' on {@code directClients}. */
    private LoadConnection open(Arm arm, int i, Topology topology, Relays relays, EventLoopGroup directClients) throws Exception {
        return switch (arm) {
            case DIRECT -> DirectConnection.open(directClients, CLIENT_TRANSPORT, topology.tcpAddress(), IdleProbe.sourceAddress(i),
                    Topology.ECHO_IFACE, settings.timeout());
            case HAPROXY -> DirectConnection.open(directClients, CLIENT_TRANSPORT, relays.haproxy().address(),
                    IdleProbe.sourceAddress(i), Topology.ECHO_IFACE, settings.timeout());
            case UPSTREAM, NGINX, GATEWAY, GATEWAY_SEALED, NGINX_TLS, GATEWAY_TLS, GATEWAY_EPOLL, GATEWAY_IO_URING, GATEWAY_NIO -> RotatingConnection.open(relays.clients().get(arm), IdleProbe.sourceAddress(i),
                    settings.timeout());
        };
    }

    /** The benchmark's own CPU seconds so far: this JVM (client, endpoints, upstream gateway) and every relay process. */
    private static double ownCpu(Relays relays) {
        return CpuMeter.processSeconds() + CpuMeter.processesSeconds(relays.allPids());
    }

    /** One extra bulk phase of the gateway arm under JFR; its summary for the report. */
    private ObjectNode profile(Topology topology, Relays relays, EventLoopGroup directClients) throws Exception {
        progress.accept(text.get("rpch.profile", "seconds", oneDecimal(settings.phaseSeconds()), "dir", profileDir));
        GatewayProfile jfr = new GatewayProfile(profileDir, relays.gateway().pid());
        List<LoadConnection> conns = new ArrayList<>();
        try {
            for (int i = 0; i < settings.connections(); i++) {
                conns.add(open(Arm.GATEWAY, i, topology, relays, directClients));
            }
            jfr.start();
            long bytes = bulk(conns, settings.phaseSeconds(), settings.bulkBytes(), e -> { })[0];
            jfr.stop();
            ObjectNode summary = jfr.summarise(new ObjectMapper(), bytes);
            summary.put("bulk_mib_per_s_while_recording", round(bytes / settings.phaseSeconds() / (1 << 20)));
            return summary;
        } finally {
            for (LoadConnection c : conns) {
                c.close();
            }
        }
    }

    private double relayUserCpu(Arm arm, Relays relays) {
        return arm == Arm.UPSTREAM ? CpuMeter.groupUserSeconds(Topology.GATEWAY_THREADS) : CpuMeter.processesUserSeconds(relays.pids(arm));
    }

    private double relayCpu(Arm arm, Relays relays) {
        return arm == Arm.UPSTREAM ? CpuMeter.groupSeconds(Topology.GATEWAY_THREADS) : CpuMeter.processesSeconds(relays.pids(arm));
    }

    /**
     * A round's RSA handshake phase, its last: nginx_tls, then gateway_tls, {@code seconds} each, with the same client and
     * concurrency, once every arm's connections of the round are closed, so that it runs between no two arms another ratio
     * divides. Relay CPU and the machine's load per phase, as a bulk phase; a disturbed phase marks its arm's sample of
     * the round, and so the round. The warm-up round's ({@code round} 0) only warm up.
     */
    private void handshakeRound(HandshakeRate rate, Relays relays, int round, String label, double seconds, Map<Arm, List<Sample>> samples,
            List<Handshakes> into) throws InterruptedException {
        Duration d = Duration.ofMillis((long) (seconds * 1000));
        for (Arm a : List.of(Arm.NGINX_TLS, Arm.GATEWAY_TLS)) {
            if (!relays.clients().containsKey(a)) {
                continue;
            }
            progress.accept(text.get("rpch.handshakes", "phase", label, "arm", a.id(), "seconds", oneDecimal(seconds)));
            InetSocketAddress target = a == Arm.NGINX_TLS ? relays.nginxTls().address() : relays.gatewayTls().address();
            MachineLoad.Mark mark = MachineLoad.mark(ownCpu(relays));
            double cpu0 = relayCpu(a, relays);
            HandshakeRate.Result r = rate.run(a.id(), target, d, HANDSHAKE_CONCURRENCY);
            double cpu = relayCpu(a, relays) - cpu0;
            if (round > 0) {
                keep(new Handshakes(a, "rsa2048", round, r, cpu, MachineLoad.since(mark, ownCpu(relays))), samples, into);
            }
        }
    }

    /**
     * Keeps a measured round's handshake phase and marks its arm's sample of that round with the phase's machine load:
     * the round's disturbance ({@link Rounds}) then covers the handshakes as it covers bulk and latency.
     */
    static void keep(Handshakes h, Map<Arm, List<Sample>> samples, List<Handshakes> into) {
        List<Sample> s = samples.get(h.arm());
        if (s == null || h.round() < 1 || h.round() > s.size()) {
            return; // no sample of that round to pair with
        }
        into.add(h);
        Sample x = s.get(h.round() - 1);
        s.set(h.round() - 1, x.withLoad(x.load().worst(h.load())));
    }

    /**
     * The same handshake runs with an ECDSA P-256 certificate, against a second nginx and gateway process: RSA signing
     * dominates a full handshake, and BoringSSL's RSA is slower than the system OpenSSL's here, so this separates the
     * key's cost from the stack's.
     */
    private List<Handshakes> ecdsaHandshakes(Path dir, Topology topology, Placement placement, EventLoopGroup group, boolean withNginx)
            throws Exception {
        TlsMaterial ec = TlsMaterial.create(dir.resolve("tls-ec"), dev.anywhere.lab.pki.KeyType.of("ec256"));
        HandshakeRate rate = new HandshakeRate(ec, clientTlsProvider(), group);
        Duration d = Duration.ofMillis((long) (settings.phaseSeconds() * 1000));
        List<Handshakes> out = new ArrayList<>();
        NginxRelay nginx = null;
        try (GatewayProcess gw = GatewayProcess.start(dir.resolve("gateway-tls-ec"), "gateway-tls-ec", topology.httpPort(),
                settings.proxySettings(), GatewayProcess.HEAP_BYTES, placement, settings.timeout(),
                Optional.of(ec.directory()), Optional.empty())) {
            if (withNginx) {
                nginx = NginxRelay.start(dir.resolve("nginx-tls-ec"), new InetSocketAddress("127.0.0.1", freePort()), topology.gatewayAddress(),
                        1024, Optional.of(new NginxRelay.Tls(ec.certificateChainFile(), ec.privateKeyFile(), false)), placement.relayPrefix());
            }
            for (Arm a : withNginx ? List.of(Arm.NGINX_TLS, Arm.GATEWAY_TLS) : List.of(Arm.GATEWAY_TLS)) {
                progress.accept(text.get("rpch.handshakes-ecdsa", "arm", a.id(), "warmup", oneDecimal(settings.phaseSeconds() / 2), "seconds",
                        oneDecimal(settings.phaseSeconds())));
                InetSocketAddress target = a == Arm.NGINX_TLS ? nginx.address() : gw.address();
                List<Long> pids = a == Arm.NGINX_TLS ? nginx.pids() : List.of(gw.pid());
                rate.run(a.id(), target, d.dividedBy(2), HANDSHAKE_CONCURRENCY);
                double cpu0 = CpuMeter.processesSeconds(pids);
                HandshakeRate.Result r = rate.run(a.id(), target, d, HANDSHAKE_CONCURRENCY);
                out.add(new Handshakes(a, "ecdsa-p256", 0, r, CpuMeter.processesSeconds(pids) - cpu0, MachineLoad.Phase.UNKNOWN));
            }
        } finally {
            if (nginx != null) {
                nginx.close();
            }
        }
        return out;
    }

    static final int HANDSHAKE_CONCURRENCY = 16;

    /**
     * One arm in one round between its bulk phase and the latency phase: its connections stay open for the latter, its
     * latency histogram fills slice by slice, and errors of either phase count.
     */
    static final class ArmRound implements AutoCloseable {
        final Arm arm;
        final List<LoadConnection> conns = new ArrayList<>();
        final Histogram latency = new Histogram(3);
        /** Each turn's p50 and p99, in the order of the turns; NaN for a turn without calls (turn i is cycle i of every arm). */
        final List<Double> turnP50 = new ArrayList<>();
        final List<Double> turnP99 = new ArrayList<>();
        final AtomicLong errors = new AtomicLong();
        volatile String firstError;
        final Consumer<Throwable> onError = e -> {
            if (errors.getAndIncrement() == 0) {
                firstError = HttpConnection.describe(e);
            }
        };
        Sample bulk;
        MachineLoad.Phase latencyLoad = MachineLoad.Phase.UNKNOWN;

        ArmRound(Arm arm) {
            this.arm = arm;
        }

        /** The bulk figures with this round's latency, errors and the worse machine load of both phases. */
        Sample sample() {
            Sample b = bulk;
            boolean none = latency.getTotalCount() == 0;
            return new Sample(arm, b.maxCallsPerSecond(), b.bytesPerSecond(), b.relayCpuSeconds(), b.relayUserShare(), b.relayCpuPerGib(),
                    b.processCpuPerGib(), b.backendCpuPerGib(), none ? Double.NaN : latency.getValueAtPercentile(50),
                    none ? Double.NaN : latency.getValueAtPercentile(99), none ? Double.NaN : latency.getValueAtPercentile(99.9),
                    none ? Double.NaN : latency.getMaxValue(), latency.getTotalCount(), b.setupMillisMedian(), b.setupMillisMax(),
                    errors.get(), firstError, conns.isEmpty() ? b.load() : b.load().worst(latencyLoad),
                    RoundRatios.Stats.of(turnP50).median(), RoundRatios.Stats.of(turnP99).median());
        }

        /** One turn of the latency phase. */
        void addTurn(Histogram turn) {
            latency.add(turn);
            boolean calls = turn.getTotalCount() > 0;
            turnP50.add(calls ? (double) turn.getValueAtPercentile(50) : Double.NaN);
            turnP99.add(calls ? (double) turn.getValueAtPercentile(99) : Double.NaN);
        }

        @Override
        public void close() {
            for (LoadConnection c : conns) {
                c.close();
            }
        }
    }

    /**
     * An arm's part of a round before the latency phase: its connections (setup time), bulk, and the 1 KiB closed loop
     * where measured. The connections are left open in the result for {@link #latencyPhase}; the caller closes them.
     */
    ArmRound bulkPhase(Arm arm, Topology topology, Relays relays, EventLoopGroup directClients, double seconds, boolean warmup)
            throws Exception {
        ArmRound r = new ArmRound(arm);
        boolean measureMaxRate = warmup || sealedPair(arm);
        Histogram setup = new Histogram(3);
        for (int i = 0; i < settings.connections(); i++) {
            long t = System.nanoTime();
            try {
                r.conns.add(open(arm, i, topology, relays, directClients));
                setup.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
            } catch (Exception e) {
                r.onError.accept(e);
            }
        }
        if (r.conns.isEmpty()) {
            r.bulk = new Sample(arm, Double.NaN, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, 0, Double.NaN, Double.NaN, 0, null, MachineLoad.Phase.UNKNOWN);
            return r;
        }
        MachineLoad.Mark bulkMark = MachineLoad.mark(ownCpu(relays));
        List<Long> relayPids = relays.pids(arm);
        Optional<SyscallCount> syscalls = SyscallCount.wanted() && !warmup && !relayPids.isEmpty() ? SyscallCount.start(relayPids) : Optional.empty();
        long switches0 = CpuMeter.contextSwitches(relayPids);
        double relay0 = relayCpu(arm, relays);
        double user0 = relayUserCpu(arm, relays);
        double proc0 = CpuMeter.processSeconds();
        double back0 = CpuMeter.groupSeconds(Topology.BACKEND_THREADS);
        long t0 = System.nanoTime();
        long bytes = bulk(r.conns, seconds, settings.bulkBytes(), r.onError)[0];
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double relayCpu = relayCpu(arm, relays) - relay0;
        double relayUser = relayUserCpu(arm, relays) - user0;
        long switches = CpuMeter.contextSwitches(relayPids) - switches0;
        long syscallCount = syscalls.map(SyscallCount::stop).orElse(-1L);
        double procCpu = CpuMeter.processSeconds() - proc0;
        double backCpu = CpuMeter.groupSeconds(Topology.BACKEND_THREADS) - back0;
        double gib = bytes / (double) (1L << 30);
        if (!warmup && gib > 0 && !relayPids.isEmpty()) {
            relayCosts.computeIfAbsent(arm, k -> new ArrayList<>()).add(new RelayCost(relayUser / gib, (relayCpu - relayUser) / gib,
                    switches / gib, syscallCount >= 0 ? syscallCount / gib : Double.NaN));
        }
        MachineLoad.Phase load = MachineLoad.since(bulkMark, ownCpu(relays));
        // the 1 KiB closed-loop maximum that "50 % load" is half of (warm-up), and sealed against unsealed (every round)
        double maxRate = Double.NaN;
        if (measureMaxRate) {
            long m0 = System.nanoTime();
            long calls = bulk(r.conns, seconds / 2, settings.latencyBytes(), r.onError)[1];
            maxRate = calls / ((System.nanoTime() - m0) / 1e9);
        }
        r.bulk = new Sample(arm, maxRate, bytes / elapsed, relayCpu, relayCpu > 0 ? relayUser / relayCpu : Double.NaN,
                gib > 0 && arm != Arm.DIRECT ? relayCpu / gib : Double.NaN, gib > 0 ? procCpu / gib : Double.NaN,
                gib > 0 ? backCpu / gib : Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0,
                setup.getValueAtPercentile(50) / 1000.0, setup.getMaxValue() / 1000.0, 0, null, load);
        return r;
    }

    /** How long one arm's turn in the latency phase lasts. */
    static final double LATENCY_SLICE_SECONDS = 0.5;

    /** Turns per arm in a latency phase of {@code seconds} (at most 600): half-second turns, 1 to 1,200 of them. */
    static int latencySlices(double seconds) {
        return (int) Math.max(1, Math.min(1200, Math.round(seconds / LATENCY_SLICE_SECONDS)));
    }

    /**
     * The open-loop latency phase of every arm of a round, {@code seconds} each, the arms taking turns in
     * {@link #latencySlices} slices. A tail event of the machine (a stall of the hypervisor, a neighbour's burst) lasting
     * seconds would otherwise land in one arm's whole phase and not in the next arm's, and an added-latency ratio divides
     * differences of four arms' tails; in turns, every arm samples nearly the same stretch of time.
     */
    void latencyPhase(List<ArmRound> arms, java.util.function.DoubleSupplier ownCpu, double seconds, int rate) throws InterruptedException {
        latencyPhase(arms, ownCpu, a -> seconds, a -> rate);
    }

    /**
     * As above, each arm for its own length (the {@link #LATENCY_HEADLINE_ARMS} longer with {@code --latency-seconds})
     * at its own rate (the sealed arm at half its own maximum). An arm with fewer turns takes its turns in the first
     * cycles; the cycles after them are the longer arms' alone, still in turns, so those arms' turn i stays cycle i.
     */
    void latencyPhase(List<ArmRound> arms, java.util.function.DoubleSupplier ownCpu, java.util.function.ToDoubleFunction<Arm> seconds,
            java.util.function.ToIntFunction<Arm> rate) throws InterruptedException {
        List<ArmRound> live = arms.stream().filter(a -> !a.conns.isEmpty()).toList();
        double[] length = live.stream().mapToDouble(a -> seconds.applyAsDouble(a.arm)).toArray();
        int[] slices = Arrays.stream(length).mapToInt(RpchBench::latencySlices).toArray();
        int cycles = Arrays.stream(slices).max().orElse(0);
        MachineLoad.Mark mark = MachineLoad.mark(ownCpu.getAsDouble());
        for (int i = 0; i < cycles; i++) {
            List<Integer> cycle = new ArrayList<>();
            for (int k = 0; k < live.size(); k++) {
                if (i < slices[k]) {
                    cycle.add(k);
                }
            }
            for (int k : turnOrder(cycle, j -> live.get(j).arm)) {
                ArmRound a = live.get(k);
                a.addTurn(openLoop(a.conns, length[k] / slices[k], rate.applyAsInt(a.arm), a.onError));
            }
        }
        MachineLoad.Phase load = MachineLoad.since(mark, ownCpu.getAsDouble());
        live.forEach(a -> a.latencyLoad = load);
    }

    /**
     * The order of one cycle's turns: the arms' order, except that the upstream gateway's turn goes before nginx's where
     * the gateway's and nginx's turns would otherwise start an odd number of half-second turns apart. The stalls of the
     * relays' CPU on this machine kind recur about once a second ("Session 12" in docs/performance.md): turns half a
     * second apart see them in anti-phase (their p99s correlate −0.4 to −0.6), turns a whole second apart alike (+0.3 to
     * +0.8), and the p99 headline divides the gateway's tail by nginx's. Both sit on the relays' CPU; the direct and the
     * upstream arms, which the headline subtracts, on the load side's, so their place in the cycle matters little.
     * The full eight-arm cycle already puts the two a second apart; the headline arms' longer phase
     * ({@code --latency-seconds}: direct, gateway, nginx, upstream) would put them half a second apart.
     */
    static <T> List<T> turnOrder(List<T> cycle, java.util.function.Function<T, Arm> arm) {
        List<Arm> arms = cycle.stream().map(arm).toList();
        int gateway = arms.indexOf(Arm.GATEWAY);
        int nginx = arms.indexOf(Arm.NGINX);
        if (gateway < 0 || nginx < 0 || (nginx - gateway) % 2 == 0 || nginx + 1 >= arms.size() || arms.get(nginx + 1) != Arm.UPSTREAM) {
            return cycle;
        }
        List<T> ordered = new ArrayList<>(cycle);
        Collections.swap(ordered, nginx, nginx + 1);
        return ordered;
    }

    /** Each connection keeps {@code depth} calls of {@code size} outstanding until the deadline; returns {stub bytes moved both ways, calls}. */
    long[] bulk(List<LoadConnection> conns, double seconds, int size, Consumer<Throwable> onError) throws InterruptedException {
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 0x5a);
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong bytes = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        CountDownLatch chains = new CountDownLatch(conns.size() * settings.depth());
        for (LoadConnection c : conns) {
            for (int d = 0; d < settings.depth(); d++) {
                chain(c, payload, deadline, bytes, calls, chains, onError);
            }
        }
        if (!chains.await((long) (seconds * 1000) + settings.timeout().toMillis() * 2, TimeUnit.MILLISECONDS)) {
            onError.accept(new IOException("bulk: calls still outstanding after the deadline"));
        }
        return new long[] {bytes.get(), calls.get()};
    }

    private void chain(LoadConnection c, byte[] payload, long deadline, AtomicLong bytes, AtomicLong calls, CountDownLatch done,
            Consumer<Throwable> onError) {
        c.echo(payload).whenComplete((n, e) -> {
            if (e != null) {
                onError.accept(e);
                done.countDown();
                return;
            }
            bytes.addAndGet(payload.length + n);
            calls.incrementAndGet();
            if (System.nanoTime() < deadline) {
                chain(c, payload, deadline, bytes, calls, done, onError);
            } else {
                done.countDown();
            }
        });
    }

    /** Open loop: calls at a fixed total rate, round robin over the connections; latency from the intended send time. */
    Histogram openLoop(List<LoadConnection> conns, double seconds, int rate, Consumer<Throwable> onError) throws InterruptedException {
        byte[] payload = new byte[settings.latencyBytes()];
        Arrays.fill(payload, (byte) 0x3c);
        Recorder recorder = new Recorder(3);
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long calls = (long) (seconds * rate);
        AtomicInteger outstanding = new AtomicInteger();
        for (long k = 0; k < calls; k++) {
            long intended = start + k * interval;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            outstanding.incrementAndGet();
            conns.get((int) (k % conns.size())).echo(payload).whenComplete((n, e) -> {
                if (e != null) {
                    onError.accept(e);
                } else {
                    recorder.recordValue(Math.max(1, (System.nanoTime() - intended) / 1000));
                }
                outstanding.decrementAndGet();
            });
        }
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return recorder.getIntervalHistogram();
    }

    // ================================================================== report

    static ObjectNode stats(ObjectMapper m, List<Double> values) {
        ObjectNode n = m.createObjectNode();
        List<Double> v = values.stream().filter(d -> !d.isNaN()).sorted(Comparator.naturalOrder()).toList();
        if (v.isEmpty()) {
            n.putNull("median");
            n.putNull("min");
            n.putNull("max");
            return n;
        }
        n.put("median", round(median(v)));
        n.put("min", round(v.get(0)));
        n.put("max", round(v.get(v.size() - 1)));
        return n;
    }

    static double median(List<Double> sorted) {
        int k = sorted.size();
        return k % 2 == 1 ? sorted.get(k / 2) : (sorted.get(k / 2 - 1) + sorted.get(k / 2)) / 2;
    }

    static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }

    private static double med(List<Sample> s, java.util.function.ToDoubleFunction<Sample> f) {
        List<Double> v = s == null ? List.of() : s.stream().map(f::applyAsDouble).filter(d -> !d.isNaN()).sorted().toList();
        return v.isEmpty() ? Double.NaN : median(v);
    }

    /** Puts {@code key} = ratio, or null and {@code reasons.key}. */
    private static void ratio(ObjectNode root, ObjectNode reasons, String key, double value, String whyNot) {
        if (whyNot == null && !Double.isNaN(value) && !Double.isInfinite(value)) {
            root.put(key, round(value));
        } else {
            root.putNull(key);
            reasons.put(key, whyNot != null ? whyNot : "not computable from the samples");
        }
    }

    /** Puts {@code key} = the per-round ratio's headline median (or null and a reason) and its rounds under {@code ratios}. */
    private static void ratio(ObjectNode root, ObjectNode reasons, ObjectNode ratios, String key, RoundRatios r, String whyNot) {
        ratio(root, reasons, key, r.headline().median(), whyNot);
        if (whyNot == null) {
            ratioNode(new ObjectMapper(), ratios, key, r);
        }
    }

    /** A per-round ratio: headline statistics, whether it can judge a goal, and every round's value and disturbance. */
    static void ratioNode(ObjectMapper m, ObjectNode into, String key, RoundRatios r) {
        ObjectNode n = into.putObject(key);
        RoundRatios.Stats h = r.headline();
        n.put("median", finite(h.median())).put("trimmed_mean", finite(h.trimmedMean())).put("min", finite(h.min())).put("max", finite(h.max()))
                .put("spread", finite(h.spread()))
                .put("rounds", h.rounds()).put("basis", r.headlineUndisturbed() ? "undisturbed rounds" : "all rounds (none undisturbed)")
                .put("judgeable", r.judgeable());
        RoundRatios.Stats all = r.all();
        n.put("median_all_rounds", finite(all.median())).put("spread_all_rounds", finite(all.spread()));
        var per = n.putArray("per_round");
        r.perRound().forEach(v -> {
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                per.addNull();
            } else {
                per.add(round(v));
            }
        });
        var dist = n.putArray("disturbed");
        r.disturbed().forEach(dist::add);
    }

    /**
     * The p99 headline's node: its rounds as every per-round ratio's (each round's value the median of its blocks; the
     * verdict and judgeability read them), and under {@code blocks} the headline itself — the median over every block of
     * the headline rounds, its quartiles (the interquartile range is its spread), the blocks left out, and the median's
     * bootstrap standard error with what it means for a second run ({@link CycleRatios.Stats#twoRunDifference95()}).
     */
    static void cycleNode(ObjectMapper m, ObjectNode into, String key, CycleRatios cycles, CycleRatios.Stats s) {
        ratioNode(m, into, key, cycles.perRound());
        ((ObjectNode) into.get(key)).putObject("blocks").put("median", finite(s.median())).put("lower_quartile", finite(s.lowerQuartile()))
                .put("upper_quartile", finite(s.upperQuartile())).put("interquartile_range", finite(s.interquartileRange()))
                .put("count", s.blocks()).put("left_out", s.leftOut()).put("cycles_per_block", CycleRatios.BLOCK)
                .put("standard_error", finite(s.standardError())).put("relative_standard_error", finite(s.relativeStandardError()))
                .put("two_run_difference_95", finite(s.twoRunDifference95()));
    }

    /** The rounds of a {@link #ratioNode}, read back (for the verdict against a target). */
    static RoundRatios fromNode(com.fasterxml.jackson.databind.JsonNode n) {
        List<Double> v = new ArrayList<>();
        n.get("per_round").forEach(e -> v.add(e.isNull() ? Double.NaN : e.asDouble()));
        List<Boolean> dist = new ArrayList<>();
        n.get("disturbed").forEach(e -> dist.add(e.asBoolean()));
        return new RoundRatios(v, dist);
    }

    private static Double finite(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? null : round(d);
    }

    private static boolean positive(List<Double> v) {
        return v.stream().anyMatch(d -> d > 0);
    }

    /** The statistics of per-round values over the headline rounds (the undisturbed ones when there are any). */
    private static RoundRatios.Stats headlineStats(List<Double> perRound, Rounds rounds) {
        return rounds.ratios(perRound).headline();
    }

    /** The measured rounds: each arm's sample of each round, and which rounds a neighbour or steal disturbed. */
    static final class Rounds {
        private final Map<Arm, List<Sample>> samples;
        final List<Boolean> disturbed = new ArrayList<>();

        Rounds(Map<Arm, List<Sample>> samples) {
            this.samples = samples;
            int count = samples.values().stream().mapToInt(List::size).max().orElse(0);
            for (int i = 0; i < count; i++) {
                int round = i;
                disturbed.add(samples.values().stream().anyMatch(s -> round < s.size() && s.get(round).load().disturbed()));
            }
        }

        List<Double> series(Arm arm, java.util.function.ToDoubleFunction<Sample> f) {
            List<Sample> s = samples.getOrDefault(arm, List.of());
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < disturbed.size(); i++) {
                out.add(i < s.size() ? f.applyAsDouble(s.get(i)) : Double.NaN);
            }
            return out;
        }

        RoundRatios ratios(List<Double> perRound) {
            return new RoundRatios(perRound, disturbed);
        }

        /** Per round, {@code f} of {@code arm}'s handshake phase in that round; NaN where it has none. */
        List<Double> handshakes(List<Handshakes> measured, Arm arm, java.util.function.ToDoubleFunction<Handshakes> f) {
            List<Double> out = new ArrayList<>(java.util.Collections.nCopies(disturbed.size(), Double.NaN));
            for (Handshakes h : measured) {
                if (h.arm() == arm && h.round() >= 1 && h.round() <= out.size()) {
                    out.set(h.round() - 1, f.applyAsDouble(h));
                }
            }
            return out;
        }

        RoundRatios divide(Arm numerator, Arm denominator, java.util.function.ToDoubleFunction<Sample> f) {
            return ratios(RoundRatios.divide(series(numerator, f), series(denominator, f)));
        }

        /** Latency the gateway adds to the direct arm against what nginx adds to its upstream, per round. */
        RoundRatios added(java.util.function.ToDoubleFunction<Sample> f) {
            return ratios(RoundRatios.addedRatios(series(Arm.GATEWAY, f), series(Arm.DIRECT, f), series(Arm.NGINX, f), series(Arm.UPSTREAM, f)));
        }

        List<Double> difference(Arm a, Arm b, java.util.function.ToDoubleFunction<Sample> f) {
            List<Double> x = series(a, f);
            List<Double> y = series(b, f);
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < x.size(); i++) {
                out.add(x.get(i) - y.get(i));
            }
            return out;
        }

        /** Per round: disturbed or not, the worst steal and other processes' CPU of its phases, and the arms disturbed. */
        void describe(com.fasterxml.jackson.databind.node.ArrayNode into) {
            for (int i = 0; i < disturbed.size(); i++) {
                ObjectNode n = into.addObject().put("round", i + 1).put("disturbed", disturbed.get(i));
                double steal = Double.NaN;
                double other = Double.NaN;
                var arms = n.putArray("disturbed_arms");
                for (Map.Entry<Arm, List<Sample>> e : samples.entrySet()) {
                    if (i < e.getValue().size()) {
                        MachineLoad.Phase p = e.getValue().get(i).load();
                        steal = Double.isNaN(steal) ? p.stealShare() : Math.max(steal, p.stealShare());
                        other = Double.isNaN(other) ? p.otherCpus() : Math.max(other, p.otherCpus());
                        if (p.disturbed()) {
                            arms.add(e.getKey().id());
                        }
                    }
                }
                n.put("max_steal_percent", finite(100 * steal)).put("max_other_cpus", finite(other));
            }
        }
    }

    ObjectNode report(Map<Arm, List<Sample>> samples, Map<Arm, List<Histogram>> latencies, Map<Arm, String> unavailable, IdleProbe.Result idle,
            RecyclingRun.Result recycling, List<Handshakes> handshakes) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ObjectNode machine = root.putObject("machine");
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
        NginxRelay.version().ifPresentOrElse(v -> machine.put("nginx", v), () -> machine.putNull("nginx"));
        HaproxyRelay.version().ifPresentOrElse(v -> machine.put("haproxy", v), () -> machine.putNull("haproxy"));
        ObjectNode set = root.putObject("settings");
        set.put("phase_seconds", settings.phaseSeconds()).put("rounds", settings.rounds()).put("warmup_rounds", 1)
                .put("latency_seconds_headline_arms", latencySeconds(Arm.GATEWAY, false))
                .put("latency_headline_arms", LATENCY_HEADLINE_ARMS.stream().map(Arm::id).collect(Collectors.joining(",")))
                .put("connections", settings.connections()).put("depth", settings.depth()).put("bulk_bytes", settings.bulkBytes())
                .put("latency_bytes", settings.latencyBytes())
                .put("order", String.join(",", Stream.of(Arm.values()).map(Arm::id).toList()) + " per round (those that run)")
                .put("disturbed_when", "a phase's steal > " + 100 * MachineLoad.STEAL_MAX + " % of the machine's CPU time, or other processes' CPU > "
                        + MachineLoad.OTHER_CPUS_MAX + " CPUs (/proc/stat against the bench JVM's and the relays' own CPU)")
                .put("judgeable_when", ">= " + RoundRatios.JUDGEABLE_ROUNDS + " undisturbed rounds spreading <= "
                        + Math.round(100 * RoundRatios.JUDGEABLE_SPREAD) + " % of their median ((max - min) / median)").put("tls", settings.tls())
                .put("idle_vcs", settings.idleVcs()).put("recycle_lifetime_bytes", settings.recycleLifetime())
                .put("gateway_jvm", "-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseG1GC" + (settings.pin() ? " -XX:ActiveProcessorCount=1 when pinned" : ""));
        Rounds rounds = new Rounds(samples);
        List<Boolean> headlineRounds = RoundRatios.headlineRounds(rounds.disturbed);
        // every call of the headline rounds counted once (docs/performance.md "Reading the figures")
        Map<Arm, double[]> pooled = new EnumMap<>(Arm.class);
        latencies.forEach((arm, h) -> pooled.put(arm, new double[] {RoundRatios.pooledPercentile(h, headlineRounds, 50),
                RoundRatios.pooledPercentile(h, headlineRounds, 99), RoundRatios.pooledPercentile(h, headlineRounds, 99.9)}));
        ObjectNode arms = root.putObject("arms");
        for (Arm a : Arm.values()) {
            ObjectNode n = arms.putObject(a.id());
            List<Sample> s = samples.get(a);
            if (unavailable.containsKey(a) || s == null || s.isEmpty()) {
                n.put("available", false).put("reason", unavailable.getOrDefault(a, "no samples"));
                continue;
            }
            n.put("available", true).put("rounds", s.size());
            n.set("throughput_mib_per_s", stats(m, s.stream().map(x -> x.bytesPerSecond() / (1 << 20)).toList()));
            n.set("p50_us", stats(m, s.stream().map(Sample::p50Micros).toList()));
            n.set("p99_us", stats(m, s.stream().map(Sample::p99Micros).toList()));
            n.set("p999_us", stats(m, s.stream().map(Sample::p999Micros).toList()));
            double[] p = pooled.getOrDefault(a, new double[] {Double.NaN, Double.NaN, Double.NaN});
            n.put("p50_us_pooled", finite(p[0])).put("p99_us_pooled", finite(p[1])).put("p999_us_pooled", finite(p[2]));
            n.set("p50_us_median_turn", stats(m, s.stream().map(Sample::p50MedianTurnMicros).toList()));
            n.set("p99_us_median_turn", stats(m, s.stream().map(Sample::p99MedianTurnMicros).toList()));
            // compact raw material for statistics other than this run's: each round's p99 and each of its turns' p99
            var perRound = n.putArray("p99_us_rounds");
            s.forEach(x -> perRound.add(finite(x.p99Micros())));
            var turns = n.putArray("p99_us_turns");
            turnP99s.getOrDefault(a, List.of()).forEach(round -> {
                var t = turns.addArray();
                round.forEach(v -> {
                    if (v.isNaN()) {
                        t.addNull(); // a turn without calls
                    } else {
                        t.add(Math.round(v));
                    }
                });
            });
            n.set("relay_cpu_s_per_gib", stats(m, s.stream().map(Sample::relayCpuPerGib).toList()));
            n.set("relay_cpu_user_share", stats(m, s.stream().map(Sample::relayUserShare).toList()));
            List<RelayCost> costs = relayCosts.getOrDefault(a, List.of());
            n.set("relay_cpu_user_s_per_gib", stats(m, costs.stream().map(RelayCost::userPerGib).toList()));
            n.set("relay_cpu_system_s_per_gib", stats(m, costs.stream().map(RelayCost::systemPerGib).toList()));
            n.set("relay_context_switches_per_gib", stats(m, costs.stream().map(RelayCost::contextSwitchesPerGib).toList()));
            if (costs.stream().anyMatch(c -> !Double.isNaN(c.syscallsPerGib()))) {
                n.set("relay_syscalls_per_gib", stats(m, costs.stream().map(RelayCost::syscallsPerGib).toList()));
            }
            n.set("process_cpu_s_per_gib", stats(m, s.stream().map(Sample::processCpuPerGib).toList()));
            n.set("backend_cpu_s_per_gib", stats(m, s.stream().map(Sample::backendCpuPerGib).toList()));
            n.set("setup_ms_median", stats(m, s.stream().map(Sample::setupMillisMedian).toList()));
            n.set("other_cpus", stats(m, s.stream().map(x -> x.load().otherCpus()).toList()));
            n.set("steal_percent", stats(m, s.stream().map(x -> 100 * x.load().stealShare()).toList()));
            n.put("disturbed_rounds", s.stream().filter(x -> x.load().disturbed()).count());
            n.set("setup_ms_max", stats(m, s.stream().map(Sample::setupMillisMax).toList()));
            if (s.stream().anyMatch(x -> !Double.isNaN(x.maxCallsPerSecond()))) {
                n.set("calls_per_s_1k", stats(m, s.stream().map(Sample::maxCallsPerSecond).toList()));
            }
            n.put("latency_calls", s.stream().mapToLong(Sample::latencyCalls).sum());
            long errors = s.stream().mapToLong(Sample::errors).sum();
            n.put("errors", errors);
            s.stream().map(Sample::firstError).filter(e -> e != null).findFirst().ifPresent(e -> n.put("first_error", e));
            n.put("relay_cpu_measures", switch (a) {
                case DIRECT -> "none (no relay)";
                case HAPROXY -> "haproxy's process (/proc/PID/stat)";
                case UPSTREAM -> "the in-process gateway's event loop threads (ThreadMXBean)";
                case GATEWAY, GATEWAY_TLS, GATEWAY_EPOLL, GATEWAY_IO_URING, GATEWAY_NIO -> "the gateway's whole process (/proc/PID/stat)";
                case GATEWAY_SEALED -> "the gateway arm's process (/proc/PID/stat), relaying signed or sealed PDUs";
                case NGINX, NGINX_TLS -> "nginx master + worker (/proc/PID/stat)";
            });
        }
        ObjectNode reasons = m.createObjectNode();
        ObjectNode ratios = m.createObjectNode();
        rounds.describe(root.putArray("rounds"));
        List<Sample> d = samples.get(Arm.DIRECT);
        List<Sample> g = samples.get(Arm.GATEWAY);
        List<Sample> x = samples.get(Arm.NGINX);
        List<Sample> u = samples.get(Arm.UPSTREAM);
        List<Sample> h = samples.get(Arm.HAPROXY);
        String noDirect = d == null ? "direct arm did not run: " + unavailable.getOrDefault(Arm.DIRECT, "no samples") : null;
        String noGateway = g == null ? "gateway arm did not run: " + unavailable.getOrDefault(Arm.GATEWAY, "no samples") : null;
        String noNginx = x == null ? "nginx arm did not run: " + unavailable.getOrDefault(Arm.NGINX, "no samples")
                : u == null ? "upstream arm did not run" : null;
        String noHaproxy = h == null ? "haproxy arm did not run: " + unavailable.getOrDefault(Arm.HAPROXY, "no samples") : null;
        String first = noDirect != null ? noDirect : noGateway;
        // every ratio per round, from the arms of that round (not a ratio of medians)
        ratio(root, reasons, ratios, "throughput_vs_direct", rounds.divide(Arm.GATEWAY, Arm.DIRECT, Sample::bytesPerSecond), first);
        ratio(root, reasons, ratios, "haproxy_throughput_vs_direct", rounds.divide(Arm.HAPROXY, Arm.DIRECT, Sample::bytesPerSecond),
                noDirect != null ? noDirect : noHaproxy);
        ratio(root, reasons, ratios, "throughput_vs_haproxy", rounds.divide(Arm.GATEWAY, Arm.HAPROXY, Sample::bytesPerSecond),
                noGateway != null ? noGateway : noHaproxy);
        ratio(root, reasons, ratios, "throughput_vs_direct_shared_cpu", rounds.divide(Arm.UPSTREAM, Arm.DIRECT, Sample::bytesPerSecond),
                noDirect != null ? noDirect : u == null ? "upstream arm did not run" : null);
        // added latency: gateway over direct, against nginx's own hop (nginx arm over the same upstream gateway alone);
        // a gateway that added less than nothing (noise below the direct arm) counts as 0
        String lat = noNginx != null ? noNginx : first;
        List<Double> gw50 = rounds.difference(Arm.GATEWAY, Arm.DIRECT, Sample::p50Micros);
        List<Double> ng50 = rounds.difference(Arm.NGINX, Arm.UPSTREAM, Sample::p50Micros);
        List<Double> gw99 = rounds.difference(Arm.GATEWAY, Arm.DIRECT, Sample::p99Micros);
        List<Double> ng99 = rounds.difference(Arm.NGINX, Arm.UPSTREAM, Sample::p99Micros);
        List<Double> gw99Turn = rounds.difference(Arm.GATEWAY, Arm.DIRECT, Sample::p99MedianTurnMicros);
        List<Double> ng99Turn = rounds.difference(Arm.NGINX, Arm.UPSTREAM, Sample::p99MedianTurnMicros);
        ratio(root, reasons, ratios, "p50_added_vs_nginx", rounds.added(Sample::p50Micros), lat != null ? lat
                : positive(ng50) ? null : "nginx added no p50 latency in any round");
        // the p99 goal's headline: per block of two adjacent cycles of turns (each arm's turns seconds apart), the added
        // ratio of the arms' p99s in it, the median over every block of the headline rounds: about 50 paired values.
        // Five per-round values (the former headline, below) moved by 20-25 % between quiet runs; the p99 of every call
        // of a round by 38 % (docs/performance.md, "A p99 per cycle of turns", "A p99 that reproduces")
        CycleRatios cycles = new CycleRatios(turnP99s.getOrDefault(Arm.GATEWAY, List.of()), turnP99s.getOrDefault(Arm.DIRECT, List.of()),
                turnP99s.getOrDefault(Arm.NGINX, List.of()), turnP99s.getOrDefault(Arm.UPSTREAM, List.of()), rounds.disturbed);
        CycleRatios.Stats blocks = cycles.headline();
        String noCycles = lat != null ? lat : blocks.blocks() > 0 ? null : blocks.leftOut() > 0 ? "nginx added no p99 latency in any block of turns"
                : "no block of " + CycleRatios.BLOCK + " latency turns of every arm to pair (--seconds 0.75 or more gives two)";
        ratio(root, reasons, "p99_added_vs_nginx", blocks.median(), noCycles);
        if (noCycles == null) {
            cycleNode(m, ratios, "p99_added_vs_nginx", cycles, blocks);
        }
        // the headline of sessions 8 and 9: each round's typical half-second p99 (its turns' median), the rounds' trimmed mean
        RoundRatios p99Turn = rounds.added(Sample::p99MedianTurnMicros);
        String noP99 = lat != null ? lat : positive(ng99Turn) ? null : "nginx added no p99 latency in any round's median turn";
        ratio(root, reasons, "p99_added_vs_nginx_trimmed_rounds", p99Turn.headline().trimmedMean(), noP99);
        if (noP99 == null) {
            ratioNode(m, ratios, "p99_added_vs_nginx_trimmed_rounds", p99Turn);
        }
        ratio(root, reasons, ratios, "p99_added_vs_nginx_round_p99", rounds.added(Sample::p99Micros), lat != null ? lat
                : positive(ng99) ? null : "nginx added no p99 latency in any round");
        root.put("p50_added_us_gateway", finite(RoundRatios.Stats.of(gw50).median()));
        root.put("p50_added_us_nginx", finite(RoundRatios.Stats.of(ng50).median()));
        root.put("p99_added_us_gateway", finite(cycles.addedMicros(false)));
        root.put("p99_added_us_nginx", finite(cycles.addedMicros(true)));
        root.put("p99_added_us_gateway_trimmed_rounds", finite(headlineStats(gw99Turn, rounds).trimmedMean()));
        root.put("p99_added_us_nginx_trimmed_rounds", finite(headlineStats(ng99Turn, rounds).trimmedMean()));
        root.put("p99_added_us_gateway_round_p99", finite(RoundRatios.Stats.of(gw99).median()));
        root.put("p99_added_us_nginx_round_p99", finite(RoundRatios.Stats.of(ng99).median()));
        // the same from each arm's typical half-second turn of the round: the median of its turns' percentiles
        ratio(root, reasons, ratios, "p50_added_vs_nginx_median_turn", rounds.added(Sample::p50MedianTurnMicros), lat);
        ratio(root, reasons, ratios, "p99_added_vs_nginx_median_turn", p99Turn, lat);
        // the same from every headline call of each arm at once
        for (int q = 0; q < 2; q++) {
            String key = (q == 0 ? "p50" : "p99") + "_added_vs_nginx_pooled";
            double[] gw = pooled.get(Arm.GATEWAY);
            double[] di = pooled.get(Arm.DIRECT);
            double[] ng = pooled.get(Arm.NGINX);
            double[] up = pooled.get(Arm.UPSTREAM);
            boolean all = gw != null && di != null && ng != null && up != null;
            ratio(root, reasons, key, all ? RoundRatios.addedRatio(gw[q], di[q], ng[q], up[q]) : Double.NaN,
                    lat != null ? lat : all && ng[q] > up[q] ? null : "nginx added no pooled " + (q == 0 ? "p50" : "p99") + " latency");
            String prefix = (q == 0 ? "p50" : "p99") + "_added_us_";
            root.put(prefix + "gateway_pooled", all ? finite(gw[q] - di[q]) : null);
            root.put(prefix + "nginx_pooled", all ? finite(ng[q] - up[q]) : null);
        }
        ratio(root, reasons, ratios, "cpu_per_gib_vs_haproxy", rounds.divide(Arm.GATEWAY, Arm.HAPROXY, Sample::relayCpuPerGib),
                noHaproxy != null ? noHaproxy : noGateway);
        ratio(root, reasons, ratios, "cpu_per_gib_vs_nginx", rounds.divide(Arm.GATEWAY, Arm.NGINX, Sample::relayCpuPerGib),
                noNginx != null ? noNginx : noGateway != null ? noGateway
                        : !(med(x, Sample::relayCpuPerGib) > 0) ? "nginx CPU below /proc's 10 ms resolution; run longer" : null);
        tls(m, root, reasons, ratios, rounds, samples, unavailable, handshakes);
        // the same gateway process and path, the client's DCE/RPC protection the only difference; back to back per round
        String noSealed = samples.get(Arm.GATEWAY_SEALED) == null
                ? "gateway_sealed arm did not run: " + unavailable.getOrDefault(Arm.GATEWAY_SEALED, "no samples") : noGateway;
        ratio(root, reasons, ratios, "sealed_vs_unsealed", rounds.divide(Arm.GATEWAY_SEALED, Arm.GATEWAY, Sample::bytesPerSecond), noSealed);
        ratio(root, reasons, ratios, "sealed_vs_unsealed_1k", rounds.divide(Arm.GATEWAY_SEALED, Arm.GATEWAY, Sample::maxCallsPerSecond),
                noSealed);
        ObjectNode transports = root.putObject("transports");
        for (Arm a : Arm.values()) {
            if (a.transport() != null && samples.containsKey(a)) {
                ObjectNode t = transports.putObject(a.transport().id());
                ObjectNode r = t.putObject("ratios");
                ratioNode(m, r, "throughput_vs_direct", rounds.divide(a, Arm.DIRECT, Sample::bytesPerSecond));
                ratioNode(m, r, "throughput_vs_gateway", rounds.divide(a, Arm.GATEWAY, Sample::bytesPerSecond));
                ratioNode(m, r, "cpu_per_gib_vs_gateway", rounds.divide(a, Arm.GATEWAY, Sample::relayCpuPerGib));
                ratioNode(m, r, "cpu_per_gib_vs_haproxy", rounds.divide(a, Arm.HAPROXY, Sample::relayCpuPerGib));
            }
        }
        root.set("ratios", ratios);
        if (idle.opened() > 0 && idle.error() == null) {
            root.put("idle_vc_bytes", idle.heapBytesPerVc() + idle.rssBytesPerVc());
        } else {
            root.putNull("idle_vc_bytes");
            reasons.put("idle_vc_bytes", idle.error() == null ? "no idle virtual connection opened" : idle.error());
        }
        ObjectNode idleNode = root.putObject("idle");
        idleNode.put("requested", idle.requested()).put("opened", idle.opened()).put("answered_after_idle", idle.answered())
                .put("open_ms_per_vc", round(idle.openMillisPerVc())).put("heap_bytes_per_vc", idle.heapBytesPerVc())
                .put("rss_bytes_per_vc", idle.rssBytesPerVc()).put("heap_used_mib", round(idle.heapUsedBytes() / (double) (1 << 20)))
                .put("heap_max_mib", GatewayProcess.HEAP_BYTES >> 20).put("idle_seconds", round(idle.idleSeconds()))
                .put("idle_cpu_percent", round(idle.idleCpuPercent())).put("gateway_shards", idle.gatewayShards())
                .put("measures", "the gateway processes alone (shards when one process's open-files limit cannot hold them all; one heap"
                        + " budget of heap_max_mib shared by them): heap after full GCs plus resident memory beyond the pre-touched heap,"
                        + " growth per virtual connection (IN + OUT + the two server legs); their CPU while idle, % of one CPU");
        idleNode.put("settle_seconds", round(idle.settleSeconds()));
        ObjectNode byThread = idleNode.putObject("idle_cpu_percent_by_thread");
        idle.idleCpuPercentByThread().forEach(byThread::put);
        if (idle.error() != null) {
            idleNode.put("error", idle.error());
        }
        boolean idleHeld = idle.opened() > 0 && idle.opened() == idle.requested() && idle.answered() == idle.opened() && idle.error() == null;
        if (idle.opened() > 0) {
            root.put("idle_vcs_held", idleHeld ? idle.opened() : idle.answered());
            root.put("idle_cpu_percent", round(idle.idleCpuPercent()));
        } else {
            root.putNull("idle_vcs_held");
            root.putNull("idle_cpu_percent");
            reasons.put("idle_vcs_held", idle.error() == null ? "disabled" : idle.error());
            reasons.put("idle_cpu_percent", idle.error() == null ? "disabled" : idle.error());
        }
        ObjectNode rec = root.putObject("recycling");
        if (recycling == null) {
            rec.put("available", false).put("reason", "disabled (--recycle-lifetime 0)");
            root.putNull("recycling_lossless");
            reasons.put("recycling_lossless", "recycling phase disabled");
        } else {
            rec.put("available", true).put("channel_lifetime_bytes", recycling.channelLifetime()).put("seconds", round(recycling.seconds()))
                    .put("calls", recycling.calls()).put("answered", recycling.answered()).put("lost", recycling.lost())
                    .put("mismatched", recycling.mismatched()).put("in_recycles", recycling.inRecycles())
                    .put("out_recycles", recycling.outRecycles()).put("recycles_per_s", round(recycling.recyclesPerSecond()))
                    .put("throughput_mib_per_s", round(recycling.bytes() / Math.max(1e-9, recycling.seconds()) / (1 << 20)))
                    .put("errors", recycling.errors());
            if (recycling.firstError() != null) {
                rec.put("first_error", recycling.firstError());
            }
            boolean recycled = recycling.inRecycles() > 0 && recycling.outRecycles() > 0;
            root.put("recycling_lossless", recycling.lossless() && recycled);
            if (!recycled) {
                reasons.put("recycling_lossless", "no IN and OUT recycling happened in the run (in " + recycling.inRecycles() + ", out "
                        + recycling.outRecycles() + "): run longer or with a smaller lifetime");
            }
        }
        root.putNull("autodiscover_vs_static");
        reasons.put("autodiscover_vs_static", "not included: run 'anywhere bench autodiscover'");
        ObjectNode targets = root.putObject("targets");
        targets.put("throughput_vs_direct_min", 0.8).put("throughput_vs_haproxy_min", 1.0).put("cpu_per_gib_vs_haproxy_max", 1.0)
                .put("cpu_per_gib_vs_nginx_max", 1.0).put("p50_added_vs_nginx_max", 1.2)
                .put("p99_added_vs_nginx_max", 1.5).put("idle_vc_bytes_max", 16 * 1024).put("idle_vcs_held_min", 20_000)
                .put("idle_cpu_percent_max", 5.0).put("recycling_lossless", true).put("tls_bulk_vs_nginx_min", 0.8)
                .put("handshakes_vs_nginx_min", 0.6).put("sealed_vs_unsealed_min", 0.6).put("sealed_vs_unsealed_1k_min", 0.6);
        ObjectNode met = root.putObject("met");
        met(met, root, "throughput_vs_direct", v -> v >= 0.8);
        met(met, root, "throughput_vs_haproxy", v -> v >= 1.0);
        met(met, root, "cpu_per_gib_vs_haproxy", v -> v <= 1.0);
        met(met, root, "cpu_per_gib_vs_nginx", v -> v <= 1.0);
        met(met, root, "p50_added_vs_nginx", v -> v <= 1.2);
        met(met, root, "p99_added_vs_nginx", v -> v <= 1.5);
        met(met, root, "p99_added_vs_nginx_trimmed_rounds", v -> v <= 1.5);
        met(met, root, "p99_added_vs_nginx_round_p99", v -> v <= 1.5);
        met(met, root, "p50_added_vs_nginx_pooled", v -> v <= 1.2);
        met(met, root, "p99_added_vs_nginx_pooled", v -> v <= 1.5);
        met(met, root, "p50_added_vs_nginx_median_turn", v -> v <= 1.2);
        met(met, root, "p99_added_vs_nginx_median_turn", v -> v <= 1.5);
        met(met, root, "idle_vc_bytes", v -> v <= 16 * 1024);
        met(met, root, "idle_vcs_held", v -> v >= 20_000);
        met(met, root, "idle_cpu_percent", v -> v <= 5.0);
        met(met, root, "tls_bulk_vs_nginx", v -> v >= 0.8);
        met(met, root, "handshakes_vs_nginx", v -> v >= 0.6);
        met(met, root, "sealed_vs_unsealed", v -> v >= 0.6);
        met(met, root, "sealed_vs_unsealed_1k", v -> v >= 0.6);
        // per-round ratios: how the rounds stand against the goal (met in every round, missed in every one, or straddling)
        ObjectNode verdicts = root.putObject("verdicts");
        Map<String, java.util.function.DoublePredicate> goals = new java.util.LinkedHashMap<>();
        goals.put("throughput_vs_direct", v -> v >= 0.8);
        goals.put("throughput_vs_haproxy", v -> v >= 1.0);
        goals.put("cpu_per_gib_vs_haproxy", v -> v <= 1.0);
        goals.put("cpu_per_gib_vs_nginx", v -> v <= 1.0);
        goals.put("p50_added_vs_nginx", v -> v <= 1.2);
        goals.put("p99_added_vs_nginx", v -> v <= 1.5);
        goals.put("p99_added_vs_nginx_trimmed_rounds", v -> v <= 1.5);
        goals.put("p99_added_vs_nginx_round_p99", v -> v <= 1.5);
        goals.put("p50_added_vs_nginx_median_turn", v -> v <= 1.2);
        goals.put("p99_added_vs_nginx_median_turn", v -> v <= 1.5);
        goals.put("tls_bulk_vs_nginx", v -> v >= 0.8);
        goals.put("handshakes_vs_nginx", v -> v >= 0.6);
        goals.put("sealed_vs_unsealed", v -> v >= 0.6);
        goals.put("sealed_vs_unsealed_1k", v -> v >= 0.6);
        for (Map.Entry<String, java.util.function.DoublePredicate> goal : goals.entrySet()) {
            var n = root.get("ratios").get(goal.getKey());
            if (n != null) {
                RoundRatios r = fromNode(n);
                verdicts.putObject(goal.getKey()).put("rounds", r.verdict(goal.getValue()).name().toLowerCase(Locale.ROOT))
                        .put("judgeable", r.judgeable());
            }
        }
        if (root.get("recycling_lossless").isNull()) {
            met.putNull("recycling_lossless");
        } else {
            met.put("recycling_lossless", root.get("recycling_lossless").asBoolean());
        }
        root.set("reasons", reasons);
        return root;
    }

    /** The TLS ratios: relay capacity per CPU second (bulk) and per handshake, gateway against nginx, plus the raw rates. */
    private void tls(ObjectMapper m, ObjectNode root, ObjectNode reasons, ObjectNode ratios, Rounds rounds, Map<Arm, List<Sample>> samples,
            Map<Arm, String> unavailable, List<Handshakes> handshakes) {
        List<Sample> gt = samples.get(Arm.GATEWAY_TLS);
        List<Sample> nt = samples.get(Arm.NGINX_TLS);
        String why = gt == null ? "gateway_tls arm did not run: " + unavailable.getOrDefault(Arm.GATEWAY_TLS, "no samples")
                : nt == null ? "nginx_tls arm did not run: " + unavailable.getOrDefault(Arm.NGINX_TLS, "no samples") : null;
        ratio(root, reasons, ratios, "tls_bulk_vs_nginx", rounds.divide(Arm.NGINX_TLS, Arm.GATEWAY_TLS, Sample::relayCpuPerGib), why);
        ratio(root, reasons, ratios, "tls_throughput_vs_nginx", rounds.divide(Arm.GATEWAY_TLS, Arm.NGINX_TLS, Sample::bytesPerSecond), why);
        Handshakes eg = handshakes.stream().filter(h -> h.arm() == Arm.GATEWAY_TLS && h.key().equals("ecdsa-p256")).findFirst().orElse(null);
        Handshakes en = handshakes.stream().filter(h -> h.arm() == Arm.NGINX_TLS && h.key().equals("ecdsa-p256")).findFirst().orElse(null);
        ratio(root, reasons, "handshakes_vs_nginx_ecdsa", en == null || eg == null ? Double.NaN
                : en.cpuMillisPerHandshake() / eg.cpuMillisPerHandshake(), why != null ? why : en == null || eg == null
                        ? "ECDSA handshakes not measured" : tooShort(en, eg));
        // RSA: per round, from the two relays' handshake phases back to back at the end of that round
        List<Handshakes> rsa = handshakes.stream().filter(h -> h.key().equals("rsa2048") && h.round() > 0).toList();
        RoundRatios perCpu = rounds.ratios(RoundRatios.divide(rounds.handshakes(rsa, Arm.NGINX_TLS, Handshakes::cpuMillisPerHandshake),
                rounds.handshakes(rsa, Arm.GATEWAY_TLS, Handshakes::cpuMillisPerHandshake)));
        String whyHs = why != null ? why : rsa.isEmpty() ? "handshakes not measured"
                : perCpu.perRound().stream().allMatch(d -> d.isNaN()) ? TOO_SHORT + " in every round" : null;
        ratio(root, reasons, ratios, "handshakes_vs_nginx", perCpu, whyHs);
        ratio(root, reasons, ratios, "handshakes_per_s_vs_nginx", rounds.ratios(RoundRatios.divide(
                rounds.handshakes(rsa, Arm.GATEWAY_TLS, h -> h.result().perSecond()),
                rounds.handshakes(rsa, Arm.NGINX_TLS, h -> h.result().perSecond()))), whyHs);
        ObjectNode t = root.putObject("tls");
        t.put("protocol", TlsMaterial.PROTOCOL).put("suite", TlsMaterial.SUITE).put("group", TlsMaterial.GROUP).put("key", "RSA 2048")
                .put("gateway_engine", "the gateway's TlsEngine (BoringSSL where netty-tcnative loads, else the JDK's)")
                .put("nginx_engine", "nginx with the system OpenSSL").put("client_engine", clientTlsProvider().toString())
                .put("handshake_concurrency", HANDSHAKE_CONCURRENCY).put("resumption", false)
                .put("handshakes_when", "RSA: in every round after its latency phase, nginx_tls then gateway_tls, half a phase each (the"
                        + " warm-up round's discarded); ECDSA: once after the rounds, after a warm-up of half a phase");
        ObjectNode hs = t.putObject("handshakes");
        for (Arm a : List.of(Arm.NGINX_TLS, Arm.GATEWAY_TLS)) {
            List<Handshakes> of = rsa.stream().filter(h -> h.arm() == a).toList();
            if (!of.isEmpty()) {
                ObjectNode n = handshakesNode(hs.putObject(a.id()), of);
                n.put("rounds", of.size()).put("seconds_per_round", round(of.get(0).result().seconds()));
                var perS = n.putArray("per_s_rounds");
                var ms = n.putArray("relay_cpu_ms_per_handshake_rounds");
                for (Handshakes h : of) {
                    perS.add(finite(h.result().perSecond()));
                    ms.add(finite(h.cpuMillisPerHandshake()));
                }
            }
        }
        for (Handshakes h : handshakes) {
            if (h.round() == 0) {
                handshakesNode(hs.putObject(h.arm().id() + "_" + h.key()), List.of(h)); // ECDSA: once, after the rounds
            }
        }
    }

    /**
     * One relay's handshake figures into {@code n}: rates, CPU per handshake and latency the median over {@code of}
     * (the rounds, or a single measurement), counts summed; protocol and suite of the first.
     */
    private static ObjectNode handshakesNode(ObjectNode n, List<Handshakes> of) {
        Handshakes first = of.get(0);
        double ms = RoundRatios.Stats.of(of.stream().map(Handshakes::cpuMillisPerHandshake).toList()).median();
        n.put("key", first.key());
        n.put("per_s", finite(RoundRatios.Stats.of(of.stream().map(h -> h.result().perSecond()).toList()).median()))
                .put("handshakes", of.stream().mapToLong(h -> h.result().handshakes()).sum())
                .put("failures", of.stream().mapToLong(h -> h.result().failures()).sum())
                .put("relay_cpu_ms_per_handshake", finite(ms)).put("per_core_second", finite(1000 / ms))
                .put("p50_us", finite(RoundRatios.Stats.of(of.stream().map(h -> h.result().p50Micros()).toList()).median()))
                .put("p99_us", finite(RoundRatios.Stats.of(of.stream().map(h -> h.result().p99Micros()).toList()).median()))
                .put("protocol", String.valueOf(first.result().protocol())).put("cipher_suite", String.valueOf(first.result().cipherSuite()));
        of.stream().map(h -> h.result().firstFailure()).filter(f -> f != null).findFirst().ifPresent(f -> n.put("first_failure", f));
        return n;
    }

    private static final String TOO_SHORT = "relay CPU during the handshakes below /proc's 10 ms resolution; run longer";

    /** Null when both relays' CPU was measurable; else why not (/proc counts in 10 ms ticks). */
    private static String tooShort(Handshakes a, Handshakes b) {
        return a.relayCpuSeconds() > 0 && b.relayCpuSeconds() > 0 ? null : TOO_SHORT;
    }

    private static void met(ObjectNode met, ObjectNode root, String key, java.util.function.DoublePredicate ok) {
        if (root.get(key) == null || root.get(key).isNull()) {
            met.putNull(key);
        } else {
            met.put(key, ok.test(root.get(key).asDouble()));
        }
    }

    /** The table for {@code --format text}, in the JVM's language. */
    public static String table(ObjectNode r) {
        return table(r, BenchText.local());
    }

    /**
     * The table in {@code text}'s language; figures, arm ids and JSON keys as they are, the reasons and arm lists the
     * JSON gives as they came (quoted in German).
     */
    public static String table(ObjectNode r, BenchText text) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-16s %-24s %-24s %-24s %-20s %-10s %s%n", text.get("column.arm"), text.get("column.throughput"),
                text.get("column.p50"), text.get("column.p99"), text.get("column.relay-cpu"), text.get("column.disturbed"),
                text.get("column.errors")));
        for (Arm a : Arm.values()) {
            var n = r.get("arms").get(a.id());
            if (!n.get("available").asBoolean()) {
                b.append(text.get("rpch.not-run", "arm", String.format(Locale.ROOT, "%-16s", a.id()), "reason", n.get("reason").asText()))
                        .append('\n');
                continue;
            }
            b.append(String.format(Locale.ROOT, "%-16s %-24s %-24s %-24s %-20s %-10s %d%n", a.id(), cell(n.get("throughput_mib_per_s")),
                    cell(n.get("p50_us")), cell(n.get("p99_us")), n.get("relay_cpu_s_per_gib").get("median").isNull() ? "-"
                            : cell(n.get("relay_cpu_s_per_gib")), n.get("disturbed_rounds").asLong() + "/" + n.get("rounds").asLong(),
                    n.get("errors").asLong()));
        }
        for (var round : r.get("rounds")) {
            b.append(text.get("rpch.round", "round", round.get("round").asInt(), "state", round.get("disturbed").asBoolean()
                    ? text.get("rpch.round-disturbed-by", "arms", round.get("disturbed_arms")) : text.get("round.undisturbed"),
                    "cpus", round.get("max_other_cpus").asText(), "steal", round.get("max_steal_percent").asText())).append('\n');
        }
        b.append(text.get("rpch.transport", "gateway", r.get("settings").path("transport_gateway").asText(), "endpoints",
                r.get("settings").path("transport_bench_jvm").asText())).append('\n');
        latencyRateLines(r.get("settings"), text, b);
        for (String k : List.of("throughput_vs_direct", "haproxy_throughput_vs_direct", "throughput_vs_haproxy", "throughput_vs_direct_shared_cpu",
                "cpu_per_gib_vs_haproxy", "cpu_per_gib_vs_nginx", "p50_added_vs_nginx", "p99_added_vs_nginx",
                "p99_added_vs_nginx_trimmed_rounds", "p99_added_vs_nginx_round_p99", "p50_added_vs_nginx_pooled",
                "p99_added_vs_nginx_pooled", "p50_added_vs_nginx_median_turn", "p99_added_vs_nginx_median_turn", "tls_bulk_vs_nginx",
                "tls_throughput_vs_nginx", "handshakes_vs_nginx", "handshakes_per_s_vs_nginx", "idle_vc_bytes", "idle_vcs_held",
                "idle_cpu_percent", "recycling_lossless", "sealed_vs_unsealed", "sealed_vs_unsealed_1k")) {
            var v = r.get(k);
            if (v == null) {
                continue; // a report from before the key
            }
            var met = r.get("met").get(k);
            var rr = r.path("ratios").path(k);
            String spread = rr.isMissingNode() ? "" : " " + text.get(rr.get("judgeable").asBoolean() ? "rpch.ratio-spread"
                    : "rpch.ratio-spread-not-judgeable", "min", rr.get("min").asText(), "max", rr.get("max").asText(), "spread",
                    rr.get("spread").isNull() ? "-" : Math.round(100 * rr.get("spread").asDouble()) + " %", "rounds", rr.get("rounds").asInt(),
                    "basis", LogonBench.basis(rr.get("basis").asText(), text));
            var blk = rr.path("blocks");
            if (!blk.isMissingNode()) {
                spread += "; " + text.get("rpch.ratio-blocks", "low", blk.get("lower_quartile").asText(), "high",
                        blk.get("upper_quartile").asText(), "count", blk.get("count").asInt(), "left", blk.get("left_out").asInt());
            }
            var verdict = r.path("verdicts").path(k).path("rounds");
            b.append(String.format(Locale.ROOT, "%-32s %s%s%s%s%n", k, v.isNull() ? text.get("rpch.ratio-null", "reason",
                    r.get("reasons").path(k).asText()) : v.asText(), spread, met == null || met.isNull() ? ""
                    : "  " + text.get(met.asBoolean() ? "rpch.target-met" : "rpch.target-missed"), verdict.isMissingNode() ? ""
                    : " " + text.get("rpch.verdict", "verdict", verdictWord(verdict.asText(), text))));
        }
        r.path("transports").fields().forEachRemaining(t -> t.getValue().get("ratios").fields().forEachRemaining(e -> b.append(
                text.get("rpch.transport-ratio", "transport", String.format(Locale.ROOT, "%-8s", t.getKey()), "ratio",
                        String.format(Locale.ROOT, "%-24s", e.getKey()), "median", e.getValue().get("median").asText(), "min",
                        e.getValue().get("min").asText(), "max", e.getValue().get("max").asText())).append('\n')));
        return b.toString();
    }

    /**
     * The latency rate with its basis and load, and the warning of a fixed rate near the maximum; a report from before
     * the machine kinds (no {@code latency_load}) as it was printed then.
     */
    private static void latencyRateLines(com.fasterxml.jackson.databind.JsonNode set, BenchText text, StringBuilder b) {
        String rate = set.path("rate_per_second").asText();
        boolean sealed = set.hasNonNull("latency_rate_sealed");
        String sealedRate = set.path("latency_rate_sealed").asText();
        if (!set.has("latency_load")) {
            b.append(sealed ? text.get("rpch.latency-rate-sealed", "rate", rate, "sealed", sealedRate)
                    : text.get("rpch.latency-rate", "rate", rate)).append('\n');
            return;
        }
        String json = set.path("rate_basis").asText();
        String kind = json.startsWith(LatencyRates.KIND_BASIS) ? json.substring(LatencyRates.KIND_BASIS.length()) : null;
        String basis = kind != null ? text.get("rpch.rate-basis.kind", "kind", kind)
                : text.get(json.equals(LatencyRates.FIXED_BASIS) ? "rpch.rate-basis.fixed" : "rpch.rate-basis.warm-up");
        String load = set.get("latency_load").isNull() ? "-" : set.get("latency_load").asText();
        String sealedLoad = set.path("latency_load_sealed").isNumber() ? set.get("latency_load_sealed").asText() : "-";
        b.append(sealed ? text.get("rpch.latency-rate-load-sealed", "rate", rate, "basis", basis, "load", load, "sealed", sealedRate,
                "sealedLoad", sealedLoad) : text.get("rpch.latency-rate-load", "rate", rate, "basis", basis, "load", load)).append('\n');
        if (set.hasNonNull("latency_load_warning")) {
            long percent = LatencyRates.percent(set.get("latency_load").asDouble());
            b.append(kind != null ? text.get("rpch.load-warning.kind", "percent", percent, "kind", kind)
                    : text.get("rpch.load-warning.fixed", "percent", percent)).append('\n');
        }
    }

    /** {@code v} with one decimal, as the progress lines show seconds. */
    static String oneDecimal(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A verdict of the JSON ({@code met}, {@code not_measured}) in {@code text}'s language; an unknown one as it is. */
    private static String verdictWord(String json, BenchText text) {
        return text.keys().contains("verdict." + json) ? text.get("verdict." + json) : json;
    }

    private static String cell(com.fasterxml.jackson.databind.JsonNode s) {
        if (s.get("median").isNull()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f [%.1f-%.1f]", s.get("median").asDouble(), s.get("min").asDouble(), s.get("max").asDouble());
    }

    /** For tests: the JSON keys every report carries. */
    public static final List<String> KEYS = List.of("throughput_vs_direct", "p50_added_vs_nginx", "p99_added_vs_nginx",
            "p99_added_vs_nginx_trimmed_rounds", "p99_added_vs_nginx_round_p99",
            "p50_added_vs_nginx_pooled", "p99_added_vs_nginx_pooled", "p50_added_vs_nginx_median_turn", "p99_added_vs_nginx_median_turn",
            "cpu_per_gib_vs_nginx", "idle_vc_bytes", "idle_vcs_held", "idle_cpu_percent", "recycling_lossless", "throughput_vs_direct_shared_cpu",
            "tls_bulk_vs_nginx", "handshakes_vs_nginx", "throughput_vs_haproxy", "cpu_per_gib_vs_haproxy",
            "sealed_vs_unsealed", "sealed_vs_unsealed_1k", "autodiscover_vs_static", "arms", "machine", "settings", "idle", "recycling", "reasons", "met", "ratios", "verdicts", "rounds",
            "transports");

}
