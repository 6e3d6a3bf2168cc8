package dev.anywhere.bench;

import dev.anywhere.analyzer.text.Placeholders;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the bench module writes for a reader (its text reports and progress lines), in English or German: the bundle
 * {@code messages.properties} (English, the base, word for word what docs/performance.md quotes) and
 * {@code messages_de.properties} beside this class, UTF-8, {@code {name}} placeholders as in the analyzer's and the
 * command line's bundles. The JVM's language decides (German when it is de), as for the command line's commands
 * without {@code --lang}; numbers keep the decimal point, and the JSON reports are unchanged.
 */
public final class BenchText {

    static final String BUNDLE = "dev.anywhere.bench.messages";

    private final ResourceBundle bundle;

    private BenchText(ResourceBundle bundle) {
        this.bundle = bundle;
    }

    /** The texts in {@code language}: de is German, anything else English. */
    public static BenchText of(String language) {
        // No fallback to the JVM's locale: English asked for stays English on a German desktop.
        boolean german = "de".equalsIgnoreCase(language);
        return new BenchText(ResourceBundle.getBundle(BUNDLE, german ? Locale.GERMAN : Locale.ROOT,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)));
    }

    /** The texts in the JVM's language. */
    public static BenchText local() {
        return of(Locale.getDefault().getLanguage());
    }

    /** The text for {@code key} with its placeholders filled from name, value pairs. */
    public String get(String key, Object... namesAndValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        try {
            return Placeholders.fill(bundle.getString(key), values);
        } catch (MissingResourceException e) {
            throw new IllegalArgumentException("message: unknown key '" + key + "' (expected: a key of " + BUNDLE + ")");
        }
    }

    /** Every key of this language (its own and the base's). */
    public Set<String> keys() {
        return Collections.unmodifiableSet(new TreeSet<>(bundle.keySet()));
    }
}
