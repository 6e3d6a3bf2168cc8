package dev.anywhere.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.rpc.testing.Peers;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code bench rpch --smoke} logic with tiny numbers on loopback: every documented key is present and the values
 * are sane. No timing targets: ratios are only checked for being positive numbers or null with a reason.
 */
class RpchBenchSmokeTest {

    @TempDir
    Path dir;

    /** Tiny numbers; the nginx run also pins (when taskset is there), so that path runs too. */
    private static RpchBench.Settings tiny(boolean nginx) {
        return new RpchBench.Settings(0.3, 1, 2, 4096, 512, 100, 1, 20, nginx, Duration.ofSeconds(10), nginx, 0x40000, nginx, 0x10000);
    }

    private static void assertArm(JsonNode arm) {
        assertThat(arm.get("available").asBoolean()).as(arm.toString()).isTrue();
        assertThat(arm.get("errors").asLong()).as(arm.toString()).isZero();
        assertThat(arm.get("throughput_mib_per_s").get("median").asDouble()).isPositive();
        assertThat(arm.get("p50_us").get("median").asDouble()).isPositive();
        assertThat(arm.get("p99_us").get("median").asDouble()).isGreaterThanOrEqualTo(arm.get("p50_us").get("median").asDouble());
        assertThat(arm.get("latency_calls").asLong()).isPositive();
        // one round: the pooled percentiles are that round's
        assertThat(arm.get("p99_us_pooled").asDouble()).isEqualTo(arm.get("p99_us").get("median").asDouble());
        assertThat(arm.get("p50_us_pooled").asDouble()).isEqualTo(arm.get("p50_us").get("median").asDouble());
        // one turn per round in these tiny runs: its median turn is the round
        assertThat(arm.get("p99_us_median_turn").get("median").asDouble()).isEqualTo(arm.get("p99_us").get("median").asDouble());
        assertThat(arm.get("setup_ms_median").get("median").asDouble()).isPositive();
    }

