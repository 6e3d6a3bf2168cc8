package dev.anywhere.server.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One application-log entry of the configurator.
 *
 * @param time when it was written
 * @param id the catalogue entry
 * @param message what happened, in words an administrator understands
 * @param data the event's insertion strings by name (item, old, new, …), in a stable order
 */
public record Event(Instant time, EventId id, String message, Map<String, String> data) {

    public Event {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(message, "message");
        data = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public EventLevel level() {
        return id.level();
    }

    /** An event whose data is the usual change triple: which item, its old value and its new value. */
    public static Event change(Instant time, EventId id, String item, String oldValue, String newValue, String message) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("item", item);
        data.put("old", oldValue);
        data.put("new", newValue);
        return new Event(time, id, message, data);
    }

    /**
     * This event with one more insertion string: values a reader's language needs to say the message again (the server
     * a change concerns), kept beside the message so {@code anywhere events} can render it from its bundle.
     */
    public Event with(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(data);
        more.put(name, value);
        return new Event(time, id, message, more);
    }

    /** 3905: the directory client moved to another replica; says from where to where and why. */
    public static Event replicaSwitched(Instant time, dev.anywhere.directory.ReplicaSwitch change) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("from", change.from().toString());
        data.put("to", change.to().toString());
        data.put("reason", change.reason());
        data.put("nearest", Boolean.toString(change.nearest()));
        String message = change.nearest()
                ? "The directory replica " + change.to() + " answers again and has caught up; it is used again instead of "
                        + change.from() + "."
                : "The directory replica " + change.from() + " cannot be used (" + change.reason() + "); " + change.to()
                        + " is used instead until it is back. Change following moved with it.";
        return new Event(time, EventId.DIRECTORY_REPLICA_SWITCHED, message, data);
    }
}
