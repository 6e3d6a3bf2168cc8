package dev.anywhere.rpc.dce;

/**
 * The {@code PTYPE} of a connection-oriented PDU (byte 2 of the common header). Connectionless types (1, 4–10)
 * never appear on a connection-oriented transport and are not listed.
 *
 * @see [C706] 12.6.4 Connection-oriented PDU Type Codes
 * @see [MS-RPCH] 2.2.3.6.1 RTS PDU Header
 */
public enum PduType {
    REQUEST(0),
    RESPONSE(2),
    FAULT(3),
    BIND(11),
    BIND_ACK(12),
    BIND_NAK(13),
    ALTER_CONTEXT(14),
    ALTER_CONTEXT_RESP(15),
    AUTH3(16),
    SHUTDOWN(17),
    CO_CANCEL(18),
    ORPHANED(19),
    /** RPC over HTTP v2 transport control; decoded by {@code dev.anywhere.rpc.rpch.RpchCodec}. */
    RTS(20);

    private static final PduType[] BY_VALUE = new PduType[21];

    static {
        for (PduType t : values()) {
            BY_VALUE[t.value] = t;
        }
    }

    private final int value;

    PduType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The type with wire value {@code value}, or {@code null} if it is not a connection-oriented type. */
    public static PduType forValue(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }

    /** Lower-case C706 name, e.g. {@code bind_ack}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
