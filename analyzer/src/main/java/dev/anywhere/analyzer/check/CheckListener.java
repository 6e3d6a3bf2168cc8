package dev.anywhere.analyzer.check;

/** Follows a run as it happens, so the console tree can grow live. Called from the runner's threads. */
public interface CheckListener {

    default void started(Check check, int depth) {
    }

    default void finished(Check check, CheckResult result, int depth) {
    }

    CheckListener NONE = new CheckListener() { };
}
