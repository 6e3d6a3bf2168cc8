package dev.anywhere.bench.load;

import dev.anywhere.bench.BenchText;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.bench.load.vc.LeanClient;
import dev.anywhere.rpc.input.InvalidValue;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Bulk throughput and CPU per GiB of the array against one member, same load, same run: per round, back to back, the
 * lean client's bulk load (each virtual connection keeps 4 echo calls of {@code bulkBytes} outstanding, as
 * {@code bench rpch}'s bulk phase) on three arms: {@code gateway} (gw1 alone, no balancer: the reference),
 * {@code haproxy_one} (HAProxy in front of gw1 alone) and {@code haproxy_two} (HAProxy in front of gw1 and gw2, IN and
 * OUT channels spread by round robin). The relay CPU of an arm is that of every process it relays through (HAProxy and
 * the members it uses, /proc). Ratios are computed per round ({@link RoundRatios}) from that round's arms, with the
 * machine's disturbance ({@link MachineLoad}) marking rounds.
 */
final class ArrayThroughput {

    /** The arms, in the order of every round: the two a headline ratio divides run back to back. */
    enum Arm {
        GATEWAY("gateway"), ONE("haproxy_one"), TWO("haproxy_two");

        final String id;

        Arm(String id) {
            this.id = id;
        }
    }

    /**
     * What to run.
     *
     * @param phaseSeconds each arm's bulk phase per round (the warm-up round: half)
     * @param rounds measured rounds after one warm-up round
     * @param connections virtual connections per arm (2 TCP connections each through HAProxy)
     * @param bulkBytes each call's stub
     */
    record Settings(double phaseSeconds, int rounds, int connections, int bulkBytes, Duration timeout) {

        Settings {
            if (phaseSeconds <= 0 || phaseSeconds > 600) {
                throw new InvalidValue("bench.seconds", String.valueOf(phaseSeconds), "seconds: " + phaseSeconds + " (expected: >0..600)");
            }
            if (rounds < 1 || rounds > 20) {
                throw new InvalidValue("bench.rounds", String.valueOf(rounds), "rounds: " + rounds + " (expected: 1..20)");
            }
            if (connections < 1 || connections > 64) {
                throw new InvalidValue("bench.connections", String.valueOf(connections), "connections: " + connections + " (expected: 1..64)");
            }
        }
    }

    /** One arm in one round: bulk bytes per second, CPU seconds per GiB (relays, members, HAProxy, the bench JVM). */
    record Sample(double bytesPerSecond, double relayCpuPerGib, double membersCpuPerGib, double haproxyCpuPerGib, double benchCpuPerGib,
            double secondMemberShare, long errors, String firstError, MachineLoad.Phase load) {
    }

    private ArrayThroughput() {
    }

    static ObjectNode run(Settings s, Path dir, Placement placement, int window, Consumer<String> progress) throws Exception {
        Map<Arm, List<Sample>> samples = new EnumMap<>(Arm.class);
        RpchBench bulk = new RpchBench(RpchBench.Settings.full(s.phaseSeconds(), s.connections()), progress);
        BenchText text = BenchText.local();
        progress.accept(text.get("array.throughput-start", "placement", ArrayBench.describe(placement, text)));
        try (ArrayTopology array = ArrayTopology.start(dir, window, placement, s.timeout(), true)) {
            Map<Arm, LeanClient> clients = new EnumMap<>(Arm.class);
            try {
                clients.put(Arm.GATEWAY, client(array.member(0).address(), array, window, s));
                clients.put(Arm.ONE, client(array.balancerOfFirst().address(), array, window, s));
                clients.put(Arm.TWO, client(array.balancer().address(), array, window, s));
                for (int round = 0; round <= s.rounds(); round++) {
                    double seconds = round == 0 ? Math.max(0.5, s.phaseSeconds() / 2) : s.phaseSeconds();
                    for (Arm arm : Arm.values()) {
                        progress.accept(text.get("array.throughput-bulk", "phase", round == 0 ? text.get("phase.warm-up")
                                : text.get("phase.round", "round", round), "arm", arm.id, "seconds", RpchBench.oneDecimal(seconds)));
                        Sample sample = measure(arm, clients.get(arm), array, bulk, s, seconds);
                        if (round > 0) {
                            samples.computeIfAbsent(arm, k -> new ArrayList<>()).add(sample);
                        }
                    }
                }
            } finally {
                clients.values().forEach(LeanClient::close);
            }
        }
        return report(s, samples);
    }

