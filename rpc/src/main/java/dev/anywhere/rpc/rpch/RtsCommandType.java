package dev.anywhere.rpc.rpch;

/**
 * The {@code CommandType} of an RTS command, with the command's size on the wire including the 4-byte type
 * (-1 for the variable-sized Padding and ClientAddress).
 *
 * @see [MS-RPCH] 2.2.3.5 RTS Commands
 */
public enum RtsCommandType {
    RECEIVE_WINDOW_SIZE(0x0, 8),
    FLOW_CONTROL_ACK(0x1, 28),
    CONNECTION_TIMEOUT(0x2, 8),
    COOKIE(0x3, 20),
    CHANNEL_LIFETIME(0x4, 8),
    CLIENT_KEEPALIVE(0x5, 8),
    VERSION(0x6, 8),
    EMPTY(0x7, 4),
    PADDING(0x8, -1),
    NEGATIVE_ANCE(0x9, 4),
    ANCE(0xA, 4),
    CLIENT_ADDRESS(0xB, -1),
    ASSOCIATION_GROUP_ID(0xC, 20),
    DESTINATION(0xD, 8),
    PING_TRAFFIC_SENT_NOTIFY(0xE, 8);

    private static final RtsCommandType[] BY_VALUE = values();

    private final int value;
    private final int fixedLength;

    RtsCommandType(int value, int fixedLength) {
        this.value = value;
        this.fixedLength = fixedLength;
    }

    public int value() {
        return value;
    }

    /** Bytes on the wire including CommandType, or -1 if variable. */
    public int fixedLength() {
        return fixedLength;
    }

    /** The type with wire value {@code value}, or {@code null}. */
    public static RtsCommandType forValue(long value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[(int) value] : null;
    }
}
