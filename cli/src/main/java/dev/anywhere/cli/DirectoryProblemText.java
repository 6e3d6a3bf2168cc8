package dev.anywhere.cli;

import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.DirectoryText;
import java.util.HashMap;
import java.util.Map;

/**
 * A directory failure in the command's language: the directory module's {@link DirectoryText} rendered from this
 * bundle's {@code directory.problem.<id>}, the operation that failed said in the same language; the DNs, URLs and the
 * LDAP result code as the directory had them. A failure without a text is its message.
 */
final class DirectoryProblemText {

    private DirectoryProblemText() {
    }

    static String say(DirectoryException e, CliText text) {
        return e.text().map(t -> say(t, text)).orElse(e.getMessage());
    }

    static String say(DirectoryText t, CliText text) {
        Map<String, Object> values = new HashMap<>();
        t.values().forEach((name, value) -> values.put(name, value instanceof DirectoryText nested ? say(nested, text) : value));
        return text.get("directory.problem." + t.key().id(), values);
    }
}
