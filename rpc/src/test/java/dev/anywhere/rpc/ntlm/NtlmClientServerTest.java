package dev.anywhere.rpc.ntlm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.ntlm.NtlmAuthenticationException.Failure;
import dev.anywhere.rpc.wire.Octets;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Our client against our server: what is accepted, what is refused and how it is reported. */
class NtlmClientServerTest {

    private static NtlmClient client(String account, String password) {
        return new NtlmClient(NtlmCredentials.parse(account, password), "NOTEBOOK");
    }

    /** Runs a handshake; returns the server's result, with the client's exported key checked against it. */
    private static NtlmAuthentication handshake(NtlmClient client, NtlmServer server) throws NtlmAuthenticationException {
        byte[] challenge = server.challenge(client.negotiate());
        NtlmAuthentication auth = server.authenticate(client.authenticate(challenge));
        assertThat(auth.exportedSessionKey()).isEqualTo(client.exportedSessionKey());
        return auth;
    }

    private static NtlmAuthenticationException refusal(NtlmClient client, NtlmServer server) {
        byte[] challenge;
        try {
            challenge = server.challenge(client.negotiate());
        } catch (NtlmAuthenticationException e) {
            throw new AssertionError(e);
        }
        byte[] authenticate = client.authenticate(challenge);
        return org.junit.jupiter.api.Assertions.assertThrows(NtlmAuthenticationException.class,
                () -> server.authenticate(authenticate));
    }

    @Test
    void rightPasswordIsAccepted() throws Exception {
        NtlmAuthentication auth = handshake(client("FRANKYSWEB\\alice", "Passw0rd!"), NtlmFixtures.server());
        assertThat(auth.domain()).isEqualTo("FRANKYSWEB");
        assertThat(auth.user()).isEqualTo("alice");
        assertThat(auth.workstation()).isEqualTo("NOTEBOOK");
        assertThat(auth.exportedSessionKey().length()).isEqualTo(16);
        assertThat(auth.flags()).contains(NegotiateFlag.NTLMSSP_NEGOTIATE_KEY_EXCH);
        assertThat(auth.toString()).doesNotContain(auth.exportedSessionKey().hex()).contains("<redacted>");
    }

    @Test
    void upnAndCaseVariantsAreAccepted() throws Exception {
        assertThat(handshake(client("alice@frankysweb.local", "Passw0rd!"), NtlmFixtures.server()).user()).isEqualTo("alice");
        assertThat(handshake(client("FRANKYSWEB\\ALICE", "Passw0rd!"), NtlmFixtures.server()).user()).isEqualTo("ALICE");
        assertThat(handshake(client("bob", "Secret123"), NtlmFixtures.server()).domain()).isEmpty();
    }

    @Test
    void wrongPasswordIsRejected() {
        NtlmAuthenticationException e = refusal(client("FRANKYSWEB\\alice", "wrong"), NtlmFixtures.server());
        assertThat(e.failure()).isEqualTo(Failure.WRONG_PASSWORD);
        assertThat(e).hasMessage("nt proof str: no match for FRANKYSWEB\\alice"
                + " (expected: hmac-md5 of the server challenge under the account's ntowfv2)");
        assertThat(e.publicMessage()).isEqualTo("authentication failed");
    }

    @Test
    void unknownUserIsRejected() {
        NtlmAuthenticationException e = refusal(client("FRANKYSWEB\\mallory", "Passw0rd!"), NtlmFixtures.server());
        assertThat(e.failure()).isEqualTo(Failure.UNKNOWN_USER);
        assertThat(e).hasMessage("user: FRANKYSWEB\\mallory (expected: a known account)");
        assertThat(e.publicMessage()).isEqualTo("authentication failed");
    }

    @Test
    void unknownDomainIsRejected() {
        NtlmAuthenticationException e = refusal(client("OTHER\\alice", "Passw0rd!"), NtlmFixtures.server());
        assertThat(e.failure()).isEqualTo(Failure.UNKNOWN_USER);
    }

