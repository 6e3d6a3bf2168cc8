package dev.anywhere.autodiscover.discovery;

/** How an attempt ended. */
public enum Outcome {
    /** This attempt produced the settings (or the step succeeded and led on, e.g. an SCP lookup or a consented 302). */
    ACCEPTED,
    /** Not tried, or its answer was not usable (junk body, redirect without consent, excluded): the client moved on. */
    SKIPPED,
    /** The attempt failed (DNS, TCP, TLS, HTTP status, Autodiscover error): the client moved on. */
    FAILED
}
