package dev.anywhere.server.configurator;

import dev.anywhere.server.events.Event;
import java.util.List;

/**
 * What one configurator pass did.
 *
 * @param kind whether it succeeded, and if not, whether retrying soon may help
 * @param events the events it wrote, in order
 * @param wrote whether the applied configuration file was (re)written
 */
public record PassOutcome(Kind kind, List<Event> events, boolean wrote) {

    public enum Kind {
        /** The applied configuration matches the directory (possibly after this pass wrote it). */
        SUCCEEDED,
        /** The directory could not be read; the last good configuration stays in force; retry after 15 s. */
        TRANSIENT_FAILURE,
        /** Something retrying will not fix; the next attempt is at the normal interval. */
        PERMANENT_FAILURE
    }

    public PassOutcome {
        events = List.copyOf(events);
    }
}
