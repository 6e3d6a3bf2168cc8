package dev.anywhere.analyzer.finding;

import java.util.List;
import java.util.Objects;

/**
 * What a failed or doubtful check means: a catalogue entry with its placeholders filled in, in one language.
 *
 * @param id stable identifier ({@code dns.host-not-found}); never changes meaning between versions
 * @param severity how bad it is
 * @param title the problem in one line
 * @param cause why it happens, in words an administrator understands
 * @param fix what to do, with commands where there are any
 * @param references specification sections, Microsoft KB articles, RCA topics
 */
public record Finding(String id, Severity severity, String title, String cause, String fix, List<String> references) {

    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(fix, "fix");
        references = List.copyOf(references);
    }

    /** The same finding at another severity (e.g. trust problems when the user chose --insecure). */
    public Finding withSeverity(Severity s) {
        return new Finding(id, s, title, cause, fix, references);
    }
}
