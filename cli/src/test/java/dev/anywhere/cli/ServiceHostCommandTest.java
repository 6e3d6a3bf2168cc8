package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.server.configurator.ServiceHostSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServiceHostCommandTest {

    private static ServiceHostSettings settings(ServiceHostSettings file, String... args) {
        ServiceHostCommand command = new ServiceHostCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings(file);
    }

    @Test
    void driftCorrectionIsSwitchedByTheOptionAndOtherwiseKeptFromTheFile() {
        ServiceHostSettings off = new ServiceHostSettings(Duration.ofMinutes(15), true, false);
        assertThat(settings(ServiceHostSettings.DEFAULTS, "--data-dir", "x", "--no-drift-correction").driftCorrection()).isFalse();
        assertThat(settings(off, "--data-dir", "x", "--drift-correction").driftCorrection()).isTrue();
        assertThat(settings(off, "--data-dir", "x").driftCorrection()).isFalse();
        assertThat(settings(ServiceHostSettings.DEFAULTS, "--data-dir", "x").driftCorrection()).isTrue();
    }
}
