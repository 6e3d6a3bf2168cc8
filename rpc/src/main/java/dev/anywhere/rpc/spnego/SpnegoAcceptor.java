package dev.anywhere.rpc.spnego;

import dev.anywhere.rpc.ntlm.NtlmAuthenticationException;
import dev.anywhere.rpc.ntlm.NtlmServer;
import dev.anywhere.rpc.ntlm.NtlmSession;
import dev.anywhere.rpc.ntlm.NtlmSignatureException;
import dev.anywhere.rpc.wire.Octets;
import java.util.Objects;
import java.util.Optional;

/**
 * The acceptor's side of SPNEGO with NTLM as the only mechanism ([RFC 4178] 3.2, [MS-SPNG] 3.2.5): turns the
 * initiator's tokens into the NTLM messages an {@link NtlmServer} takes and wraps its answers. The NTLM
 * verification itself (which looks up the NT hash) stays with the caller, so it can run off the event loop:
 * {@link #authenticateMessage} hands out the AUTHENTICATE_MESSAGE and {@link #complete} finishes with the session
 * the verification produced.
 *
 * <p>A client that prefers another mechanism (Windows offers Kerberos first, with an optimistic Kerberos token) is
 * told NTLM and sends its NEGOTIATE_MESSAGE in the next token ([RFC 4178] 3.2, step 3: the acceptor ignores an
 * optimistic token for a mechanism it did not choose). Not thread-safe; one per handshake.
 */
public final class SpnegoAcceptor {

    /** Where the handshake is. */
    public enum Step {
        /** Told the client to use NTLM; its NEGOTIATE comes next. */
        MECHANISM_CHOSEN,
        /** CHALLENGE sent; the AUTHENTICATE comes next. */
        CHALLENGED,
        /** AUTHENTICATE handed out for verification. */
        AUTHENTICATING,
        /** Done. */
        COMPLETE
    }

    private final NtlmServer ntlm;
    private Step step;
    private Octets mechTypeList;
    private Optional<Octets> clientMic = Optional.empty();
    /** The mechanism is only named in the acceptor's first NegTokenResp ([RFC 4178] 4.2.2). */
    private boolean mechanismNamed;

    public SpnegoAcceptor(NtlmServer ntlm) {
        this.ntlm = Objects.requireNonNull(ntlm, "ntlm");
    }

    public Optional<Step> step() {
        return Optional.ofNullable(step);
    }

    /**
     * The first token (a NegTokenInit): the answer is NTLM's CHALLENGE when NTLM is the client's first choice and
     * came with its NEGOTIATE, else the choice of NTLM alone.
     *
     * @throws SpnegoException when the token is not a NegTokenInit or NTLM is not among the offered mechanisms
     * @throws NtlmAuthenticationException when the NEGOTIATE_MESSAGE is refused
     */
    public Octets accept(Octets initiatorToken) throws NtlmAuthenticationException {
        if (step != null) {
            throw new SpnegoException("NegTokenInit: a second one in the same handshake");
        }
        if (!(NegotiationToken.decode(initiatorToken) instanceof NegTokenInit init)) {
            throw new SpnegoException("first SPNEGO token: a NegTokenResp (expected: NegTokenInit)");
        }
        if (!init.mechTypes().contains(MechType.NTLMSSP)) {
            throw new SpnegoException("mechTypes: " + init.mechTypes() + " (expected: NTLMSSP 1.3.6.1.4.1.311.2.2.10 among them)");
        }
        mechTypeList = init.mechTypeList();
        if (init.preferred().equals(MechType.NTLMSSP) && init.mechToken().isPresent()) {
            return challenge(init.mechToken().get());
        }
        step = Step.MECHANISM_CHOSEN;
        mechanismNamed = true;
        return new NegTokenResp(Optional.of(NegState.ACCEPT_INCOMPLETE), Optional.of(MechType.NTLMSSP), Optional.empty(),
                Optional.empty()).encode();
    }

    /** After {@link Step#MECHANISM_CHOSEN}: the client's NEGOTIATE in a NegTokenResp; the answer carries the CHALLENGE. */
    public Octets acceptNegotiate(Octets initiatorToken) throws NtlmAuthenticationException {
        if (step != Step.MECHANISM_CHOSEN) {
            throw new SpnegoException("NTLM NEGOTIATE token: not expected now (" + step + ")");
        }
        return challenge(negTokenResp(initiatorToken, "NEGOTIATE_MESSAGE").responseToken().get());
    }

    private Octets challenge(Octets negotiate) throws NtlmAuthenticationException {
        Octets challenge = Octets.of(ntlm.challenge(negotiate.toByteArray()));
        step = Step.CHALLENGED;
        Optional<MechType> named = mechanismNamed ? Optional.empty() : Optional.of(MechType.NTLMSSP);
        mechanismNamed = true;
        return new NegTokenResp(Optional.of(NegState.ACCEPT_INCOMPLETE), named, Optional.of(challenge), Optional.empty()).encode();
    }

    /**
     * After {@link Step#CHALLENGED}: the AUTHENTICATE_MESSAGE inside the client's NegTokenResp, for the caller to verify
     * with the same {@link NtlmServer}; the client's mechListMIC is kept for {@link #complete}.
     */
    public byte[] authenticateMessage(Octets initiatorToken) {
        if (step != Step.CHALLENGED) {
            throw new SpnegoException("NTLM AUTHENTICATE token: not expected now (" + step + ")");
        }
        NegTokenResp resp = negTokenResp(initiatorToken, "AUTHENTICATE_MESSAGE");
        clientMic = resp.mechListMic();
        step = Step.AUTHENTICATING;
        return resp.responseToken().get().toByteArray();
    }

    /**
     * Finishes with the session the verification produced: checks the client's mechListMIC when it sent one, signs
     * the mechanism list in return, and leaves the RC4 streams as a fresh session has them ([MS-SPNG] 3.3.5.1).
     *
     * @return the last NegTokenResp (accept-completed), to send when the transport can answer (alter_context_resp);
     *     a transport that cannot (rpc_auth_3) drops it
     * @throws NtlmSignatureException when the client's mechListMIC does not verify: the mechanism list was
     *     tampered with, or the keys differ
     */
    public Octets complete(NtlmSession session) throws NtlmSignatureException {
        if (step != Step.AUTHENTICATING) {
            throw new SpnegoException("SPNEGO completion: not expected now (" + step + ")");
        }
        byte[] list = mechTypeList.toByteArray();
        Optional<Octets> ourMic = Optional.empty();
        if (clientMic.isPresent()) {
            session.verify(list, 0, list.length, clientMic.get().toByteArray());
            ourMic = Optional.of(Octets.of(session.sign(list, 0, list.length)));
            session.restartSealStreams();
        }
        step = Step.COMPLETE;
        return NegTokenResp.acceptCompleted(ourMic).encode();
    }

    /** The initiator's NegTokenResp, which must carry a responseToken. */
    private static NegTokenResp negTokenResp(Octets initiatorToken, String what) {
        NegotiationToken token = NegotiationToken.decode(initiatorToken);
        if (!(token instanceof NegTokenResp resp) || resp.responseToken().isEmpty()) {
            throw new SpnegoException("SPNEGO token: no responseToken (expected: NegTokenResp with the NTLM " + what + ")");
        }
        return resp;
    }
}
