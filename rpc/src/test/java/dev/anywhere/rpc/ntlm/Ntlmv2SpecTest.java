package dev.anywhere.rpc.ntlm;

import static dev.anywhere.rpc.ntlm.SpecVectors.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.wire.Octets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The NTLMv2 example of [MS-NLMP] 4.2.4, with the common values of 4.2.1. */
class Ntlmv2SpecTest {

    private static final byte[] TARGET_INFO = TargetInfo.of(java.util.List.of(
            AvPair.ofString(AvId.MSV_AV_NB_DOMAIN_NAME, DOMAIN),
            AvPair.ofString(AvId.MSV_AV_NB_COMPUTER_NAME, SERVER_NAME))).encode();

    private static byte[] temp() {
        return Ntlmv2.temp(TIME, CLIENT_CHALLENGE.toByteArray(), TARGET_INFO);
    }

    /** [MS-NLMP] 4.2.4.1.1 NTOWFv2() and LMOWFv2(). */
    @Test
    void ntowfv2Matches() {
        assertThat(Octets.of(Ntlmv2.ntowfv2(PASSWORD, USER, DOMAIN))).isEqualTo(RESPONSE_KEY_NT);
        // Only the user name is upper-cased.
        assertThat(Octets.of(Ntlmv2.ntowfv2(PASSWORD, "user", DOMAIN))).isEqualTo(RESPONSE_KEY_NT);
        assertThat(Octets.of(Ntlmv2.ntowfv2(PASSWORD, USER, "domain"))).isNotEqualTo(RESPONSE_KEY_NT);
    }

    /** [MS-NLMP] 4.2.4.1.3 temp. */
    @Test
    void tempMatches() {
        assertThat(Octets.of(temp())).isEqualTo(TEMP);
    }

    /** [MS-NLMP] 4.2.4.2.2 NTLMv2 Response. */
    @Test
    void ntProofStr() {
        byte[] proof = Ntlmv2.ntProofStr(RESPONSE_KEY_NT.toByteArray(), SERVER_CHALLENGE.toByteArray(), temp());
        assertThat(Octets.of(proof)).isEqualTo(NT_PROOF_STR);
    }

    /** [MS-NLMP] 4.2.4.1.2 Session Base Key, and KXKEY for NTLMv2 (3.4.5.1). */
    @Test
    void sessionBaseKey() {
        byte[] key = Ntlmv2.sessionBaseKey(RESPONSE_KEY_NT.toByteArray(), NT_PROOF_STR.toByteArray());
        assertThat(Octets.of(key)).isEqualTo(SESSION_BASE_KEY);
        assertThat(Octets.of(Ntlmv2.keyExchangeKey(key))).isEqualTo(SESSION_BASE_KEY);
    }

    /** [MS-NLMP] 4.2.4.2.1 LMv2 Response. */
    @Test
    void lmv2Response() {
        byte[] lm = Ntlmv2.lmv2Response(RESPONSE_KEY_NT.toByteArray(), SERVER_CHALLENGE.toByteArray(),
                CLIENT_CHALLENGE.toByteArray());
        assertThat(Octets.of(lm)).isEqualTo(LMV2_RESPONSE);
    }

    /** [MS-NLMP] 4.2.4.2.3 Encrypted Session Key; RC4K also decrypts it back. */
    @Test
    void encryptedSessionKey() {
        byte[] encrypted = Ntlmv2.rc4k(SESSION_BASE_KEY.toByteArray(), RANDOM_SESSION_KEY.toByteArray());
        assertThat(Octets.of(encrypted)).isEqualTo(ENCRYPTED_SESSION_KEY);
        assertThat(Octets.of(Ntlmv2.rc4k(SESSION_BASE_KEY.toByteArray(), encrypted))).isEqualTo(RANDOM_SESSION_KEY);
    }

    /** [MS-NLMP] 4.2.4.3 CHALLENGE_MESSAGE: decode, check every field, re-encode to the same bytes. */
    @Test
    void challengeMessageGoldenBytes() {
        ChallengeMessage m = ChallengeMessage.decode(CHALLENGE_MESSAGE.toByteArray());
        assertThat(NegotiateFlag.toBits(m.flags())).isEqualTo(0xe28a8233);
        assertThat(m.targetName()).isEqualTo(SERVER_NAME);
        assertThat(m.serverChallenge()).isEqualTo(SERVER_CHALLENGE);
        assertThat(m.version()).contains(new NtlmVersion(6, 0, 6000, 15));
        TargetInfo info = m.targetInfo().orElseThrow();
        assertThat(info.nbDomainName()).contains(DOMAIN);
        assertThat(info.nbComputerName()).contains(SERVER_NAME);
        assertThat(info.timestamp()).isEmpty();
        assertThat(info.encode()).isEqualTo(TARGET_INFO);
        assertThat(Octets.of(m.encode())).isEqualTo(CHALLENGE_MESSAGE);
    }

