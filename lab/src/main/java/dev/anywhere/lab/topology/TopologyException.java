package dev.anywhere.lab.topology;

/**
 * A topology file that cannot be read or does not hold together: what and where as a {@link TopologyText}, so a user
 * interface says it in its reader's language ({@link #text(String)}); the message is the English sentence, for logs
 * and tests.
 */
public final class TopologyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final TopologyText text;

    TopologyException(TopologyText text) {
        this(text, null);
    }

    TopologyException(TopologyText text, Throwable cause) {
        super(text.text("en"), cause);
        this.text = text;
    }

    /** What is wrong, as a key with values. */
    public TopologyText text() {
        return text;
    }

    /** The sentence in {@code language} (de: German, else English). */
    public String text(String language) {
        return text.text(language);
    }
}
