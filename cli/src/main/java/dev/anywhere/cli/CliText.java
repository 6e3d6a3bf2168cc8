package dev.anywhere.cli;

import dev.anywhere.analyzer.text.Placeholders;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the command line says to its user, in English or German: the bundle {@code messages.properties} (English, the
 * base) and {@code messages_de.properties} beside this class, UTF-8, {@code {name}} placeholders as in the analyzer's
 * bundle. A command with {@code --lang} speaks that language; every other command follows the JVM's locale (German when
 * its language is de, e.g. {@code LANG=de_DE.UTF-8}, else English), as {@code serve --help} does.
 */
final class CliText {

    static final String BUNDLE = "dev.anywhere.cli.messages";

    private final ResourceBundle bundle;
    private final String language;

    private CliText(ResourceBundle bundle, String language) {
        this.bundle = bundle;
        this.language = language;
    }

    /** The texts in {@code language}: de is German, anything else English (callers check --lang themselves). */
    static CliText of(String language) {
        // No fallback to the JVM's locale: --lang en on a German desktop stays English.
        boolean german = "de".equalsIgnoreCase(language);
        return new CliText(ResourceBundle.getBundle(BUNDLE, german ? Locale.GERMAN : Locale.ROOT,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)), german ? "de" : "en");
    }

    /** The texts in the JVM's language, for commands without {@code --lang}. */
    static CliText ofLocale() {
        return of(Locale.getDefault().getLanguage());
    }

    /** The text for {@code key} with its placeholders filled from name, value pairs (a value may be null). */
    String get(String key, Object... namesAndValues) {
        Map<String, Object> values = new java.util.HashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return get(key, values);
    }

    /**
     * The text for {@code key} in the JVM's language, its placeholders filled from name, value pairs: the short form
     * for the commands without {@code --lang} ({@code CliText.local("roles.unknown-address", "option", o, "host", h)}).
     */
    static String local(String key, Object... namesAndValues) {
        return ofLocale().get(key, namesAndValues);
    }

    /** en or de: the language to hand on, e.g. to the analyzer's report. */
    String language() {
        return language;
    }

    /** The text for {@code key}; a key the bundle lacks is a programming error and says so. */
    String get(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalArgumentException("message: unknown key '" + key + "' (expected: a key of " + BUNDLE + ")");
        }
    }

    /** The text for {@code key} with its placeholders filled from {@code values}. */
    String get(String key, Map<String, ?> values) {
        return Placeholders.fill(get(key), values);
    }

    /** Every key of this language (its own and the base's). */
    Set<String> keys() {
        return Collections.unmodifiableSet(new TreeSet<>(bundle.keySet()));
    }
}
