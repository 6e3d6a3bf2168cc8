package dev.anywhere.analyzer.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When a profile runs Autodiscover again and what it does with the answer.
 *
 * <p>Outlook 2016: one hour after a success and five minutes after a failure, each shifted by up to 25 % either way
 * so that clients do not all come at once; the server's TTL (hours) replaces the hour, and TTL 0 means never
 * again. The legacy policy models the old clients that left existing profiles as they were: they still ask, but only
 * new profiles get the new settings.
 *
 * @see KB 3211279 (Outlook 2016 Autodiscover refresh)
 */
public enum RefreshPolicy {
    OUTLOOK_2016(true),
    LEGACY(false);

    static final Duration AFTER_SUCCESS = Duration.ofHours(1);
    static final Duration AFTER_FAILURE = Duration.ofMinutes(5);
    static final double JITTER = 0.25;

    private final boolean updatesExistingProfiles;

    RefreshPolicy(boolean updatesExistingProfiles) {
        this.updatesExistingProfiles = updatesExistingProfiles;
    }

    public boolean updatesExistingProfiles() {
        return updatesExistingProfiles;
    }

    /**
     * The next refresh after one at {@code now}.
     *
     * @param random a value in [0, 1) drawn per refresh; tests pass fixed values to check the jitter's bounds
     */
    public Optional<Instant> next(Instant now, boolean succeeded, int ttlHours, DoubleSupplier random) {
        Duration base;
        if (succeeded) {
            if (ttlHours == 0) {
                return Optional.empty();
            }
            base = ttlHours > 0 ? Duration.ofHours(ttlHours) : AFTER_SUCCESS;
        } else {
            base = AFTER_FAILURE;
        }
        double factor = 1 + JITTER * (2 * random.getAsDouble() - 1);
        return Optional.of(now.plusMillis(Math.round(base.toMillis() * factor)));
    }
}
