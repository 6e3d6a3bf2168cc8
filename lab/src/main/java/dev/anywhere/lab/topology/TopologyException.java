package dev.anywhere.lab.topology;

/** A topology file that cannot be read or does not hold together; the message says what and where. */
public final class TopologyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TopologyException(String message) {
        super(message);
    }

    public TopologyException(String message, Throwable cause) {
        super(message, cause);
    }
}
