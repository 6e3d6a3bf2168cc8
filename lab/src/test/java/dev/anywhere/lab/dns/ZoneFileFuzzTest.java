package dev.anywhere.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/**
 * Any file handed to {@link ZoneModel#fromZoneFile} (a topology may name zone files): a zone or an
 * {@link UncheckedIOException} naming the file, never anything else; a zone that was read writes a master file that
 * reads back to the same master file. Inputs: {@code ZoneFileFuzzTestInputs/} (the lab's zones as master files).
 * docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class ZoneFileFuzzTest {

    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("fuzz-zone", ".zone");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void readRewrite(byte[] input) throws IOException {
        Files.write(FILE, input);
        ZoneModel zone;
        try {
            zone = ZoneModel.fromZoneFile(FILE, "frankysweb.org");
        } catch (UncheckedIOException expected) {
            return;
        }
        String master = zone.toMasterFile();
        Files.writeString(FILE, master);
        assertThat(ZoneModel.fromZoneFile(FILE, "frankysweb.org").toMasterFile()).isEqualTo(master);
    }
}