    @Test
    void challengeCarriesServerNamesAndTimestamp() throws Exception {
        NtlmServer server = new NtlmServer(NtlmFixtures.EX1, NtlmFixtures.ACCOUNTS, Nonces.secure(), NtlmFixtures.CLOCK);
        ChallengeMessage c = ChallengeMessage.decode(server.challenge(client("a", "b").negotiate()));
        TargetInfo info = c.targetInfo().orElseThrow();
        assertThat(info.nbComputerName()).contains("EX1");
        assertThat(info.nbDomainName()).contains("FRANKYSWEB");
        assertThat(info.dnsComputerName()).contains("ex1.frankysweb.local");
        assertThat(info.dnsDomainName()).contains("frankysweb.local");
        assertThat(info.dnsTreeName()).contains("frankysweb.local");
        assertThat(info.timestampInstant()).contains(NtlmFixtures.CLOCK.instant());
        assertThat(c.targetName()).isEqualTo("FRANKYSWEB");
        assertThat(c.serverChallenge().length()).isEqualTo(8);
        assertThat(c.flags()).contains(NegotiateFlag.NTLMSSP_NEGOTIATE_UNICODE, NegotiateFlag.NTLMSSP_NEGOTIATE_NTLM,
                NegotiateFlag.NTLMSSP_NEGOTIATE_TARGET_INFO, NegotiateFlag.NTLMSSP_TARGET_TYPE_DOMAIN,
                NegotiateFlag.NTLMSSP_NEGOTIATE_KEY_EXCH);
        assertThat(ChallengeMessage.decode(c.encode())).isEqualTo(c);
    }

