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
