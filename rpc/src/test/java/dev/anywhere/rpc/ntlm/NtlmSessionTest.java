package dev.anywhere.rpc.ntlm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.ntlm.NtlmSession.Role;
import dev.anywhere.rpc.wire.Octets;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** NTLM session security: the [MS-NLMP] 4.2.4.4 vectors, both directions, sequence numbers and refusals. */
class NtlmSessionTest {

    /** ESS | 128 | 56 | KEY_EXCH | SEAL | SIGN, as impacket and Windows negotiate. */
    static final Set<NegotiateFlag> FLAGS = EnumSet.of(NegotiateFlag.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY,
            NegotiateFlag.NTLMSSP_NEGOTIATE_128, NegotiateFlag.NTLMSSP_NEGOTIATE_56,
            NegotiateFlag.NTLMSSP_NEGOTIATE_KEY_EXCH, NegotiateFlag.NTLMSSP_NEGOTIATE_SEAL,
            NegotiateFlag.NTLMSSP_NEGOTIATE_SIGN, NegotiateFlag.NTLMSSP_NEGOTIATE_UNICODE);
    static final Octets KEY = SpecVectors.RANDOM_SESSION_KEY;
    static final byte[] PLAINTEXT = "Plaintext".getBytes(StandardCharsets.UTF_16LE);

    /** [MS-NLMP] 4.2.4.4: SealKey and SignKey of the client-to-server direction; the server's from the same key. */
    @Test
    void keysMatchTheSpecExample() {
        byte[] k = KEY.toByteArray();
        assertThat(Octets.of(NtlmSession.sealKey(k, FLAGS, "client-to-server")))
                .isEqualTo(Octets.ofHex("59f600973cc4960a25480a7c196e4c58"));
        assertThat(Octets.of(NtlmSession.signKey(k, "client-to-server")))
                .isEqualTo(Octets.ofHex("4788dc861b4782f35d43fd98fe1a2d39"));
        assertThat(Octets.of(NtlmSession.signKey(k, "server-to-client")))
                .isEqualTo(Octets.ofHex("d04d6f10741041d1d246d64188d7a8ad"));
        assertThat(Octets.of(NtlmSession.sealKey(k, FLAGS, "server-to-client")))
                .isEqualTo(Octets.ofHex("9355f3a957c1583d25c4c2f11e40390e"));
    }

    /** [MS-NLMP] 4.2.4.4 GSS_WrapEx: "Plaintext" sealed by the client with sequence number 0. */
    @Test
    void sealMatchesTheSpecExample() {
        byte[] data = PLAINTEXT.clone();
        byte[] signature = NtlmSession.of(Role.CLIENT, KEY, FLAGS).seal(data, 0, data.length, 0, data.length);
        assertThat(Octets.of(data)).isEqualTo(Octets.ofHex("54e50165bf1936dc996020c1811b0f06fb5f"));
        assertThat(Octets.of(signature)).isEqualTo(Octets.ofHex("010000007fb38ec5c55d497600000000"));
    }

    /**
     * The same vector with the message and its signature in one array, as a DCE/RPC fragment carries them: the
     * signature is written after the message, and the server unseals and verifies it from there.
     */
    @Test
    void sealWritesTheSpecSignatureIntoTheMessageArrayAndUnsealReadsItThere() throws Exception {
        byte[] frame = new byte[3 + PLAINTEXT.length + NtlmSession.SIGNATURE_LENGTH];
        System.arraycopy(PLAINTEXT, 0, frame, 3, PLAINTEXT.length);
        int sigAt = 3 + PLAINTEXT.length;
        NtlmSession.of(Role.CLIENT, KEY, FLAGS).seal(frame, 3, PLAINTEXT.length, 3, PLAINTEXT.length, frame, sigAt);
        assertThat(Octets.of(Arrays.copyOfRange(frame, 3, sigAt))).isEqualTo(Octets.ofHex("54e50165bf1936dc996020c1811b0f06fb5f"));
        assertThat(Octets.of(Arrays.copyOfRange(frame, sigAt, frame.length)))
                .isEqualTo(Octets.ofHex("010000007fb38ec5c55d497600000000"));

        NtlmSession.of(Role.SERVER, KEY, FLAGS).unseal(frame, 3, PLAINTEXT.length, 3, PLAINTEXT.length, frame, sigAt);
        assertThat(Arrays.copyOfRange(frame, 3, sigAt)).isEqualTo(PLAINTEXT);
    }