    @Test
    void serverChallengeIsRandom() throws Exception {
        NtlmClient a = client("a", "b");
        NtlmClient b = client("a", "b");
        Octets first = ChallengeMessage.decode(NtlmFixtures.server().challenge(a.negotiate())).serverChallenge();
        Octets second = ChallengeMessage.decode(NtlmFixtures.server().challenge(b.negotiate())).serverChallenge();
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void clientSendsMicAndZeroLmWhenChallengeHasTimestamp() throws Exception {
        NtlmClient client = client("FRANKYSWEB\\alice", "Passw0rd!");
        NtlmServer server = NtlmFixtures.server();
        AuthenticateMessage m = AuthenticateMessage.decode(client.authenticate(server.challenge(client.negotiate())));
        assertThat(m.mic()).isPresent();
        assertThat(m.lmChallengeResponse()).isEqualTo(Octets.of(new byte[24]));
        assertThat(Ntlmv2Response.decode(m.ntChallengeResponse()).targetInfo().flags()).contains(AvFlag.MIC_PRESENT);
    }

    @Test
    void tamperedMicIsRejected() throws Exception {
        NtlmClient client = client("FRANKYSWEB\\alice", "Passw0rd!");
        NtlmServer server = NtlmFixtures.server();
        byte[] auth = client.authenticate(server.challenge(client.negotiate()));
        auth[AuthenticateMessage.MIC_OFFSET] ^= 1;
        NtlmAuthenticationException e = org.junit.jupiter.api.Assertions.assertThrows(
                NtlmAuthenticationException.class, () -> server.authenticate(auth));
        assertThat(e.failure()).isEqualTo(Failure.MIC_MISMATCH);
        assertThat(e).hasMessage("mic: no match for FRANKYSWEB\\alice"
                + " (expected: hmac-md5 of the three messages under the exported session key)");
    }

    @Test
    void tamperedFlagsAreCaughtByTheMic() throws Exception {
        NtlmClient client = client("FRANKYSWEB\\alice", "Passw0rd!");
        NtlmServer server = NtlmFixtures.server();
        byte[] auth = client.authenticate(server.challenge(client.negotiate()));
        auth[60] &= ~0x10; // drop NTLMSSP_NEGOTIATE_SIGN
        NtlmAuthenticationException e = org.junit.jupiter.api.Assertions.assertThrows(
                NtlmAuthenticationException.class, () -> server.authenticate(auth));
        assertThat(e.failure()).isEqualTo(Failure.MIC_MISMATCH);
    }

    @Test
    void ntlmv1IsRejected() throws Exception {
        NtlmServer server = NtlmFixtures.server();
        server.challenge(client("a", "b").negotiate());
        byte[] v1 = new AuthenticateMessage(EnumSet.of(NegotiateFlag.NTLMSSP_NEGOTIATE_UNICODE,
                NegotiateFlag.NTLMSSP_NEGOTIATE_NTLM), Octets.of(new byte[24]), Octets.of(new byte[24]), "FRANKYSWEB",
                "alice", "", Octets.EMPTY, Optional.empty(), Optional.empty()).encode();
        NtlmAuthenticationException e = org.junit.jupiter.api.Assertions.assertThrows(
                NtlmAuthenticationException.class, () -> server.authenticate(v1));
        assertThat(e.failure()).isEqualTo(Failure.NOT_NTLMV2);
        assertThat(e).hasMessage("nt challenge response: 24 bytes, ntlmv1 (expected: an ntlmv2 response of at least 48 bytes)");
    }

    @Test
    void lmOnlyIsRejected() throws Exception {
        NtlmServer server = NtlmFixtures.server();
        server.challenge(client("a", "b").negotiate());
        byte[] lmOnly = new AuthenticateMessage(EnumSet.of(NegotiateFlag.NTLMSSP_NEGOTIATE_UNICODE),
                Octets.of(new byte[24]), Octets.EMPTY, "FRANKYSWEB", "alice", "", Octets.EMPTY, Optional.empty(),
                Optional.empty()).encode();
        NtlmAuthenticationException e = org.junit.jupiter.api.Assertions.assertThrows(
                NtlmAuthenticationException.class, () -> server.authenticate(lmOnly));
        assertThat(e.failure()).isEqualTo(Failure.NOT_NTLMV2);
        assertThat(e).hasMessage("nt challenge response: empty, lm response only (expected: an ntlmv2 response)");
    }

    @Test
    void anonymousIsRejected() throws Exception {
        NtlmServer server = NtlmFixtures.server();
        server.challenge(client("a", "b").negotiate());
        // What impacket sends for a null session: empty user and NT response, LM response of one zero byte.
        byte[] anonymous = new AuthenticateMessage(EnumSet.of(NegotiateFlag.NTLMSSP_NEGOTIATE_UNICODE),
                Octets.of(new byte[1]), Octets.EMPTY, "", "", "NULL", Octets.EMPTY, Optional.empty(),
                Optional.empty()).encode();
        NtlmAuthenticationException e = org.junit.jupiter.api.Assertions.assertThrows(
                NtlmAuthenticationException.class, () -> server.authenticate(anonymous));
        assertThat(e.failure()).isEqualTo(Failure.ANONYMOUS);
        assertThat(e).hasMessage("authenticate message: anonymous (expected: a user name and an ntlmv2 response)");
    }

    @Test
    void malformedAuthenticateIsAFailureNotACrash() throws Exception {
        NtlmServer server = NtlmFixtures.server();
        byte[] challenge = server.challenge(client("a", "b").negotiate());
        NtlmAuthenticationException e = org.junit.jupiter.api.Assertions.assertThrows(
                NtlmAuthenticationException.class, () -> server.authenticate(challenge));
        assertThat(e.failure()).isEqualTo(Failure.MALFORMED_MESSAGE);
        assertThat(e).hasMessage("message type: CHALLENGE_MESSAGE(2) (expected: AUTHENTICATE_MESSAGE(3))")
                .hasCauseInstanceOf(NtlmProtocolException.class);
    }

    @Test
    void malformedNegotiateIsAFailure() {
        NtlmAuthenticationException e = org.junit.jupiter.api.Assertions.assertThrows(
                NtlmAuthenticationException.class, () -> NtlmFixtures.server().challenge(new byte[5]));
        assertThat(e.failure()).isEqualTo(Failure.MALFORMED_MESSAGE);
        assertThat(e).hasMessage("signature: 5 bytes left at offset 0 (expected: 8)");
    }

    @Test
    void eachContextIsOneHandshake() throws Exception {
        NtlmClient client = client("FRANKYSWEB\\alice", "Passw0rd!");
        NtlmServer server = NtlmFixtures.server();
        assertThatThrownBy(() -> server.authenticate(new byte[0])).isInstanceOf(IllegalStateException.class)
                .hasMessage("ntlm server state: INITIAL (expected: CHALLENGE_SENT)");
        assertThatThrownBy(client::exportedSessionKey).isInstanceOf(IllegalStateException.class);
        handshake(client, server);
        assertThatThrownBy(client::negotiate).isInstanceOf(IllegalStateException.class)
                .hasMessage("ntlm client state: DONE (expected: INITIAL)");
        assertThatThrownBy(() -> server.challenge(new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void clientRefusesChallengeWithoutUnicode() {
        NtlmClient client = client("a", "b");
        client.negotiate();
        byte[] oem = new ChallengeMessage(EnumSet.of(NegotiateFlag.NTLM_NEGOTIATE_OEM), "", Octets.of(new byte[8]),
                Optional.empty(), Optional.empty()).encode();
        assertThatThrownBy(() -> client.authenticate(oem)).isInstanceOf(NtlmProtocolException.class).hasMessage(
                "challenge flags: no NTLMSSP_NEGOTIATE_UNICODE (expected: unicode, this client sends no oem strings)");
    }

    @Test
    void credentialsNeverPrintTheHash() {
        NtlmCredentials c = NtlmCredentials.parse("FRANKYSWEB\\alice", "Passw0rd!");
        assertThat(c.toString()).isEqualTo("NtlmCredentials[FRANKYSWEB\\alice, ntHash=<redacted>]");
        assertThat(NtlmCredentials.parse("alice@frankysweb.local", "x").domain()).isEqualTo("frankysweb.local");
    }
}