    /** [MS-NLMP] 4.2.4.3 AUTHENTICATE_MESSAGE: decode, check every field, re-encode to the same bytes. */
    @Test
    void authenticateMessageGoldenBytes() {
        AuthenticateMessage m = AuthenticateMessage.decode(AUTHENTICATE_MESSAGE.toByteArray());
        assertThat(NegotiateFlag.toBits(m.flags())).isEqualTo(0xe2888235);
        assertThat(m.domainName()).isEqualTo(DOMAIN);
        assertThat(m.userName()).isEqualTo(USER);
        assertThat(m.workstation()).isEqualTo(WORKSTATION);
        assertThat(m.lmChallengeResponse()).isEqualTo(LMV2_RESPONSE);
        assertThat(m.ntChallengeResponse().slice(0, 16)).isEqualTo(NT_PROOF_STR);
        assertThat(m.encryptedRandomSessionKey()).isEqualTo(ENCRYPTED_SESSION_KEY);
        assertThat(m.version()).contains(new NtlmVersion(5, 1, 2600, 15));
        assertThat(m.mic()).isEmpty();
        assertThat(Octets.of(m.encode())).isEqualTo(AUTHENTICATE_MESSAGE);

        Ntlmv2Response r = Ntlmv2Response.decode(m.ntChallengeResponse());
        assertThat(r.ntProofStr()).isEqualTo(NT_PROOF_STR);
        assertThat(r.temp()).isEqualTo(TEMP);
        assertThat(r.timeStamp()).isEqualTo(TIME);
        assertThat(r.clientChallenge()).isEqualTo(CLIENT_CHALLENGE);
        assertThat(r.targetInfo().nbComputerName()).contains(SERVER_NAME);
    }

    /** [MS-NLMP] 4.2.4.3 AUTHENTICATE_MESSAGE built from the computed parts, byte for byte. */
    @Test
    void authenticateMessageFromComputedParts() {
        byte[] key = Ntlmv2.ntowfv2(PASSWORD, USER, DOMAIN);
        byte[] proof = Ntlmv2.ntProofStr(key, SERVER_CHALLENGE.toByteArray(), temp());
        byte[] kx = Ntlmv2.keyExchangeKey(Ntlmv2.sessionBaseKey(key, proof));
        AuthenticateMessage m = new AuthenticateMessage(NegotiateFlag.fromBits(0xe2888235),
                Octets.of(Ntlmv2.lmv2Response(key, SERVER_CHALLENGE.toByteArray(), CLIENT_CHALLENGE.toByteArray())),
                Octets.of(Ntlmv2.concat(proof, temp())), DOMAIN, USER, WORKSTATION,
                Octets.of(Ntlmv2.rc4k(kx, RANDOM_SESSION_KEY.toByteArray())),
                Optional.of(new NtlmVersion(5, 1, 2600, 15)), Optional.empty());
        assertThat(Octets.of(m.encode())).isEqualTo(AUTHENTICATE_MESSAGE);
    }

    /**
     * Our server accepts the spec's AUTHENTICATE_MESSAGE when its server challenge is the spec's, and recovers
     * the spec's RandomSessionKey as the exported session key.
     */
    @Test
    void serverVerifiesSpecAuthenticateMessage() throws Exception {
        NtlmServer server = new NtlmServer(NtlmFixtures.EX1,
                (domain, user) -> domain.equals(DOMAIN) && user.equals(USER)
                        ? Optional.of(NtHash.of(PASSWORD)) : Optional.empty(),
                n -> SERVER_CHALLENGE.toByteArray(), Clock.fixed(FileTime.EPOCH, ZoneOffset.UTC));
        server.challenge(new NtlmClient(NtlmCredentials.ofPassword(DOMAIN, USER, PASSWORD)).negotiate());
        NtlmAuthentication auth = server.authenticate(AUTHENTICATE_MESSAGE.toByteArray());
        assertThat(auth.domain()).isEqualTo(DOMAIN);
        assertThat(auth.user()).isEqualTo(USER);
        assertThat(auth.workstation()).isEqualTo(WORKSTATION);
        assertThat(auth.exportedSessionKey()).isEqualTo(RANDOM_SESSION_KEY);
    }

    /**
     * Our client answers the spec's CHALLENGE_MESSAGE with the spec's responses and session key when given the
     * spec's client challenge, time and random session key. Differences from 4.2.4.3 by design: the flags
     * (this client never sets OEM, VERSION or REQUEST_TARGET in AUTHENTICATE beyond what it asked for), no
     * Version field, an empty workstation.
     */
    @Test
    void clientReproducesSpecResponses() {
        byte[][] nonces = {CLIENT_CHALLENGE.toByteArray(), RANDOM_SESSION_KEY.toByteArray()};
        int[] next = {0};
        NtlmClient client = new NtlmClient(NtlmCredentials.ofPassword(DOMAIN, USER, PASSWORD), WORKSTATION,
                n -> nonces[next[0]++], Clock.fixed(FileTime.EPOCH, ZoneOffset.UTC));
        client.negotiate();
        AuthenticateMessage m = AuthenticateMessage.decode(client.authenticate(CHALLENGE_MESSAGE.toByteArray()));
        assertThat(m.lmChallengeResponse()).isEqualTo(LMV2_RESPONSE);
        assertThat(m.ntChallengeResponse()).isEqualTo(AUTHENTICATE_MESSAGE.slice(0x84, 0x84 + 84));
        assertThat(m.encryptedRandomSessionKey()).isEqualTo(ENCRYPTED_SESSION_KEY);
        assertThat(m.workstation()).isEqualTo(WORKSTATION);
        assertThat(m.mic()).isEmpty();
        assertThat(client.exportedSessionKey()).isEqualTo(RANDOM_SESSION_KEY);
    }
}
