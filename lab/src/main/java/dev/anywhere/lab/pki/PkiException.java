package dev.anywhere.lab.pki;

import java.util.Optional;

/**
 * A certificate or key could not be built, encoded or read; the message says which and why, in English. A file the
 * administrator named that cannot be used also carries a key ({@code pki.cert-file.none}, {@code pki.key-file.encrypted}
 * …) and the file, so a user interface says it in the user's language (the command line from its bundle), as
 * {@link dev.anywhere.rpc.input.InvalidValue} does for a value.
 */
public final class PkiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String value;

    public PkiException(String message, Throwable cause) {
        this(null, "", message, cause);
    }

    public PkiException(String message) {
        this(null, "", message, null);
    }

    /**
     * @param key what is wrong ({@code pki.key-file.none}); null for a failure no reader can act on
     * @param value what it names (the file), empty when none
     * @param message the English sentence
     * @param cause the reader's failure, for logs; null when none
     */
    PkiException(String key, String value, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
        this.value = value;
    }

    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    public String value() {
        return value;
    }
}
