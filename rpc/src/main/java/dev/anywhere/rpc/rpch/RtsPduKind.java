package dev.anywhere.rpc.rpch;

import static dev.anywhere.rpc.rpch.RtsCommandType.ANCE;
import static dev.anywhere.rpc.rpch.RtsCommandType.ASSOCIATION_GROUP_ID;
import static dev.anywhere.rpc.rpch.RtsCommandType.CHANNEL_LIFETIME;
import static dev.anywhere.rpc.rpch.RtsCommandType.CLIENT_ADDRESS;
import static dev.anywhere.rpc.rpch.RtsCommandType.CLIENT_KEEPALIVE;
import static dev.anywhere.rpc.rpch.RtsCommandType.CONNECTION_TIMEOUT;
import static dev.anywhere.rpc.rpch.RtsCommandType.COOKIE;
import static dev.anywhere.rpc.rpch.RtsCommandType.DESTINATION;
import static dev.anywhere.rpc.rpch.RtsCommandType.EMPTY;
import static dev.anywhere.rpc.rpch.RtsCommandType.NEGATIVE_ANCE;
import static dev.anywhere.rpc.rpch.RtsCommandType.PADDING;
import static dev.anywhere.rpc.rpch.RtsCommandType.RECEIVE_WINDOW_SIZE;
import static dev.anywhere.rpc.rpch.RtsCommandType.VERSION;

import java.util.ArrayList;
import java.util.List;

/**
 * The RTS PDU catalogue of [MS-RPCH] 2.2.4: every PDU with its section, header flags and command types in
 * order. A received PDU is named by matching (flags, command types) — the approach FreeRDP's
 * {@code rts_signature.c} takes — where the spec and FreeRDP disagree the spec wins (IN_R1/A2 carries
 * IN_CHANNEL | RECYCLE_CHANNEL and six commands; OUT_R2/A7 carries OUT_CHANNEL; OUT_R2/C1 is PING with Empty
 * or Padding).
 *
 * <p>Several PDUs share a signature (CONN/C1 and C2, IN_R1/A3 and A4, …) and differ only in who sends them on
 * which leg, so {@link #classify(RtsPdu)} returns every match and the state machine picks the one its state
 * expects.
 *
 * @see [MS-RPCH] 2.2.4 RTS PDUs
 */
