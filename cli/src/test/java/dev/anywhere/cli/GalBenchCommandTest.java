package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code anywhere bench gal}: its usage errors, and one short run against the lab (a GAL of 400 rows, one round) that
 * reads every row both ways — never its timing. Starts the lab: run under {@code flock /tmp/anywhere-ports.lock}.
 */
class GalBenchCommandTest {

    private String out;
    private String err;

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        picocli.CommandLine cl = Anywhere.commandLine(args);
        cl.setOut(new PrintWriter(o));
        cl.setErr(new PrintWriter(e));
        int code = cl.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    void badNumbersAreUsageErrors() {
        assertThat(run("bench", "gal", "--entries", "10")).isEqualTo(Anywhere.USAGE);
        assertThat(err).isEqualTo("anywhere: --entries: 10 (expected: 306..100000)" + System.lineSeparator());
        assertThat(run("bench", "gal", "--rounds", "0")).isEqualTo(Anywhere.USAGE);
        assertThat(err).isEqualTo("anywhere: --rounds: 0 (expected: 1..50)" + System.lineSeparator());
        assertThat(run("bench", "gal", "--page", "1001")).isEqualTo(Anywhere.USAGE);
        assertThat(err).isEqualTo("anywhere: --page: 1001 (expected: 1..1000)" + System.lineSeparator());
        assertThat(run("bench", "gal", "--format", "xml")).isEqualTo(Anywhere.USAGE);
        assertThat(err).isEqualTo("anywhere: --format: xml (expected: text or json)" + System.lineSeparator());
    }

    /** The table from a fixed report: English as it always was, German without English words, both with the decimal point. */
    @Test
    void theTableInEnglishIsAsBeforeAndInGermanHasNoEnglish() {
        com.fasterxml.jackson.databind.node.ObjectNode report = new ObjectMapper().createObjectNode().put("entries", 10000).put("rounds", 1)
                .put("page", 500).put("cpus", 2).put("directory", "OpenLDAP slapd, pid 4242").put("load_average_1min", 1.234);
        var round = report.putArray("rounds_detail").addObject();
        round.putObject("nspi").put("wall_ms", 812.4).put("wall_ms_per_1000_rows", 81.24).put("jvm_cpu_ms_per_1000_rows", 60.5)
                .put("slapd_cpu_ms_per_1000_rows", 0.0).put("disturbed", false);
        round.putObject("ldap").put("wall_ms", 640.0).put("wall_ms_per_1000_rows", 64.0).put("jvm_cpu_ms_per_1000_rows", 20.25)
                .put("slapd_cpu_ms_per_1000_rows", 30.5).put("disturbed", true);
        assertThat(GalBenchCommand.table(report, CliText.of("en"))).isEqualTo("""
                GAL of 10000 rows, 1 rounds, 500 rows per page, DC1 OpenLDAP slapd, pid 4242, load average 1.23 on 2 CPUs
                arm         wall ms     wall ms/1000  JVM CPU ms/1000  slapd CPU ms/1000  disturbed
                nspi            812            81.24            60.50               0.00      false
                ldap            640            64.00            20.25              30.50       true
                """);
        String german = GalBenchCommand.table(report.put("directory", "embedded UnboundID in this JVM"), CliText.of("de"));
        assertThat(german).startsWith("GAL mit 10000 Zeilen, 1 Runden, 500 Zeilen je Seite, DC1 eingebettetes UnboundID in dieser JVM, "
                + "Lastmittel 1.23 auf 2 CPUs\n").contains("\nnspi            812            81.24            60.50");
        for (String line : german.lines().toList()) {
            assertThat(dev.anywhere.analyzer.text.TextAudit.englishWords(line)).as(line).isEmpty();
            assertThat(dev.anywhere.analyzer.text.Messages.CLASS_NAME.matcher(line).find()).as(line).isFalse();
        }
    }

    @Test
    void aShortRunReadsEveryRowThroughTheLabAndFromDc1() throws Exception {
        assertThat(run("bench", "gal", "--entries", "400", "--rounds", "1", "--page", "100", "--format", "json")).as(err)
                .isEqualTo(Anywhere.OK);
        JsonNode report = new ObjectMapper().readTree(out);
        assertThat(report.get("entries").asInt()).isEqualTo(400);
        assertThat(report.get("directory").asText()).isEqualTo("embedded UnboundID in this JVM"); // the default site
        JsonNode round = report.get("rounds_detail").get(0);
        assertThat(round.get("nspi").get("rows").asInt()).isEqualTo(400);
        assertThat(round.get("ldap").get("rows").asInt()).isEqualTo(400);
        assertThat(report.get("nspi_median").has("wall_ms_per_1000_rows")).isTrue();
        assertThat(err).contains("bench gal: adding 95 mailboxes to DC1", "bench gal: round 1 of 1");
    }
}
