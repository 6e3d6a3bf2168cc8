package dev.anywhere.rpc.ntlm;

import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_KEY_EXCH;
import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_UNICODE;
import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_VERSION;

import dev.anywhere.rpc.wire.Octets;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The client side of one NTLMv2 handshake: {@link #negotiate()}, then {@link #authenticate(byte[])} with the
 * server's CHALLENGE_MESSAGE, then {@link #exportedSessionKey()}. One instance per handshake (per HTTP
 * connection); not thread-safe.
 *
 * <p>When the challenge carries MsvAvTimestamp the client uses that time, sends Z(24) as LmChallengeResponse,
 * and adds MsvAvFlags MIC_PRESENT and a MIC, as Windows does. Channel bindings and MsvAvTargetName are not
 * sent.
 *
 * @see [MS-NLMP] 3.1.5.1.1 Client Initiates the NEGOTIATE_MESSAGE
 * @see [MS-NLMP] 3.1.5.1.2 Client Receives a CHALLENGE_MESSAGE from the Server
 */
public final class NtlmClient {

    /** What this client asks for in NEGOTIATE_MESSAGE. */
    static final Set<NegotiateFlag> NEGOTIATE_FLAGS = Set.copyOf(EnumSet.of(
            NTLMSSP_NEGOTIATE_UNICODE,
            NegotiateFlag.NTLMSSP_REQUEST_TARGET,
            NegotiateFlag.NTLMSSP_NEGOTIATE_SIGN,
            NegotiateFlag.NTLMSSP_NEGOTIATE_SEAL,
            NegotiateFlag.NTLMSSP_NEGOTIATE_NTLM,
            NegotiateFlag.NTLMSSP_NEGOTIATE_ALWAYS_SIGN,
            NegotiateFlag.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY,
            NegotiateFlag.NTLMSSP_NEGOTIATE_TARGET_INFO,
            NegotiateFlag.NTLMSSP_NEGOTIATE_128,
            NTLMSSP_NEGOTIATE_KEY_EXCH,
            NegotiateFlag.NTLMSSP_NEGOTIATE_56));

    private enum State {
        /** Nothing sent yet. */
        INITIAL,
        /** NEGOTIATE_MESSAGE sent; {@code negotiateBytes} is set. */
        NEGOTIATE_SENT,
        /** AUTHENTICATE_MESSAGE built; {@code exportedSessionKey} is set. */
        DONE,
        /** A challenge was refused; the instance is spent. */
        FAILED
    }

    private final NtlmCredentials credentials;
    private final String workstation;
    private final Nonces nonces;
    private final Clock clock;
    private State state = State.INITIAL;
    private byte[] negotiateBytes;
    private Octets exportedSessionKey;
    private Set<NegotiateFlag> negotiated;

    /** A client with an empty workstation name. */
    public NtlmClient(NtlmCredentials credentials) {
        this(credentials, "");
    }

    /** A client that names its workstation, e.g. NOTEBOOK. */
    public NtlmClient(NtlmCredentials credentials, String workstation) {
        this(credentials, workstation, Nonces.secure(), Clock.systemUTC());
    }

    NtlmClient(NtlmCredentials credentials, String workstation, Nonces nonces, Clock clock) {
        this.credentials = credentials;
        this.workstation = workstation;
        this.nonces = nonces;
        this.clock = clock;
    }

    /** The NEGOTIATE_MESSAGE to send first. */
    public byte[] negotiate() {
        if (state != State.INITIAL) {
            throw new IllegalStateException("ntlm client state: " + state + " (expected: INITIAL)");
        }
        negotiateBytes = new NegotiateMessage(NEGOTIATE_FLAGS, "", "", Optional.empty()).encode();
        state = State.NEGOTIATE_SENT;
        return negotiateBytes.clone();
    }