public enum RtsPduKind {
    CONN_A1("CONN/A1", "2.2.4.2", RtsFlag.NONE, VERSION, COOKIE, COOKIE, RECEIVE_WINDOW_SIZE),
    CONN_A2("CONN/A2", "2.2.4.3", RtsFlag.OUT_CHANNEL, VERSION, COOKIE, COOKIE, CHANNEL_LIFETIME, RECEIVE_WINDOW_SIZE),
    CONN_A3("CONN/A3", "2.2.4.4", RtsFlag.NONE, CONNECTION_TIMEOUT),
    CONN_B1("CONN/B1", "2.2.4.5", RtsFlag.NONE, VERSION, COOKIE, COOKIE, CHANNEL_LIFETIME, CLIENT_KEEPALIVE,
            ASSOCIATION_GROUP_ID),
    CONN_B2("CONN/B2", "2.2.4.6", RtsFlag.IN_CHANNEL, VERSION, COOKIE, COOKIE, RECEIVE_WINDOW_SIZE,
            CONNECTION_TIMEOUT, ASSOCIATION_GROUP_ID, CLIENT_ADDRESS),
    CONN_B3("CONN/B3", "2.2.4.7", RtsFlag.NONE, RECEIVE_WINDOW_SIZE, VERSION),
    CONN_C1("CONN/C1", "2.2.4.8", RtsFlag.NONE, VERSION, RECEIVE_WINDOW_SIZE, CONNECTION_TIMEOUT),
    CONN_C2("CONN/C2", "2.2.4.9", RtsFlag.NONE, VERSION, RECEIVE_WINDOW_SIZE, CONNECTION_TIMEOUT),
    IN_R1_A1("IN_R1/A1", "2.2.4.10", RtsFlag.RECYCLE_CHANNEL, VERSION, COOKIE, COOKIE, COOKIE),
    IN_R1_A2("IN_R1/A2", "2.2.4.11", RtsFlag.IN_CHANNEL.bit() | RtsFlag.RECYCLE_CHANNEL.bit(),
            VERSION, COOKIE, COOKIE, COOKIE, RECEIVE_WINDOW_SIZE,
            CONNECTION_TIMEOUT),
    IN_R1_A3("IN_R1/A3", "2.2.4.12", RtsFlag.NONE, DESTINATION, VERSION, RECEIVE_WINDOW_SIZE, CONNECTION_TIMEOUT),
    IN_R1_A4("IN_R1/A4", "2.2.4.13", RtsFlag.NONE, DESTINATION, VERSION, RECEIVE_WINDOW_SIZE, CONNECTION_TIMEOUT),
    IN_R1_A5("IN_R1/A5", "2.2.4.14", RtsFlag.NONE, COOKIE),
    IN_R1_A6("IN_R1/A6", "2.2.4.15", RtsFlag.NONE, COOKIE),
    IN_R1_B1("IN_R1/B1", "2.2.4.16", RtsFlag.NONE, EMPTY),
    IN_R1_B2("IN_R1/B2", "2.2.4.17", RtsFlag.NONE, RECEIVE_WINDOW_SIZE),
    IN_R2_A1("IN_R2/A1", "2.2.4.18", RtsFlag.RECYCLE_CHANNEL, VERSION, COOKIE, COOKIE, COOKIE),
    IN_R2_A2("IN_R2/A2", "2.2.4.19", RtsFlag.NONE, COOKIE),
    IN_R2_A3("IN_R2/A3", "2.2.4.20", RtsFlag.NONE, DESTINATION),
    IN_R2_A4("IN_R2/A4", "2.2.4.21", RtsFlag.NONE, DESTINATION),
    IN_R2_A5("IN_R2/A5", "2.2.4.22", RtsFlag.NONE, COOKIE),
    OUT_R1_A1("OUT_R1/A1", "2.2.4.23", RtsFlag.RECYCLE_CHANNEL, DESTINATION),
    OUT_R1_A2("OUT_R1/A2", "2.2.4.24", RtsFlag.RECYCLE_CHANNEL, DESTINATION),
    OUT_R1_A3("OUT_R1/A3", "2.2.4.25", RtsFlag.RECYCLE_CHANNEL, VERSION, COOKIE, COOKIE, COOKIE, RECEIVE_WINDOW_SIZE),
    OUT_R1_A4("OUT_R1/A4", "2.2.4.26", RtsFlag.OUT_CHANNEL.bit() | RtsFlag.RECYCLE_CHANNEL.bit(),
            VERSION, COOKIE, COOKIE, COOKIE, CHANNEL_LIFETIME,
            RECEIVE_WINDOW_SIZE, CONNECTION_TIMEOUT),
    OUT_R1_A5("OUT_R1/A5", "2.2.4.27", RtsFlag.OUT_CHANNEL, DESTINATION, VERSION, CONNECTION_TIMEOUT),
    OUT_R1_A6("OUT_R1/A6", "2.2.4.28", RtsFlag.OUT_CHANNEL, DESTINATION, VERSION, CONNECTION_TIMEOUT),
    OUT_R1_A7("OUT_R1/A7", "2.2.4.29", RtsFlag.OUT_CHANNEL, DESTINATION, COOKIE),
    OUT_R1_A8("OUT_R1/A8", "2.2.4.30", RtsFlag.OUT_CHANNEL, DESTINATION, COOKIE),
    OUT_R1_A9("OUT_R1/A9", "2.2.4.31", RtsFlag.NONE, ANCE),
    OUT_R1_A10("OUT_R1/A10", "2.2.4.32", RtsFlag.NONE, ANCE),
    OUT_R1_A11("OUT_R1/A11", "2.2.4.33", RtsFlag.NONE, ANCE),
    OUT_R2_A1("OUT_R2/A1", "2.2.4.34", RtsFlag.RECYCLE_CHANNEL, DESTINATION),
    OUT_R2_A2("OUT_R2/A2", "2.2.4.35", RtsFlag.RECYCLE_CHANNEL, DESTINATION),
    OUT_R2_A3("OUT_R2/A3", "2.2.4.36", RtsFlag.RECYCLE_CHANNEL, VERSION, COOKIE, COOKIE, COOKIE, RECEIVE_WINDOW_SIZE),
    OUT_R2_A4("OUT_R2/A4", "2.2.4.37", RtsFlag.NONE, COOKIE),
    OUT_R2_A5("OUT_R2/A5", "2.2.4.38", RtsFlag.NONE, DESTINATION, ANCE),
    OUT_R2_A6("OUT_R2/A6", "2.2.4.39", RtsFlag.NONE, DESTINATION, ANCE),
    OUT_R2_A7("OUT_R2/A7", "2.2.4.40", RtsFlag.OUT_CHANNEL, DESTINATION, COOKIE, VERSION),
    OUT_R2_A8("OUT_R2/A8", "2.2.4.41", RtsFlag.OUT_CHANNEL, DESTINATION, COOKIE),
    OUT_R2_B1("OUT_R2/B1", "2.2.4.42", RtsFlag.NONE, ANCE),
    OUT_R2_B2("OUT_R2/B2", "2.2.4.43", RtsFlag.NONE, NEGATIVE_ANCE),
    OUT_R2_B3("OUT_R2/B3", "2.2.4.44", RtsFlag.EOF, ANCE),
    /** PING with Empty, or with Padding sized so the PDU is as long as OUT_R1/A11. */
    OUT_R2_C1("OUT_R2/C1", "2.2.4.45", RtsFlag.PING, EMPTY),
    KEEP_ALIVE("Keep-Alive", "2.2.4.46", RtsFlag.OTHER_CMD, CLIENT_KEEPALIVE),
    PING_TRAFFIC_SENT_NOTIFY("Ping Traffic Sent Notify", "2.2.4.47", RtsFlag.OTHER_CMD,
            RtsCommandType.PING_TRAFFIC_SENT_NOTIFY),
    ECHO("Echo", "2.2.4.48", RtsFlag.ECHO),
    PING("Ping", "2.2.4.49", RtsFlag.PING),
    FLOW_CONTROL_ACK("FlowControlAck", "2.2.4.50", RtsFlag.OTHER_CMD, RtsCommandType.FLOW_CONTROL_ACK),
    FLOW_CONTROL_ACK_WITH_DESTINATION("FlowControlAckWithDestination", "2.2.4.51", RtsFlag.OTHER_CMD, DESTINATION,
            RtsCommandType.FLOW_CONTROL_ACK);

