package dev.anywhere.lab.pki;

import dev.anywhere.analyzer.text.Placeholders;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;

/**
 * A sentence about a certificate as a key of the lab's PKI bundle ({@code messages.properties} beside this class, and
 * {@code messages_de.properties}) with named values: the names, DNs, dates and algorithms as in the certificate, so a
 * German sentence never quotes an English one. A list value is joined with the language's "or".
 *
 * @param key the bundle key ({@code trust.expired})
 * @param values the placeholders' values by name; a {@link List} is a choice of alternatives
 */
public record PkiText(String key, Map<String, Object> values) {

    static final String BUNDLE = "dev.anywhere.lab.pki.messages";

    public PkiText {
        Objects.requireNonNull(key, "key");
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The text for {@code key} with its values given as name, value pairs. */
    static PkiText of(String key, Object... namesAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return new PkiText(key, values);
    }

    /** The sentence in {@code language} (de: German, else English). */
    public String text(String language) {
        ResourceBundle bundle = bundle(language);
        Map<String, Object> filled = new HashMap<>();
        values.forEach((name, value) -> filled.put(name, value instanceof List<?> choices
                ? String.join(bundle.getString("or"), choices.stream().map(String::valueOf).toList()) : value));
        return Placeholders.fill(bundle.getString(key), filled);
    }

    /** A word of the bundle (a label, yes, no …) in {@code language}. */
    static String word(String key, String language) {
        return bundle(language).getString(key);
    }

    /** The bundle of {@code language}; no fallback to the JVM's locale, so English stays English on a German desktop. */
    static ResourceBundle bundle(String language) {
        return ResourceBundle.getBundle(BUNDLE, "de".equals(language) ? Locale.GERMAN : Locale.ROOT,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }
}
