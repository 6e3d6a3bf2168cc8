package dev.anywhere.rpc.rpch;

import static dev.anywhere.rpc.rpch.RtsPduKind.CONN_A1;
import static dev.anywhere.rpc.rpch.RtsPduKind.CONN_A2;
import static dev.anywhere.rpc.rpch.RtsPduKind.CONN_A3;
import static dev.anywhere.rpc.rpch.RtsPduKind.CONN_B1;
import static dev.anywhere.rpc.rpch.RtsPduKind.CONN_B2;
import static dev.anywhere.rpc.rpch.RtsPduKind.CONN_B3;
import static dev.anywhere.rpc.rpch.RtsPduKind.CONN_C1;
import static dev.anywhere.rpc.rpch.RtsPduKind.CONN_C2;
import static dev.anywhere.rpc.rpch.RtsPduKind.ECHO;
import static dev.anywhere.rpc.rpch.RtsPduKind.FLOW_CONTROL_ACK;
import static dev.anywhere.rpc.rpch.RtsPduKind.FLOW_CONTROL_ACK_WITH_DESTINATION;
import static dev.anywhere.rpc.rpch.RtsPduKind.IN_R1_A1;
import static dev.anywhere.rpc.rpch.RtsPduKind.IN_R1_A2;
import static dev.anywhere.rpc.rpch.RtsPduKind.IN_R1_A3;
import static dev.anywhere.rpc.rpch.RtsPduKind.IN_R1_A4;
import static dev.anywhere.rpc.rpch.RtsPduKind.IN_R1_A5;
import static dev.anywhere.rpc.rpch.RtsPduKind.IN_R1_A6;
import static dev.anywhere.rpc.rpch.RtsPduKind.IN_R1_B1;
import static dev.anywhere.rpc.rpch.RtsPduKind.IN_R1_B2;
import static dev.anywhere.rpc.rpch.RtsPduKind.IN_R2_A1;
import static dev.anywhere.rpc.rpch.RtsPduKind.IN_R2_A2;
import static dev.anywhere.rpc.rpch.RtsPduKind.IN_R2_A3;
import static dev.anywhere.rpc.rpch.RtsPduKind.IN_R2_A4;
import static dev.anywhere.rpc.rpch.RtsPduKind.IN_R2_A5;
import static dev.anywhere.rpc.rpch.RtsPduKind.KEEP_ALIVE;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R1_A1;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R1_A10;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R1_A11;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R1_A2;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R1_A3;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R1_A4;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R1_A5;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R1_A6;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R1_A7;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R1_A8;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R1_A9;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R2_A1;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R2_A2;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R2_A3;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R2_A4;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R2_A5;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R2_A6;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R2_A7;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R2_A8;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R2_B1;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R2_B2;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R2_B3;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R2_C1;
import static dev.anywhere.rpc.rpch.RtsPduKind.PING;
import static dev.anywhere.rpc.rpch.RtsPduKind.PING_TRAFFIC_SENT_NOTIFY;
import static java.util.Map.entry;

import java.util.List;
import java.util.Map;

/**
 * Which catalogue entries of [MS-RPCH] 2.2.4 each {@link RtsMessage} record stands for, in catalogue order: the
 * reverse of the decoding switch in {@link RpchCodec}, kept in one table (checked against it by
 * {@code RtsMessageTest}).
 *
 * @see [MS-RPCH] 2.2.4 RTS PDUs
 */
final class RtsLayouts {
    private RtsLayouts() {}

    private static final Map<Class<?>, List<RtsPduKind>> KINDS = Map.ofEntries(
            entry(RtsMessage.ConnA1.class, List.of(CONN_A1)),
            entry(RtsMessage.ConnA2.class, List.of(CONN_A2)),
            entry(RtsMessage.ConnA3.class, List.of(CONN_A3)),
            entry(RtsMessage.ConnB1.class, List.of(CONN_B1)),
            entry(RtsMessage.ConnB2.class, List.of(CONN_B2)),
            entry(RtsMessage.ConnB3.class, List.of(CONN_B3)),
            entry(RtsMessage.ConnC1.class, List.of(CONN_C1, CONN_C2)),
            entry(RtsMessage.InR1A1.class, List.of(IN_R1_A1, IN_R2_A1)),
            entry(RtsMessage.InR1A2.class, List.of(IN_R1_A2)),
            entry(RtsMessage.InR1A3.class, List.of(IN_R1_A3, IN_R1_A4)),
            entry(RtsMessage.InR1A5.class, List.of(IN_R1_A5, IN_R1_A6, IN_R2_A2, IN_R2_A5, OUT_R2_A4)),
            entry(RtsMessage.InR1B1.class, List.of(IN_R1_B1)),
            entry(RtsMessage.InR1B2.class, List.of(IN_R1_B2)),
            entry(RtsMessage.InR2A3.class, List.of(IN_R2_A3, IN_R2_A4)),
            entry(RtsMessage.OutR1A1.class, List.of(OUT_R1_A1, OUT_R1_A2, OUT_R2_A1, OUT_R2_A2)),
            entry(RtsMessage.OutR1A3.class, List.of(OUT_R1_A3, OUT_R2_A3)),
            entry(RtsMessage.OutR1A4.class, List.of(OUT_R1_A4)),
            entry(RtsMessage.OutR1A5.class, List.of(OUT_R1_A5, OUT_R1_A6)),
            entry(RtsMessage.OutR1A7.class, List.of(OUT_R1_A7, OUT_R1_A8, OUT_R2_A8)),
            entry(RtsMessage.OutR1A9.class, List.of(OUT_R1_A9, OUT_R1_A10, OUT_R1_A11, OUT_R2_B1)),
            entry(RtsMessage.OutR2A5.class, List.of(OUT_R2_A5, OUT_R2_A6)),
            entry(RtsMessage.OutR2A7.class, List.of(OUT_R2_A7)),
            entry(RtsMessage.OutR2B2.class, List.of(OUT_R2_B2)),
            entry(RtsMessage.OutR2B3.class, List.of(OUT_R2_B3)),
            entry(RtsMessage.OutR2C1.class, List.of(OUT_R2_C1)),
            entry(RtsMessage.KeepAlive.class, List.of(KEEP_ALIVE)),
            entry(RtsMessage.PingTrafficSentNotify.class, List.of(PING_TRAFFIC_SENT_NOTIFY)),
            entry(RtsMessage.Echo.class, List.of(ECHO)),
            entry(RtsMessage.Ping.class, List.of(PING)),
            entry(RtsMessage.FlowControlAck.class, List.of(FLOW_CONTROL_ACK)),
            entry(RtsMessage.FlowControlAckWithDestination.class, List.of(FLOW_CONTROL_ACK_WITH_DESTINATION)));

    /** The kinds of {@code layout}; empty for {@link RtsMessage.Unclassified}. */
    static List<RtsPduKind> kinds(Class<?> layout) {
        return KINDS.getOrDefault(layout, List.of());
    }
}
