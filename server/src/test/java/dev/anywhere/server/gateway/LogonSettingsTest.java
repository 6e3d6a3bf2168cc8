package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogonSettingsTest {

    @Test
    void outOfRangeValuesAreRefusedWithTheirValue() {
        assertThatThrownBy(() -> LogonSettings.defaults().withPool(0, 64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("logon settings: threads 0, queue 64, free failures 5 (expected: threads >= 1, queue >= 0, free failures >= 0)");
        assertThatThrownBy(() -> LogonSettings.defaults().withDeadline(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("logon settings: PT0S (expected: a positive duration)");
        assertThatThrownBy(() -> LogonSettings.defaults().withCacheTtl(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("logon settings: PT-1S (expected: zero or more)");
    }
}
