package dev.anywhere.rpc.rpch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The typed records of [MS-RPCH] 2.2.4: every catalogue entry decodes to its record and re-encodes byte for byte. */
class RtsMessageTest {
    private static final UUID VC = UUID.fromString("11111111-2222-3333-4444-555555555555");
    private static final UUID A = UUID.fromString("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");

    static Stream<Arguments> everyKind() throws Exception {
        return RpchCodecTest.samples().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKind")
    void everyKindDecodesToARecordThatReencodesIdentically(RtsPduKind kind, RtsPdu pdu) {
        byte[] wire = RpchCodec.toBytes(pdu);
        ByteBuf in = Unpooled.wrappedBuffer(wire);
        RtsMessage message = RpchCodec.decodeMessage(in);
        assertThat(in.isReadable()).isFalse();
        assertThat(message).isNotInstanceOf(RtsMessage.Unclassified.class);
        assertThat(message.kinds()).contains(kind).containsExactlyElementsOf(pdu.kinds());
        assertThat(message.is(kind)).isTrue();
        assertThat(kind.matches(message)).isTrue();
        assertThat(message.toPdu()).isEqualTo(pdu);
        assertThat(RtsMessage.of(pdu)).isEqualTo(message);
        assertThat(RpchCodec.toBytes(message)).isEqualTo(wire);
        ByteBuf out = RpchCodec.encode(message, UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(Hex.of(out)).isEqualTo(Hex.of(Unpooled.wrappedBuffer(wire)));
        } finally {
            out.release();
        }
    }

    @Test
    void namedFieldsOfConnA1() {
        RtsMessage m = RtsMessage.of(RtsPdus.connA1(1, VC, A, 262_144));
        assertThat(m).isEqualTo(new RtsMessage.ConnA1(1, VC, A, 262_144));
        RtsMessage.ConnA1 a1 = (RtsMessage.ConnA1) m;
        assertThat(a1.virtualConnectionCookie()).isEqualTo(VC);
        assertThat(a1.outChannelCookie()).isEqualTo(A);
        assertThat(a1.receiveWindowSize()).isEqualTo(262_144);
    }

    @Test
    void destinationOtherThanTheFactoryDefaultIsKept() {
        RtsMessage m = new RtsMessage.InR2A3(ForwardDestination.OUT_PROXY);
        byte[] wire = RpchCodec.toBytes(m);
        assertThat(RpchCodec.decodeMessage(Unpooled.wrappedBuffer(wire))).isEqualTo(m);
        assertThat(wire[wire.length - 4]).isEqualTo((byte) 3);
    }

    @Test
    void outR2C1KeepsItsPadding() {
        RtsMessage m = new RtsMessage.OutR2C1(RtsCommand.Padding.zeros(4));
        assertThat(RpchCodec.decodeMessage(Unpooled.wrappedBuffer(RpchCodec.toBytes(m)))).isEqualTo(m);
        assertThat(new RtsMessage.OutR2C1().toPdu()).isEqualTo(RtsPdus.outR2C1());
        assertThatThrownBy(() -> new RtsMessage.OutR2C1(new RtsCommand.Version(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("OUT_R2/C1 command: Version[version=1] (expected: Empty or Padding)");
    }

    @Test
    void unclassifiedPduKeepsItsWireForm() {
        RtsPdu pdu = RtsPdu.of(RtsFlag.none(), new RtsCommand.Version(1));
        RtsMessage m = RpchCodec.decodeMessage(Unpooled.wrappedBuffer(RpchCodec.toBytes(pdu)));
        assertThat(m).isEqualTo(new RtsMessage.Unclassified(pdu));
        assertThat(m.kinds()).isEmpty();
        assertThat(RpchCodec.toBytes(m)).isEqualTo(RpchCodec.toBytes(pdu));
    }

    @Test
    void flowControlAckIsWrittenDirectlyWithTheSameBytes() {
        RtsMessage.FlowControlAck ack = new RtsMessage.FlowControlAck(0xffff_ffffL, 65_536, A);
        ByteBuf out = Unpooled.buffer();
        RpchCodec.encode(ack, out);
        assertThat(Hex.of(out)).isEqualTo(Hex.of(Unpooled.wrappedBuffer(RpchCodec.toBytes(ack.toPdu()))));
    }

    @Test
    void flowControlAckWithDestinationIsWrittenDirectlyWithTheSameBytes() {
        RtsMessage.FlowControlAckWithDestination ack = new RtsMessage.FlowControlAckWithDestination(
                ForwardDestination.OUT_PROXY, 1_000, 262_144, A);
        ByteBuf out = RpchCodec.encode(ack, UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(out.readableBytes()).isEqualTo(RpchCodec.FLOW_CONTROL_ACK_WITH_DESTINATION_LENGTH);
            assertThat(Hex.of(out)).isEqualTo(Hex.of(Unpooled.wrappedBuffer(RpchCodec.toBytes(ack.toPdu()))));
        } finally {
            out.release();
        }
        assertThatThrownBy(() -> new RtsMessage.FlowControlAckWithDestination(ForwardDestination.CLIENT, 0, -2, A))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FlowControlAck AvailableWindow: -2 (expected: 0..4294967295)");
    }

    @Test
    void flowControlAckOutOfRange() {
        assertThatThrownBy(() -> new RtsMessage.FlowControlAck(-1, 0, A))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FlowControlAck BytesReceived: -1 (expected: 0..4294967295)");
        assertThatThrownBy(() -> new RtsMessage.FlowControlAck(0, 0x1_0000_0000L, A))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FlowControlAck AvailableWindow: 4294967296 (expected: 0..4294967295)");
    }

    @Test
    void outOfRangeValueFailsWhenEncoded() {
        RtsMessage m = new RtsMessage.ConnA3(1);
        assertThatThrownBy(() -> RpchCodec.toBytes(m))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ConnectionTimeout: 1 (expected: 120000..14400000)");
    }

    @Test
    void decodeMessageFailsLikeDecode() {
        assertThatThrownBy(() -> RpchCodec.decodeMessage(Hex.buf("05 00 14 03 10 00 00 00 14 00 00 00 00 00 00 00"
                + "80 00 00 00")))
                .isInstanceOf(RpchProtocolException.class)
                .hasMessage("Flags: 0x0080 (expected: only bits of 0x007f)");
    }

    @Test
    void expectOnAMessageNamesTheUnexpectedPdu() {
        RtsMessage c = new RtsMessage.ConnC1(1, 65_536, 120_000);
        assertThat(RtsPduKind.expect(c, RtsPduKind.CONN_C2)).isEqualTo(RtsPduKind.CONN_C2);
        assertThatThrownBy(() -> RtsPduKind.expect(new RtsMessage.Ping(), RtsPduKind.CONN_A1, RtsPduKind.OUT_R1_A3))
                .isInstanceOf(RpchProtocolException.class)
                .hasMessage("RTS PDU: Ping (expected: CONN/A1 or OUT_R1/A3)");
        assertThatThrownBy(() -> RtsPduKind.expect(new RtsMessage.InR1A5(A), RtsPduKind.CONN_B1))
                .isInstanceOf(RpchProtocolException.class)
                .hasMessage("RTS PDU: IN_R1/A5|IN_R1/A6|IN_R2/A2|IN_R2/A5|OUT_R2/A4 (expected: CONN/B1)");
        assertThatThrownBy(() -> RtsPduKind.expect(
                new RtsMessage.Unclassified(RtsPdu.of(EnumSet.of(RtsFlag.PING), new RtsCommand.Version(1))),
                RtsPduKind.CONN_B1))
                .isInstanceOf(RpchProtocolException.class)
                .hasMessage("RTS PDU: unclassified, flags 0x0001 commands [VERSION] (expected: CONN/B1)");
    }

    @Test
    void layoutTableListsExactlyTheKindsEachRecordDecodesFrom() throws Exception {
        // RtsLayouts (record -> kinds) is the reverse of RpchCodec's decoding switch (kind -> record): they must agree.
        Map<Class<?>, java.util.List<RtsPduKind>> decodedFrom = new java.util.HashMap<>();
        RpchCodecTest.samples().forEach((kind, pdu) -> decodedFrom
                .computeIfAbsent(RtsMessage.of(pdu).getClass(), c -> new java.util.ArrayList<>()).add(kind));
        decodedFrom.forEach((layout, kinds) -> assertThat(RtsLayouts.kinds(layout)).as(layout.getSimpleName())
                .containsExactlyElementsOf(kinds));
    }

    @Test
    void frameDecoderAndCodecAgreeOnEveryRecordType() throws Exception {
        Map<RtsPduKind, RtsPdu> samples = RpchCodecTest.samples();
        long seen = samples.values().stream().map(p -> RtsMessage.of(p).getClass()).distinct().count();
        // every permitted record but Unclassified is reached from the catalogue
        assertThat(seen).isEqualTo(RtsMessage.class.getPermittedSubclasses().length - 1);
    }
}