    @Test
    void serverUnsealsWhatTheClientSealedInBothDirectionsAcrossManyMessages() throws Exception {
        NtlmSession client = NtlmSession.of(Role.CLIENT, KEY, FLAGS);
        NtlmSession server = NtlmSession.of(Role.SERVER, KEY, FLAGS);
        for (int i = 0; i < 5; i++) {
            byte[] up = ("request " + i).getBytes(StandardCharsets.US_ASCII);
            byte[] sig = client.seal(up, 0, up.length, 2, up.length - 2);
            assertThat(sig[12]).isEqualTo((byte) i); // one sequence number per message
            server.unseal(up, 0, up.length, 2, up.length - 2, sig);
            assertThat(new String(up, StandardCharsets.US_ASCII)).isEqualTo("request " + i);

            byte[] down = ("response " + i).getBytes(StandardCharsets.US_ASCII);
            byte[] signed = server.sign(down, 0, down.length);
            client.verify(down, 0, down.length, signed);
        }
    }

    @Test
    void alteredMessageReplayAndMalformedSignatureAreRefused() throws Exception {
        NtlmSession client = NtlmSession.of(Role.CLIENT, KEY, FLAGS);
        NtlmSession server = NtlmSession.of(Role.SERVER, KEY, FLAGS);
        byte[] m = PLAINTEXT.clone();
        byte[] sig = client.sign(m, 0, m.length);
        server.verify(m, 0, m.length, sig);
        // The same message again: its sequence number is 0, the server expects 1.
        NtlmSignatureException replay = org.junit.jupiter.api.Assertions.assertThrows(NtlmSignatureException.class,
                () -> server.verify(m, 0, m.length, sig));
        assertThat(replay.problem()).isEqualTo(NtlmSignatureException.Problem.OUT_OF_SEQUENCE);
        assertThat(replay).hasMessage("signature sequence number: 0 (expected: 1, one more than the last message's)");

        NtlmSession server2 = NtlmSession.of(Role.SERVER, KEY, FLAGS);
        byte[] altered = PLAINTEXT.clone();
        byte[] sig2 = NtlmSession.of(Role.CLIENT, KEY, FLAGS).sign(altered, 0, altered.length);
        altered[0] ^= 1;
        NtlmSignatureException bad = org.junit.jupiter.api.Assertions.assertThrows(NtlmSignatureException.class,
                () -> server2.verify(altered, 0, altered.length, sig2));
        assertThat(bad.problem()).isEqualTo(NtlmSignatureException.Problem.BAD_CHECKSUM);
        assertThat(bad).hasMessage("signature checksum of message 0: no match (expected: hmac-md5 under the peer's signing key)");

        byte[] v2 = sig2.clone();
        v2[0] = 2;
        NtlmSignatureException malformed = org.junit.jupiter.api.Assertions.assertThrows(NtlmSignatureException.class,
                () -> NtlmSession.of(Role.SERVER, KEY, FLAGS).verify(PLAINTEXT, 0, PLAINTEXT.length, v2));
        assertThat(malformed.problem()).isEqualTo(NtlmSignatureException.Problem.MALFORMED_SIGNATURE);
        assertThat(malformed).hasMessage("signature: " + Octets.of(v2).hex()
                + " (expected: 16 bytes starting with version 01000000)");
        NtlmSignatureException shortSig = org.junit.jupiter.api.Assertions.assertThrows(NtlmSignatureException.class,
                () -> NtlmSession.of(Role.SERVER, KEY, FLAGS).verify(PLAINTEXT, 0, PLAINTEXT.length,
                        Arrays.copyOf(sig2, 15)));
        assertThat(shortSig).hasMessage("signature: " + Octets.of(Arrays.copyOf(sig2, 15)).hex()
                + " (expected: 16 bytes starting with version 01000000)");
    }

