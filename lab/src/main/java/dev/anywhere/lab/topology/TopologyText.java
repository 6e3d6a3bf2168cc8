package dev.anywhere.lab.topology;

import dev.anywhere.analyzer.text.Placeholders;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;

/**
 * What is wrong with a topology, or where, as a key of the topology bundle ({@code messages.properties} beside this
 * class, and {@code messages_de.properties}) with named values. A value that is itself a text (the location "zone X on
 * Y record Z") is said in the same language; every other value (names, addresses, ports, the file's own words) stays
 * as written, {@code null} as "null", so the English sentence is the one this module always printed.
 *
 * @param key the bundle key ({@code host.address})
 * @param values the placeholders' values by name: a {@link TopologyText} or a string
 */
public record TopologyText(String key, Map<String, Object> values) {

    static final String BUNDLE = "dev.anywhere.lab.topology.messages";

    public TopologyText {
        Objects.requireNonNull(key, "key");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The text for {@code key} with its values given as name, value pairs. */
    static TopologyText of(String key, Object... namesAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            Object v = namesAndValues[i + 1];
            values.put((String) namesAndValues[i], v instanceof TopologyText ? v : String.valueOf(v));
        }
        return new TopologyText(key, values);
    }

    /** The sentence in {@code language} (de: German, else English). */
    public String text(String language) {
        Map<String, Object> filled = new LinkedHashMap<>();
        values.forEach((name, value) -> filled.put(name, value instanceof TopologyText t ? t.text(language) : value));
        return Placeholders.fill(bundle(language).getString(key), filled);
    }

    /** The bundle of {@code language}; no fallback to the JVM's locale, so English stays English on a German desktop. */
    static ResourceBundle bundle(String language) {
        return ResourceBundle.getBundle(BUNDLE, "de".equals(language) ? Locale.GERMAN : Locale.ROOT,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }
}
