package dev.anywhere.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.bench.load.ArrayBench;
import dev.anywhere.bench.load.Placement;
import dev.anywhere.bench.load.RpchBench;
import dev.anywhere.bench.load.SoakRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The text reports of {@code bench rpch}, {@code soak} and {@code array} rendered from real JSON reports
 * (docs/bench-results, copied beside this test) and from the same reports with the rarer branches forced (an arm not
 * run, a disturbed round, a null ratio, errors, a failed verdict): the English is pinned byte for byte, as it was
 * before the texts came from the bundle (docs/performance.md quotes it); the German has no English word outside quotes,
 * no sentence of the English bundle and no class name (the JSON's own details, quoted, stay as they came).
 */
class BenchReportsTest {

    private static final BenchText EN = BenchText.of("en");
    private static final BenchText DE = BenchText.of("de");

    @Test
    void theRpchTableInEnglishIsAsBefore() {
        assertThat(RpchBench.table(rpchReport())).isEqualTo(resource("rpch-run-u.txt"));
        assertThat(RpchBench.table(rpchReportWithEveryBranch())).isEqualTo(resource("rpch-every-branch.txt"));
        // a report from before the machine kinds (no latency_load): its rate line as it was printed then
        ObjectNode before = rpchReport();
        ((ObjectNode) before.get("settings")).remove("latency_load");
        assertThat(RpchBench.table(before)).contains("\nlatency rate: 25133 calls/s\nthroughput_vs_direct ");
    }

    @Test
    void theSoakReportInEnglishIsAsBefore() {
        assertThat(new SoakRun.Report(soakReport(), true).text()).isEqualTo(resource("soak-30min.txt"));
        assertThat(new SoakRun.Report(soakReportWithEveryBranch(), false).text()).isEqualTo(resource("soak-every-branch.txt"));
    }

    @Test
    void theArrayReportInEnglishIsAsBefore() {
        assertThat(new ArrayBench.Report(arrayReport(), true).text()).isEqualTo(resource("array-run-5.txt"));
        assertThat(new ArrayBench.Report(arrayReportWithEveryBranch(), false).text()).isEqualTo(resource("array-every-branch.txt"));
    }

    @Test
    void theRpchTableInGermanHasNoEnglish() {
        String german = RpchBench.table(rpchReportWithEveryBranch(), DE);
        assertThat(german).startsWith("Strecke          MiB/s Median [Min-Max]   ")
                .contains("\ngateway_epoll    nicht gelaufen: „not compared (--compare-transports)“\n")
                .contains("\nRunde 1: GESTÖRT bei [\"nginx\",\"gateway\"] (andere Prozesse höchstens 0.0 CPUs, Steal höchstens 0.051 %)\n")
                .contains("\nRunde 2: ungestört (")
                .contains("\nthroughput_vs_haproxy            nicht ermittelt („haproxy arm did not run: haproxy not installed“)")
                .contains("\nthroughput_vs_direct             0.818 [0.711-0.9] Streuung - über 5 alle Runden (keine ungestört)  (Ziel erreicht) (je Runde: uneinheitlich)\n")
                .contains("\nGateway auf epoll    throughput_vs_nio        1.021 [0.98-1.1]\n")
                .contains("\nLatenzmessung mit 25133 Aufrufen/s (Maschinenart amd-epyc-2), 0.762 des Höchstwerts der langsamsten"
                        + " Relay-Strecke beim Aufwärmen; gateway_sealed mit 610 Aufrufen/s, 0.019 seines eigenen\nWARNUNG: die Latenzrate"
                        + " beträgt 76 % des Höchstwerts der langsamsten Relay-Strecke beim Aufwärmen (über 70 %): diese Maschine ist"
                        + " langsamer als ihre Art amd-epyc-2; die Latenzverhältnisse dieses Laufs sind mit den anderen Läufen dieser Art"
                        + " nicht vergleichbar\n");
        assertThat(BenchTextTest.audit(german)).isEmpty();
        assertThat(BenchTextTest.audit(RpchBench.table(rpchReport(), DE))).isEmpty();
    }

    @Test
    void theSoakReportInGermanHasNoEnglish() {
        String german = SoakRun.text(soakReportWithEveryBranch(), DE);
        assertThat(german).startsWith("Dauertest mit Störungen: 1800 s, 2 Kerne, Lastmittel ").contains("\n    Ereignisse: keine\n")
                .contains("Aufrufe gescheitert; „the directory did not start again within 30 s“\n")
                .endsWith("\nNICHT BESTANDEN: [\"2 calls lost outside the faults\",\"directory-stop-start: the part did not come back: "
                        + "the directory did not start again within 30 s\"]\n");
        assertThat(BenchTextTest.audit(german)).isEmpty();
        assertThat(BenchTextTest.audit(SoakRun.text(soakReport(), DE))).isEmpty();
    }

    @Test
    void theArrayReportInGermanHasNoEnglish() {
        String german = ArrayBench.text(arrayReportWithEveryBranch(), DE);
        assertThat(german).startsWith("Clientzugriffsarray auf Loopback: 2 CPUs, nicht gebunden (jeder Prozess auf jeder CPU); ")
                .contains("  Fehler 3: „connection closed (HTTP/1.1 header parser received no bytes)“\n")
                .contains("\nHAProxy: noch nicht als ausgefallen gemeldet\n")
                .endsWith("\nFailover NICHT BESTANDEN: [\"1 call not in flight at the kill failed\"]\n");
        assertThat(BenchTextTest.audit(german)).isEmpty();
        String pinned = ArrayBench.text(arrayReport(), DE);
        assertThat(pinned).startsWith("Clientzugriffsarray auf Loopback: 2 CPUs, Mitglieder und HAProxy auf CPU 0, Lastclient und Endpunkte "
                + "auf CPU 1; ").contains("\nHAProxy: „Server gateways/gw1 is DOWN, reason: Layer4 connection problem");
        assertThat(BenchTextTest.audit(pinned)).isEmpty();
    }

    /** Each progress line in English as the code wrote it before the bundle (docs/performance.md quotes some). */
    @Test
    void theProgressLinesInEnglishAreAsBefore() {
        assertThat(EN.get("rpch.start-gateway", "placement", EN.get("placement.relay-pinned", "relay", "0", "load", "1")))
                .isEqualTo("starting the gateway under test in its own JVM (relay under test (gateway process, nginx) on CPU 0; load client and "
                        + "endpoints on CPU 1)");
        assertThat(EN.get("rpch.bulk-closed-loop", "phase", EN.get("phase.warm-up"), "arm", "gateway", "seconds", "2.5", "loop", "1.3"))
                .isEqualTo("warm-up gateway: 2.5 s bulk + 1.3 s 1 KiB closed loop");
        assertThat(EN.get("rpch.bulk", "phase", EN.get("phase.round", "round", 2), "arm", "nginx", "seconds", "5.0"))
                .isEqualTo("round 2 nginx: 5.0 s bulk");
        assertThat(EN.get("rpch.latency", "phase", "round 1", "seconds", "5.0", "rate", 1200, "slices", 10, "slice", "0.50"))
                .isEqualTo("round 1 latency: 5.0 s per arm at 1200 calls/s, the arms taking turns in 10 slices of 0.50 s");
        assertThat(EN.get("rpch.recycling", "kib", 4096, "seconds", "5.0")).isEqualTo("recycling under bulk load: ChannelLifetime 4096 KiB, 5.0 s");
        assertThat(EN.get("rpch.idle", "vcs", 20000)).isEqualTo("idle capacity: 20000 idle virtual connections through the gateway");
        assertThat(EN.get("rpch.profile", "seconds", "5.0", "dir", "/tmp/p")).isEqualTo("profile: gateway bulk phase under JFR, 5.0 s (/tmp/p)");
        assertThat(EN.get("rpch.handshakes", "phase", EN.get("phase.round", "round", 3), "arm", "nginx_tls", "seconds", "5.0"))
                .isEqualTo("round 3 nginx_tls: 5.0 s TLS handshakes (RSA 2048)");
        assertThat(EN.get("rpch.handshakes-ecdsa", "arm", "gateway_tls", "warmup", "2.5", "seconds", "5.0"))
                .isEqualTo("TLS handshakes, ECDSA P-256: gateway_tls, 2.5 s warm-up + 5.0 s");
        assertThat(EN.get("rpch.idle-shards", "limit", 1024, "gateways", 2, "endpoints", 1, "clients", 3))
                .isEqualTo("open-files limit 1024: 2 gateway shards, 1 endpoint and 3 client processes");
        assertThat(EN.get("rpch.idle-open", "opened", 20000, "millis", "0.42", "seconds", 5))
                .isEqualTo("idle capacity: 20000 virtual connections open (0.42 ms each); idle for 5 s");
        assertThat(EN.get("soak.start")).isEqualTo("soak: starting directory, configurator, endpoints, gateway and router on loopback");
        assertThat(EN.get("soak.load", "address", "127.0.0.1", "port", 4443, "seconds", 30))
                .isEqualTo("soak: load running through the router at 127.0.0.1:4443; warm-up 30 s");
        assertThat(EN.get("soak.strike", "seconds", "  60", "fault", "gateway-kill-9")).isEqualTo("soak:   60 s  gateway-kill-9");
        assertThat(EN.get("array.throughput-start", "placement", EN.get("placement.array-pinned", "relay", "0", "load", "1")))
                .isEqualTo("throughput: endpoints, gw1, gw2, HAProxy over both and HAProxy over gw1 (members and HAProxy on CPU 0, load client "
                        + "and endpoints on CPU 1)");
        assertThat(EN.get("array.throughput-bulk", "phase", "warm-up", "arm", "haproxy_two", "seconds", "2.5"))
                .isEqualTo("throughput warm-up haproxy_two: 2.5 s bulk");
        assertThat(EN.get("array.failover-start", "clients", 16, "rate", 25))
                .isEqualTo("failover: endpoints, gw1, gw2 and HAProxy; 16 clients at 25 calls/s each");
        assertThat(EN.get("array.failover-kill", "member", "gw1", "pid", 4242)).isEqualTo("failover: kill -9 gw1 (pid 4242)");
        assertThat(EN.get("gal.adding", "mailboxes", 9694)).isEqualTo("bench gal: adding 9694 mailboxes to DC1");
        assertThat(EN.get("gal.refresh-again", "detail", "timeout")).isEqualTo("bench gal: address book refresh: timeout; again");
        assertThat(EN.get("gal.round", "round", 1, "rounds", 3, "nspi", "812", "ldap", "640"))
                .isEqualTo("bench gal: round 1 of 3: NSPI 812 ms, LDAP 640 ms");
        assertThat(EN.get("logon.start")).isEqualTo("starting DC1's directory, EX1's store endpoint and EX1's gateway (free loopback ports)");
    }

    /** The JSON's placement is English in every language, word for word as before the bundle; a reader's is translated. */
    @Test
    void thePlacementInTheJsonStaysEnglish() {
        Placement pinned = new Placement(true, "0", "1", "0-1");
        Placement unpinned = new Placement(false, "", "", "");
        assertThat(pinned.describe()).isEqualTo("relay under test (gateway process, nginx) on CPU 0; load client and endpoints on CPU 1");
        assertThat(unpinned.describe()).isEqualTo("unpinned (every process on every CPU)");
        assertThat(pinned.describe(DE)).isEqualTo("gemessenes Relay (Gateway-Prozess, nginx) auf CPU 0; Lastclient und Endpunkte auf CPU 1");
    }

    /** The progress lines in German, filled as the code fills them: no English word, no English sentence. */
    @Test
    void theProgressLinesInGermanHaveNoEnglish() {
        List<String> lines = List.of(DE.get("rpch.start-gateway", "placement", DE.get("placement.relay-pinned", "relay", "0", "load", "1")),
                DE.get("rpch.bulk-closed-loop", "phase", DE.get("phase.warm-up"), "arm", "gateway", "seconds", "2.5", "loop", "1.3"),
                DE.get("rpch.latency", "phase", DE.get("phase.round", "round", 1), "seconds", "5.0", "rate", 1200, "slices", 10, "slice", "0.50"),
                DE.get("rpch.handshakes", "phase", DE.get("phase.round", "round", 1), "arm", "gateway_tls", "seconds", "5.0"),
                DE.get("rpch.idle-open", "opened", 20000, "millis", "0.42", "seconds", 5), DE.get("soak.strike", "seconds", "  60", "fault",
                        "gateway-kill-9"), DE.get("array.throughput-start", "placement", DE.get("placement.unpinned")),
                DE.get("gal.refresh-again", "detail", "the address book is being read"), DE.get("logon.start"));
        assertThat(lines).allSatisfy(l -> assertThat(BenchTextTest.audit(l)).as(l).isEmpty());
        assertThat(lines.get(0)).isEqualTo("das zu messende Gateway wird in einer eigenen JVM gestartet (gemessenes Relay (Gateway-Prozess, "
                + "nginx) auf CPU 0; Lastclient und Endpunkte auf CPU 1)");
    }

    /**
     * Run U with the keys later versions added (p99_added_vs_nginx_round_p99; the machine kind and the latency load, its
     * rate half the slowest relay arm's warm-up maximum of 50,265), as a report has them now.
     */
    static ObjectNode rpchReport() {
        ObjectNode r = json("rpch-run-u.json");
        r.put("p99_added_vs_nginx_round_p99", 0.702);
        ((ObjectNode) r.get("met")).put("p99_added_vs_nginx_round_p99", true);
        ((ObjectNode) r.get("machine")).putNull("kind");
        ((ObjectNode) r.get("settings")).put("latency_load", 0.5).putNull("latency_load_sealed").putNull("latency_load_warning");
        return r;
    }

    /**
     * Run U at a machine kind's rate above 70 % of the warm-up maximum, with the sealed arm's own latency rate, an arm not run, a disturbed round, a null ratio, a missed target, no
     * spread, a cell without CPU, a transport.
     */
    static ObjectNode rpchReportWithEveryBranch() {
        ObjectNode r = rpchReport();
        ((ObjectNode) r.get("machine")).put("kind", "amd-epyc-2");
        ((ObjectNode) r.get("settings")).put("latency_rate_sealed", 610).put("rate_basis", "machine kind amd-epyc-2")
                .put("latency_load", 0.762).put("latency_load_sealed", 0.019).put("latency_load_warning", "the latency rate 25133 calls/s"
                        + " is 76 % of the slowest relay arm's warm-up maximum (above 70 %): this machine is slower than its kind amd-epyc-2;"
                        + " latency ratios from this run are not comparable with the kind's other runs");
        ObjectNode round = (ObjectNode) r.get("rounds").get(0);
        round.put("disturbed", true).putArray("disturbed_arms").add("nginx").add("gateway");
        r.putNull("throughput_vs_haproxy");
        ((ObjectNode) r.get("reasons")).put("throughput_vs_haproxy", "haproxy arm did not run: haproxy not installed");
        ((ObjectNode) r.get("met")).put("cpu_per_gib_vs_haproxy", false);
        ((ObjectNode) r.get("ratios").get("throughput_vs_direct")).putNull("spread").put("basis", "all rounds (none undisturbed)")
                .put("judgeable", true);
        ((ObjectNode) r.get("verdicts").get("sealed_vs_unsealed")).put("rounds", "not_measured");
        ((ObjectNode) r.get("arms").get("gateway").get("relay_cpu_s_per_gib")).putNull("median");
        ObjectNode epoll = r.putObject("transports").putObject("epoll").putObject("ratios");
        epoll.putObject("throughput_vs_nio").put("median", 1.021).put("min", 0.98).put("max", 1.1);
        return r;
    }

    static ObjectNode soakReport() {
        return json("soak-30min.json");
    }

    /** The 30-minute soak with errors before the faults, a fault whose part did not come back and a failed verdict. */
    static ObjectNode soakReportWithEveryBranch() {
        ObjectNode r = soakReport();
        ((ObjectNode) r.get("client_errors_before_faults")).putObject("call").put("virtual connection: rpch.closed (the proxy closed the IN4 channel)", 1);
        ObjectNode fault = (ObjectNode) r.get("faults").get(1);
        fault.put("error", "the directory did not start again within 30 s");
        fault.putObject("worker_outages_ms");
        ObjectNode verdict = (ObjectNode) r.get("verdict");
        verdict.put("ok", false).putArray("reasons").add("2 calls lost outside the faults")
                .add("directory-stop-start: the part did not come back: the directory did not start again within 30 s");
        return r;
    }

    static ObjectNode arrayReport() {
        return json("array-run-5.json");
    }

    /** Array run 5 unpinned, with an arm's errors, a ratio not judgeable, HAProxy not yet marking the member down, a failed verdict. */
    static ObjectNode arrayReportWithEveryBranch() {
        ObjectNode r = arrayReport();
        ((ObjectNode) r.get("machine")).put("placement", "unpinned (every process on every CPU)");
        ObjectNode throughput = (ObjectNode) r.get("throughput");
        ((ObjectNode) throughput.get("arms").get("haproxy_two")).put("errors", 3).put("first_error", "connection closed (HTTP/1.1 header "
                + "parser received no bytes)");
        ((ObjectNode) throughput.get("ratios").fields().next().getValue()).put("judgeable", true).put("basis", "all rounds (none undisturbed)");
        ObjectNode failover = (ObjectNode) r.get("failover");
        ((ObjectNode) failover.get("kill")).put("haproxy_marked_down", "not yet");
        ArrayNode reasons = ((ObjectNode) failover.get("verdict")).put("ok", false).putArray("reasons");
        reasons.add("1 call not in flight at the kill failed");
        return r;
    }

    static ObjectNode json(String name) {
        try {
            return (ObjectNode) new ObjectMapper().readTree(resource(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resource(String name) {
        try (InputStream in = BenchReportsTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
