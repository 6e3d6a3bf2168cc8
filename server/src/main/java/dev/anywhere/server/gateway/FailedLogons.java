package dev.anywhere.server.gateway;

import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.events.Event;
import dev.anywhere.server.events.EventId;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a refused logon leaves behind: event 3920 (user, source address, scheme, reason, failures so far, how long
 * the 401 is held), which the event log also writes as a log line, and the counter
 * {@code anywhere.gateway.logon.failures{scheme,reason}}. User and address are in the event, not in metric tags:
 * a guesser choosing names must not be able to grow the metrics without bound. Passwords and hashes never get
 * here: nothing that carries them is passed in.
 */
final class FailedLogons {

    /** Longest user name an event repeats (the client chose it). */
    static final int MAX_NAME = 128;

    private final LogonThrottle throttle;
    private final GatewayEvents events;
    private final MeterRegistry metrics;
    private final Clock clock;

    FailedLogons(LogonThrottle throttle, GatewayEvents events, MeterRegistry metrics, Clock clock) {
        this.throttle = throttle;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Records a refusal and says how long to hold its 401. */
    Duration failed(String user, SocketAddress from, HttpAuthScheme scheme, String reason) {
        String name = printable(user);
        String address = from instanceof InetSocketAddress a && a.getAddress() != null ? a.getAddress().getHostAddress() : String.valueOf(from);
        LogonThrottle.Penalty penalty = throttle.failed(name, address);
        String schemeTag = scheme.name().toLowerCase(Locale.ROOT);
        metrics.counter("anywhere.gateway.logon.failures", "scheme", schemeTag, "reason", reason).increment();
        if (!penalty.delay().isZero()) {
            metrics.counter("anywhere.gateway.logon.delayed", "scheme", schemeTag).increment();
        }
        Map<String, String> data = new LinkedHashMap<>();
        data.put("user", name);
        data.put("address", address);
        data.put("scheme", scheme.token());
        data.put("reason", reason);
        data.put("failures", Integer.toString(penalty.failures()));
        data.put("delayMillis", Long.toString(penalty.delay().toMillis()));
        events.write(new Event(clock.instant(), EventId.LOGON_FAILED, "Logon of '" + name + "' from " + address + " by "
                + scheme.token() + " refused (" + reason + "); " + penalty.failures() + " failure(s) in the window"
                + (penalty.delay().isZero() ? "." : ", 401 held for " + penalty.delay().toMillis() + " ms."), data));
        return penalty.delay();
    }

    void succeeded(String user) {
        throttle.succeeded(printable(user));
    }

    /** The name as the client sent it, without control characters (no forged log lines), at most {@value #MAX_NAME}. */
    static String printable(String user) {
        StringBuilder b = new StringBuilder(Math.min(user.length(), MAX_NAME));
        user.codePoints().limit(MAX_NAME).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }
}
