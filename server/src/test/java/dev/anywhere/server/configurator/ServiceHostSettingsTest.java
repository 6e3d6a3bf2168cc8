package dev.anywhere.server.configurator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceHostSettingsTest {

    @TempDir
    Path dataDir;

    @Test
    void driftCorrectionIsOnUnlessTheFileSaysFalse() throws Exception {
        assertThat(ServiceHostSettings.read(dataDir).correctsDrift()).isTrue();
        Files.writeString(dataDir.resolve(ServiceHostSettings.FILE_NAME), "{\"pollInterval\": \"15m\"}");
        assertThat(ServiceHostSettings.read(dataDir).driftCorrection()).isTrue();
        new ServiceHostSettings(Duration.ofMinutes(15), true, false).write(dataDir);
        assertThat(Files.readString(dataDir.resolve(ServiceHostSettings.FILE_NAME))).contains("\"driftCorrection\" : false");
        assertThat(ServiceHostSettings.read(dataDir)).isEqualTo(new ServiceHostSettings(Duration.ofMinutes(15), true, false));
        assertThat(ServiceHostSettings.read(dataDir).correctsDrift()).isFalse();
    }

    @Test
    void aPollIntervalOfZeroSwitchesDriftCorrectionOffToo() {
        assertThat(new ServiceHostSettings(Duration.ZERO, true, true).correctsDrift()).isFalse();
    }

    @Test
    void aDriftCorrectionValueOtherThanTrueOrFalseIsRefused() throws Exception {
        Files.writeString(dataDir.resolve(ServiceHostSettings.FILE_NAME), "{\"driftCorrection\": \"off\"}");
        assertThatThrownBy(() -> ServiceHostSettings.read(dataDir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("servicehost.json: driftCorrection: \"off\" (expected: true or false)");
    }
}
