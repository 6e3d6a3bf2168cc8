package dev.anywhere.rpc.spnego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.wire.Octets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NegotiationTokenTest {

    /** Samba 4.17's bind (python3-samba, ncacn_http, PKT_INTEGRITY), captured with tshark: auth_value of the bind. */
    private static final String SAMBA_NEG_TOKEN_INIT = "604806062b0601050502a03e303ca00e300c060a2b06010401823702020aa22a0428"
            + "4e544c4d5353500001000000158208620000000028000000000000002800000006010000000000 0f";
    private static final String SAMBA_NEGOTIATE = "4e544c4d5353500001000000158208620000000028000000000000002800000006010000000000 0f";

    @Test
    void sambasNegTokenInitOffersNtlmWithItsNegotiateMessage() {
        NegotiationToken token = NegotiationToken.decode(Octets.ofHex(SAMBA_NEG_TOKEN_INIT));

        assertThat(token).isInstanceOf(NegTokenInit.class);
        NegTokenInit init = (NegTokenInit) token;
        assertThat(init.mechTypes()).containsExactly(MechType.NTLMSSP);
        assertThat(init.preferred().dotted()).isEqualTo("1.3.6.1.4.1.311.2.2.10");
        assertThat(init.mechToken()).contains(Octets.ofHex(SAMBA_NEGOTIATE));
        assertThat(init.mechListMic()).isEmpty();
        // the bytes both mechListMICs are computed over: the MechTypeList SEQUENCE, tag and length included
        assertThat(init.mechTypeList()).isEqualTo(Octets.ofHex("300c060a2b06010401823702020a"));
    }

    @Test
    void ourNegTokenInitIsByteForByteWhatSambaSends() {
        assertThat(NegTokenInit.offering(List.of(MechType.NTLMSSP), Octets.ofHex(SAMBA_NEGOTIATE)).encode())
                .isEqualTo(Octets.ofHex(SAMBA_NEG_TOKEN_INIT));
    }

    /** Golden bytes from impacket 0.10's SPNEGO_NegTokenResp, an independent encoder. */
    @Test
    void negTokenRespMatchesImpacketsEncoding() {
        Octets challenge = Octets.ofHex("4e544c4d5353500002000000");
        assertThat(NegTokenResp.acceptIncomplete(MechType.NTLMSSP, challenge).encode())
                .isEqualTo(Octets.ofHex("a1253023a0030a0101a10c060a2b06010401823702020aa20e040c4e544c4d5353500002000000"));
        assertThat(NegTokenResp.acceptCompleted(Optional.empty()).encode()).isEqualTo(Octets.ofHex("a1073005a0030a0100"));
        assertThat(NegTokenResp.initiatorToken(Octets.ofHex("4e544c4d5353500003000000"), Optional.empty()).encode())
                .isEqualTo(Octets.ofHex("a1123010a20e040c4e544c4d5353500003000000"));
    }

    @Test
    void theMechListMicIsFieldThreeAndRoundTrips() {
        Octets mic = Octets.ofHex("01000000 0102030405060708 00000000");
        NegTokenResp completed = NegTokenResp.acceptCompleted(Optional.of(mic));
        assertThat(completed.encode()).isEqualTo(Octets.ofHex("a11b3019 a0030a0100 a3120410" + "0100000001020304050607080000 0000"));
        assertThat(NegotiationToken.decode(completed.encode())).isEqualTo(completed);

        NegTokenResp authenticate = NegTokenResp.initiatorToken(Octets.ofHex("4e544c4d5353500003000000"), Optional.of(mic));
        assertThat(NegotiationToken.decode(authenticate.encode())).isEqualTo(authenticate);
    }

    @Test
    void longFormLengthsAreReadAndWritten() {
        Octets big = Octets.of(new byte[300]);
        NegTokenResp resp = NegTokenResp.initiatorToken(big, Optional.empty());
        assertThat(resp.encode().hex()).startsWith("a182013830820134a2820130");
        assertThat(NegotiationToken.decode(resp.encode())).isEqualTo(resp);
    }

    @Test
    void unknownMechanismsAreNamedInDottedForm() {
        NegTokenInit init = NegTokenInit.offering(List.of(MechType.MS_KERBEROS, MechType.KERBEROS, MechType.NEGOEX, MechType.NTLMSSP),
                Octets.ofHex("00"));
        NegTokenInit decoded = (NegTokenInit) NegotiationToken.decode(init.encode());
        assertThat(decoded.mechTypes()).containsExactly(MechType.MS_KERBEROS, MechType.KERBEROS, MechType.NEGOEX, MechType.NTLMSSP);
        assertThat(MechType.of(Octets.ofHex("2a03").toByteArray()).dotted()).isEqualTo("1.2.3");
    }

    @Test
    void malformedTokensAreRefusedWithTheFieldAndTheReason() {
        assertThatThrownBy(() -> NegotiationToken.decode(Octets.EMPTY)).isInstanceOf(SpnegoException.class)
                .hasMessage("SPNEGO token: empty");
        assertThatThrownBy(() -> NegotiationToken.decode(Octets.ofHex("4e544c4d")))
                .hasMessage("SPNEGO token: tag 0x4e (expected: 0x60, 0xa0 or 0xa1)");
        // length larger than the token
        assertThatThrownBy(() -> NegotiationToken.decode(Octets.ofHex("a17f")))
                .hasMessage("negTokenResp: length 127 exceeds the 0 bytes that remain");
        assertThatThrownBy(() -> NegotiationToken.decode(Octets.ofHex("a180")))
                .hasMessage("negTokenResp: indefinite length (DER requires a definite one)");
        assertThatThrownBy(() -> NegotiationToken.decode(Octets.ofHex("a185")))
                .hasMessage("negTokenResp: length of 5 octets (at most 4 supported)");
        // an InitialContextToken for another mechanism (raw Kerberos)
        assertThatThrownBy(() -> NegotiationToken.decode(Octets.ofHex("600b06092a864886f712010202")))
                .hasMessage("thisMech: 1.2.840.113554.1.2.2 (expected: 1.3.6.1.5.5.2, SPNEGO)");
        // negState out of range
        assertThatThrownBy(() -> NegotiationToken.decode(Octets.ofHex("a1073005a0030a0107")))
                .hasMessage("negState: 07 (expected: 0 to 3)");
        // an empty mechanism list
        assertThatThrownBy(() -> NegotiationToken.decode(Octets.ofHex("a0063004a0023000")))
                .hasMessage("mechTypes: empty (at least one mechanism must be offered)");
        // trailing bytes after the token
        assertThatThrownBy(() -> NegotiationToken.decode(Octets.ofHex("a1073005a0030a010000")))
                .hasMessage("SPNEGO token: 1 unexpected trailing bytes");
        // an OID that ends inside an arc
        assertThatThrownBy(() -> MechType.of(Octets.ofHex("2a86").toByteArray()))
                .hasMessage("mechType: object identifier ends inside an arc");
    }
}
