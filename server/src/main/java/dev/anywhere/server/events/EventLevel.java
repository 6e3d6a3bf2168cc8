package dev.anywhere.server.events;

/** The Windows event levels the configurator uses. */
public enum EventLevel {
    INFORMATION,
    WARNING,
    ERROR
}
