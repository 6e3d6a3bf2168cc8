package dev.anywhere.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;

/**
 * Any content of {@code rpc-vdir.json} read by {@link AppliedConfigFile#read} (the gateway reads it every second, a
 * person may edit it): a snapshot or an {@link AppliedConfigFile.InvalidConfigException} the configurator treats as
 * drift, never anything else; a configuration that was read, written by the configurator, reads back equal and as
 * the configurator's own. Inputs: {@code AppliedConfigFileFuzzTestInputs/} (files as the configurator and a hand edit
 * write them). docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class AppliedConfigFileFuzzTest {

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("fuzz-applied");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void readRewrite(byte[] input) throws IOException {
        AppliedConfigFile file = new AppliedConfigFile(DIR);
        Files.write(file.path(), input);
        Optional<AppliedConfigFile.Snapshot> read;
        try {
            read = file.read();
        } catch (AppliedConfigFile.InvalidConfigException expected) {
            return;
        }
        assertThat(read).isPresent();
        RpcVdirConfig config = read.get().config();
        file.write(config, read.get().generation(), read.get().appliedAt());
        AppliedConfigFile.Snapshot again = file.read().orElseThrow();
        assertThat(again.config()).isEqualTo(config);
        assertThat(again.writtenByConfigurator()).isTrue();
    }
}
