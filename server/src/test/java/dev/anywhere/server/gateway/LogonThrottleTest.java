package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogonThrottleTest {

    private final AtomicLong now = new AtomicLong();
    private final LogonThrottle throttle = new LogonThrottle(LogonSettings.defaults(), now::get);

    private List<Long> delays(String user, String address, int failures) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < failures; i++) {
            out.add(throttle.failed(user, address).delay().toMillis());
        }
        return out;
    }

    @Test
    void fiveFreeFailuresThenOneSecondDoublingToThirtySeconds() {
        assertThat(delays("FRANKYSWEB\\franky", "192.0.2.1", 12))
                .containsExactly(0L, 0L, 0L, 0L, 0L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L);
    }

    @Test
    void oneAddressGuessingManyUsersIsSlowedAndSoIsOneUserFromManyAddresses() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("user" + i, "192.0.2.1");
        }
        assertThat(throttle.failed("user-new", "192.0.2.1").delay()).isEqualTo(Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            throttle.failed("anna", "198.51.100." + i);
        }
        assertThat(throttle.failed("ANNA", "198.51.100.99").delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theWindowEndsAndARightPasswordResetsTheUserButNotTheAddress() {
        delays("franky", "192.0.2.1", 6);
        now.addAndGet(Duration.ofMinutes(5).plusSeconds(1).toNanos());
        assertThat(throttle.failed("franky", "192.0.2.1").failures()).isEqualTo(1);

        delays("anna", "192.0.2.2", 6);
        throttle.succeeded("Anna");
        assertThat(throttle.failed("anna", "192.0.2.3").failures()).isEqualTo(1);
        assertThat(throttle.failed("someone", "192.0.2.2").failures()).isEqualTo(7);
    }
}
