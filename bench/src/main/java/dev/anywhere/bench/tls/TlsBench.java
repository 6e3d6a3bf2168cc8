package dev.anywhere.bench.tls;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.bench.load.CpuMeter;
import dev.anywhere.bench.load.NginxRelay;
import dev.anywhere.lab.pki.KeyType;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * TLS 1.3 handshakes/s and TLS bulk cost: nginx (OpenSSL 3) vs the gateway with the JDK provider vs the gateway with
 * netty-tcnative BoringSSL, same certificate, suite and group ({@link TlsMaterial}), same client ({@link HandshakeRate}).
 *
 * <p>nginx and the two gateways run as child processes (the gateways as child JVMs, {@link TlsGateway#spawn}),
 * optionally pinned with {@code taskset -c <server-cpus>}, their CPU read from /proc; this JVM is the client,
 * optionally pinned to {@code <client-cpus>}. Per round each target gets {@code seconds} of full handshakes in a fixed
 * order (nginx, gateway-jdk, gateway-openssl); a warm-up round is discarded. Then, in this JVM, the SslHandler record
 * cost per provider ({@link TlsRecordThroughput}), interleaved.
 *
 * <p>Read the CPU per handshake (and its inverse, handshakes per core-second) first: on a shared 2-core machine the
 * handshakes/s of a target follow the CPU share the scheduler gives it, and a one-thread nginx worker gets a smaller
 * share of a contended CPU than a JVM with several busy threads. The rates are only comparable on a quiet machine.
 *
 * <pre>
 * java -cp … dev.anywhere.bench.tls.TlsBench [--seconds 10] [--warmup 10] [--rounds 3] [--concurrency 16]
 *     [--server-cpus 0] [--client-cpus 1] [--client-provider openssl|jdk] [--key rsa2048|ec256]
 *     [--bulk-mib 256] [--bulk-rounds 3] [--embedded-handshakes 400] [--no-bulk] [--no-embedded] [--no-handshakes]
 *     [--work DIR]
 * </pre>
 */
public final class TlsBench {

    private TlsBench() {
    }

    /** One handshake measurement plus the server's CPU over it. */
    record Sample(int round, HandshakeRate.Result result, double serverCpuSeconds, double clientCpuSeconds) {
        double cpuMsPerHandshake() {
            return result.handshakes() == 0 ? Double.NaN : serverCpuSeconds * 1000 / result.handshakes();
        }

        double serverCores() {
            return serverCpuSeconds / result.seconds();
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = parse(args);
        double seconds = Double.parseDouble(o.getOrDefault("seconds", "10"));
        double warmup = Double.parseDouble(o.getOrDefault("warmup", "10"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
        int concurrency = Integer.parseInt(o.getOrDefault("concurrency", "16"));
        String serverCpus = o.getOrDefault("server-cpus", "");
        String clientCpus = o.getOrDefault("client-cpus", "");
        KeyType keyType = KeyType.of(o.getOrDefault("key", "rsa2048"));
        long bulkMib = Long.parseLong(o.getOrDefault("bulk-mib", "256"));
        int bulkRounds = Integer.parseInt(o.getOrDefault("bulk-rounds", "3"));
        Path work = Path.of(o.getOrDefault("work", "target/tls-bench")).toAbsolutePath();

        TlsMaterial.restrictNamedGroups();
        if (!clientCpus.isEmpty()) {
            pinSelf(clientCpus);
        }
        SslProvider clientProvider = TlsMaterial.provider(o.getOrDefault("client-provider",
                TlsMaterial.openSslAvailable() ? "openssl" : "jdk"));
        Files.createDirectories(work);
        TlsMaterial material = TlsMaterial.create(work.resolve("tls-" + keyType.id()), keyType);

        ObjectNode json = new ObjectMapper().createObjectNode();
        ObjectNode machine = json.putObject("machine");
        machine.put("java", System.getProperty("java.vm.version"));
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("boringssl", TlsMaterial.openSslAvailable() ? OpenSsl.versionString() : "unavailable");
        NginxRelay.version().ifPresent(v -> machine.put("nginx", v));
        ObjectNode setup = json.putObject("setup");
        setup.put("key", material.keyDescription());
        setup.put("protocol", TlsMaterial.PROTOCOL);
        setup.put("suite", TlsMaterial.SUITE);
        setup.put("group", TlsMaterial.OPENSSL_GROUP);
        setup.put("client_provider", clientProvider.name());
        setup.put("concurrency", concurrency);
        setup.put("seconds", seconds);
        setup.put("rounds", rounds);
        setup.put("server_cpus", serverCpus);
        setup.put("client_cpus", clientCpus);
        System.out.printf(Locale.ROOT, "TLS bench: %s, %s %s %s, client %s, C=%d, %s s x %d rounds (+%s s warm-up), server cpus '%s', client cpus '%s'%n",
                material.keyDescription(), TlsMaterial.PROTOCOL, TlsMaterial.SUITE, TlsMaterial.OPENSSL_GROUP, clientProvider, concurrency,
                seconds, rounds, warmup, serverCpus, clientCpus);

        if (!o.containsKey("no-handshakes")) {
            handshakes(json, material, work, clientProvider, serverCpus, seconds, warmup, rounds, concurrency);
        }
        if (!o.containsKey("no-embedded")) {
            embeddedHandshakes(json, material, Integer.parseInt(o.getOrDefault("embedded-handshakes", "400")), bulkRounds);
        }
        if (!o.containsKey("no-bulk")) {
            bulk(json, material, bulkMib << 20, bulkRounds);
        }
        Path out = work.resolve("tls-bench-" + keyType.id() + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);
        System.out.println("written " + out);
        System.exit(0);
    }

    private static void handshakes(ObjectNode json, TlsMaterial material, Path work, SslProvider clientProvider, String serverCpus,
            double seconds, double warmup, int rounds, int concurrency) throws Exception {
        List<String> prefix = serverCpus.isEmpty() ? List.of() : List.of("taskset", "-c", serverCpus);
        int serverCpuCount = serverCpus.isEmpty() ? Runtime.getRuntime().availableProcessors() : cpuCount(serverCpus);
        List<String> jvm = new ArrayList<>(List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC", "-XX:+AlwaysPreTouch"));
        if (!serverCpus.isEmpty()) {
            jvm.add("-XX:ActiveProcessorCount=" + serverCpuCount);
        }
        record Target(String name, InetSocketAddress address, List<Long> pids) {}
        List<AutoCloseable> closing = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            TlsGateway.Child jdk = TlsGateway.spawn(work.resolve("gateway-jdk"), material.directory(), SslProvider.JDK, prefix, jvm);
            closing.add(jdk);
            TlsGateway.Child openssl = null;
            if (TlsMaterial.openSslAvailable()) {
                openssl = TlsGateway.spawn(work.resolve("gateway-openssl"), material.directory(), SslProvider.OPENSSL, prefix, jvm);
                closing.add(openssl);
            } else {
                System.out.println("gateway-openssl: skipped, tcnative unavailable: " + TlsMaterial.openSslUnavailabilityCause().orElse(null));
            }
            if (NginxRelay.binary().isPresent()) {
                NginxRelay nginx = NginxRelay.start(work.resolve("nginx"), new InetSocketAddress("127.0.0.1", freePort()), jdk.address(),
                        Math.max(1024, concurrency * 4), Optional.of(new NginxRelay.Tls(material.certificateChainFile(),
                                material.privateKeyFile(), false)), prefix);
                closing.add(nginx);
                targets.add(new Target("nginx", nginx.address(), nginx.pids()));
            } else {
                System.out.println("nginx: skipped, not installed");
            }
            targets.add(new Target("gateway-jdk", jdk.address(), jdk.pids()));
            if (openssl != null) {
                targets.add(new Target("gateway-openssl", openssl.address(), openssl.pids()));
            }
            HandshakeRate client = new HandshakeRate(material, clientProvider, group);
            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            for (int round = 0; round <= rounds; round++) {
                for (Target t : targets) {
                    double s = round == 0 ? warmup : seconds;
                    double cpu0 = CpuMeter.processesSeconds(t.pids());
                    double client0 = CpuMeter.processSeconds();
                    HandshakeRate.Result r = client.run(t.name(), t.address(), Duration.ofMillis((long) (s * 1000)), concurrency);
                    Sample sample = new Sample(round, r, CpuMeter.processesSeconds(t.pids()) - cpu0, CpuMeter.processSeconds() - client0);
                    System.out.printf(Locale.ROOT, "%s %-16s %7.0f hs/s  p50 %6.0f us  p99 %7.0f us  fail %d  full %d/%d  server %.3f ms CPU/hs (%.2f cores)  client %.3f ms CPU/hs%n",
                            round == 0 ? "warm-up" : "round " + round, t.name(), r.perSecond(), r.p50Micros(), r.p99Micros(), r.failures(),
                            r.certificateChecks(), r.handshakes(), sample.cpuMsPerHandshake(), sample.serverCores(),
                            r.handshakes() == 0 ? Double.NaN : sample.clientCpuSeconds() * 1000 / r.handshakes());
                    if (r.failures() > 0) {
                        System.out.println("  first failure: " + r.firstFailure());
                    }
                    if (round > 0) {
                        samples.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(sample);
                    }
                }
            }
            ObjectNode hs = json.putObject("handshakes");
            System.out.println();
            System.out.println("median of " + rounds + " rounds (min-max):");
            double nginxRate = Double.NaN;
            double nginxCpu = Double.NaN;
            for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
                double[] rate = e.getValue().stream().mapToDouble(x -> x.result().perSecond()).toArray();
                double[] cpu = e.getValue().stream().mapToDouble(Sample::cpuMsPerHandshake).toArray();
                double[] p99 = e.getValue().stream().mapToDouble(x -> x.result().p99Micros()).toArray();
                double[] p50 = e.getValue().stream().mapToDouble(x -> x.result().p50Micros()).toArray();
                double[] cores = e.getValue().stream().mapToDouble(Sample::serverCores).toArray();
                long failures = e.getValue().stream().mapToLong(x -> x.result().failures()).sum();
                if (e.getKey().equals("nginx")) {
                    nginxRate = median(rate);
                    nginxCpu = median(cpu);
                }
                ObjectNode n = hs.putObject(e.getKey());
                stats(n.putObject("per_second"), rate);
                stats(n.putObject("server_cpu_ms_per_handshake"), cpu);
                stats(n.putObject("server_cores"), cores);
                stats(n.putObject("p50_us"), p50);
                stats(n.putObject("p99_us"), p99);
                n.put("failures", failures);
                n.put("protocol", e.getValue().get(0).result().protocol());
                n.put("suite", e.getValue().get(0).result().cipherSuite());
                n.put("ratio_to_nginx_per_second", median(rate) / nginxRate);
                n.put("ratio_to_nginx_cpu_per_handshake", median(cpu) / nginxCpu);
                // what one fully available core would do: robust against the CPU share the scheduler happened to give
                n.put("handshakes_per_core_second", 1000 / median(cpu));
                n.put("ratio_to_nginx_handshakes_per_core_second", nginxCpu / median(cpu));
                System.out.printf(Locale.ROOT, "  %-16s %7.0f hs/s (%.0f-%.0f) = %.2fx nginx;  %.3f ms server CPU/hs (%.3f-%.3f) = %.2fx nginx"
                        + " -> %.0f hs per core-second = %.2fx nginx;  p50 %.0f us, p99 %.0f us; %d failures%n",
                        e.getKey(), median(rate), min(rate), max(rate), median(rate) / nginxRate, median(cpu), min(cpu), max(cpu),
                        median(cpu) / nginxCpu, 1000 / median(cpu), nginxCpu / median(cpu), median(p50), median(p99), failures);
            }
        } finally {
            for (int i = closing.size() - 1; i >= 0; i--) {
                try {
                    closing.get(i).close();
                } catch (Exception e) {
                    System.out.println("close: " + e);
                }
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void embeddedHandshakes(ObjectNode json, TlsMaterial material, int n, int rounds) throws Exception {
        List<SslProvider> providers = new ArrayList<>(List.of(SslProvider.JDK));
        if (TlsMaterial.openSslAvailable()) {
            providers.add(SslProvider.OPENSSL);
        }
        System.out.println();
        System.out.println("server SslHandler CPU per full handshake, EmbeddedChannel, one thread (median of " + n + " handshakes per sample):");
        for (SslProvider p : providers) {
            TlsRecordThroughput.serverHandshakeMicros(material, p, Math.max(200, n)); // warm-up, discarded
        }
        Map<SslProvider, List<Double>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (SslProvider p : providers) {
                double us = TlsRecordThroughput.serverHandshakeMicros(material, p, n);
                System.out.printf(Locale.ROOT, "  round %d %-7s %.0f us%n", round, p, us);
                results.computeIfAbsent(p, k -> new ArrayList<>()).add(us);
            }
        }
        ObjectNode e = json.putObject("embedded_server_handshake_us");
        for (Map.Entry<SslProvider, List<Double>> r : results.entrySet()) {
            double[] v = r.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            stats(e.putObject(r.getKey().name()), v);
            System.out.printf(Locale.ROOT, "  %-7s median %.0f us (%.0f-%.0f)%n", r.getKey(), median(v), min(v), max(v));
        }
    }

    private static void bulk(ObjectNode json, TlsMaterial material, long bytes, int rounds) throws Exception {
        List<SslProvider> providers = new ArrayList<>(List.of(SslProvider.JDK));
        if (TlsMaterial.openSslAvailable()) {
            providers.add(SslProvider.OPENSSL);
        }
        record Mode(int writeBytes, boolean flushEach) {}
        List<Mode> modes = List.of(new Mode(16384, false), new Mode(5840, true));
        System.out.println();
        System.out.println("SslHandler record cost, server side, one thread (" + (bytes >> 20) + " MiB each way per sample):");
        // warm-up, discarded
        for (SslProvider p : providers) {
            for (Mode m : modes) {
                TlsRecordThroughput.measure(material, p, m.writeBytes(), m.flushEach(), Math.min(bytes, 256L << 20));
            }
        }
        Map<String, List<TlsRecordThroughput.Result>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Mode m : modes) {
                for (SslProvider p : providers) {
                    TlsRecordThroughput.Result r = TlsRecordThroughput.measure(material, p, m.writeBytes(), m.flushEach(), bytes);
                    System.out.println("  round " + round + " " + r);
                    results.computeIfAbsent(p + "/" + m.writeBytes() + (m.flushEach() ? "/flush-each" : ""), k -> new ArrayList<>()).add(r);
                }
            }
        }
        ObjectNode b = json.putObject("bulk_sslhandler");
        System.out.println("median:");
        for (Map.Entry<String, List<TlsRecordThroughput.Result>> e : results.entrySet()) {
            double[] enc = e.getValue().stream().mapToDouble(TlsRecordThroughput.Result::encryptGBps).toArray();
            double[] dec = e.getValue().stream().mapToDouble(TlsRecordThroughput.Result::decryptGBps).toArray();
            double[] cpu = e.getValue().stream().mapToDouble(TlsRecordThroughput.Result::cpuSecondsPerGiB).toArray();
            ObjectNode n = b.putObject(e.getKey());
            stats(n.putObject("encrypt_gb_per_s"), enc);
            stats(n.putObject("decrypt_gb_per_s"), dec);
            stats(n.putObject("cpu_s_per_gib"), cpu);
            System.out.printf(Locale.ROOT, "  %-28s encrypt %.2f GB/s (%.2f-%.2f), decrypt %.2f GB/s (%.2f-%.2f), %.3f CPU s/GiB%n", e.getKey(),
                    median(enc), min(enc), max(enc), median(dec), min(dec), max(dec), median(cpu));
        }
    }

    private static void stats(ObjectNode n, double[] v) {
        n.put("median", median(v));
        n.put("min", min(v));
        n.put("max", max(v));
        ArrayNode all = n.putArray("samples");
        for (double x : v) {
            all.add(x);
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static int cpuCount(String list) {
        int n = 0;
        for (String part : list.split(",")) {
            String[] r = part.split("-");
            n += r.length == 1 ? 1 : Integer.parseInt(r[1].trim()) - Integer.parseInt(r[0].trim()) + 1;
        }
        return n;
    }

    /** Pins every thread of this JVM (and so the threads they start) to {@code cpus}. */
    private static void pinSelf(String cpus) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("taskset -a -p -c " + cpus + ": failed");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("argument: " + a + " (expected: --name [value])");
            }
            String name = a.substring(2);
            if (name.startsWith("no-")) {
                o.put(name, "true");
            } else if (i + 1 < args.length) {
                o.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + ": missing value");
            }
        }
        return o;
    }
}
