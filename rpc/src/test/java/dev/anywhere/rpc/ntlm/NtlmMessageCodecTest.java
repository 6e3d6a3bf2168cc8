package dev.anywhere.rpc.ntlm;

import static dev.anywhere.rpc.ntlm.SpecVectors.AUTHENTICATE_MESSAGE;
import static dev.anywhere.rpc.ntlm.SpecVectors.CHALLENGE_MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.wire.Octets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Round trips of all three messages and the exact error for each kind of malformed input. */
class NtlmMessageCodecTest {

    private static final TargetInfo EX1_INFO = NtlmFixtures.EX1.targetInfo()
            .with(AvPair.ofLong(AvId.MSV_AV_TIMESTAMP, FileTime.of(NtlmFixtures.CLOCK.instant())));

    static Stream<Object> messages() {
        return Stream.of(
                new NegotiateMessage(NtlmClient.NEGOTIATE_FLAGS, "", "", Optional.empty()),
                new NegotiateMessage(EnumSet.of(NegotiateFlag.NTLM_NEGOTIATE_OEM,
                        NegotiateFlag.NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED,
                        NegotiateFlag.NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED, NegotiateFlag.NTLMSSP_NEGOTIATE_VERSION),
                        "FRANKYSWEB", "NOTEBOOK", Optional.of(NtlmVersion.WINDOWS_SERVER_2019)),
                new ChallengeMessage(EnumSet.of(NegotiateFlag.NTLMSSP_NEGOTIATE_UNICODE), "FRANKYSWEB",
                        Octets.ofHex("0102030405060708"), Optional.of(EX1_INFO), Optional.empty()),
                new ChallengeMessage(EnumSet.of(NegotiateFlag.NTLM_NEGOTIATE_OEM, NegotiateFlag.NTLMSSP_NEGOTIATE_VERSION),
                        "", Octets.ofHex("0102030405060708"), Optional.empty(),
                        Optional.of(NtlmVersion.WINDOWS_SERVER_2019)),
                new AuthenticateMessage(EnumSet.of(NegotiateFlag.NTLMSSP_NEGOTIATE_UNICODE), Octets.of(new byte[24]),
                        Octets.ofHex("00112233"), "FRANKYSWEB", "alice", "NOTEBOOK", Octets.EMPTY,
                        Optional.empty(), Optional.of(Octets.ofHex("000102030405060708090a0b0c0d0e0f"))),
                new AuthenticateMessage(EnumSet.of(NegotiateFlag.NTLM_NEGOTIATE_OEM), Octets.EMPTY, Octets.EMPTY, "",
                        "", "", Octets.EMPTY, Optional.empty(), Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void roundTrip(Object message) {
        if (message instanceof NegotiateMessage m) {
            assertThat(NegotiateMessage.decode(m.encode())).isEqualTo(m);
        } else if (message instanceof ChallengeMessage m) {
            assertThat(ChallengeMessage.decode(m.encode())).isEqualTo(m);
        } else if (message instanceof AuthenticateMessage m) {
            assertThat(AuthenticateMessage.decode(m.encode())).isEqualTo(m);
        }
    }

    @Test
    void negotiateLayout() {
        byte[] b = new NegotiateMessage(NtlmClient.NEGOTIATE_FLAGS, "", "", Optional.empty()).encode();
        assertThat(Octets.of(b)).isEqualTo(Octets.ofHex(
                "4e544c4d53535000" // Signature
                + "01000000" // MessageType
                + "358288e0" // NegotiateFlags 0xe0888235
                + "0000000020000000" // DomainNameFields: empty, at 32
                + "0000000020000000")); // WorkstationFields: empty, at 32
    }

    @Test
    void negotiateFlagsKeepEveryBit() {
        for (int bit = 0; bit < 32; bit++) {
            assertThat(NegotiateFlag.toBits(NegotiateFlag.fromBits(1 << bit))).isEqualTo(1 << bit);
        }
        assertThat(NegotiateFlag.toBits(NegotiateFlag.fromBits(0xffffffff))).isEqualTo(0xffffffff);
    }

    @Test
    void authenticateWithMicHasVersionAndMicBeforePayload() {
        AuthenticateMessage m = (AuthenticateMessage) messages().skip(4).findFirst().orElseThrow();
        byte[] b = m.encode();
        assertThat(m.version()).contains(NtlmVersion.ZERO);
        assertThat(Octets.of(b).slice(72, 88)).isEqualTo(m.mic().orElseThrow());
        assertThat(Octets.of(AuthenticateMessage.zeroMic(b)).slice(72, 88)).isEqualTo(Octets.of(new byte[16]));
        assertThat(b[28 + 4]).isEqualTo((byte) 88); // DomainNameFields.BufferOffset
    }

    /** One malformed input, its decoder, and the exact message expected. */
    static Stream<Arguments> malformed() {
        Function<byte[], Object> challenge = ChallengeMessage::decode;
        Function<byte[], Object> authenticate = AuthenticateMessage::decode;
        Function<byte[], Object> negotiate = NegotiateMessage::decode;
        byte[] spec = CHALLENGE_MESSAGE.toByteArray();
        byte[] auth = AUTHENTICATE_MESSAGE.toByteArray();
        return Stream.of(
                Arguments.of("empty", negotiate, new byte[0],
                        "signature: 0 bytes left at offset 0 (expected: 8)"),
                Arguments.of("truncated header", challenge, Arrays.copyOf(spec, 22),
                        "negotiate flags: 2 bytes left at offset 20 (expected: 4)"),
                Arguments.of("truncated fixed part", authenticate, Arrays.copyOf(auth, 40),
                        "user name offset: 0 bytes left at offset 40 (expected: 4)"),
                Arguments.of("bad signature", challenge, patch(spec, 7, 0x01),
                        "signature: 4e544c4d53535001 (expected: 4e544c4d53535000, NTLMSSP\\0)"),
                Arguments.of("wrong message type", authenticate, spec,
                        "message type: CHALLENGE_MESSAGE(2) (expected: AUTHENTICATE_MESSAGE(3))"),
                Arguments.of("unknown message type", challenge, patch(spec, 8, 0x07),
                        "message type: 7 (expected: 1, 2 or 3)"),
                Arguments.of("offset outside the buffer", challenge, patch(spec, 45, 0x10),
                        "target info: 36 bytes at offset 4164 (expected: within the 104-byte message)"),
                Arguments.of("offset inside the header", challenge, patch(spec, 16, 0x10),
                        "target name offset: 16 (expected: 48 or more)"),
                Arguments.of("length past the end", authenticate, patch(patch(auth, 20, 0xff), 21, 0xff),
                        "nt challenge response: 65535 bytes at offset 132 (expected: within the 232-byte message)"),
                Arguments.of("av pair list without eol", challenge, patch(patch(spec, 40, 0x20), 42, 0x20),
                        "target info: no MsvAvEOL after 2 av pairs (expected: MsvAvEOL terminator)"),
                Arguments.of("absurd av pair length", challenge, patch(patch(spec, 0x44 + 2, 0xfe), 0x44 + 3, 0xff),
                        "MsvAvNbDomainName value: 32 bytes left at offset 4 (expected: 65534)"),
                Arguments.of("odd utf-16 length", challenge, patch(patch(spec, 12, 0x0b), 14, 0x0b),
                        "target name: 11 bytes (expected: an even length, utf-16le)"),
                Arguments.of("absurd message size", negotiate, Arrays.copyOf(spec, 70_000),
                        "message: 70000 bytes (expected: at most 65536)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputIsRefused(String name, Function<byte[], Object> decoder, byte[] input, String expected) {
        assertThatThrownBy(() -> decoder.apply(input)).isInstanceOf(NtlmProtocolException.class).hasMessage(expected);
    }

    @Test
    void targetInfoErrors() {
        assertThatThrownBy(() -> TargetInfo.decode(Octets.ofHex("0700040000000000 00000000").toByteArray(), true))
                .isInstanceOf(NtlmProtocolException.class).hasMessage("MsvAvTimestamp length: 4 (expected: 8)");
        assertThatThrownBy(() -> TargetInfo.decode(Octets.ofHex("00000000 00000000").toByteArray(), true))
                .isInstanceOf(NtlmProtocolException.class).hasMessage("target info: 4 bytes after MsvAvEOL (expected: 0)");
        assertThatThrownBy(() -> TargetInfo.decode(Octets.ofHex("000001000000").toByteArray(), true))
                .isInstanceOf(NtlmProtocolException.class).hasMessage("MsvAvEOL length: 1 (expected: 0)");
        assertThatThrownBy(() -> TargetInfo.decode(Octets.ofHex("0100").toByteArray(), true))
                .isInstanceOf(NtlmProtocolException.class).hasMessage("av len: 0 bytes left at offset 2 (expected: 2)");
        // Without 'exact', bytes may follow the terminator (the Z(4) inside an NTLMv2 response).
        assertThat(TargetInfo.decode(Octets.ofHex("00000000 00000000").toByteArray(), false)).isEqualTo(TargetInfo.EMPTY);
    }

    @Test
    void targetInfoKeepsUnknownPairsAndOrder() {
        byte[] raw = Octets.ofHex("0b00020041420100060045005800310000000000").toByteArray();
        TargetInfo info = TargetInfo.decode(raw, true);
        assertThat(info.pairs()).extracting(AvPair::id).containsExactly(11, 1);
        assertThat(info.nbComputerName()).contains("EX1");
        assertThat(info.encode()).isEqualTo(raw);
        assertThat(info.toString()).isEqualTo("[AvId(11)=4142, MsvAvNbComputerName=EX1]");
    }

    @Test
    void targetInfoAccessors() {
        TargetInfo info = EX1_INFO.with(AvPair.ofInt(AvId.MSV_AV_FLAGS, 2))
                .with(AvPair.ofString(AvId.MSV_AV_TARGET_NAME, "HTTP/ex1.frankysweb.local"))
                .with(new AvPair(AvId.MSV_AV_CHANNEL_BINDINGS.code(), Octets.of(new byte[16])));
        assertThat(info.nbDomainName()).contains("FRANKYSWEB");
        assertThat(info.dnsComputerName()).contains("ex1.frankysweb.local");
        assertThat(info.dnsDomainName()).contains("frankysweb.local");
        assertThat(info.dnsTreeName()).contains("frankysweb.local");
        assertThat(info.timestampInstant()).contains(java.time.Instant.parse("2026-11-26T18:00:00Z"));
        assertThat(info.flags()).containsExactly(AvFlag.MIC_PRESENT);
        assertThat(info.targetName()).contains("HTTP/ex1.frankysweb.local");
        assertThat(info.channelBindings()).contains(Octets.of(new byte[16]));
        assertThat(TargetInfo.decode(info.encode(), true)).isEqualTo(info);
        assertThatThrownBy(() -> TargetInfo.of(List.of(new AvPair(0, Octets.EMPTY))))
                .hasMessage("av pairs: MsvAvEOL in the list (expected: implicit terminator)");
    }

    @Test
    void ntlmv2ResponseErrors() {
        assertThatThrownBy(() -> Ntlmv2Response.decode(Octets.of(new byte[30])))
                .isInstanceOf(NtlmProtocolException.class)
                .hasMessage("nt challenge response: 30 bytes (expected: at least 48 for ntlmv2)");
        byte[] nt = AUTHENTICATE_MESSAGE.slice(0x84, 0x84 + 84).toByteArray();
        nt[16] = 2;
        assertThatThrownBy(() -> Ntlmv2Response.decode(Octets.of(nt)))
                .isInstanceOf(NtlmProtocolException.class).hasMessage("resp type: 2 (expected: 1)");
    }

    @Test
    void fileTime() {
        assertThat(FileTime.of(FileTime.EPOCH)).isZero();
        // 1970-01-01 is 11644473600 seconds after 1601-01-01.
        assertThat(FileTime.of(java.time.Instant.EPOCH)).isEqualTo(116444736000000000L);
        assertThat(FileTime.toInstant(116444736000000000L)).isEqualTo(java.time.Instant.EPOCH);
    }

    private static byte[] patch(byte[] b, int index, int value) {
        byte[] copy = b.clone();
        copy[index] = (byte) value;
        return copy;
    }
}
