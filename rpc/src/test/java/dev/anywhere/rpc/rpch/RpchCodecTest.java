package dev.anywhere.rpc.rpch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.rpch.RtsCommand.ClientAddress;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RpchCodecTest {

    // Cookies of the impacket test vectors, decoded as GUIDs (wire order = UUID(bytes_le=...)).
    private static final UUID A1_VC = UUID.fromString("3daff6b0-6277-0798-9b21-546eecf42253");
    private static final UUID A1_OUT = UUID.fromString("377a243a-c16d-2ced-685d-343513464325");
    private static final UUID B2_VC = UUID.fromString("b38bec61-2840-46a8-bafd-90cf6d31dc29");
    private static final UUID B2_IN = UUID.fromString("2294ce20-8330-451b-94ea-0d7e05d2a85a");
    private static final UUID B2_AG = UUID.fromString("20b428df-a477-4270-b1d1-4a03495f6b7b");
    private static final UUID A2_OUT = UUID.fromString("351038bc-f0a7-433d-9c3f-44856ef1c3b0");
    private static final UUID FC_COOKIE = UUID.fromString("7c6e79e3-68bc-4da9-ab8d-8240a0057232");

    private static final String HDR = "05 00 14 03 10 00 00 00";

    /*
     * Provenance: CONN/A1, A2, A3, B2, C2, Ping and FlowControlAckWithDestination are the byte strings of
     * impacket tests/SMB_RPC/test_rpch.py (RPCHLocalTest test_2..test_8; A2 and B2 were sent by a Windows
     * proxy). The rest were assembled by hand from the [MS-RPCH] 2.2.4.x layouts: Echo is 2.2.4.48 (flags ECHO, no
     * commands); B1 carries the values impacket's client sends (ChannelLifetime 1 GiB, ClientKeepalive 300,000 ms).
     */
    static Stream<Arguments> golden() {
        return Stream.of(
                Arguments.of("CONN/A1 (impacket test_2)", HDR + "4c 00 00 00 00 00 00 00 | 00 00 04 00"
                        + "| 06 00 00 00 01 00 00 00"
                        + "| 03 00 00 00 b0 f6 af 3d 77 62 98 07 9b 21 54 6e ec f4 22 53"
                        + "| 03 00 00 00 3a 24 7a 37 6d c1 ed 2c 68 5d 34 35 13 46 43 25"
                        + "| 00 00 00 00 00 00 04 00", List.of(RtsPduKind.CONN_A1)),
                Arguments.of("CONN/A2 (impacket test_8, Windows proxy)", HDR + "54 00 00 00 00 00 00 00 | 10 00 05 00"
                        + "| 06 00 00 00 01 00 00 00"
                        + "| 03 00 00 00 61 ec 8b b3 40 28 a8 46 ba fd 90 cf 6d 31 dc 29"
                        + "| 03 00 00 00 bc 38 10 35 a7 f0 3d 43 9c 3f 44 85 6e f1 c3 b0"
                        + "| 04 00 00 00 00 00 00 40 | 00 00 00 00 00 00 01 00", List.of(RtsPduKind.CONN_A2)),
                Arguments.of("CONN/A3 (impacket test_3)", HDR + "1c 00 00 00 00 00 00 00 | 00 00 01 00"
                        + "| 02 00 00 00 c0 d4 01 00", List.of(RtsPduKind.CONN_A3)),
                Arguments.of("CONN/B1 (spec layout, impacket's values)", HDR + "68 00 00 00 00 00 00 00 | 00 00 06 00"
                        + "| 06 00 00 00 01 00 00 00"
                        + "| 03 00 00 00 61 ec 8b b3 40 28 a8 46 ba fd 90 cf 6d 31 dc 29"
                        + "| 03 00 00 00 20 ce 94 22 30 83 1b 45 94 ea 0d 7e 05 d2 a8 5a"
                        + "| 04 00 00 00 00 00 00 40 | 05 00 00 00 e0 93 04 00"
                        + "| 0c 00 00 00 df 28 b4 20 77 a4 70 42 b1 d1 4a 03 49 5f 6b 7b", List.of(RtsPduKind.CONN_B1)),
                Arguments.of("CONN/B2 IPv4 (impacket test_7, Windows proxy)", HDR + "80 00 00 00 00 00 00 00 | 08 00 07 00"
                        + "| 06 00 00 00 01 00 00 00"
                        + "| 03 00 00 00 61 ec 8b b3 40 28 a8 46 ba fd 90 cf 6d 31 dc 29"
                        + "| 03 00 00 00 20 ce 94 22 30 83 1b 45 94 ea 0d 7e 05 d2 a8 5a"
                        + "| 00 00 00 00 00 00 01 00 | 02 00 00 00 c0 d4 01 00"
                        + "| 0c 00 00 00 df 28 b4 20 77 a4 70 42 b1 d1 4a 03 49 5f 6b 7b"
                        + "| 0b 00 00 00 00 00 00 00 00 00 00 00 c0 a8 02 fe 00 00 00 00 00 00 00 00",
                        List.of(RtsPduKind.CONN_B2)),
                Arguments.of("CONN/B3 (spec layout)", HDR + "24 00 00 00 00 00 00 00 | 00 00 02 00"
                        + "| 00 00 00 00 00 00 01 00 | 06 00 00 00 01 00 00 00", List.of(RtsPduKind.CONN_B3)),
                Arguments.of("CONN/C2 (impacket test_5)", HDR + "2c 00 00 00 00 00 00 00 | 00 00 03 00"
                        + "| 06 00 00 00 01 00 00 00 | 00 00 00 00 00 00 01 00 | 02 00 00 00 c0 d4 01 00",
                        List.of(RtsPduKind.CONN_C1, RtsPduKind.CONN_C2)),
                Arguments.of("IN_R1/A1 (spec layout)", HDR + "58 00 00 00 00 00 00 00 | 04 00 04 00"
                        + "| 06 00 00 00 01 00 00 00"
                        + "| 03 00 00 00 61 ec 8b b3 40 28 a8 46 ba fd 90 cf 6d 31 dc 29"
                        + "| 03 00 00 00 20 ce 94 22 30 83 1b 45 94 ea 0d 7e 05 d2 a8 5a"
                        + "| 03 00 00 00 bc 38 10 35 a7 f0 3d 43 9c 3f 44 85 6e f1 c3 b0",
                        List.of(RtsPduKind.IN_R1_A1, RtsPduKind.IN_R2_A1)),
                Arguments.of("OUT_R2/B3 (spec layout)", HDR + "18 00 00 00 00 00 00 00 | 20 00 01 00 | 0a 00 00 00",
                        List.of(RtsPduKind.OUT_R2_B3)),
                Arguments.of("OUT_R2/C1 (spec layout)", HDR + "18 00 00 00 00 00 00 00 | 01 00 01 00 | 07 00 00 00",
                        List.of(RtsPduKind.OUT_R2_C1)),
                Arguments.of("Keep-Alive (spec layout)", HDR + "1c 00 00 00 00 00 00 00 | 02 00 01 00"
                        + "| 05 00 00 00 e0 93 04 00", List.of(RtsPduKind.KEEP_ALIVE)),
                Arguments.of("Echo (spec layout)", HDR + "14 00 00 00 00 00 00 00 | 40 00 00 00",
                        List.of(RtsPduKind.ECHO)),
                Arguments.of("Ping (impacket test_4)", HDR + "14 00 00 00 00 00 00 00 | 01 00 00 00",
                        List.of(RtsPduKind.PING)),
                Arguments.of("FlowControlAck (spec layout)", HDR + "30 00 00 00 00 00 00 00 | 02 00 01 00"
                        + "| 01 00 00 00 92 80 00 00 00 00 01 00 e3 79 6e 7c bc 68 a9 4d ab 8d 82 40 a0 05 72 32",
                        List.of(RtsPduKind.FLOW_CONTROL_ACK)),
                Arguments.of("FlowControlAckWithDestination (impacket test_6)", HDR + "38 00 00 00 00 00 00 00 | 02 00 02 00"
                        + "| 0d 00 00 00 00 00 00 00"
                        + "| 01 00 00 00 92 80 00 00 00 00 01 00 e3 79 6e 7c bc 68 a9 4d ab 8d 82 40 a0 05 72 32",
                        List.of(RtsPduKind.FLOW_CONTROL_ACK_WITH_DESTINATION)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void goldenBytesDecodeAndReencodeIdentically(String name, String hex, List<RtsPduKind> kinds) {
        ByteBuf in = Hex.buf(hex);
        RtsPdu pdu = RpchCodec.decode(in);
        assertThat(in.isReadable()).isFalse();
        assertThat(pdu.kinds()).containsExactlyElementsOf(kinds);
        ByteBuf out = Unpooled.buffer();
        RpchCodec.encode(pdu, out);
        assertThat(Hex.of(out)).isEqualTo(Hex.normalize(hex));
        assertThat(pdu.fragLength()).isEqualTo(out.readableBytes());
    }

    @Test
    void connA1FieldsFromImpacketVector() {
        RtsPdu pdu = decode(golden(0));
        assertThat(pdu).isEqualTo(RtsPdus.connA1(1, A1_VC, A1_OUT, 262_144));
        assertThat(pdu.all(RtsCommand.Cookie.class)).extracting(RtsCommand.Cookie::cookie).containsExactly(A1_VC, A1_OUT);
    }

    @Test
    void connA2FromWindowsProxyCarriesOneGibLifetimeAndSixtyFourKibWindow() {
        RtsPdu pdu = decode(golden(1));
        assertThat(pdu).isEqualTo(RtsPdus.connA2(1, B2_VC, A2_OUT, 0x4000_0000L, 65_536));
    }

    @Test
    void connB2KeepsWindowsClientAddressQuirkVerbatim() {
        RtsPdu pdu = decode(golden(4));
        ClientAddress address = pdu.first(ClientAddress.class).orElseThrow();
        assertThat(address.address().getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(address.padding()).isEqualTo(Octets.ofHex("c0a802fe 00000000 00000000"));
        assertThat(pdu).isEqualTo(RtsPdus.connB2(1, B2_VC, B2_IN, 65_536, 120_000, B2_AG, address));
    }

    @Test
    void ipv4MappedIpv6ClientAddressStaysIpv6AndReencodesToTheSameBytes() {
        // RpchCodecFuzzTest's round trip fails on this input (crash-client-address-ipv4-mapped-ipv6): ::ffff:192.168.2.254
        // decoded as an IPv4 address, re-encoded 12 bytes shorter
        String hex = HDR + "38 00 00 00 00 00 00 00 | 00 00 01 00 | 0b 00 00 00 01 00 00 00"
                + "| 00 00 00 00 00 00 00 00 00 00 ff ff c0 a8 02 fe | 00 00 00 00 00 00 00 00 00 00 00 00";
        RtsPdu pdu = decode(hex);
        ClientAddress address = pdu.first(ClientAddress.class).orElseThrow();
        assertThat(address.addressType()).isEqualTo(ClientAddress.IPV6);
        assertThat(address.address().getAddress()).hasSize(16);
        assertThat(RpchCodec.toBytes(pdu)).isEqualTo(Hex.bytes(hex));
    }

    @Test
    void flowControlAckWithDestinationFields() {
        RtsPdu pdu = decode(golden(14));
        assertThat(pdu).isEqualTo(RtsPdus.flowControlAckWithDestination(ForwardDestination.CLIENT, 32_914, 65_536,
                FC_COOKIE));
    }

    @Test
    void connB1AndC2FromFactoriesMatchGoldenBytes() {
        assertThat(encodeHex(RtsPdus.connB1(1, B2_VC, B2_IN, 0x4000_0000L, 300_000, B2_AG)))
                .isEqualTo(Hex.normalize(golden(3)));
        assertThat(encodeHex(RtsPdus.connC2(1, 65_536, 120_000))).isEqualTo(Hex.normalize(golden(6)));
        assertThat(encodeHex(RtsPdus.connA3(120_000))).isEqualTo(Hex.normalize(golden(2)));
        assertThat(encodeHex(RtsPdus.ping())).isEqualTo(Hex.normalize(golden(12)));
        assertThat(encodeHex(RtsPdus.echo())).isEqualTo(Hex.normalize(golden(11)));
    }

    /** One sample per catalogue entry, built with the factory of that entry. */
    static Map<RtsPduKind, RtsPdu> samples() throws Exception {
        UUID vc = UUID.fromString("11111111-2222-3333-4444-555555555555");
        UUID a = UUID.fromString("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
        UUID b = UUID.fromString("01234567-89ab-cdef-0123-456789abcdef");
        ClientAddress v6 = new ClientAddress(InetAddress.getByName("2001:db8::1"));
        Map<RtsPduKind, RtsPdu> m = new EnumMap<>(RtsPduKind.class);
        m.put(RtsPduKind.CONN_A1, RtsPdus.connA1(1, vc, a, 262_144));
        m.put(RtsPduKind.CONN_A2, RtsPdus.connA2(1, vc, a, 0x4000_0000L, 65_536));
        m.put(RtsPduKind.CONN_A3, RtsPdus.connA3(120_000));
        m.put(RtsPduKind.CONN_B1, RtsPdus.connB1(1, vc, a, 0x4000_0000L, 300_000, b));
        m.put(RtsPduKind.CONN_B2, RtsPdus.connB2(1, vc, a, 65_536, 120_000, b, v6));
        m.put(RtsPduKind.CONN_B3, RtsPdus.connB3(65_536, 1));
        m.put(RtsPduKind.CONN_C1, RtsPdus.connC1(1, 65_536, 120_000));
        m.put(RtsPduKind.CONN_C2, RtsPdus.connC2(1, 65_536, 120_000));
        m.put(RtsPduKind.IN_R1_A1, RtsPdus.inR1A1(1, vc, a, b));
        m.put(RtsPduKind.IN_R1_A2, RtsPdus.inR1A2(1, vc, a, b, 65_536, 120_000));
        m.put(RtsPduKind.IN_R1_A3, RtsPdus.inR1A3(1, 65_536, 120_000));
        m.put(RtsPduKind.IN_R1_A4, RtsPdus.inR1A4(1, 65_536, 120_000));
        m.put(RtsPduKind.IN_R1_A5, RtsPdus.inR1A5(b));
        m.put(RtsPduKind.IN_R1_A6, RtsPdus.inR1A6(b));
        m.put(RtsPduKind.IN_R1_B1, RtsPdus.inR1B1());
        m.put(RtsPduKind.IN_R1_B2, RtsPdus.inR1B2(65_536));
        m.put(RtsPduKind.IN_R2_A1, RtsPdus.inR2A1(1, vc, a, b));
        m.put(RtsPduKind.IN_R2_A2, RtsPdus.inR2A2(b));
        m.put(RtsPduKind.IN_R2_A3, RtsPdus.inR2A3());
        m.put(RtsPduKind.IN_R2_A4, RtsPdus.inR2A4());
        m.put(RtsPduKind.IN_R2_A5, RtsPdus.inR2A5(b));
        m.put(RtsPduKind.OUT_R1_A1, RtsPdus.outR1A1());
        m.put(RtsPduKind.OUT_R1_A2, RtsPdus.outR1A2());
        m.put(RtsPduKind.OUT_R1_A3, RtsPdus.outR1A3(1, vc, a, b, 262_144));
        m.put(RtsPduKind.OUT_R1_A4, RtsPdus.outR1A4(1, vc, a, b, 0x4000_0000L, 65_536, 120_000));
        m.put(RtsPduKind.OUT_R1_A5, RtsPdus.outR1A5(1, 120_000));
        m.put(RtsPduKind.OUT_R1_A6, RtsPdus.outR1A6(1, 120_000));
        m.put(RtsPduKind.OUT_R1_A7, RtsPdus.outR1A7(b));
        m.put(RtsPduKind.OUT_R1_A8, RtsPdus.outR1A8(b));
        m.put(RtsPduKind.OUT_R1_A9, RtsPdus.outR1A9());
        m.put(RtsPduKind.OUT_R1_A10, RtsPdus.outR1A10());
        m.put(RtsPduKind.OUT_R1_A11, RtsPdus.outR1A11());
        m.put(RtsPduKind.OUT_R2_A1, RtsPdus.outR2A1());
        m.put(RtsPduKind.OUT_R2_A2, RtsPdus.outR2A2());
        m.put(RtsPduKind.OUT_R2_A3, RtsPdus.outR2A3(1, vc, a, b, 262_144));
        m.put(RtsPduKind.OUT_R2_A4, RtsPdus.outR2A4(b));
        m.put(RtsPduKind.OUT_R2_A5, RtsPdus.outR2A5());
        m.put(RtsPduKind.OUT_R2_A6, RtsPdus.outR2A6());
        m.put(RtsPduKind.OUT_R2_A7, RtsPdus.outR2A7(b, 1));
        m.put(RtsPduKind.OUT_R2_A8, RtsPdus.outR2A8(b));
        m.put(RtsPduKind.OUT_R2_B1, RtsPdus.outR2B1());
        m.put(RtsPduKind.OUT_R2_B2, RtsPdus.outR2B2());
        m.put(RtsPduKind.OUT_R2_B3, RtsPdus.outR2B3());
        m.put(RtsPduKind.OUT_R2_C1, RtsPdus.outR2C1());
        m.put(RtsPduKind.KEEP_ALIVE, RtsPdus.keepAlive(300_000));
        m.put(RtsPduKind.PING_TRAFFIC_SENT_NOTIFY, RtsPdus.pingTrafficSentNotify(4_096));
        m.put(RtsPduKind.ECHO, RtsPdus.echo());
        m.put(RtsPduKind.PING, RtsPdus.ping());
        m.put(RtsPduKind.FLOW_CONTROL_ACK, RtsPdus.flowControlAck(1_000, 64_000, a));
        m.put(RtsPduKind.FLOW_CONTROL_ACK_WITH_DESTINATION,
                RtsPdus.flowControlAckWithDestination(ForwardDestination.OUT_PROXY, 1_000, 262_144, a));
        return m;
    }

    static Stream<Arguments> everyKind() throws Exception {
        List<Arguments> args = new ArrayList<>();
        samples().forEach((k, pdu) -> args.add(Arguments.of(k, pdu)));
        return args.stream();
    }

    @Test
    void everyCatalogueEntryHasASample() throws Exception {
        assertThat(samples().keySet()).containsExactlyInAnyOrder(RtsPduKind.values());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKind")
    void roundTripAndClassification(RtsPduKind kind, RtsPdu pdu) {
        assertThat(pdu.kinds()).contains(kind);
        assertThat(pdu.is(kind)).isTrue();
        ByteBuf wire = RpchCodec.encode(pdu, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(wire.readableBytes()).isEqualTo(pdu.fragLength());
            assertThat(RpchCodec.decode(wire)).isEqualTo(pdu);
        } finally {
            wire.release();
        }
    }

    /** frag_length of each PDU: the 20-byte RTS header plus its commands as [MS-RPCH] 2.2.4.2–2.2.4.51 list them (sizes: 2.2.3.5). */
    static Stream<Arguments> catalogueSizes() {
        return Stream.of(
                Arguments.of(RtsPduKind.CONN_A1, 76), Arguments.of(RtsPduKind.CONN_A2, 84),
                Arguments.of(RtsPduKind.CONN_A3, 28), Arguments.of(RtsPduKind.CONN_B1, 104),
                Arguments.of(RtsPduKind.CONN_B2, 140), // IPv6 client address (IPv4: 128, see the golden bytes)
                Arguments.of(RtsPduKind.CONN_B3, 36), Arguments.of(RtsPduKind.CONN_C1, 44),
                Arguments.of(RtsPduKind.CONN_C2, 44), Arguments.of(RtsPduKind.IN_R1_A1, 88),
                Arguments.of(RtsPduKind.IN_R2_A1, 88), Arguments.of(RtsPduKind.IN_R1_A2, 104),
                Arguments.of(RtsPduKind.IN_R1_A3, 52), Arguments.of(RtsPduKind.IN_R1_A4, 52),
                Arguments.of(RtsPduKind.IN_R1_A5, 40), Arguments.of(RtsPduKind.IN_R1_A6, 40),
                Arguments.of(RtsPduKind.IN_R1_B1, 24), Arguments.of(RtsPduKind.IN_R1_B2, 28),
                Arguments.of(RtsPduKind.OUT_R1_A1, 28), Arguments.of(RtsPduKind.OUT_R1_A2, 28),
                Arguments.of(RtsPduKind.OUT_R1_A3, 96), Arguments.of(RtsPduKind.OUT_R2_A3, 96),
                Arguments.of(RtsPduKind.OUT_R1_A4, 112), Arguments.of(RtsPduKind.OUT_R1_A5, 44),
                Arguments.of(RtsPduKind.OUT_R1_A6, 44), Arguments.of(RtsPduKind.OUT_R1_A7, 48),
                Arguments.of(RtsPduKind.OUT_R1_A8, 48), Arguments.of(RtsPduKind.OUT_R2_A7, 56),
                Arguments.of(RtsPduKind.OUT_R1_A9, 24), Arguments.of(RtsPduKind.OUT_R1_A10, 24),
                Arguments.of(RtsPduKind.OUT_R1_A11, 24), Arguments.of(RtsPduKind.OUT_R2_B1, 24),
                Arguments.of(RtsPduKind.OUT_R2_B2, 24), Arguments.of(RtsPduKind.OUT_R2_B3, 24),
                Arguments.of(RtsPduKind.OUT_R2_C1, 24), Arguments.of(RtsPduKind.KEEP_ALIVE, 28),
                Arguments.of(RtsPduKind.PING_TRAFFIC_SENT_NOTIFY, 28), Arguments.of(RtsPduKind.ECHO, 20),
                Arguments.of(RtsPduKind.PING, 20), Arguments.of(RtsPduKind.FLOW_CONTROL_ACK, 48),
                Arguments.of(RtsPduKind.FLOW_CONTROL_ACK_WITH_DESTINATION, 56));
    }

    @ParameterizedTest(name = "{0}: {1} bytes")
    @MethodSource("catalogueSizes")
    void catalogueSizesMatchMsRpchTable(RtsPduKind kind, int fragLength) throws Exception {
        assertThat(samples().get(kind).fragLength()).isEqualTo(fragLength);
    }

    @Test
    void outR2C1WithPaddingIsRecognised() {
        RtsPdu pdu = RtsPdu.of(java.util.EnumSet.of(RtsFlag.PING), RtsCommand.Padding.zeros(0));
        assertThat(pdu.kinds()).containsExactly(RtsPduKind.OUT_R2_C1);
        assertThat(RpchCodec.decode(RpchCodec.encode(pdu, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT)))
                .isEqualTo(pdu);
    }

    @Test
    void unclassifiedSignatureHasNoKind() {
        RtsPdu pdu = RtsPdu.of(RtsFlag.none(), new RtsCommand.Version(1));
        assertThat(pdu.kinds()).isEmpty();
        assertThat(pdu.toString()).startsWith("RtsPdu[unclassified");
    }

    @Test
    void flagsNormalizeNone() {
        assertThat(RtsPdu.of(java.util.Set.of()).flags()).containsExactly(RtsFlag.NONE);
        assertThat(RtsPdu.of(java.util.EnumSet.of(RtsFlag.NONE, RtsFlag.PING)).flags()).containsExactly(RtsFlag.PING);
    }

    @Test
    void expectNamesTheUnexpectedPdu() {
        assertThat(RtsPduKind.expect(RtsPdus.connA3(120_000), RtsPduKind.CONN_A3)).isEqualTo(RtsPduKind.CONN_A3);
        assertThat(RtsPduKind.expect(RtsPdus.connC2(1, 65_536, 120_000), RtsPduKind.CONN_C2))
                .isEqualTo(RtsPduKind.CONN_C2);
        assertThatThrownBy(() -> RtsPduKind.expect(RtsPdus.ping(), RtsPduKind.CONN_A1, RtsPduKind.OUT_R1_A3))
                .isInstanceOf(RpchProtocolException.class)
                .hasMessage("RTS PDU: Ping (expected: CONN/A1 or OUT_R1/A3)");
        assertThatThrownBy(() -> RtsPduKind.expect(RtsPdu.of(RtsFlag.none(), new RtsCommand.Version(1)),
                RtsPduKind.CONN_B1))
                .isInstanceOf(RpchProtocolException.class)
                .hasMessage("RTS PDU: unclassified, flags 0x0000 commands [VERSION] (expected: CONN/B1)");
    }

    // ---- malformed input: exact messages ----

    @Test
    void truncatedHeader() {
        assertDecodeFails("05 00 14 03 10 00", "truncated header: 6 bytes (expected: 16)");
    }

    @Test
    void fragLengthBelowSixteen() {
        assertDecodeFails(HDR + "0c 00 00 00 00 00 00 00", "frag_length: 12 (expected: >= 16)");
    }

    @Test
    void fragLengthBelowRtsHeader() {
        assertDecodeFails(HDR + "10 00 00 00 00 00 00 00", "frag_length: 16 (expected: >= 20 for an RTS PDU)");
    }

    @Test
    void truncatedBody() {
        assertDecodeFails(HDR + "1c 00 00 00 00 00 00 00 | 00 00 01 00 | 02 00 00 00 c0 d4",
                "truncated rts pdu: 10 bytes (expected: 12)");
    }

    @Test
    void unknownCommandType() {
        assertDecodeFails(HDR + "1c 00 00 00 00 00 00 00 | 00 00 01 00 | 0f 00 00 00 c0 d4 01 00",
                "CommandType: 0xf (expected: 0x0..0xe)");
    }

    @Test
    void numberOfCommandsLargerThanTheBodyHolds() {
        assertDecodeFails(HDR + "1c 00 00 00 00 00 00 00 | 00 00 02 00 | 02 00 00 00 c0 d4 01 00",
                "NumberOfCommands: 2 (expected: 1, the commands frag_length 28 holds)");
        assertDecodeFails(HDR + "1c 00 00 00 00 00 00 00 | 00 00 03 00 | 02 00 00 00 c0 d4 01 00",
                "NumberOfCommands: 3 (expected: <= 2, what frag_length 28 can hold)");
    }

    @Test
    void numberOfCommandsSmallerThanTheBodyHolds() {
        assertDecodeFails(HDR + "1c 00 00 00 00 00 00 00 | 00 00 00 00 | 02 00 00 00 c0 d4 01 00",
                "NumberOfCommands: 0 (expected: commands filling frag_length 28, 8 bytes left over)");
    }

    @Test
    void hugePaddingCount() {
        assertDecodeFails(HDR + "1c 00 00 00 00 00 00 00 | 01 00 01 00 | 08 00 00 00 00 00 10 00",
                "Padding ConformanceCount: 1048576 (expected: <= 65535)");
        assertDecodeFails(HDR + "1c 00 00 00 00 00 00 00 | 01 00 01 00 | 08 00 00 00 64 00 00 00",
                "truncated Padding: 0 bytes (expected: 100)");
    }

    @Test
    void bigEndianDataRepresentation() {
        assertDecodeFails("05 00 14 03 00 00 00 00 00 1c 00 00 00 00 00 00 | 00 00 00 01 | 00 00 00 02 00 01 d4 c0",
                "packed_drep: 00000000 big-endian (expected: 10000000 little-endian, ASCII, IEEE; "
                        + "big-endian peers are not supported)");
    }

    @Test
    void headerFieldsRtsForbids() {
        assertDecodeFails("05 00 00 03 10 00 00 00 14 00 00 00 00 00 00 00 | 01 00 00 00",
                "PTYPE: 0 request (expected: 20 rts)");
        assertDecodeFails("05 00 14 01 10 00 00 00 14 00 00 00 00 00 00 00 | 01 00 00 00",
                "pfc_flags: 0x01 (expected: 0x03 PFC_FIRST_FRAG | PFC_LAST_FRAG)");
        assertDecodeFails("05 00 14 03 10 00 00 00 14 00 04 00 00 00 00 00 | 01 00 00 00",
                "auth_length: 4 (expected: 0)");
        assertDecodeFails("05 00 14 03 10 00 00 00 14 00 00 00 07 00 00 00 | 01 00 00 00",
                "call_id: 7 (expected: 0)");
        assertDecodeFails("04 00 14 03 10 00 00 00 14 00 00 00 00 00 00 00 | 01 00 00 00",
                "rpc_vers: 4 (expected: 5)");
    }

    @Test
    void undefinedFlagBit() {
        assertDecodeFails(HDR + "14 00 00 00 00 00 00 00 | 80 00 00 00", "Flags: 0x0080 (expected: only bits of 0x007f)");
    }

    @Test
    void valuesOutOfSpecRange() {
        assertDecodeFails(HDR + "1c 00 00 00 00 00 00 00 | 00 00 01 00 | 00 00 00 00 00 01 00 00",
                "ReceiveWindowSize: 256 (expected: 8192..262144)");
        assertDecodeFails(HDR + "1c 00 00 00 00 00 00 00 | 00 00 01 00 | 02 00 00 00 e8 03 00 00",
                "ConnectionTimeout: 1000 (expected: 120000..14400000)");
        assertDecodeFails(HDR + "1c 00 00 00 00 00 00 00 | 02 00 01 00 | 0d 00 00 00 04 00 00 00",
                "Destination: 4 (expected: 0..3)");
        assertDecodeFails(HDR + "2c 00 00 00 00 00 00 00 | 08 00 01 00 | 0b 00 00 00 02 00 00 00 00 00 00 00"
                        + " 00 00 00 00 00 00 00 00 00 00 00 00",
                "ClientAddress AddressType: 2 (expected: 0 IPv4 or 1 IPv6)");
    }

    @Test
    void paddingFactoryRejectsHugeCount() {
        assertThatThrownBy(() -> RtsCommand.Padding.zeros(0x10000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Padding ConformanceCount: 65536 (expected: 0..65535)");
    }

    private static void assertDecodeFails(String hex, String message) {
        assertThatThrownBy(() -> RpchCodec.decode(Hex.buf(hex)))
                .isInstanceOf(RpchProtocolException.class)
                .hasMessage(message);
    }

    private static String golden(int index) {
        return (String) golden().skip(index).findFirst().orElseThrow().get()[1];
    }

    private static RtsPdu decode(String hex) {
        return RpchCodec.decode(Hex.buf(hex));
    }

    private static String encodeHex(RtsPdu pdu) {
        ByteBuf out = Unpooled.buffer();
        RpchCodec.encode(pdu, out);
        return Hex.of(out);
    }
}