    private final String displayName;
    private final String section;
    private final int flagBits;
    private final List<RtsCommandType> commandTypes;

    RtsPduKind(String displayName, String section, RtsFlag flag, RtsCommandType... commandTypes) {
        this(displayName, section, flag.bit(), commandTypes);
    }

    RtsPduKind(String displayName, String section, int flagBits, RtsCommandType... commandTypes) {
        this.displayName = displayName;
        this.section = section;
        this.flagBits = flagBits;
        this.commandTypes = List.of(commandTypes);
    }

    /** The spec's name, e.g. {@code CONN/A1}, {@code Keep-Alive}. */
    public String displayName() {
        return displayName;
    }

    /** The [MS-RPCH] section, e.g. {@code 2.2.4.2}. */
    public String section() {
        return section;
    }

    /** {@code [MS-RPCH] 2.2.4.2 CONN/A1 RTS PDU}. */
    public String reference() {
        return "[MS-RPCH] " + section + " " + displayName + " RTS PDU";
    }

    /** The header flags the PDU must carry. */
    public int flagBits() {
        return flagBits;
    }

    /** The command types in order. */
    public List<RtsCommandType> commandTypes() {
        return commandTypes;
    }

    /** True if {@code pdu} has exactly this entry's flags and command types. */
    public boolean matches(RtsPdu pdu) {
        return matches(RtsFlag.toBits(pdu.flags()), pdu.commands());
    }

