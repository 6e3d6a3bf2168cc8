package dev.anywhere.rpc.ntlm;

import java.time.Duration;
import java.time.Instant;

/**
 * FILETIME: 100-nanosecond ticks since 1601-01-01T00:00:00Z, as in MsvAvTimestamp and the NTLMv2 client
 * challenge's TimeStamp.
 *
 * @see [MS-DTYP] 2.3.3 FILETIME
 */
public final class FileTime {

    /** The FILETIME epoch. */
    public static final Instant EPOCH = Instant.parse("1601-01-01T00:00:00Z");

    private FileTime() {
    }

    /** The FILETIME of {@code instant}. */
    public static long of(Instant instant) {
        Duration d = Duration.between(EPOCH, instant);
        return d.getSeconds() * 10_000_000L + d.getNano() / 100;
    }

    /** The instant of a FILETIME, treating the 64 bits as unsigned only up to Long.MAX_VALUE. */
    public static Instant toInstant(long fileTime) {
        return EPOCH.plusSeconds(fileTime / 10_000_000L).plusNanos((fileTime % 10_000_000L) * 100);
    }
}
