package dev.anywhere.rpc.rpch;

/**
 * The value of a Destination command: where an RTS PDU is to be forwarded.
 *
 * @see [MS-RPCH] 2.2.3.3 Forward Destinations
 */
public enum ForwardDestination {
    /** FDClient (0). */
    CLIENT(0),
    /** FDInProxy (1). */
    IN_PROXY(1),
    /** FDServer (2). */
    SERVER(2),
    /** FDOutProxy (3). */
    OUT_PROXY(3);

    private final int value;

    ForwardDestination(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The destination for {@code value}, or {@code null}. */
    public static ForwardDestination forValue(long value) {
        return value >= 0 && value <= 3 ? values()[(int) value] : null;
    }
}
