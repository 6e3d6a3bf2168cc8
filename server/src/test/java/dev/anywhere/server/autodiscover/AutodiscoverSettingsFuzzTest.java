package dev.anywhere.server.autodiscover;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/**
 * Any content of {@code autodiscover.properties} read by {@link AutodiscoverSettings#load}: settings or an
 * {@link IllegalArgumentException} that names the file, as documented (or, for bytes that are not UTF-8, the
 * {@link java.io.IOException} of a file that cannot be read) — never anything else. Inputs:
 * {@code AutodiscoverSettingsFuzzTestInputs/} (files with every key). docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class AutodiscoverSettingsFuzzTest {

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("fuzz-autodiscover");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void loadsOrNamesTheFile(byte[] input) throws IOException {
        Path file = DIR.resolve(AutodiscoverSettings.FILE);
        Files.write(file, input);
        try {
            AutodiscoverSettings.load(DIR, "EX1");
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith(file + ": ");
        } catch (java.nio.charset.CharacterCodingException notUtf8) {
            // an unreadable file: the gateway refuses to start, saying it cannot read it
        }
    }
}