    /**
     * The AUTHENTICATE_MESSAGE answering {@code challengeMessage}.
     *
     * @throws NtlmProtocolException if the challenge is malformed or does not offer Unicode
     */
    public byte[] authenticate(byte[] challengeMessage) {
        if (state != State.NEGOTIATE_SENT) {
            throw new IllegalStateException("ntlm client state: " + state + " (expected: NEGOTIATE_SENT)");
        }
        state = State.FAILED;
        ChallengeMessage challenge = ChallengeMessage.decode(challengeMessage);
        if (!challenge.flags().contains(NTLMSSP_NEGOTIATE_UNICODE)) {
            throw new NtlmProtocolException(
                    "challenge flags: no NTLMSSP_NEGOTIATE_UNICODE (expected: unicode, this client sends no oem strings)");
        }
        EnumSet<NegotiateFlag> flags = EnumSet.copyOf(NEGOTIATE_FLAGS);
        flags.retainAll(challenge.flags());
        flags.add(NegotiateFlag.NTLMSSP_NEGOTIATE_NTLM);

        TargetInfo serverInfo = challenge.targetInfo().orElse(TargetInfo.EMPTY);
        Optional<Long> serverTime = serverInfo.timestamp();
        long time = serverTime.orElseGet(() -> FileTime.of(clock.instant()));
        TargetInfo clientInfo = serverTime.isPresent()
                ? serverInfo.with(AvPair.ofInt(AvId.MSV_AV_FLAGS,
                        AvFlag.toBits(EnumSet.of(AvFlag.MIC_PRESENT)) | (int) flagsValue(serverInfo)))
                : serverInfo;

        byte[] serverChallenge = challenge.serverChallenge().toByteArray();
        byte[] clientChallenge = nonces.next(8);
        byte[] key = Ntlmv2.ntowfv2(credentials.ntHash().toByteArray(), credentials.user(), credentials.domain());
        byte[] temp = Ntlmv2.temp(time, clientChallenge, clientInfo.encode());
        byte[] proof = Ntlmv2.ntProofStr(key, serverChallenge, temp);
        byte[] nt = Ntlmv2.concat(proof, temp);
        // Per spec, with MsvAvTimestamp in the challenge the client SHOULD send Z(24) instead of LMv2.
        byte[] lm = serverTime.isPresent() ? new byte[24] : Ntlmv2.lmv2Response(key, serverChallenge, clientChallenge);
        byte[] keyExchangeKey = Ntlmv2.keyExchangeKey(Ntlmv2.sessionBaseKey(key, proof));

        byte[] exported;
        byte[] encrypted;
        if (flags.contains(NTLMSSP_NEGOTIATE_KEY_EXCH)) {
            exported = nonces.next(16);
            encrypted = Ntlmv2.rc4k(keyExchangeKey, exported);
        } else {
            exported = keyExchangeKey;
            encrypted = new byte[0];
        }

        Optional<NtlmVersion> version = flags.contains(NTLMSSP_NEGOTIATE_VERSION)
                ? Optional.of(NtlmVersion.ZERO) : Optional.empty();
        AuthenticateMessage message = new AuthenticateMessage(flags, Octets.of(lm), Octets.of(nt),
                credentials.domain(), credentials.user(), workstation, Octets.of(encrypted), version,
                serverTime.isPresent() ? Optional.of(Octets.of(new byte[AuthenticateMessage.MIC_SIZE]))
                        : Optional.empty());
        byte[] encoded = message.encode();
        if (message.mic().isPresent()) {
            byte[] mic = Ntlmv2.mic(exported, negotiateBytes, challengeMessage, encoded);
            encoded = message.withMic(Octets.of(mic)).encode();
        }
        exportedSessionKey = Octets.of(exported);
        negotiated = NegotiateFlag.copyOf(flags);
        state = State.DONE;
        return encoded;
    }

    /** ExportedSessionKey, once {@link #authenticate(byte[])} has run. */
    public Octets exportedSessionKey() {
        if (state != State.DONE) {
            throw new IllegalStateException("ntlm client state: " + state + " (expected: DONE)");
        }
        return exportedSessionKey;
    }

    /** The NegotiateFlags of the AUTHENTICATE_MESSAGE (what session security uses), once {@link #authenticate} has run. */
    public Set<NegotiateFlag> negotiatedFlags() {
        if (state != State.DONE) {
            throw new IllegalStateException("ntlm client state: " + state + " (expected: DONE)");
        }
        return negotiated;
    }

    private static long flagsValue(TargetInfo info) {
        return info.get(AvId.MSV_AV_FLAGS).map(AvPair::longValue).orElse(0L);
    }
}
