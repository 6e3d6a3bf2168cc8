package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code anywhere bench soak}: bad lengths and formats are usage errors saying what was expected (the run: SoakRunTest). */
class SoakBenchCommandTest {

    private static String usageError(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Anywhere.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute(args)).as(err.toString()).isEqualTo(Anywhere.USAGE);
        return err.toString();
    }

    @Test
    void aRunTooShortToStrikeEachFaultIsRefused() {
        assertThat(usageError("bench", "soak", "--seconds", "30")).contains("--seconds: 30 (expected: 45..86400)");
    }

    @Test
    void minutesOutOfRangeAreRefused() {
        assertThat(usageError("bench", "soak", "--minutes", "0")).contains("--minutes: 0 (expected: 1..1440)");
    }

    @Test
    void minutesAndSecondsTogetherAreRefused() {
        assertThat(usageError("bench", "soak", "--minutes", "1", "--seconds", "60")).contains("mutually exclusive");
    }

    @Test
    void aWorkDirThatIsNotEmptyIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("events.jsonl"), "{}\n");
        assertThat(usageError("bench", "soak", "--seconds", "45", "--work-dir", dir.toString()))
                .contains("--work-dir: " + dir + " is not empty (expected: a new or empty directory)");
    }

    @Test
    void anUnknownFormatIsRefused() {
        assertThat(usageError("bench", "soak", "--format", "xml")).contains("--format: xml (expected: text or json)");
    }
}