    /** True if {@code message}'s layout is this entry's ({@link RtsMessage#kinds()} lists it). */
    public boolean matches(RtsMessage message) {
        return message.kinds().contains(this);
    }

    /** The signature check without allocating: the codec runs it on every RTS PDU, flow-control acks included. */
    boolean matches(int bits, List<RtsCommand> commands) {
        if (bits != flagBits) {
            return false;
        }
        if (this == OUT_R2_C1) {
            if (commands.size() != 1) {
                return false;
            }
            RtsCommandType only = commands.get(0).type();
            return only == EMPTY || only == PADDING;
        }
        if (commands.size() != commandTypes.size()) {
            return false;
        }
        for (int i = 0; i < commands.size(); i++) {
            if (commands.get(i).type() != commandTypes.get(i)) {
                return false;
            }
        }
        return true;
    }

    private static final RtsPduKind[] CATALOGUE = values();

    /** The first entry (in catalogue order) with this signature, or {@code null}. */
    static RtsPduKind firstMatch(int bits, List<RtsCommand> commands) {
        for (RtsPduKind k : CATALOGUE) {
            if (k.matches(bits, commands)) {
                return k;
            }
        }
        return null;
    }

    /** Every entry {@code pdu} matches, in catalogue order. */
    public static List<RtsPduKind> classify(RtsPdu pdu) {
        List<RtsPduKind> out = new ArrayList<>(2);
        for (RtsPduKind k : CATALOGUE) {
            if (k.matches(pdu)) {
                out.add(k);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The first of {@code expected} that {@code message} is — for a state machine that knows which PDUs its
     * state allows.
     *
     * @throws RpchProtocolException {@code RTS PDU: Ping (expected: CONN/A1 or OUT_R1/A3)}
     */
    public static RtsPduKind expect(RtsMessage message, RtsPduKind... expected) {
        List<RtsPduKind> kinds = message.kinds();
        for (RtsPduKind k : expected) {
            if (kinds.contains(k)) {
                return k;
            }
        }
        return expect(message.toPdu(), expected); // throws, naming the PDU as the wire form classifies it
    }

    /**
     * The first of {@code expected} that {@code pdu} matches — for a state machine that knows which PDUs its
     * state allows (e.g. the outbound proxy in Open_Start accepts only CONN/A1 or a recycling PDU).
     *
     * @throws RpchProtocolException {@code RTS PDU: Ping (expected: CONN/A1 or OUT_R1/A3)}
     */
    public static RtsPduKind expect(RtsPdu pdu, RtsPduKind... expected) {
        for (RtsPduKind k : expected) {
            if (k.matches(pdu)) {
                return k;
            }
        }
        List<RtsPduKind> actual = classify(pdu);
        String what = actual.isEmpty()
                ? "unclassified, flags 0x" + String.format("%04x", RtsFlag.toBits(pdu.flags())) + " commands "
                        + pdu.commandTypes()
                : actual.stream().map(RtsPduKind::displayName).collect(java.util.stream.Collectors.joining("|"));
        String wanted = java.util.Arrays.stream(expected).map(RtsPduKind::displayName)
                .collect(java.util.stream.Collectors.joining(" or "));
        throw new RpchProtocolException("RTS PDU: " + what + " (expected: " + wanted + ")");
    }

    @Override
    public String toString() {
        return displayName;
    }
}
