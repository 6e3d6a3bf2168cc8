package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anywhere.bench.load.RpchBench;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The documented smoke command, end to end: {@code anywhere bench --smoke --format json} runs the short RPC over HTTP
 * benchmark and the Autodiscover benchmark and prints one JSON report with every documented key, each a number or null
 * with a reason. Timing targets are not checked here (they are ratios for the manual run, docs/performance.md).
 */
class BenchSmokeCommandTest {

    @Test
    @Timeout(180)
    void benchSmokePrintsEveryDocumentedKey() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Anywhere.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("bench", "--smoke", "--format", "json");
        assertThat(code).as(err.toString()).isEqualTo(Anywhere.OK);
        JsonNode r = new ObjectMapper().readTree(out.toString());
        for (String k : RpchBench.KEYS) {
            assertThat(r.has(k)).as(k).isTrue();
            JsonNode v = r.get(k);
            if (v.isNull()) {
                assertThat(r.get("reasons").path(k).asText()).as("reason for null " + k).isNotBlank();
            }
        }
        assertThat(r.get("autodiscover_vs_static").asDouble()).isPositive();
        assertThat(r.get("idle").get("answered_after_idle").asInt()).isEqualTo(r.get("idle").get("opened").asInt()).isPositive();
        assertThat(r.get("recycling").get("lost").asLong()).isZero();
        assertThat(r.get("settings").get("rate_basis").asText()).contains("50 %"); // the smoke run keeps the warm-up's rate
        assertThat(r.get("settings").get("latency_load").isNumber()).isTrue();
        assertThat(r.get("machine").has("kind")).isTrue();
        assertThat(r.get("settings").get("rate_per_second").asInt()).isPositive();
        assertThat(r.get("sealed_vs_unsealed").asDouble()).isPositive();
        assertThat(r.get("logon").get("failures").asLong()).as(r.get("logon").path("first_failure").asText()).isZero();
        assertThat(r.get("logons_per_s").asDouble()).isPositive();
        assertThat(err.toString()).contains("bench rpch: round 1 gateway", "bench rpch: round 1 gateway_sealed", "bench: autodiscover",
                "bench logon: round 1");
    }

    @Test
    void benchWithoutSubcommandOrSmokeIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cl = Anywhere.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("bench")).isEqualTo(Anywhere.USAGE);
        assertThat(err.toString()).contains("--smoke");
    }

    @Test
    void aWindowOutsideRpchLimitsIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cl = Anywhere.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("bench", "rpch", "--window", "4096")).isEqualTo(Anywhere.USAGE);
        assertThat(err.toString()).contains("window: 4096 (expected: 8192..262144 bytes)");
    }

    @Test
    void anUnknownRpcAuthIsAUsageError() {
        assertUsageError("--rpc-auth: connect (expected: none, integrity or privacy)", "bench", "rpch", "--rpc-auth", "connect");
    }

    @Test
    void latencySecondsOutsideTheirLimitsAreAUsageError() {
        assertUsageError("--latency-seconds: 601.0 (expected: 0, or >0..600)", "bench", "rpch", "--latency-seconds", "601");
        assertUsageError("--latency-seconds: -1.0 (expected: 0, or >0..600)", "bench", "rpch", "--latency-seconds", "-1");
    }

    /** {@code args} end with the usage status and {@code message} on stderr, before anything starts. */
    private static void assertUsageError(String message, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Anywhere.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute(args)).as(String.join(" ", args)).isEqualTo(Anywhere.USAGE);
        assertThat(err.toString()).contains(message);
    }

    @Test
    void logonSettingsOutsideTheirLimitsAreUsageErrors() {
        for (String[] c : new String[][] {{"--workers", "0", "--workers: 0 (expected: 1..64)"},
                {"--seconds", "0.1", "--seconds: 0.1 (expected: 0.5..600)"}, {"--rounds", "21", "--rounds: 21 (expected: 1..20)"},
                {"--format", "xml", "--format: xml (expected: text or json)"}}) {
            assertUsageError(c[2], "bench", "logon", c[0], c[1]);
        }
    }

    /** A '%' in a description must be escaped, else picocli warns on stderr and prints the raw text. */
    @Test
    void rpchHelpRendersWithoutPicocliWarnings() {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            CommandLine cl = Anywhere.commandLine();
            cl.setOut(new PrintWriter(out));
            assertThat(cl.execute("bench", "rpch", "--help")).isEqualTo(Anywhere.OK);
        } finally {
            System.setErr(original);
        }
        assertThat(stderr.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("with auto (or 0): 50 % load, half the slowest", "--window=BYTES");
    }
}
