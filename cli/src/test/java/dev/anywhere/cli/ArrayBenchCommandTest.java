package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code anywhere bench array}: bad settings are usage errors saying what was expected (the run: ArrayBenchTest). */
class ArrayBenchCommandTest {

    private static String usageError(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Anywhere.commandLine(args);
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute(args)).as(err.toString()).isEqualTo(Anywhere.USAGE);
        return err.toString();
    }

    @Test
    void anUnknownPartIsRefused() {
        assertThat(usageError("bench", "array", "--only", "latency")).contains("--only: latency (expected: throughput or failover)");
    }

    @Test
    void roundsConnectionsAndFailoverLoadOutsideTheirRangesAreRefused() {
        assertThat(usageError("bench", "array", "--rounds", "0")).contains("rounds: 0 (expected: 1..20)");
        assertThat(usageError("bench", "array", "--connections", "65")).contains("connections: 65 (expected: 1..64)");
        assertThat(usageError("bench", "array", "--failover-clients", "0")).contains("failover clients: 0 (expected: 1..256)");
        assertThat(usageError("bench", "array", "--failover-rate", "0")).contains("failover rate: 0 calls/s per client (expected: 1..1000)");
    }

    @Test
    void anUnknownFormatIsRefused() {
        assertThat(usageError("bench", "array", "--format", "xml")).contains("--format: xml (expected: text or json)");
    }
}
