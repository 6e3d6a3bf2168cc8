package dev.anywhere.rpc.dce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DceCodecTest {

    static final SyntaxId SRVSVC = new SyntaxId(UUID.fromString("4b324fc8-1670-01d3-1278-5a47bf6ee188"), 3, 0);
    static final SyntaxId EPM = new SyntaxId(UUID.fromString("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), 3, 0);

    /**
     * bind to srvsvc with NDR and bind-time feature negotiation (6cb71c2c-9812-4540-0300-000000000000): a
     * Windows capture, zeek testing/btest/Traces/smb/smb2.pcap frame 18, as quoted in OISF/suricata
     * rust/src/smb/smb2_records.rs (test_parse_smb2_request_write; the DCE PDU follows the 48-byte SMB2 header).
     */
    static final String BIND = "05 00 0b 03 10 00 00 00 74 00 00 00 01 00 00 00"
            + "| b8 10 b8 10 00 00 00 00 | 02 00 00 00"
            + "| 00 00 01 00 c8 4f 32 4b 70 16 d3 01 12 78 5a 47 bf 6e e1 88 03 00 00 00"
            + "  04 5d 88 8a eb 1c c9 11 9f e8 08 00 2b 10 48 60 02 00 00 00"
            + "| 01 00 01 00 c8 4f 32 4b 70 16 d3 01 12 78 5a 47 bf 6e e1 88 03 00 00 00"
            + "  2c 1c b7 6c 12 98 40 45 03 00 00 00 00 00 00 00 01 00 00 00";

    /** The bind_ack to {@link #BIND}: same capture, frame 21 (test_parse_smb2_response_read). */
    static final String BIND_ACK = "05 00 0c 03 10 00 00 00 5c 00 00 00 01 00 00 00"
            + "| b8 10 b8 10 b9 72 00 00 | 0d 00 5c 50 49 50 45 5c 73 72 76 73 76 63 00 | 00"
            + "| 02 00 00 00"
            + "| 00 00 00 00 04 5d 88 8a eb 1c c9 11 9f e8 08 00 2b 10 48 60 02 00 00 00"
            + "| 03 00 03 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00";

    /**
     * winreg BaseRegOpenKey request, call 9, opnum 15: rapid7/smbj-rpc
     * src/test/java/com/rapid7/client/dcerpc/msrrp/messages/Test_BaseRegOpenKey.java, checked there against a
     * Wireshark dissection of the capture (frame 11198).
     */
    static final String REQUEST = "05 00 00 03 10 00 00 00 a4 00 00 00 09 00 00 00 | a4 00 00 00 00 00 0f 00"
            + "| 00 00 00 00 32 da f2 34 b7 7c 86 40 9d 29 ef e6 0d 32 66 83 | 5a 00 5a 00 | 00 00 02 00"
            + "| 2d 00 00 00 00 00 00 00 2d 00 00 00"
            + "  53 00 6f 00 66 00 74 00 77 00 61 00 72 00 65 00 5c 00 4d 00 69 00 63 00 72 00 6f 00 73 00 6f 00"
            + "  66 00 74 00 5c 00 57 00 69 00 6e 00 64 00 6f 00 77 00 73 00 20 00 4e 00 54 00 5c 00 43 00 75 00"
            + "  72 00 72 00 65 00 6e 00 74 00 56 00 65 00 72 00 73 00 69 00 6f 00 6e 00 00 00"
            + "| 00 00 | 00 00 00 00 | 00 00 00 02";

    /** The response to {@link #REQUEST} (frame 11204 of the same capture, same test file). */
    static final String RESPONSE = "05 00 02 03 10 00 00 00 30 00 00 00 09 00 00 00 | 18 00 00 00 00 00 00 00"
            + "| 00 00 00 00 0a 66 53 93 f4 66 6e 49 a6 8c d9 9f 26 9d 02 0f | 00 00 00 00";

    /** fault nca_s_unk_if for call 3, assembled from the [C706] 12.6.4.7 layout (32 bytes, as Windows sends). */
    static final String FAULT = "05 00 03 03 10 00 00 00 20 00 00 00 03 00 00 00"
            + "| 00 00 00 00 | 00 00 | 00 | 00 | 03 00 01 1c | 00 00 00 00";

    /**
     * bind with an NTLM NEGOTIATE-shaped auth verifier (auth_type 10, level 6 privacy, context 0) and an
     * alter_context_resp with an empty secondary address: assembled from the [C706] / [MS-RPCE] 2.2.2.11
     * layouts.
     */
    static final String BIND_WITH_AUTH = "05 00 0b 07 10 00 00 00 58 00 08 00 02 00 00 00"
            + "| b8 10 b8 10 00 00 00 00 | 01 00 00 00"
            + "| 00 00 01 00 08 83 af e1 1f 5d c9 11 91 a4 08 00 2b 14 a0 fa 03 00 00 00"
            + "  04 5d 88 8a eb 1c c9 11 9f e8 08 00 2b 10 48 60 02 00 00 00"
            + "| 0a 06 00 00 00 00 00 00 | 4e 54 4c 4d 53 53 50 00";
    static final String ALTER_CONTEXT_RESP = "05 00 0f 03 10 00 00 00 38 00 00 00 04 00 00 00"
            + "| b8 10 b8 10 b9 72 00 00 | 00 00 | 00 00"
            + "| 01 00 00 00 | 00 00 00 00 04 5d 88 8a eb 1c c9 11 9f e8 08 00 2b 10 48 60 02 00 00 00";

    /** bind_nak protocol_version_not_supported offering 5.0, with 3 pad bytes kept verbatim ([C706] 12.6.4.5). */
    static final String BIND_NAK = "05 00 0d 03 10 00 00 00 18 00 00 00 05 00 00 00 | 04 00 | 01 | 05 00 | 00 00 00";

    static Stream<Arguments> golden() {
        return Stream.of(
                Arguments.of("bind (zeek smb2.pcap #18)", BIND, PduType.BIND),
                Arguments.of("bind_ack (zeek smb2.pcap #21)", BIND_ACK, PduType.BIND_ACK),
                Arguments.of("request (smbj-rpc winreg OpenKey)", REQUEST, PduType.REQUEST),
                Arguments.of("response (smbj-rpc winreg OpenKey)", RESPONSE, PduType.RESPONSE),
                Arguments.of("fault (C706 layout)", FAULT, PduType.FAULT),
                Arguments.of("bind with auth (C706 layout)", BIND_WITH_AUTH, PduType.BIND),
                Arguments.of("alter_context_resp (C706 layout)", ALTER_CONTEXT_RESP, PduType.ALTER_CONTEXT_RESP),
                Arguments.of("bind_nak (C706 layout)", BIND_NAK, PduType.BIND_NAK));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void goldenBytesDecodeAndReencodeIdentically(String name, String hex, PduType type) {
        ByteBuf in = buf(hex);
        DcePdu pdu = DceCodec.decode(in);
        assertThat(in.isReadable()).isFalse();
        assertThat(pdu.type()).isEqualTo(type);
        assertThat(hex(pdu)).isEqualTo(normalize(hex));
    }

    @Test
    void bindFromCaptureOffersNdrAndFeatureNegotiation() {
        DcePdu.Bind bind = (DcePdu.Bind) DceCodec.decode(buf(BIND));
        assertThat(bind.callId()).isEqualTo(1);
        assertThat(bind.maxXmitFrag()).isEqualTo(4280);
        assertThat(bind.contexts()).containsExactly(
                PresentationContext.ndr(0, SRVSVC),
                new PresentationContext(1, SRVSVC, List.of(SyntaxId.bindTimeFeatureNegotiation(
                        SyntaxId.FEATURE_SECURITY_CONTEXT_MULTIPLEXING | SyntaxId.FEATURE_KEEP_CONNECTION_ON_ORPHAN))));
        SyntaxId btfn = bind.contexts().get(1).transferSyntaxes().get(0);
        assertThat(btfn.uuid()).hasToString("6cb71c2c-9812-4540-0300-000000000000");
        assertThat(btfn.isBindTimeFeatureNegotiation()).isTrue();
        assertThat(btfn.featureBitmask()).isEqualTo(3);
        assertThat(SyntaxId.NDR.isBindTimeFeatureNegotiation()).isFalse();
    }

    @Test
    void bindAckFromCaptureCarriesPipeNameAndNegotiateAck() {
        DcePdu.BindAck ack = (DcePdu.BindAck) DceCodec.decode(buf(BIND_ACK));
        assertThat(ack).isEqualTo(new DcePdu.BindAck(1, 4280, 4280, 0x72b9, "\\PIPE\\srvsvc",
                List.of(ContextResult.accepted(SyntaxId.NDR), ContextResult.negotiateAck(3))));
    }

    @Test
    void requestAndResponseFields() {
        DcePdu.Request req = (DcePdu.Request) DceCodec.decode(buf(REQUEST));
        assertThat(req.callId()).isEqualTo(9);
        assertThat(req.opnum()).isEqualTo(15);
        assertThat(req.contextId()).isZero();
        assertThat(req.allocHint()).isEqualTo(164);
        assertThat(req.object()).isEmpty();
        assertThat(req.stub().length()).isEqualTo(140);
        DcePdu.Response resp = (DcePdu.Response) DceCodec.decode(buf(RESPONSE));
        assertThat(resp).isEqualTo(new DcePdu.Response(9, 0,
                Octets.ofHex("00000000 0a665393f4666e49a68cd99f269d020f 00000000")));
    }

    @Test
    void bindNakFields() {
        DcePdu.BindNak nak = (DcePdu.BindNak) DceCodec.decode(buf(BIND_NAK));
        assertThat(nak.rejectReason()).isEqualTo(DcePdu.BindNak.PROTOCOL_VERSION_NOT_SUPPORTED);
        assertThat(nak.versions()).containsExactly(DcePdu.ProtocolVersion.V5_0);
        assertThat(nak.trailer()).isEqualTo(Octets.zeros(3));
    }

    @Test
    void faultStatusPrintsNameAndCode() {
        DcePdu.Fault fault = (DcePdu.Fault) DceCodec.decode(buf(FAULT));
        assertThat(fault).isEqualTo(new DcePdu.Fault(3, 0, DceStatus.NCA_S_UNK_IF));
        assertThat(fault.status()).hasToString("nca_s_unk_if(0x1c010003)");
    }

    @Test
    void authVerifierIsCarriedOpaquely() {
        DcePdu.Bind bind = (DcePdu.Bind) DceCodec.decode(buf(BIND_WITH_AUTH));
        assertThat(bind.flags()).contains(PfcFlag.SUPPORT_HEADER_SIGN);
        assertThat(bind.auth()).contains(new AuthVerifier(AuthVerifier.AUTHN_WINNT, AuthVerifier.LEVEL_PKT_PRIVACY, 0, 0,
                Octets.ofHex("4e544c4d53535000")));
    }

    @Test
    void authPaddingIsStrippedFromStubAndRestored() {
        AuthVerifier auth = new AuthVerifier(AuthVerifier.AUTHN_WINNT, AuthVerifier.LEVEL_PKT_INTEGRITY, 4, 1,
                Octets.ofHex("01000000 00112233 44556677 8899aabb"));
        DcePdu.Request req = new DcePdu.Request(PfcFlag.SINGLE_FRAGMENT, 5, 12, 1, 2, Optional.empty(),
                Octets.ofHex("0102030405060708090a0b0c"), Optional.of(auth));
        ByteBuf wire = DceCodec.encode(req, UnpooledByteBufAllocator.DEFAULT);
        assertThat(wire.readableBytes()).isEqualTo(16 + 8 + 12 + 4 + 8 + 16);
        assertThat(wire.getUnsignedShortLE(10)).isEqualTo(16);
        assertThat(DceCodec.decode(wire)).isEqualTo(req);
    }

    static Stream<Arguments> roundTrips() {
        UUID object = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
        AuthVerifier auth = new AuthVerifier(9, 2, 0, 7, Octets.ofHex("a1b2c3d4"));
        Set<PfcFlag> one = PfcFlag.SINGLE_FRAGMENT;
        return Stream.of(
                new DcePdu.Bind(2, 5840, 5840, 0, List.of(PresentationContext.ndr(0, EPM))),
                new DcePdu.AlterContext(one, 3, 4280, 4280, 0x1234, List.of(PresentationContext.ndr(1, SRVSVC)),
                        Optional.of(auth)),
                new DcePdu.BindAck(2, 5840, 5840, 0x5678, "135", List.of(ContextResult.accepted(SyntaxId.NDR))),
                new DcePdu.BindAck(2, 5840, 5840, 0x5678, "", List.of(ContextResult.rejected(
                        ContextResult.REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED))),
                new DcePdu.AlterContextResp(one, 3, 4280, 4280, 0x1234, "6001",
                        List.of(ContextResult.accepted(SyntaxId.NDR)), Optional.of(auth)),
                new DcePdu.BindNak(4, DcePdu.BindNak.PROTOCOL_VERSION_NOT_SUPPORTED),
                new DcePdu.Request(one, 6, 3, 0, 2, Optional.of(object), Octets.ofHex("010203"), Optional.empty()),
                new DcePdu.Request(7, 1, 0, Octets.EMPTY),
                new DcePdu.Response(one, 8, 4, 0, 1, Octets.ofHex("deadbeef"), Optional.of(auth)),
                new DcePdu.Fault(one, 9, 0, 0, 0, DcePdu.Fault.EXTENDED_ERROR_PRESENT,
                        DceStatus.valueOf(0x12345678), Octets.ofHex("0102"), Optional.empty()),
                new DcePdu.Auth3(one, 10, Octets.ofHex("00000000"), Optional.of(auth)),
                new DcePdu.Shutdown(one, 11),
                new DcePdu.CoCancel(one, 12, Optional.empty()),
                new DcePdu.Orphaned(one, 13, Optional.of(auth)))
                .map(p -> Arguments.of(p.type(), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTrips")
    void roundTrip(PduType type, DcePdu pdu) {
        ByteBuf wire = DceCodec.encode(pdu, UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(wire.getUnsignedShortLE(8)).isEqualTo(wire.readableBytes());
            assertThat(DceCodec.decode(wire)).isEqualTo(pdu);
        } finally {
            wire.release();
        }
    }

    @Test
    void requestObjectFlagFollowsObject() {
        DcePdu.Request withObject = new DcePdu.Request(PfcFlag.SINGLE_FRAGMENT, 1, 0, 0, 0,
                Optional.of(new UUID(1, 2)), Octets.EMPTY, Optional.empty());
        assertThat(withObject.flags()).contains(PfcFlag.OBJECT_UUID);
        DcePdu.Request without = new DcePdu.Request(Set.of(PfcFlag.OBJECT_UUID, PfcFlag.FIRST_FRAG), 1, 0, 0, 0,
                Optional.empty(), Octets.EMPTY, Optional.empty());
        assertThat(without.flags()).containsExactly(PfcFlag.FIRST_FRAG);
    }

    @Test
    void statusCodesPrintNameAndHex() {
        assertThat(DceStatus.valueOf(0x1c010002)).hasToString("nca_s_op_rng_error(0x1c010002)");
        assertThat(DceStatus.valueOf(0x6ba)).hasToString("RPC_S_SERVER_UNAVAILABLE(0x6ba)");
        assertThat(DceStatus.valueOf(5)).hasToString("ERROR_ACCESS_DENIED(0x5)");
        assertThat(DceStatus.valueOf(0x1c01000b)).hasToString("nca_s_proto_error(0x1c01000b)");
        assertThat(DceStatus.valueOf(0xdead)).hasToString("UNKNOWN(0xdead)");
        assertThat(DceStatus.valueOf(0xdead)).isEqualTo(DceStatus.valueOf(0xdead));
        assertThat(DceStatus.valueOf(0x1c010003)).isSameAs(DceStatus.NCA_S_UNK_IF);
    }

    // ---- malformed input ----

    @Test
    void truncatedHeader() {
        assertDecodeFails("05 00 0b 03 10 00 00", "truncated header: 7 bytes (expected: 16)");
    }

    @Test
    void bigEndianDataRepresentationIsRefused() {
        assertDecodeFails("05 00 0b 03 00 00 00 00 00 48 00 00 00 00 00 01",
                "packed_drep: 00000000 big-endian (expected: 10000000 little-endian, ASCII, IEEE; "
                        + "big-endian peers are not supported)");
        assertDecodeFails("05 00 0b 03 11 00 00 00 48 00 00 00 01 00 00 00",
                "packed_drep: 11000000 EBCDIC (expected: 10000000 little-endian, ASCII, IEEE; "
                        + "big-endian peers are not supported)");
    }

    @Test
    void truncatedBody() {
        assertDecodeFails("05 00 02 03 10 00 00 00 30 00 00 00 09 00 00 00 | 18 00 00 00",
                "truncated pdu body: 4 bytes (expected: 32)");
    }

    @Test
    void authLengthLargerThanThePdu() {
        assertDecodeFails("05 00 02 03 10 00 00 00 20 00 10 00 09 00 00 00 | 18 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
                "auth_length: 16 (expected: <= frag_length - 24 = 8)");
    }

    @Test
    void rtsIsNotADcePdu() {
        assertDecodeFails("05 00 14 03 10 00 00 00 14 00 00 00 00 00 00 00 | 01 00 00 00",
                "PTYPE: 20 rts (expected: a DCE/RPC PDU; RTS PDUs are decoded by RpchCodec)");
    }

    @Test
    void connectionlessTypeIsRefused() {
        assertDecodeFails("05 00 01 03 10 00 00 00 10 00 00 00 00 00 00 00",
                "PTYPE: 1 (expected: a connection-oriented PDU type 0, 2, 3, 11..20)");
    }

    @Test
    void bindWithZeroTransferSyntaxes() {
        assertDecodeFails("05 00 0b 03 10 00 00 00 34 00 00 00 01 00 00 00 | b8 10 b8 10 00 00 00 00 | 01 00 00 00"
                        + "| 00 00 00 00 08 83 af e1 1f 5d c9 11 91 a4 08 00 2b 14 a0 fa 03 00 00 00",
                "n_transfer_syn: 0 for p_cont_id 0 (expected: >= 1)");
    }

    @Test
    void bindAckWithUnknownResult() {
        assertDecodeFails("05 00 0c 03 10 00 00 00 38 00 00 00 04 00 00 00 | b8 10 b8 10 b9 72 00 00 | 00 00 | 00 00"
                        + "| 01 00 00 00 | 07 00 00 00 04 5d 88 8a eb 1c c9 11 9f e8 08 00 2b 10 48 60 02 00 00 00",
                "p_result_t result: 7 (expected: 0..3)");
    }

    @Test
    void shutdownWithBody() {
        assertDecodeFails("05 00 11 03 10 00 00 00 14 00 00 00 00 00 00 00 | 00 00 00 00",
                "shutdown: 4 trailing bytes (expected: 0)");
    }

    @Test
    void oversizedPduIsRefusedOnEncode() {
        DcePdu.Request big = new DcePdu.Request(1, 0, 0, Octets.zeros(70_000));
        assertThatThrownBy(() -> DceCodec.encode(big, Unpooled.buffer()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("frag_length: 70024 (expected: <= 65535; use Fragmenter)");
    }

    private static void assertDecodeFails(String hex, String message) {
        assertThatThrownBy(() -> DceCodec.decode(buf(hex)))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage(message);
    }

    static ByteBuf buf(String hex) {
        return Unpooled.wrappedBuffer(Octets.ofHex(hex).toByteArray());
    }

    static String normalize(String hex) {
        return hex.replaceAll("[\\s|]", "").toLowerCase(java.util.Locale.ROOT);
    }

    static String hex(DcePdu pdu) {
        ByteBuf out = Unpooled.buffer();
        DceCodec.encode(pdu, out);
        return ByteBufUtil.hexDump(out);
    }
}
