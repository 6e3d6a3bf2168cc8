package dev.anywhere.rpc.ntlm;

import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_KEY_EXCH;
import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_UNICODE;
import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLM_NEGOTIATE_OEM;

import dev.anywhere.rpc.ntlm.NtlmAuthenticationException.Failure;
import dev.anywhere.rpc.wire.Octets;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The server side of one NTLMv2 handshake: {@link #challenge(byte[])} answers the client's NEGOTIATE_MESSAGE
 * with a CHALLENGE_MESSAGE (random 8-byte server challenge, the NetBIOS and DNS names of
 * {@link ServerIdentity}, MsvAvTimestamp); {@link #authenticate(byte[])} verifies the AUTHENTICATE_MESSAGE
 * against an {@link NtHashLookup}. One instance per handshake (per HTTP connection); not thread-safe.
 *
 * <p>Only NTLMv2 is accepted. NTLMv1 (24-byte NT response), LM-only and anonymous messages are refused
 * (anonymous ones are accepted by a server made with {@link #allowingAnonymous}, for DCE/RPC's endpoint mapper),
 * and so is a response that matches only through the LMv2 response (which the spec would allow). A MIC is
 * verified when the client announces one in MsvAvFlags. Not checked: the client's timestamp skew,
 * MsvAvChannelBindings and MsvAvTargetName (no channel binding or SPN policy yet).
 *
 * @see [MS-NLMP] 3.2.5.1.1 Server Receives a NEGOTIATE_MESSAGE from the Client
 * @see [MS-NLMP] 3.2.5.1.2 Server Receives an AUTHENTICATE_MESSAGE from the Client
 */
public final class NtlmServer {

    /** Flags granted when the client asks for them. */
    private static final List<NegotiateFlag> GRANTED_ON_REQUEST = List.of(
            NegotiateFlag.NTLMSSP_REQUEST_TARGET,
            NegotiateFlag.NTLMSSP_NEGOTIATE_SIGN,
            NegotiateFlag.NTLMSSP_NEGOTIATE_SEAL,
            NegotiateFlag.NTLMSSP_NEGOTIATE_ALWAYS_SIGN,
            NegotiateFlag.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY,
            NegotiateFlag.NTLMSSP_NEGOTIATE_IDENTIFY,
            NegotiateFlag.NTLMSSP_NEGOTIATE_VERSION,
            NegotiateFlag.NTLMSSP_NEGOTIATE_128,
            NTLMSSP_NEGOTIATE_KEY_EXCH,
            NegotiateFlag.NTLMSSP_NEGOTIATE_56);

    private enum State {
        /** Waiting for NEGOTIATE_MESSAGE. */
        INITIAL,
        /** CHALLENGE_MESSAGE sent; the negotiate and challenge bytes are kept for the MIC. */
        CHALLENGE_SENT,
        /** Authenticated; the instance is spent. */
        DONE,
        /** Refused; the instance is spent. */
        FAILED
    }

    private final ServerIdentity identity;
    private final NtHashLookup lookup;
    private final Nonces nonces;
    private final Clock clock;
    private final boolean anonymousAllowed;
    private State state = State.INITIAL;
    private byte[] negotiateBytes;
    private byte[] challengeBytes;
    private ChallengeMessage challenge;

    /** A server context for one handshake. */
    public NtlmServer(ServerIdentity identity, NtHashLookup lookup) {
        this(identity, lookup, Nonces.secure(), Clock.systemUTC());
    }

    NtlmServer(ServerIdentity identity, NtHashLookup lookup, Nonces nonces, Clock clock) {
        this(identity, lookup, nonces, clock, false);
    }

    private NtlmServer(ServerIdentity identity, NtHashLookup lookup, Nonces nonces, Clock clock,
            boolean anonymousAllowed) {
        this.identity = identity;
        this.lookup = lookup;
        this.nonces = nonces;
        this.clock = clock;
        this.anonymousAllowed = anonymousAllowed;
    }

    /**
     * A server context that also accepts an anonymous AUTHENTICATE_MESSAGE (empty user, empty or Z(1) responses):
     * the result has an empty user and an ExportedSessionKey derived from a zero KeyExchangeKey, so that the
     * session can still be signed and sealed (impacket's {@code rpcmap.py} binds anonymously at packet privacy).
     * The caller decides what an anonymous session may do.
     *
     * @see [MS-NLMP] 3.2.5.1.2 (anonymous: SessionBaseKey = Z(16))
     */
    public static NtlmServer allowingAnonymous(ServerIdentity identity, NtHashLookup lookup) {
        return new NtlmServer(identity, lookup, Nonces.secure(), Clock.systemUTC(), true);
    }

    /** The CHALLENGE_MESSAGE answering {@code negotiateMessage}. */
    public byte[] challenge(byte[] negotiateMessage) throws NtlmAuthenticationException {
        if (state != State.INITIAL) {
            throw new IllegalStateException("ntlm server state: " + state + " (expected: INITIAL)");
        }
        state = State.FAILED;
        NegotiateMessage negotiate;
        try {
            negotiate = NegotiateMessage.decode(negotiateMessage);
        } catch (NtlmProtocolException e) {
            throw new NtlmAuthenticationException(e);
        }
        Set<NegotiateFlag> requested = negotiate.flags();
        EnumSet<NegotiateFlag> flags = EnumSet.of(NegotiateFlag.NTLMSSP_NEGOTIATE_NTLM,
                NegotiateFlag.NTLMSSP_NEGOTIATE_TARGET_INFO);
        if (requested.contains(NTLMSSP_NEGOTIATE_UNICODE)) {
            flags.add(NTLMSSP_NEGOTIATE_UNICODE);
        } else if (requested.contains(NTLM_NEGOTIATE_OEM)) {
            flags.add(NTLM_NEGOTIATE_OEM);
        } else {
            throw new NtlmAuthenticationException(Failure.MALFORMED_MESSAGE,
                    "negotiate flags: neither NTLMSSP_NEGOTIATE_UNICODE nor NTLM_NEGOTIATE_OEM (expected: one of them)");
        }
        for (NegotiateFlag f : GRANTED_ON_REQUEST) {
            if (requested.contains(f)) {
                flags.add(f);
            }
        }
        String targetName = "";
        if (flags.contains(NegotiateFlag.NTLMSSP_REQUEST_TARGET)) {
            flags.add(NegotiateFlag.NTLMSSP_TARGET_TYPE_DOMAIN);
            targetName = identity.nbDomainName();
        }
        TargetInfo info = identity.targetInfo()
                .with(AvPair.ofLong(AvId.MSV_AV_TIMESTAMP, FileTime.of(clock.instant())));
        Optional<NtlmVersion> version = flags.contains(NegotiateFlag.NTLMSSP_NEGOTIATE_VERSION)
                ? Optional.of(NtlmVersion.WINDOWS_SERVER_2019) : Optional.empty();
        challenge = new ChallengeMessage(flags, targetName, Octets.of(nonces.next(8)), Optional.of(info), version);
        negotiateBytes = negotiateMessage.clone();
        challengeBytes = challenge.encode();
        state = State.CHALLENGE_SENT;
        return challengeBytes.clone();
    }

    /**
     * Verifies {@code authenticateMessage}.
     *
     * @return the user, domain and exported session key
     * @throws NtlmAuthenticationException with the precise reason; show the client only
     *         {@link NtlmAuthenticationException#publicMessage()}
     */
    public NtlmAuthentication authenticate(byte[] authenticateMessage) throws NtlmAuthenticationException {
        if (state != State.CHALLENGE_SENT) {
            throw new IllegalStateException("ntlm server state: " + state + " (expected: CHALLENGE_SENT)");
        }
        state = State.FAILED;
        try {
            NtlmAuthentication result = verify(authenticateMessage);
            state = State.DONE;
            return result;
        } catch (NtlmProtocolException e) {
            throw new NtlmAuthenticationException(e);
        }
    }

    private NtlmAuthentication verify(byte[] raw) throws NtlmAuthenticationException {
        AuthenticateMessage msg = AuthenticateMessage.decode(raw);
        if (anonymousAllowed && isAnonymous(msg)) {
            return new NtlmAuthentication("", "", msg.workstation(), msg.flags(),
                    Octets.of(exportedSessionKey(msg, new byte[16])));
        }
        Ntlmv2Response response = ntlmv2Response(msg);
        String domain = msg.domainName();
        String user = msg.userName();
        String account = domain + "\\" + user;

        Optional<byte[]> hash = lookup.ntHash(domain, user);
        if (hash.isPresent() && hash.get().length != 16) {
            throw new IllegalStateException("nt hash lookup: " + hash.get().length + " bytes for " + account
                    + " (expected: 16)");
        }
        // An unknown user costs the same HMACs as a known one.
        byte[] ntHash = hash.orElseGet(() -> nonces.next(16));
        byte[] serverChallenge = challenge.serverChallenge().toByteArray();
        byte[] temp = response.temp().toByteArray();
        byte[] key = Ntlmv2.ntowfv2(ntHash, user, domain);
        byte[] proof = Ntlmv2.ntProofStr(key, serverChallenge, temp);
        boolean match = response.ntProofStr().constantTimeEquals(Octets.of(proof));
        if (!match && !domain.isEmpty()) {
            // Per spec, the server retries with an empty (NIL) domain name.
            key = Ntlmv2.ntowfv2(ntHash, user, "");
            proof = Ntlmv2.ntProofStr(key, serverChallenge, temp);
            match = response.ntProofStr().constantTimeEquals(Octets.of(proof));
        }
        if (hash.isEmpty()) {
            throw new NtlmAuthenticationException(Failure.UNKNOWN_USER, "user: " + account + " (expected: a known account)");
        }
        if (!match) {
            throw new NtlmAuthenticationException(Failure.WRONG_PASSWORD, "nt proof str: no match for " + account
                    + " (expected: hmac-md5 of the server challenge under the account's ntowfv2)");
        }

        byte[] exported = exportedSessionKey(msg, Ntlmv2.keyExchangeKey(Ntlmv2.sessionBaseKey(key, proof)));

        if (response.targetInfo().flags().contains(AvFlag.MIC_PRESENT)) {
            if (msg.mic().isEmpty()) {
                throw new NtlmAuthenticationException(Failure.MIC_MISMATCH,
                        "mic: absent (expected: 16 bytes, as MsvAvFlags announces)");
            }
            byte[] expected = Ntlmv2.mic(exported, negotiateBytes, challengeBytes, AuthenticateMessage.zeroMic(raw));
            if (!msg.mic().get().constantTimeEquals(Octets.of(expected))) {
                throw new NtlmAuthenticationException(Failure.MIC_MISMATCH, "mic: no match for " + account
                        + " (expected: hmac-md5 of the three messages under the exported session key)");
            }
        }
        return new NtlmAuthentication(domain, user, msg.workstation(), msg.flags(), Octets.of(exported));
    }

    /** ExportedSessionKey: the KeyExchangeKey, or with KEY_EXCH the random key the client encrypted under it. */
    private byte[] exportedSessionKey(AuthenticateMessage msg, byte[] keyExchangeKey) {
        if (msg.flags().contains(NTLMSSP_NEGOTIATE_KEY_EXCH) && challenge.flags().contains(NTLMSSP_NEGOTIATE_KEY_EXCH)) {
            int n = msg.encryptedRandomSessionKey().length();
            if (n != 16) {
                throw new NtlmProtocolException("encrypted random session key: " + n
                        + " bytes (expected: 16 with NTLMSSP_NEGOTIATE_KEY_EXCH)");
            }
            return Ntlmv2.rc4k(keyExchangeKey, msg.encryptedRandomSessionKey().toByteArray());
        }
        return keyExchangeKey;
    }

    private static boolean isAnonymous(AuthenticateMessage msg) {
        Octets lm = msg.lmChallengeResponse();
        boolean noLm = lm.isEmpty() || lm.equals(Octets.of(new byte[1]));
        return msg.flags().contains(NegotiateFlag.NTLMSSP_ANONYMOUS)
                || (msg.userName().isEmpty() && msg.ntChallengeResponse().isEmpty() && noLm);
    }

    /** The NT response as NTLMv2, refusing anonymous, NTLMv1 and LM-only messages first. */
    private static Ntlmv2Response ntlmv2Response(AuthenticateMessage msg) throws NtlmAuthenticationException {
        Octets nt = msg.ntChallengeResponse();
        if (isAnonymous(msg)) {
            throw new NtlmAuthenticationException(Failure.ANONYMOUS,
                    "authenticate message: anonymous (expected: a user name and an ntlmv2 response)");
        }
        if (nt.isEmpty()) {
            throw new NtlmAuthenticationException(Failure.NOT_NTLMV2,
                    "nt challenge response: empty, lm response only (expected: an ntlmv2 response)");
        }
        if (nt.length() == 24) {
            throw new NtlmAuthenticationException(Failure.NOT_NTLMV2,
                    "nt challenge response: 24 bytes, ntlmv1 (expected: an ntlmv2 response of at least "
                            + Ntlmv2Response.MIN_SIZE + " bytes)");
        }
        if (msg.userName().isEmpty()) {
            throw new NtlmAuthenticationException(Failure.ANONYMOUS, "user name: empty (expected: a user name)");
        }
        return Ntlmv2Response.decode(nt);
    }
}
