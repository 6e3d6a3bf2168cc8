package dev.anywhere.analyzer.check;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A node of the check tree: a body that runs with its own timeout, and children that run only when it did not fail
 * (a failed DNS lookup skips the TCP check below it). Children marked {@link #concurrent} run in parallel.
 *
 * @param id stable identifier, dotted from the root ({@code autodiscover.root-domain.dns})
 * @param title what is checked, in the report's language
 * @param body the work; {@code null} for a group whose outcome is its children's
 * @param timeout how long the body may take (RCA has been seen hanging 319 s; we never do)
 * @param children the steps below
 * @param concurrent whether the children are independent of each other
 */
public record Check(String id, String title, Body body, Duration timeout, List<Check> children, boolean concurrent) {

    /** The default per-step timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** The work of one check. It may throw; the runner turns that into a failed result with the exception's message. */
    @FunctionalInterface
    public interface Body {
        Outcome run(CheckContext context) throws Exception;
    }

    public Check {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(timeout, "timeout");
        children = List.copyOf(children);
    }

    public static Check of(String id, String title, Body body) {
        return new Check(id, title, body, DEFAULT_TIMEOUT, List.of(), false);
    }

    public static Check group(String id, String title, List<Check> children) {
        return new Check(id, title, null, DEFAULT_TIMEOUT, children, false);
    }

    public Check withChildren(List<Check> more) {
        return new Check(id, title, body, timeout, more, concurrent);
    }

    public Check concurrently() {
        return new Check(id, title, body, timeout, children, true);
    }

    public Check withTimeout(Duration t) {
        return new Check(id, title, body, t, children, concurrent);
    }
}
