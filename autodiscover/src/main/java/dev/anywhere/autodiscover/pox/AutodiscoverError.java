package dev.anywhere.autodiscover.pox;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code Error} element of an Autodiscover response.
 *
 * @param time the {@code Time} attribute (Exchange writes the server's time of day, e.g. {@code 10:23:54.1727802})
 * @param id the {@code Id} attribute (Exchange writes a hash of the server name)
 * @param errorCode the {@code ErrorCode} child
 * @param message the {@code Message} child
 * @param debugData the {@code DebugData} child (Exchange writes it, often empty)
 * @see [MS-OXDSCLI] 2.2.4.1.1.3 Error
 */
public record AutodiscoverError(Optional<String> time, Optional<String> id, ErrorCode errorCode,
        Optional<String> message, Optional<String> debugData) {

    public AutodiscoverError {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(debugData, "debugData");
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSSS", Locale.ROOT);

    /**
     * An error as Exchange stamps it: {@code Time} is the server's time of day with seven fractional digits,
     * {@code Id} an unsigned hash of the server's name (stable per server, as Exchange's is), default message, empty
     * {@code DebugData}.
     */
    public static AutodiscoverError stamped(ErrorCode code, LocalTime now, String serverName) {
        String id = Integer.toUnsignedString(serverName.toLowerCase(Locale.ROOT).hashCode());
        return of(code, TIME.format(now), id);
    }

    /** An error with Exchange's default message and an empty {@code DebugData}. */
    public static AutodiscoverError of(ErrorCode code, String time, String id) {
        return new AutodiscoverError(Optional.of(time), Optional.of(id), code, Optional.of(code.defaultMessage()),
                Optional.of(""));
    }
}