    @Test
    void withoutExtendedSessionSecurityOrWithAShortKeyThereIsNoSession() {
        EnumSet<NegotiateFlag> noEss = EnumSet.copyOf(FLAGS);
        noEss.remove(NegotiateFlag.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY);
        assertThatThrownBy(() -> NtlmSession.of(Role.SERVER, KEY, noEss)).hasMessage("negotiate flags: no "
                + "NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY (expected: extended session security; NTLMv1 signing is not supported)");
        assertThatThrownBy(() -> NtlmSession.of(Role.SERVER, Octets.ofHex("0011"), FLAGS))
                .hasMessage("exported session key: 2 bytes (expected: 16)");
    }

    /** Without 128-bit, the seal key is derived from 7 (56-bit) or 5 (40-bit) bytes of the session key. */
    @Test
    void weakerSealKeysUseFewerKeyBytes() {
        byte[] k = KEY.toByteArray();
        EnumSet<NegotiateFlag> f56 = EnumSet.copyOf(FLAGS);
        f56.remove(NegotiateFlag.NTLMSSP_NEGOTIATE_128);
        EnumSet<NegotiateFlag> f40 = EnumSet.copyOf(f56);
        f40.remove(NegotiateFlag.NTLMSSP_NEGOTIATE_56);
        byte[] magic = "session key to client-to-server sealing key magic constant\0".getBytes(StandardCharsets.US_ASCII);
        assertThat(NtlmSession.sealKey(k, f56, "client-to-server")).isEqualTo(md5(Arrays.copyOf(k, 7), magic));
        assertThat(NtlmSession.sealKey(k, f40, "client-to-server")).isEqualTo(md5(Arrays.copyOf(k, 5), magic));
    }

    private static byte[] md5(byte[] a, byte[] b) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("MD5");
            md.update(a);
            md.update(b);
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The anonymous AUTHENTICATE rpcmap.py sends: accepted by a server that allows it, with a zero key exchange key. */
    @Test
    void anonymousIsAcceptedOnlyWhenAllowedAndYieldsAUsableSession() throws Exception {
        NtlmServer server = NtlmServer.allowingAnonymous(NtlmFixtures.EX1, NtlmFixtures.ACCOUNTS);
        server.challenge(new NtlmClient(NtlmCredentials.ofPassword("", "x", "y")).negotiate());
        byte[] random = new byte[16];
        Arrays.fill(random, (byte) 0x42);
        EnumSet<NegotiateFlag> flags = EnumSet.copyOf(FLAGS);
        byte[] anonymous = new AuthenticateMessage(flags, Octets.EMPTY, Octets.EMPTY, "", "", "",
                Octets.of(Ntlmv2.rc4k(new byte[16], random)), Optional.empty(), Optional.empty()).encode();
        NtlmAuthentication auth = server.authenticate(anonymous);
        assertThat(auth.user()).isEmpty();
        assertThat(auth.exportedSessionKey()).isEqualTo(Octets.of(random));

        byte[] m = PLAINTEXT.clone();
        byte[] sig = NtlmSession.of(Role.CLIENT, Octets.of(random), flags).sign(m, 0, m.length);
        NtlmSession.server(auth).verify(m, 0, m.length, sig);
    }

    /** impacket dereferences MsvAvNbComputerName; clients also look for the DNS names and the timestamp. */
    @Test
    void challengeCarriesTheNamesAndTimestampClientsRelyOn() throws Exception {
        NtlmServer server = NtlmServer.allowingAnonymous(NtlmFixtures.EX1, NtlmFixtures.ACCOUNTS);
        ChallengeMessage challenge = ChallengeMessage.decode(server.challenge(
                new NtlmClient(NtlmCredentials.ofPassword("", "x", "y")).negotiate()));
        TargetInfo info = challenge.targetInfo().orElseThrow();
        for (AvId id : List.of(AvId.MSV_AV_NB_COMPUTER_NAME, AvId.MSV_AV_NB_DOMAIN_NAME,
                AvId.MSV_AV_DNS_COMPUTER_NAME, AvId.MSV_AV_DNS_DOMAIN_NAME, AvId.MSV_AV_TIMESTAMP)) {
            assertThat(info.get(id)).as(id.name()).isPresent();
        }
        assertThat(info.get(AvId.MSV_AV_NB_COMPUTER_NAME).orElseThrow().stringValue()).isEqualTo("EX1");
    }
}
