package dev.anywhere.analyzer.text;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {name}} placeholders, the one syntax of both the message bundles and the finding catalogue. Named, not
 * MessageFormat's {@code {0}}: a translator sees what goes where, and an apostrophe in "Outlook's" needs no escaping.
 * A placeholder without a value stays visible rather than vanishing, so a missing value is noticed in review.
 */
public final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9]*)}");

    private Placeholders() {
    }

    public static String fill(String text, Map<String, ?> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            Object v = values.get(m.group(1));
            m.appendReplacement(b, Matcher.quoteReplacement(v == null ? m.group() : String.valueOf(v)));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** The placeholder names of {@code text}, in order. */
    public static java.util.List<String> names(String text) {
        return PLACEHOLDER.matcher(text).results().map(r -> r.group(1)).toList();
    }
}
