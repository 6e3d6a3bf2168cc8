package dev.anywhere.rpc.input;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A value an administrator gave that cannot be used: the English message for logs and the API, and a key with the value
 * it names, so a user interface can say it in the user's language (the command line renders the key from its bundle).
 * The one keyed refusal of every module: it lives in {@code rpc}, the module all others depend on, so the
 * Autodiscover client, the analyzer and the lab refuse a value the same way the server does.
 */
public final class InvalidValue extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String value;
    private final Map<String, String> details;

    /**
     * @param key what is wrong, dotted by where ({@code duration.no-unit}, {@code tls.protocol})
     * @param value the value as given; empty when the problem is that none was given
     * @param message the English sentence
     */
    public InvalidValue(String key, String value, String message) {
        this(key, value, Map.of(), message);
    }

    /**
     * @param key what is wrong
     * @param value the value as given
     * @param details the other named values the sentence needs besides the value (the zone file a record is in, the
     *        TLS provider that lacks a cipher suite), as they are said in every language
     * @param message the English sentence
     */
    public InvalidValue(String key, String value, Map<String, String> details, String message) {
        super(message);
        this.key = key;
        this.value = value;
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }

    /** The named values besides {@link #value()}; empty for most refusals. */
    public Map<String, String> details() {
        return details;
    }

    /** Every placeholder's value of the key's text: {@code value} and the details. */
    public Map<String, String> values() {
        Map<String, String> all = new LinkedHashMap<>(details);
        all.put("value", value);
        return Collections.unmodifiableMap(all);
    }
}
