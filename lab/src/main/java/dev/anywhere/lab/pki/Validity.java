package dev.anywhere.lab.pki;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A certificate's validity period (RFC 5280 4.1.2.5), whole seconds as X.509 encodes them.
 *
 * @param notBefore the first instant the certificate is valid
 * @param notAfter the last instant the certificate is valid (inclusive, RFC 5280 4.1.2.5)
 */
public record Validity(Instant notBefore, Instant notAfter) {

    /** How far before "now" a period given in days starts, so that clients with a slow clock accept it. */
    public static final Duration BACKDATE = Duration.ofMinutes(5);

    public Validity {
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
        notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
        if (notAfter.isBefore(notBefore)) {
            throw new IllegalArgumentException(
                    "validity: notAfter " + notAfter + " (expected: not before notBefore " + notBefore + ")");
        }
    }

    /** {@code days} days starting {@link #BACKDATE} before now. */
    public static Validity days(int days) {
        if (days < 1) {
            throw new dev.anywhere.rpc.input.InvalidValue("pki.days", Integer.toString(days), "validity days: " + days + " (expected: at least 1)");
        }
        Instant start = Instant.now().minus(BACKDATE);
        return new Validity(start, start.plus(Duration.ofDays(days)));
    }

    /** An explicit period. */
    public static Validity between(Instant notBefore, Instant notAfter) {
        return new Validity(notBefore, notAfter);
    }

    /** The length of the period. */
    public Duration length() {
        return Duration.between(notBefore, notAfter);
    }

    /** Whether {@code instant} lies within the period. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(notBefore) && !instant.isAfter(notAfter);
    }

    /** The same length, ended one day ago: {@link CertificateFault#EXPIRED}. */
    Validity expired(Instant now) {
        Instant end = now.minus(Duration.ofDays(1));
        return new Validity(end.minus(length()), end);
    }

    /** The same length, starting one day from now: {@link CertificateFault#NOT_YET_VALID}. */
    Validity notYetValid(Instant now) {
        Instant start = now.plus(Duration.ofDays(1));
        return new Validity(start, start.plus(length()));
    }
}