    private static void assertKeyOrReason(ObjectNode r, String key) {
        assertThat(r.has(key)).as(key).isTrue();
        if (r.get(key).isNull()) {
            assertThat(r.get("reasons").path(key).asText()).as("reason for null " + key).isNotBlank();
        } else {
            assertThat(r.get(key).asDouble()).as(key).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    @Timeout(90)
    void reportHasEveryDocumentedKeyWithoutNginx() throws Exception {
        List<String> progress = new ArrayList<>();
        ObjectNode r = new RpchBench(tiny(false), progress::add).histogramsTo(dir.resolve("hlog")).run(dir.resolve("work"));
        for (String k : RpchBench.KEYS) {
            assertThat(r.has(k)).as(k).isTrue();
        }
        assertArm(r.get("arms").get("direct"));
        assertArm(r.get("arms").get("upstream"));
        assertArm(r.get("arms").get("gateway"));
        assertThat(r.get("arms").get("gateway").get("relay_cpu_measures").asText()).contains("whole process");
        // the relay's cost by mechanism: the gateway's process switches threads; the direct arm has no relay to count
        assertThat(r.get("arms").get("gateway").get("relay_context_switches_per_gib").get("median").asDouble()).isPositive();
        assertThat(r.get("arms").get("gateway").get("relay_cpu_system_s_per_gib").has("median")).isTrue();
        assertThat(r.get("arms").get("direct").get("relay_context_switches_per_gib").get("median").isNull()).isTrue();
        if (!SyscallCount.wanted()) {
            assertThat(r.get("arms").get("gateway").has("relay_syscalls_per_gib")).isFalse(); // counted only when asked
        }
        // sealed against unsealed: the same gateway process, back to back, bulk and 1 KiB calls in every round
        assertArm(r.get("arms").get("gateway_sealed"));
        assertThat(r.get("settings").get("rpc_auth").asText()).isEqualTo("privacy");
        for (String arm : List.of("gateway", "gateway_sealed")) {
            assertThat(r.get("arms").get(arm).get("calls_per_s_1k").get("median").asDouble()).as(arm).isPositive();
        }
        assertThat(r.get("arms").get("direct").has("calls_per_s_1k")).isFalse(); // measured in the warm-up only
        for (String k : List.of("sealed_vs_unsealed", "sealed_vs_unsealed_1k")) {
            assertThat(r.get(k).asDouble()).as(k).isPositive();
            JsonNode ratio = r.get("ratios").get(k);
            assertThat(ratio.get("per_round")).as(k).hasSize(1);
            assertThat(ratio.get("judgeable").asBoolean()).as(k).isFalse(); // one round never judges a goal
            assertThat(r.get("verdicts").get(k).get("rounds").asText()).isIn("met", "missed", "undecided");
            assertThat(r.get("targets").get(k + "_min").asDouble()).isEqualTo(0.6);
        }
        assertThat(progress).anyMatch(l -> l.startsWith("round 1 gateway_sealed") && l.contains("1 KiB closed loop"));
        assertThat(RpchBench.table(r)).contains("gateway_sealed", "sealed_vs_unsealed_1k");
        assertThat(r.get("arms").get("nginx").get("available").asBoolean()).isFalse();
        assertThat(r.get("arms").get("gateway_tls").get("reason").asText()).contains("--no-tls");
        assertThat(r.get("throughput_vs_direct_shared_cpu").asDouble()).isPositive();
        assertThat(r.get("throughput_vs_direct").asDouble()).isPositive();
        for (String k : List.of("p50_added_vs_nginx", "p99_added_vs_nginx", "p50_added_vs_nginx_pooled", "p99_added_vs_nginx_pooled",
                "p50_added_vs_nginx_median_turn", "p99_added_vs_nginx_median_turn", "cpu_per_gib_vs_nginx")) {
            assertThat(r.get(k).isNull()).as(k).isTrue();
            assertThat(r.get("reasons").get(k).asText()).contains("nginx arm did not run");
        }
        JsonNode idle = r.get("idle");
        assertThat(idle.get("opened").asInt()).as(idle.toString()).isEqualTo(20);
        assertThat(idle.get("answered_after_idle").asInt()).as(idle.toString()).isEqualTo(20);
        assertThat(r.get("idle_vcs_held").asInt()).isEqualTo(20);
        assertThat(r.get("met").get("idle_vcs_held").asBoolean()).isFalse(); // 20 is not 20,000
        assertThat(r.get("idle_vc_bytes").asLong()).isNotNegative(); // heap deltas of 20 connections can drown in GC noise
        assertThat(idle.get("heap_max_mib").asInt()).isEqualTo(1024);
        assertThat(r.get("idle_cpu_percent").asDouble()).isNotNegative();
        assertThat(idle.get("idle_cpu_percent_by_thread").isObject()).as(idle.toString()).isTrue();
        JsonNode rec = r.get("recycling");
        assertThat(rec.get("calls").asLong()).as(rec.toString()).isPositive();
        assertThat(rec.get("lost").asLong()).as(rec.toString()).isZero();
        assertThat(rec.get("mismatched").asLong()).as(rec.toString()).isZero();
        assertThat(rec.get("in_recycles").asInt() + rec.get("out_recycles").asInt()).as(rec.toString()).isPositive();
        assertThat(r.get("settings").get("pinned").asBoolean()).isFalse();
        assertThat(r.get("settings").get("rate_per_second").asInt()).isEqualTo(100);
        assertThat(r.get("settings").get("receive_window_bytes").asInt()).isEqualTo(0x10000);
        assertThat(r.get("settings").get("rate_basis").asText()).contains("fixed");
        assertThat(r.get("settings").get("latency_rate_sealed").asInt()).isEqualTo(100); // --rate: every arm at it
        assertThat(r.get("settings").get("latency_rate_sealed_basis").asText()).contains("fixed");
        assertThat(r.get("settings").get("latency_load").isNumber()).isTrue(); // 100 calls/s over the warm-up's maximum
        assertThat(r.get("machine").has("kind")).isTrue();
        assertThat(r.get("arms").get("gateway").get("p99_us_turns")).hasSize(1); // one round of one turn
        assertThat(r.get("arms").get("gateway").get("p99_us_turns").get(0).get(0).asDouble())
                .isEqualTo(r.get("arms").get("gateway").get("p99_us").get("median").asDouble(), org.assertj.core.api.Assertions.within(1.0));
        assertThat(r.get("autodiscover_vs_static").isNull()).isTrue();
        assertThat(r.get("reasons").get("autodiscover_vs_static").asText()).isNotBlank();
        assertThat(progress).anyMatch(l -> l.startsWith("warm-up direct")).anyMatch(l -> l.startsWith("round 1 gateway"))
                .anyMatch(l -> l.startsWith("recycling under bulk load")).anyMatch(l -> l.startsWith("idle capacity"));
        assertThat(RpchBench.table(r)).contains("direct", "gateway", "throughput_vs_direct", "nginx            not run");
        Path hlog = dir.resolve("hlog/gateway-round1.hlog");
        assertThat(hlog).exists();
        org.HdrHistogram.Histogram h = (org.HdrHistogram.Histogram) new org.HdrHistogram.HistogramLogReader(hlog.toFile()).nextIntervalHistogram();
        assertThat(h.getTotalCount()).isEqualTo(r.get("arms").get("gateway").get("latency_calls").asLong());
    }

    @Test
    @Timeout(90)
    void nginxArmRunsWhenNginxIsInstalled() throws Exception {
        Peers.require(NginxRelay.binary().isPresent(), "nginx (Debian package nginx)");
        Peers.require(HaproxyRelay.binary().isPresent(), "haproxy (Debian package haproxy)");
        List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        ObjectNode r = new RpchBench(tiny(true).withIdleVcs(0).withRecycleLifetime(0), progress::add).run(dir);
        assertArm(r.get("arms").get("haproxy"));
        assertArm(r.get("arms").get("nginx_tls"));
        assertArm(r.get("arms").get("gateway_tls"));
        for (String k : List.of("tls_bulk_vs_nginx", "tls_throughput_vs_nginx", "handshakes_vs_nginx", "handshakes_per_s_vs_nginx",
                "handshakes_vs_nginx_ecdsa")) {
            assertKeyOrReason(r, k); // tiny runs: CPU may stay below /proc's 10 ms ticks
        }
        assertThat(r.get("tls_throughput_vs_nginx").asDouble()).isPositive();
        JsonNode hs = r.get("tls").get("handshakes");
        for (String arm : List.of("nginx_tls", "gateway_tls", "nginx_tls_ecdsa-p256", "gateway_tls_ecdsa-p256")) {
            assertThat(hs.get(arm).get("handshakes").asLong()).as(hs.toString()).isPositive();
            assertThat(hs.get(arm).get("failures").asLong()).as(hs.toString()).isZero();
            assertThat(hs.get(arm).get("protocol").asText()).isEqualTo("TLSv1.3");
            assertThat(hs.get(arm).get("cipher_suite").asText()).isEqualTo("TLS_AES_128_GCM_SHA256");
        }
        // the RSA handshakes in every round (the warm-up's discarded), after the round's latency phase
        for (String arm : List.of("nginx_tls", "gateway_tls")) {
            assertThat(hs.get(arm).get("rounds").asInt()).as(hs.toString()).isEqualTo(1);
            assertThat(hs.get(arm).get("per_s_rounds")).hasSize(1);
            assertThat(hs.get(arm).get("relay_cpu_ms_per_handshake_rounds")).hasSize(1);
        }
        assertThat(hs.get("gateway_tls_ecdsa-p256").has("rounds")).isFalse(); // once, after the rounds
        if (!r.get("handshakes_vs_nginx").isNull()) {
            assertThat(r.get("ratios").get("handshakes_vs_nginx").get("per_round")).hasSize(1);
            assertThat(r.get("verdicts").get("handshakes_vs_nginx").get("rounds").asText()).isIn("met", "missed", "undecided");
        }
        int nginxHandshakes = line(progress, "round 1 nginx_tls", "TLS handshakes (RSA 2048)");
        assertThat(line(progress, "round 1 latency", "")).isNotNegative().isLessThan(nginxHandshakes);
        assertThat(nginxHandshakes).isLessThan(line(progress, "round 1 gateway_tls", "TLS handshakes (RSA 2048)"));
        assertThat(line(progress, "warm-up gateway_tls", "TLS handshakes (RSA 2048)")).isNotNegative();
        assertThat(r.get("haproxy_throughput_vs_direct").asDouble()).isPositive();
        assertThat(r.get("machine").get("haproxy").asText()).startsWith("haproxy/2.");
        assertArm(r.get("arms").get("nginx"));
        assertArm(r.get("arms").get("upstream"));
        assertArm(r.get("arms").get("gateway"));
        assertThat(r.get("recycling").get("available").asBoolean()).isFalse();
        assertThat(r.get("settings").get("placement").asText()).isNotBlank();
        assertThat(r.get("arms").get("nginx").get("relay_cpu_measures").asText()).contains("/proc");
        for (String k : List.of("throughput_vs_direct", "p50_added_vs_nginx", "p99_added_vs_nginx", "p50_added_vs_nginx_pooled",
                "p99_added_vs_nginx_pooled", "p50_added_vs_nginx_median_turn", "p99_added_vs_nginx_median_turn", "cpu_per_gib_vs_nginx",
                "idle_vc_bytes")) {
            assertKeyOrReason(r, k);
        }
        assertThat(r.get("machine").get("nginx").asText()).startsWith("nginx/");
    }

    /** The index of the first progress line starting with {@code start} and ending with {@code end}; -1 without one. */
    private static int line(List<String> progress, String start, String end) {
        for (int i = 0; i < progress.size(); i++) {
            if (progress.get(i).startsWith(start) && progress.get(i).endsWith(end)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void nginxConfigurationHasTheRpcSettings() {
        String c = NginxRelay.config(dir, new InetSocketAddress("127.0.0.1", 8080),
                new InetSocketAddress("127.0.0.1", 9090), 1024, false);
        assertThat(c).contains("proxy_pass http://gateway;", "server 127.0.0.1:9090;", "listen 127.0.0.1:8080;",
                "proxy_http_version 1.1;", "proxy_request_buffering off;", "proxy_buffering off;", "client_max_body_size 0;",
                "proxy_read_timeout 3h;", "daemon off;").doesNotContain("user root;", "ssl");
    }

    @Test
    void haproxyConfigurationIsAPlainTcpRelay() {
        String c = HaproxyRelay.config(new InetSocketAddress("127.0.0.1", 8080), new InetSocketAddress("127.0.0.1", 9090), 1000);
        assertThat(c).contains("mode tcp", "nbthread 1", "bind 127.0.0.1:8080", "server ex1 127.0.0.1:9090", "timeout client 3h")
                .doesNotContain("mode http");
    }

    @Test
    void cpuOfThisProcessAndOfAPeerIsReadable() {
        assertThat(CpuMeter.processSeconds()).isPositive();
        assertThat(CpuMeter.procSeconds(ProcessHandle.current().pid())).isPositive();
        assertThat(CpuMeter.procSeconds(Long.MAX_VALUE)).isZero();
        assertThat(IdleProbe.sourceAddress(0).getHostAddress()).isEqualTo("127.1.0.1");
        assertThat(IdleProbe.sourceAddress(250).getHostAddress()).isEqualTo("127.1.1.1");
    }

    @Test
    @Timeout(90)
    void rpcAuthNoneLeavesTheSealedArmOutWithAReason() throws Exception {
        List<String> progress = new ArrayList<>();
        ObjectNode r = new RpchBench(tiny(false).withIdleVcs(0).withRecycleLifetime(0).withRate(RpchBench.AUTO_RATE), progress::add)
                .rpcAuth("none").run(dir);
        assertThat(r.get("arms").get("gateway_sealed").get("reason").asText()).isEqualTo("disabled (--rpc-auth none)");
        // 50 % load is known once the warm-up's closed loops ran: its latency phase already runs at that rate
        int rate = r.get("settings").get("rate_per_second").asInt();
        assertThat(rate).isGreaterThanOrEqualTo(20);
        assertThat(progress).anyMatch(l -> l.startsWith("warm-up latency:") && l.contains(" at " + rate + " calls/s"))
                .anyMatch(l -> l.startsWith("round 1 latency:") && l.contains(" at " + rate + " calls/s"));
        assertThat(r.get("sealed_vs_unsealed").isNull()).isTrue();
        assertThat(r.get("reasons").get("sealed_vs_unsealed").asText())
                .isEqualTo("gateway_sealed arm did not run: disabled (--rpc-auth none)");
        assertThat(r.get("arms").get("gateway").has("calls_per_s_1k")).isFalse(); // no pair: the gateway arm as before
        assertThat(r.get("settings").get("rpc_auth").asText()).isEqualTo("none");
        assertThat(r.get("settings").get("latency_rate_sealed").isNull()).isTrue();
        assertThat(r.get("settings").get("rate_basis").asText()).isEqualTo(LatencyRates.WARM_UP_BASIS);
        assertThat(r.get("settings").get("latency_load").isNumber()).isTrue();
        assertThat(r.get("settings").get("latency_load_warning").isNull()).isTrue();
    }

    @Test
    void rpcAuthWordsAreChecked() {
        assertThat(RpchBench.sealedLevel("privacy")).isEqualTo(6);
        assertThat(RpchBench.sealedLevel("integrity")).isEqualTo(5);
        assertThat(RpchBench.sealedLevel("none")).isEqualTo(-1);
        for (String bad : List.of("connect", "Privacy", "")) {
            assertThatThrownBy(() -> RpchBench.checkRpcAuth(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--rpc-auth: " + bad + " (expected: none, integrity or privacy)");
        }
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> RpchBench.Settings.full(0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seconds");
        assertThatThrownBy(() -> RpchBench.Settings.full(1, 4).withRate(-2)) // -1 is the machine kind's rates (KIND_RATE)
                .hasMessage("rate: -2 (expected: auto (or 0), or 1..1000000)");
        assertThatThrownBy(() -> RpchBench.Settings.full(1, 65))
                .hasMessageContaining("connections");
        assertThat(RpchBench.Settings.smoke().idleVcs()).isEqualTo(1000);
        assertThat(RpchBench.Settings.full(1, 4).idleVcs()).isEqualTo(20_000);
        assertThatThrownBy(() -> RpchBench.Settings.full(1, 4).withRecycleLifetime(1000))
                .hasMessageContaining("recycle lifetime");
        assertThat(RpchBench.Settings.full(1, 4).receiveWindow()).isEqualTo(256 * 1024);
        assertThat(RpchBench.Settings.full(1, 4).withReceiveWindow(65536).proxySettings().receiveWindow()).isEqualTo(65536);
        assertThatThrownBy(() -> RpchBench.Settings.full(1, 4).withReceiveWindow(4096))
                .hasMessage("window: 4096 (expected: 8192..262144 bytes)");
        assertThatThrownBy(() -> RpchBench.Settings.full(1, 4).withReceiveWindow(512 * 1024))
                .hasMessage("window: 524288 (expected: 8192..262144 bytes)");
    }

    @Test
    void fiftyPercentLoadIsHalfTheSlowestRelayArm() {
        java.util.Map<RpchBench.Arm, RpchBench.Sample> w = new java.util.EnumMap<>(RpchBench.Arm.class);
        w.put(RpchBench.Arm.DIRECT, sample(RpchBench.Arm.DIRECT, 90_000));
        w.put(RpchBench.Arm.GATEWAY, sample(RpchBench.Arm.GATEWAY, 30_000));
        w.put(RpchBench.Arm.NGINX, sample(RpchBench.Arm.NGINX, 20_000));
        assertThat(RpchBench.halfLoad(w)).isEqualTo(10_000);
        w.put(RpchBench.Arm.NGINX, sample(RpchBench.Arm.NGINX, Double.NaN)); // nginx did not run
        assertThat(RpchBench.halfLoad(w)).isEqualTo(15_000);
        w.put(RpchBench.Arm.GATEWAY_SEALED, sample(RpchBench.Arm.GATEWAY_SEALED, 8_000)); // the client's cost, not a relay's
        assertThat(RpchBench.halfLoad(w)).isEqualTo(15_000);
    }

    @Test
    void theSealedArmRunsAtHalfItsOwnMaximum() {
        java.util.Map<RpchBench.Arm, RpchBench.Sample> w = new java.util.EnumMap<>(RpchBench.Arm.class);
        w.put(RpchBench.Arm.NGINX_TLS, sample(RpchBench.Arm.NGINX_TLS, 45_541));
        w.put(RpchBench.Arm.GATEWAY_SEALED, sample(RpchBench.Arm.GATEWAY_SEALED, 32_750)); // run T's warm-up maxima
        int relays = RpchBench.halfLoad(w);
        assertThat(relays).isEqualTo(22_771);
        assertThat(RpchBench.sealedHalfLoad(w, relays)).isEqualTo(16_375);
        w.put(RpchBench.Arm.GATEWAY_SEALED, sample(RpchBench.Arm.GATEWAY_SEALED, 10));
        assertThat(RpchBench.sealedHalfLoad(w, relays)).isEqualTo(20);
        w.put(RpchBench.Arm.GATEWAY_SEALED, sample(RpchBench.Arm.GATEWAY_SEALED, Double.NaN)); // its closed loop failed
        assertThat(RpchBench.sealedHalfLoad(w, relays)).isEqualTo(relays);
        w.remove(RpchBench.Arm.GATEWAY_SEALED);
        assertThat(RpchBench.sealedHalfLoad(w, relays)).isEqualTo(relays);
    }

    @Test
    @Timeout(30)
    void eachArmTakesItsTurnsAtItsOwnRate() throws Exception {
        List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        List<RpchBench.ArmRound> arms = List.of(armRecording(RpchBench.Arm.GATEWAY, calls),
                armRecording(RpchBench.Arm.GATEWAY_SEALED, calls));
        new RpchBench(tiny(false), line -> { }).latencyPhase(arms, () -> 0, a -> 1.0, a -> a == RpchBench.Arm.GATEWAY_SEALED ? 40 : 100);
        assertThat(arms.get(0).sample().latencyCalls()).isEqualTo(100);
        assertThat(arms.get(1).sample().latencyCalls()).isEqualTo(40); // two half-second turns of 20 calls
        assertThat(calls).hasSize(140);
    }

    @Test
    void theLatencyPhaseCutsEachArmsTimeIntoTurns() {
        assertThat(RpchBench.latencySlices(10)).isEqualTo(20);
        assertThat(RpchBench.latencySlices(5)).isEqualTo(10);
        assertThat(RpchBench.latencySlices(0.6)).isEqualTo(1);
        assertThat(RpchBench.latencySlices(0.3)).isEqualTo(1);
        assertThat(RpchBench.latencySlices(60)).isEqualTo(120); // --latency-seconds 60
        assertThat(RpchBench.latencySlices(600)).isEqualTo(1200);
    }

    @Test
    @Timeout(30)
    void theHeadlineArmsTakeTheirLongerPhaseInTurnsOfTheirOwnAfterTheOthersTurns() throws Exception {
        // --latency-seconds 1.5 with --seconds 0.3 (tiny): the gateway (a headline arm) takes three half-second turns,
        // HAProxy (no headline arm) one turn of 0.3 s in the first cycle only
        List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        List<RpchBench.ArmRound> arms = List.of(armRecording(RpchBench.Arm.HAPROXY, calls), armRecording(RpchBench.Arm.GATEWAY, calls));
        RpchBench bench = new RpchBench(tiny(false), line -> { }).latencySeconds(1.5);
        assertThat(bench.latencySeconds(RpchBench.Arm.GATEWAY, false)).isEqualTo(1.5);
        assertThat(bench.latencySeconds(RpchBench.Arm.HAPROXY, false)).isEqualTo(0.3);
        assertThat(bench.latencySeconds(RpchBench.Arm.GATEWAY, true)).as("the warm-up keeps --seconds").isEqualTo(0.3);
        bench.latencyPhase(arms, () -> 0, a -> bench.latencySeconds(a, false), a -> 100);
        List<String> turns = turns(calls);
        assertThat(turns).containsExactly("haproxy", "gateway"); // the gateway's three turns follow one another
        assertThat(arms.get(0).turnP99).hasSize(1);
        assertThat(arms.get(1).turnP99).hasSize(3);
        assertThat(arms.get(0).sample().latencyCalls()).isEqualTo(30);
        assertThat(arms.get(1).sample().latencyCalls()).isEqualTo(150);
        assertThat(RpchBench.LATENCY_HEADLINE_ARMS).containsExactlyInAnyOrder(RpchBench.Arm.DIRECT, RpchBench.Arm.GATEWAY,
                RpchBench.Arm.NGINX, RpchBench.Arm.UPSTREAM);
    }

    @Test
    void theGatewaysAndNginxsTurnsStartAWholeSecondApart() {
        RpchBench.Arm[] all = RpchBench.Arm.values();
        List<RpchBench.Arm> eight = List.of(RpchBench.Arm.DIRECT, RpchBench.Arm.HAPROXY, RpchBench.Arm.GATEWAY, RpchBench.Arm.GATEWAY_SEALED,
                RpchBench.Arm.NGINX, RpchBench.Arm.UPSTREAM, RpchBench.Arm.NGINX_TLS, RpchBench.Arm.GATEWAY_TLS);
        assertThat(RpchBench.turnOrder(eight, a -> a)).as("the full cycle: 1 s apart already").isEqualTo(eight);
        assertThat(RpchBench.turnOrder(List.of(RpchBench.Arm.DIRECT, RpchBench.Arm.GATEWAY, RpchBench.Arm.NGINX, RpchBench.Arm.UPSTREAM), a -> a))
                .as("--latency-seconds: the headline arms alone").containsExactly(RpchBench.Arm.DIRECT, RpchBench.Arm.GATEWAY,
                        RpchBench.Arm.UPSTREAM, RpchBench.Arm.NGINX);
        List<RpchBench.Arm> unsealed = eight.stream().filter(a -> a != RpchBench.Arm.GATEWAY_SEALED).toList(); // --rpc-auth none
        assertThat(RpchBench.turnOrder(unsealed, a -> a)).containsExactly(RpchBench.Arm.DIRECT, RpchBench.Arm.HAPROXY, RpchBench.Arm.GATEWAY,
                RpchBench.Arm.UPSTREAM, RpchBench.Arm.NGINX, RpchBench.Arm.NGINX_TLS, RpchBench.Arm.GATEWAY_TLS);
        assertThat(RpchBench.turnOrder(List.of(RpchBench.Arm.GATEWAY, RpchBench.Arm.NGINX), a -> a)).as("no upstream to move")
                .containsExactly(RpchBench.Arm.GATEWAY, RpchBench.Arm.NGINX);
        assertThat(RpchBench.turnOrder(List.of(all).subList(0, 3), a -> a)).as("no nginx").containsExactly(all[0], all[1], all[2]);
    }

    @Test
    @Timeout(30)
    void inTheHeadlineArmsLongerPhaseTheUpstreamsTurnPrecedesNginxs() throws Exception {
        List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        List<RpchBench.ArmRound> arms = List.of(armRecording(RpchBench.Arm.DIRECT, calls), armRecording(RpchBench.Arm.GATEWAY, calls),
                armRecording(RpchBench.Arm.NGINX, calls), armRecording(RpchBench.Arm.UPSTREAM, calls));
        new RpchBench(tiny(false), line -> { }).latencyPhase(arms, () -> 0, 1.0, 100);
        assertThat(turns(calls)).containsExactly("direct", "gateway", "upstream", "nginx", "direct", "gateway", "upstream", "nginx");
        for (RpchBench.ArmRound a : arms) {
            assertThat(a.turnP99).as(a.arm.id()).hasSize(2); // each arm's turns kept as its own, in order
        }
    }

    @Test
    void latencySecondsAreChecked() {
        RpchBench.checkLatencySeconds(0);
        RpchBench.checkLatencySeconds(600);
        for (double bad : new double[] {-1, 600.5, Double.NaN}) {
            assertThatThrownBy(() -> RpchBench.checkLatencySeconds(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--latency-seconds: " + bad + " (expected: 0, or >0..600)");
        }
    }

    @Test
    @Timeout(30)
    void theArmsTakeTurnsInTheLatencyPhase() throws Exception {
        // two arms, 1 s each at 100 calls/s: two half-second turns of 50 calls per arm, in turn
        List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        List<RpchBench.ArmRound> arms = List.of(armRecording(RpchBench.Arm.DIRECT, calls), armRecording(RpchBench.Arm.GATEWAY, calls));
        new RpchBench(tiny(false), line -> { }).latencyPhase(arms, () -> 0, 1.0, 100);
        List<String> turns = turns(calls);
        assertThat(turns).containsExactly("direct", "gateway", "direct", "gateway");
        assertThat(calls).hasSize(200);
        for (RpchBench.ArmRound a : arms) {
            RpchBench.Sample s = a.sample();
            assertThat(s.latencyCalls()).isEqualTo(100);
            assertThat(s.bytesPerSecond()).isEqualTo(7.0); // the bulk figures carried through
            assertThat(s.errors()).isZero();
        }
    }

    @Test
    void aRoundsP99CountsEveryCallAndItsMedianTurnIsTheTypicalHalfSecond() {
        RpchBench.ArmRound r = new RpchBench.ArmRound(RpchBench.Arm.GATEWAY);
        r.bulk = new RpchBench.Sample(RpchBench.Arm.GATEWAY, Double.NaN, 1, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 1,
                1, 0, null, MachineLoad.Phase.UNKNOWN);
        r.conns.add(null); // a live arm
        // three turns of 1,000 calls: a stall put 30 calls at 2 ms into the first, the others have 5 each
        r.addTurn(turn(970, 30));
        r.addTurn(turn(995, 5));
        r.addTurn(turn(995, 5));
        RpchBench.Sample s = r.sample();
        assertThat(s.latencyCalls()).isEqualTo(3000);
        assertThat(s.p99Micros()).isEqualTo(2000.0); // 40 of 3,000 calls (1.3 %) took 2 ms
        assertThat(s.p99MedianTurnMicros()).isEqualTo(100.0); // two of three turns had their p99 at 100 µs
        assertThat(s.p50MedianTurnMicros()).isEqualTo(100.0);
    }

    private static org.HdrHistogram.Histogram turn(int fast, int slow) {
        org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
        h.recordValueWithCount(100, fast);
        h.recordValueWithCount(2000, slow);
        return h;
    }

    /** The arms in the order they took turns: {@code calls} with each run of one arm's calls folded into one entry. */
    private static List<String> turns(List<String> calls) {
        List<String> turns = new ArrayList<>();
        for (String c : calls) {
            if (turns.isEmpty() || !turns.get(turns.size() - 1).equals(c)) {
                turns.add(c);
            }
        }
        return turns;
    }

    private static RpchBench.ArmRound armRecording(RpchBench.Arm arm, List<String> calls) {
        RpchBench.ArmRound r = new RpchBench.ArmRound(arm);
        r.bulk = new RpchBench.Sample(arm, Double.NaN, 7, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 1, 1, 0, null,
                MachineLoad.Phase.UNKNOWN);
        r.conns.add(new LoadConnection() {
            @Override
            public java.util.concurrent.CompletableFuture<Integer> echo(byte[] stub) {
                calls.add(arm.id());
                return java.util.concurrent.CompletableFuture.completedFuture(stub.length);
            }

            @Override
            public void close() {
            }
        });
        return r;
    }

    private static RpchBench.Sample sample(RpchBench.Arm arm, double maxRate) {
        return new RpchBench.Sample(arm, maxRate, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, MachineLoad.Phase.UNKNOWN);
    }

    @Test
    void idleShardsFollowTheOpenFilesLimit() {
        assertThat(IdleProbe.shards(20_000, IdleProbe.GATEWAY_FDS, 20_000)).isEqualTo(5); // 80,000 descriptors, 18,500 usable each
        assertThat(IdleProbe.shards(20_000, IdleProbe.CLIENT_FDS, 20_000)).isEqualTo(3);
        assertThat(IdleProbe.shards(1_000, IdleProbe.GATEWAY_FDS, 20_000)).isEqualTo(1);
        assertThat(IdleProbe.shards(20_000, IdleProbe.GATEWAY_FDS, 1_048_576)).isEqualTo(1); // where prlimit could raise it
        assertThat(IdleProbe.shards(20_000, IdleProbe.GATEWAY_FDS, -1)).isEqualTo(1); // unknown: one process
        assertThat(OpenFiles.current()).isPositive();
    }

    @Test
    void placementIsUnpinnedWhenNotWanted() {
        Placement p = Placement.choose(false);
        assertThat(p.pinned()).isFalse();
        assertThat(p.relayPrefix()).isEmpty();
        assertThat(p.describe()).contains("unpinned");
    }
}