    private static LeanClient client(InetSocketAddress target, ArrayTopology array, int window, Settings s) {
        return new LeanClient(LeanClient.Settings.builder(target, array.endpointPort()).basic(Topology.USER, Topology.PASSWORD)
                .timeouts(s.timeout()).receiveWindow(window).build());
    }

    private static Sample measure(Arm arm, LeanClient client, ArrayTopology array, RpchBench bulk, Settings s, double seconds) throws Exception {
        List<LoadConnection> conns = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        String[] firstError = {null};
        Consumer<Throwable> onError = e -> {
            if (errors.getAndIncrement() == 0) {
                firstError[0] = HttpConnection.describe(e);
            }
        };
        try {
            for (int i = 0; i < s.connections(); i++) {
                try {
                    conns.add(RotatingConnection.open(client, IdleProbe.sourceAddress(i), s.timeout()));
                } catch (Exception e) {
                    onError.accept(e);
                }
            }
            if (conns.isEmpty()) {
                return new Sample(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, errors.get(), firstError[0],
                        MachineLoad.Phase.UNKNOWN);
            }
            ArrayMember gw1 = array.member(0);
            ArrayMember gw2 = array.member(1);
            long haproxy = arm == Arm.ONE ? array.balancerOfFirst().pid() : array.balancer().pid();
            MachineLoad.Mark mark = MachineLoad.mark(ownCpu(array));
            double g1 = gw1.cpuSeconds();
            double g2 = gw2.cpuSeconds();
            double h = CpuMeter.procSeconds(haproxy);
            double bench = CpuMeter.processSeconds();
            long t0 = System.nanoTime();
            long bytes = bulk.bulk(conns, seconds, s.bulkBytes(), onError)[0];
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double dg1 = gw1.cpuSeconds() - g1;
            double dg2 = gw2.cpuSeconds() - g2;
            double dh = CpuMeter.procSeconds(haproxy) - h;
            double dBench = CpuMeter.processSeconds() - bench;
            MachineLoad.Phase load = MachineLoad.since(mark, ownCpu(array));
            double gib = bytes / (double) (1L << 30);
            // an arm is charged for the processes it relays through; the idle ones only answer health checks
            double members = arm == Arm.TWO ? dg1 + dg2 : dg1;
            double balancer = arm == Arm.GATEWAY ? 0 : dh;
            return new Sample(bytes / elapsed, perGib(members + balancer, gib), perGib(members, gib), arm == Arm.GATEWAY ? Double.NaN
                    : perGib(balancer, gib), perGib(dBench, gib), arm == Arm.TWO && members > 0 ? dg2 / members : Double.NaN,
                    errors.get(), firstError[0], load);
        } finally {
            conns.forEach(LoadConnection::close);
        }
    }

    private static double perGib(double cpu, double gib) {
        return gib > 0 ? cpu / gib : Double.NaN;
    }

    /** The benchmark's own CPU so far: this JVM (client, endpoints) and every process of the array. */
    private static double ownCpu(ArrayTopology array) {
        return CpuMeter.processSeconds() + CpuMeter.processesSeconds(array.pids());
    }

