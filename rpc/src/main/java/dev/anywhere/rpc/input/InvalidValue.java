package dev.anywhere.rpc.input;

/**
 * A value an administrator gave that cannot be used: the English message for logs and the API, and a key with the value
 * it names, so a user interface can say it in the user's language (the command line renders the key from its bundle).
 */
public final class InvalidValue extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String value;

    /**
     * @param key what is wrong, dotted by where ({@code duration.no-unit}, {@code tls.protocol})
     * @param value the value as given; empty when the problem is that none was given
     * @param message the English sentence
     */
    public InvalidValue(String key, String value, String message) {
        super(message);
        this.key = key;
        this.value = value;
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }
}
