package dev.anywhere.server.gateway;

import dev.anywhere.server.events.Event;
import dev.anywhere.server.events.EventId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether logons can reach the directory, as the last logon or probe found it. Each change is one event (3921
 * unreachable, 3922 recovered) and shows in {@code /health}; a slow answer that came after its deadline does not
 * count as recovered, so a directory answering in 6 s against a 5 s deadline stays unreachable.
 */
final class DirectoryHealth {

    enum State { REACHABLE, UNREACHABLE }

    /** The state, since when, and why (empty while reachable). */
    record Snapshot(State state, Instant since, String reason) {
    }

    private static final Logger log = LoggerFactory.getLogger(DirectoryHealth.class);

    private final GatewayEvents events;
    private final Clock clock;
    private volatile Snapshot current;

    DirectoryHealth(GatewayEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
        this.current = new Snapshot(State.REACHABLE, clock.instant(), "");
    }

    Snapshot current() {
        return current;
    }

    boolean reachable() {
        return current.state() == State.REACHABLE;
    }

    private static Map<String, String> reasonData(String reason, Map<String, String> more) {
        Map<String, String> data = new java.util.LinkedHashMap<>();
        data.put("reason", reason);
        data.putAll(more);
        return data;
    }

    /** The directory answered within the deadline (whatever it answered). */
    synchronized void answered() {
        if (current.state() == State.REACHABLE) {
            return;
        }
        Instant now = clock.instant();
        Duration down = Duration.between(current.since(), now);
        current = new Snapshot(State.REACHABLE, now, "");
        events.write(new Event(now, EventId.LOGON_DIRECTORY_RECOVERED, "The directory answers logons again after "
                + down.toSeconds() + " s; logons that need it are served again.", Map.of("downSeconds", Long.toString(down.toSeconds()))));
    }

    /**
     * The directory did not answer in time, or could not be reached; {@code reason} never holds credentials.
     * {@code reasonData} is the directory's failure as a key with values ({@code reason.key}, …), for the event's data.
     */
    synchronized void unreachable(String reason, Map<String, String> reasonData) {
        if (current.state() == State.UNREACHABLE) {
            log.debug("gateway: directory still unreachable: {}", reason);
            return;
        }
        Instant now = clock.instant();
        current = new Snapshot(State.UNREACHABLE, now, reason);
        events.write(new Event(now, EventId.LOGON_DIRECTORY_UNREACHABLE, "Logons cannot reach the directory (" + reason
                + "). Logons that need it get 503 with Retry-After; cached logons and open connections go on.",
                reasonData(reason, reasonData)));
    }
}