    static ObjectNode report(Settings s, Map<Arm, List<Sample>> samples) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode r = m.createObjectNode();
        r.putObject("settings").put("phase_seconds", s.phaseSeconds()).put("rounds", s.rounds()).put("warmup_rounds", 1)
                .put("connections", s.connections()).put("depth", RpchBench.Settings.full(1, 1).depth()).put("bulk_bytes", s.bulkBytes())
                .put("order", "gateway,haproxy_one,haproxy_two per round")
                .put("member_jvm", "-Xms" + (ArrayMember.HEAP_BYTES >> 20) + "m -Xmx" + (ArrayMember.HEAP_BYTES >> 20)
                        + "m -XX:+AlwaysPreTouch -XX:+UseG1GC (-XX:ActiveProcessorCount=1 when pinned)");
        int count = samples.values().stream().mapToInt(List::size).max().orElse(0);
        List<Boolean> disturbed = new ArrayList<>();
        ArrayNode rounds = r.putArray("rounds");
        for (int i = 0; i < count; i++) {
            int round = i;
            List<MachineLoad.Phase> phases = samples.values().stream().filter(l -> round < l.size()).map(l -> l.get(round).load()).toList();
            boolean d = phases.stream().anyMatch(MachineLoad.Phase::disturbed);
            disturbed.add(d);
            rounds.addObject().put("round", i + 1).put("disturbed", d)
                    .put("max_other_cpus", RpchBench.round(phases.stream().mapToDouble(MachineLoad.Phase::otherCpus).max().orElse(Double.NaN)))
                    .put("max_steal_percent", RpchBench.round(100 * phases.stream().mapToDouble(MachineLoad.Phase::stealShare).max().orElse(Double.NaN)));
        }
        ObjectNode arms = r.putObject("arms");
        for (Arm a : Arm.values()) {
            List<Sample> l = samples.getOrDefault(a, List.of());
            ObjectNode n = arms.putObject(a.id);
            n.set("throughput_mib_per_s", RpchBench.stats(m, l.stream().map(x -> x.bytesPerSecond() / (1 << 20)).toList()));
            n.set("relay_cpu_s_per_gib", RpchBench.stats(m, l.stream().map(Sample::relayCpuPerGib).toList()));
            n.set("members_cpu_s_per_gib", RpchBench.stats(m, l.stream().map(Sample::membersCpuPerGib).toList()));
            n.set("haproxy_cpu_s_per_gib", RpchBench.stats(m, l.stream().map(Sample::haproxyCpuPerGib).toList()));
            n.set("bench_cpu_s_per_gib", RpchBench.stats(m, l.stream().map(Sample::benchCpuPerGib).toList()));
            if (a == Arm.TWO) {
                n.set("gw2_share_of_members_cpu", RpchBench.stats(m, l.stream().map(Sample::secondMemberShare).toList()));
            }
            n.set("other_cpus", RpchBench.stats(m, l.stream().map(x -> x.load().otherCpus()).toList()));
            n.put("disturbed_rounds", l.stream().filter(x -> x.load().disturbed()).count());
            n.put("errors", l.stream().mapToLong(Sample::errors).sum());
            l.stream().map(Sample::firstError).filter(e -> e != null).findFirst().ifPresent(e -> n.put("first_error", e));
        }
        ObjectNode ratios = r.putObject("ratios");
        ratio(m, r, ratios, "two_vs_one", samples, disturbed, Arm.TWO, Arm.ONE, Sample::bytesPerSecond);
        ratio(m, r, ratios, "cpu_per_gib_two_vs_one", samples, disturbed, Arm.TWO, Arm.ONE, Sample::relayCpuPerGib);
        ratio(m, r, ratios, "members_cpu_per_gib_two_vs_one", samples, disturbed, Arm.TWO, Arm.ONE, Sample::membersCpuPerGib);
        ratio(m, r, ratios, "one_vs_gateway", samples, disturbed, Arm.ONE, Arm.GATEWAY, Sample::bytesPerSecond);
        ratio(m, r, ratios, "two_vs_gateway", samples, disturbed, Arm.TWO, Arm.GATEWAY, Sample::bytesPerSecond);
        ratio(m, r, ratios, "cpu_per_gib_one_vs_gateway", samples, disturbed, Arm.ONE, Arm.GATEWAY, Sample::relayCpuPerGib);
        ratio(m, r, ratios, "cpu_per_gib_two_vs_gateway", samples, disturbed, Arm.TWO, Arm.GATEWAY, Sample::relayCpuPerGib);
        return r;
    }

    /** {@code key}: numerator ÷ denominator per round, its headline median at the top and its rounds under {@code ratios}. */
    private static void ratio(ObjectMapper m, ObjectNode root, ObjectNode ratios, String key, Map<Arm, List<Sample>> samples,
            List<Boolean> disturbed, Arm numerator, Arm denominator, ToDoubleFunction<Sample> f) {
        RoundRatios rr = new RoundRatios(RoundRatios.divide(series(samples, numerator, f, disturbed.size()),
                series(samples, denominator, f, disturbed.size())), disturbed);
        double median = rr.headline().median();
        if (Double.isNaN(median) || Double.isInfinite(median)) {
            root.putNull(key);
        } else {
            root.put(key, RpchBench.round(median));
        }
        RpchBench.ratioNode(m, ratios, key, rr);
    }

    private static List<Double> series(Map<Arm, List<Sample>> samples, Arm arm, ToDoubleFunction<Sample> f, int rounds) {
        List<Sample> l = samples.getOrDefault(arm, List.of());
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            out.add(i < l.size() ? f.applyAsDouble(l.get(i)) : Double.NaN);
        }
        return out;
    }

    /** The report as a few lines of text in {@code text}'s language; the first error as it came (quoted in German). */
    static String text(ObjectNode r, BenchText text) {
        StringBuilder b = new StringBuilder();
        var set = r.get("settings");
        b.append(text.get("array.throughput-heading", "rounds", set.get("rounds").asInt(), "seconds", RpchBench.oneDecimal(set.get("phase_seconds")
                .asDouble()), "connections", set.get("connections").asInt(), "depth", set.get("depth").asInt(), "bytes",
                set.get("bulk_bytes").asInt())).append('\n');
        b.append(String.format(Locale.ROOT, "%-12s %-26s %-26s %-26s%n", text.get("column.arm"), text.get("column.throughput"),
                text.get("column.relay-cpu"), text.get("column.members-cpu")));
        r.get("arms").fields().forEachRemaining(e -> b.append(String.format(Locale.ROOT, "%-12s %-26s %-26s %-26s%s%n", e.getKey(),
                cell(e.getValue().get("throughput_mib_per_s")), cell(e.getValue().get("relay_cpu_s_per_gib")),
                cell(e.getValue().get("members_cpu_s_per_gib")), e.getValue().get("errors").asLong() > 0 ? "  " + text.get("array.errors",
                        "errors", e.getValue().get("errors").asLong(), "detail", e.getValue().path("first_error").asText()) : "")));
        r.get("ratios").fields().forEachRemaining(e -> b.append(text.get("array.ratio", "ratio", String.format(Locale.ROOT, "%-34s", e.getKey()),
                "median", e.getValue().get("median"), "min", e.getValue().get("min"), "max", e.getValue().get("max"), "rounds",
                e.getValue().get("rounds").asInt(), "basis", LogonBench.basis(e.getValue().get("basis").asText(), text), "judgeable",
                text.get(e.getValue().get("judgeable").asBoolean() ? "array.judgeable" : "array.not-judgeable"))).append('\n'));
        return b.toString();
    }

    private static String cell(com.fasterxml.jackson.databind.JsonNode s) {
        return s.get("median").isNull() ? "-" : s.get("median").asText() + " [" + s.get("min").asText() + "-" + s.get("max").asText() + "]";
    }
}
