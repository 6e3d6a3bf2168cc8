package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.dce.AuthVerifier;
import dev.anywhere.rpc.dce.ContextResult;
import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.DceSecurityException;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.FragmentAssembler;
import dev.anywhere.rpc.dce.Fragmenter;
import dev.anywhere.rpc.dce.PduSecurity;
import dev.anywhere.rpc.dce.PduType;
import dev.anywhere.rpc.dce.PfcFlag;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.dce.VerificationTrailer;
import dev.anywhere.rpc.ntlm.NtlmAuthentication;
import dev.anywhere.rpc.ntlm.NtlmAuthenticationException;
import dev.anywhere.rpc.ntlm.NtlmServer;
import dev.anywhere.rpc.ntlm.NtlmSession;
import dev.anywhere.rpc.ntlm.NtlmSignatureException;
import dev.anywhere.rpc.spnego.SpnegoAcceptor;
import dev.anywhere.rpc.spnego.SpnegoException;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one connection-oriented DCE/RPC association: bind / alter_context with presentation context
 * negotiation, request reassembly, dispatch by context id and opnum, response fragmentation, faults, co_cancel and
 * orphaned. Transport-agnostic: PDUs come in as byte frames, PDUs go out through a {@code Consumer<ByteBuf>}.
 * Not thread-safe; one caller (the connection's, or the IN leg's, event loop) at a time.
 *
 * <pre>
 *   NEW ──bind──▶ BOUND ──request / alter_context / bind again (impacket) / co_cancel / orphaned──▶ BOUND
 *    │  (bind_nak keeps NEW)        any violation ──▶ FAILED (fault nca_s_proto_error, then close)
 * </pre>
 *
 * <p>Security (NTLM, [MS-RPCE] 3.3.1.5.2): a bind (or alter_context) with an NTLM verifier is answered with the
 * CHALLENGE in bind_ack; rpc_auth_3's AUTHENTICATE is verified on the {@link DceAuthenticator} pool (the NT hash
 * comes from the directory) while later PDUs wait in order, at most {@link DceAuthentication#maxWaitingPdus()};
 * the verification resumes the association through its {@link Host}. From then on requests are verified (and at
 * PKT_PRIVACY unsealed) and responses signed (and sealed) fragment by fragment ({@link PduSecurity}). A failed
 * handshake answers the next request with the fault {@code ERROR_ACCESS_DENIED (5)} and ends the association; so
 * does a request with a bad signature, a replayed sequence number, a foreign verifier or an impossible
 * auth_pad_length (as Samba's server does).
 *
 * @see [C706] 12.6 Connection-oriented RPC PDUs
 * @see [MS-RPCE] 3.3.1.5.3 Bind Time Feature Negotiation
 * @see [MS-RPCE] 2.2.2.10 rpc_auth_3 PDU
 */
final class DceAssociation {

    private static final Logger log = LoggerFactory.getLogger(DceAssociation.class);

    /** Bind-time features we acknowledge: keep connection on orphan (we never close on orphaned). */
    static final int SUPPORTED_FEATURES = SyntaxId.FEATURE_KEEP_CONNECTION_ON_ORPHAN;

    private enum State {
        /** No association yet: only bind is allowed. */
        NEW,
        /** bind_ack sent: requests, alter_context, co_cancel, orphaned. */
        BOUND,
        /** A protocol error was answered; input is discarded and the connection is being closed. */
        FAILED
    }

    /**
     * Where the association lives: runs work later in the same serial context as {@link #receive} (the event loop,
     * under the same lock), with the output to use, flushing afterwards; a {@link DceProtocolException} the work
     * throws ends the connection (for v2: the virtual connection) as one from {@link #receive} would.
     */
    interface Host {
        void resume(Consumer<Consumer<ByteBuf>> work);
    }

    /** The NTLM handshake's progress on this association. */
    private enum Auth {
        /** No authenticated bind: calls run as {@link CallSecurity#NONE}. */
        NONE,
        /** SPNEGO: NTLM chosen over the client's preferred mechanism; its NEGOTIATE comes in alter_context. */
        MECHANISM_CHOSEN,
        /** CHALLENGE sent, waiting for rpc_auth_3 (or, with SPNEGO, alter_context). */
        CHALLENGED,
        /** AUTHENTICATE being verified off the loop; PDUs wait. */
        VERIFYING,
        /** Verified: PDUs are protected. */
        ESTABLISHED,
        /** Refused: the next request gets ERROR_ACCESS_DENIED and the association ends. */
        REFUSED
    }

    private final EndpointServer server;
    private final Host host;
    private final RpcCall.Transport transport;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final String secondaryAddress;
    private final ByteBufAllocator alloc;
    private final FragmentAssembler assembler;
    private final Map<Integer, RpcInterface> contexts = new HashMap<>();
    private final AssociationScope scope = new AssociationScope();
    private State state = State.NEW;
    private int maxXmit = Fragmenter.MIN_FRAG;
    private int maxRecv;
    private long assocGroupId;
    private Integer assemblingCallId;
    /** The caller and level established at bind; what stubs see through {@link RpcCall#security()}. */
    private CallSecurity security = CallSecurity.NONE;
    private Auth auth = Auth.NONE;
    private NtlmServer handshake;
    /** The SPNEGO wrapper of {@link #handshake} for auth type 9, else null. */
    private SpnegoAcceptor spnego;
    /** The alter_context that carried the AUTHENTICATE, answered once it is verified; else null. */
    private DcePdu.AlterContext authenticatingAlter;
    private List<ContextResult> authenticatingResults;
    private int authType;
    private int authLevel;
    private int authContextId;
    private PduSecurity protection;
    private String refusal;
    /**
     * True once a refused handshake has been counted in the failures metric: the request that then fails (a
     * bad_verifier on an association whose authentication failed) is the same failure and is not counted again.
     */
    private boolean refusalCounted;
    /** PDUs that arrived while the handshake was verified, as copies, in order. */
    private final ArrayDeque<byte[]> waiting = new ArrayDeque<>();

    DceAssociation(EndpointServer server, RpcCall.Transport transport, InetSocketAddress local,
            InetSocketAddress remote, ByteBufAllocator alloc, Host host) {
        this.server = server;
        this.host = host;
        this.transport = transport;
        this.local = local;
        this.remote = remote;
        this.alloc = alloc;
        this.secondaryAddress = local == null ? "" : Integer.toString(local.getPort());
        this.assembler = new FragmentAssembler(server.limits().maxStubBytes());
        this.maxRecv = server.limits().maxFrag();
    }

    /**
     * Handles one PDU ({@code frame} holds exactly its frag_length bytes; not released here) and sends the answers.
     *
     * @throws DceProtocolException after sending a fault {@code nca_s_proto_error}; the caller closes the connection
     */
    void receive(ByteBuf frame, Consumer<ByteBuf> out) {
        if (state == State.FAILED) {
            return;
        }
        int callId = frame.readableBytes() >= 16 ? frame.getIntLE(frame.readerIndex() + 12) : 0;
        try {
            if (auth == Auth.VERIFYING) {
                hold(frame);
                return;
            }
            server.stats().pktsIn.incrementAndGet();
            if (state == State.BOUND && frame.readableBytes() > maxRecv) {
                throw new DceProtocolException("frag_length: " + frame.readableBytes() + " (expected: <= max_recv_frag "
                        + maxRecv + ")");
            }
            boolean request = frame.readableBytes() >= 16
                    && frame.getUnsignedByte(frame.readerIndex() + 2) == PduType.REQUEST.value();
            if (request && auth == Auth.REFUSED) {
                throw new DceSecurityException(DceSecurityException.Kind.BAD_VERIFIER, "request: on an association "
                        + "whose authentication failed (" + refusal + ")");
            }
            DcePdu pdu = request && protection != null ? protection.unprotect(frame.duplicate())
                    : DceCodec.decode(frame.duplicate());
            handle(pdu, out);
        } catch (DceSecurityException e) {
            state = State.FAILED;
            if (!refusalCounted) {
                server.authenticator().ifPresent(a -> a.failure(e.kind().name().toLowerCase(java.util.Locale.ROOT)));
            }
            // Samba's server answers a request failing its verifier with ERROR_ACCESS_DENIED and disconnects.
            send(new DcePdu.Fault(callId, 0, DceStatus.ACCESS_DENIED), out);
            throw e;
        } catch (DceProtocolException e) {
            state = State.FAILED;
            send(new DcePdu.Fault(callId, 0, DceStatus.NCA_S_PROTO_ERROR), out);
            throw e;
        }
    }

    /** Keeps a copy of {@code frame} until the handshake is verified; more than the limit ends the association. */
    private void hold(ByteBuf frame) {
        int max = server.authenticator().map(a -> a.settings().maxWaitingPdus()).orElse(1);
        if (waiting.size() >= max) {
            throw new DceProtocolException("PDUs waiting for the NTLM verification: " + (waiting.size() + 1)
                    + " (expected: <= " + max + ")");
        }
        byte[] copy = new byte[frame.readableBytes()];
        frame.getBytes(frame.readerIndex(), copy);
        waiting.add(copy);
    }

    private void handle(DcePdu pdu, Consumer<ByteBuf> out) {
        if (pdu instanceof DcePdu.Bind b) {
            bind(b, out);
        } else if (pdu instanceof DcePdu.Auth3 a) {
            auth3(a);
        } else if (pdu instanceof DcePdu.AlterContext a) {
            alterContext(a, out);
        } else if (pdu instanceof DcePdu.Request q) {
            request(q, out);
        } else if (pdu instanceof DcePdu.CoCancel c) {
            if (assemblingCallId != null && assemblingCallId == c.callId()) {
                assembler.reset();
                assemblingCallId = null;
                send(new DcePdu.Fault(c.callId(), 0, DceStatus.NCA_S_FAULT_CANCEL), out);
            }
            // Per C706 12.4, a cancel for a call that already completed is ignored (calls run to completion here).
        } else if (pdu instanceof DcePdu.Orphaned o) {
            if (assemblingCallId != null && assemblingCallId == o.callId()) {
                assembler.reset();
                assemblingCallId = null;
            }
        } else {
            throw new DceProtocolException("PTYPE: " + pdu.type().wireName()
                    + " (expected: bind, alter_context, request, co_cancel or orphaned from a client)");
        }
    }

    private void bind(DcePdu.Bind b, Consumer<ByteBuf> out) {
        // C706 expects alter_context on a bound association, but impacket binds again on the same connection (its
        // hept_map after another bind does), so a second bind is answered like the first; contexts accumulate.
        Optional<AuthVerifier> challenge = Optional.empty();
        if (b.auth().isPresent()) {
            Optional<Integer> refused = refuseSecurity(b.auth().get());
            if (refused.isPresent()) {
                send(new DcePdu.BindNak(b.callId(), refused.get()), out);
                return;
            }
            challenge = challenge(b.auth().get());
            if (challenge.isEmpty()) {
                send(new DcePdu.BindNak(b.callId(), DcePdu.BindNak.REASON_NOT_SPECIFIED), out);
                return;
            }
        }
        if (b.maxXmitFrag() < Fragmenter.MIN_FRAG || b.maxRecvFrag() < Fragmenter.MIN_FRAG) {
            // Per C706 12.6.3.6, every implementation must accept fragments of 1432 bytes.
            send(new DcePdu.BindNak(b.callId(), DcePdu.BindNak.REASON_NOT_SPECIFIED), out);
            return;
        }
        maxRecv = Math.min(b.maxXmitFrag(), server.limits().maxFrag());
        maxXmit = Math.min(b.maxRecvFrag(), server.limits().maxFrag());
        if (state == State.NEW) {
            assocGroupId = b.assocGroupId() != 0 ? b.assocGroupId() : server.nextAssocGroupId();
        }
        List<ContextResult> results = negotiate(b.contexts());
        state = State.BOUND;
        send(new DcePdu.BindAck(ackFlags(b.flags(), challenge), b.callId(), maxXmit, maxRecv, assocGroupId,
                secondaryAddress, results, challenge), out);
    }

    /**
     * Why a bind's verifier is refused ({@code bind_nak} reason), or empty: no authentication configured or not
     * NTLM → authentication_type_not_recognized; a level other than CONNECT, PKT_INTEGRITY, PKT_PRIVACY, or a
     * second handshake on one association → reason_not_specified.
     */
    private Optional<Integer> refuseSecurity(AuthVerifier v) {
        if (server.authenticator().isEmpty()
                || (v.authType() != AuthVerifier.AUTHN_WINNT && v.authType() != AuthVerifier.AUTHN_GSS_NEGOTIATE)) {
            return Optional.of(DcePdu.BindNak.AUTHENTICATION_TYPE_NOT_RECOGNIZED);
        }
        if (level(v.authLevel()).isEmpty() || auth != Auth.NONE) {
            return Optional.of(DcePdu.BindNak.REASON_NOT_SPECIFIED);
        }
        return Optional.empty();
    }

    /**
     * The bind_ack's verifier carrying the CHALLENGE for {@code v}'s NEGOTIATE (for SPNEGO: wrapped, or only the
     * choice of NTLM when the client preferred another mechanism); empty if the token is malformed.
     */
    private Optional<AuthVerifier> challenge(AuthVerifier v) {
        NtlmServer ntlm = server.authenticator().orElseThrow().newHandshake();
        byte[] answer;
        SpnegoAcceptor negotiate = v.authType() == AuthVerifier.AUTHN_GSS_NEGOTIATE ? new SpnegoAcceptor(ntlm) : null;
        try {
            answer = negotiate == null ? ntlm.challenge(v.authValue().toByteArray())
                    : negotiate.accept(v.authValue()).toByteArray();
        } catch (NtlmAuthenticationException | SpnegoException e) {
            log.debug("endpoints: NTLM NEGOTIATE refused from {}: {}", remote, e.getMessage());
            countRefusal("bad_negotiate");
            return Optional.empty();
        }
        handshake = ntlm;
        spnego = negotiate;
        authType = v.authType();
        authLevel = v.authLevel();
        authContextId = v.contextId();
        auth = negotiate != null && negotiate.step().orElseThrow() == SpnegoAcceptor.Step.MECHANISM_CHOSEN
                ? Auth.MECHANISM_CHOSEN : Auth.CHALLENGED;
        // impacket reads the trailer right after the result list: no auth padding in bind_ack.
        return Optional.of(new AuthVerifier(authType, v.authLevel(), 0, v.contextId(), Octets.of(answer)));
    }

    /** PFC_SUPPORT_HEADER_SIGN is echoed when the client offers it on an authenticated bind ([MS-RPCE] 3.3.1.5.2.2). */
    private static EnumSet<PfcFlag> ackFlags(java.util.Set<PfcFlag> bindFlags, Optional<AuthVerifier> challenge) {
        EnumSet<PfcFlag> flags = EnumSet.copyOf(PfcFlag.SINGLE_FRAGMENT);
        if (challenge.isPresent() && bindFlags.contains(PfcFlag.SUPPORT_HEADER_SIGN)) {
            flags.add(PfcFlag.SUPPORT_HEADER_SIGN);
        }
        return flags;
    }

    private static Optional<CallSecurity.Level> level(int wire) {
        for (CallSecurity.Level l : CallSecurity.Level.values()) {
            if (l != CallSecurity.Level.NONE && l.wire() == wire) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /** rpc_auth_3: verify the AUTHENTICATE off the loop; no reply ([MS-RPCE] 2.2.2.10). */
    private void auth3(DcePdu.Auth3 a) {
        if (auth != Auth.CHALLENGED || a.auth().isEmpty()) {
            throw new DceProtocolException("rpc_auth_3: " + (a.auth().isEmpty() ? "without auth verifier"
                    : "no NTLM CHALLENGE outstanding") + " (expected: after an authenticated bind, with AUTHENTICATE)");
        }
        AuthVerifier v = a.auth().get();
        checkVerifier("rpc_auth_3", v);
        verify(v);
    }

    /** The third leg's verifier must match the bind's: same auth type, level and context id. */
    private void checkVerifier(String pdu, AuthVerifier v) {
        if (v.authType() != authType || v.authLevel() != authLevel || v.contextId() != authContextId) {
            throw new DceSecurityException(DceSecurityException.Kind.BAD_VERIFIER, pdu + " sec_trailer: auth_type "
                    + v.authType() + ", auth_level " + v.authLevel() + ", auth_context_id "
                    + Integer.toUnsignedString(v.contextId()) + " (expected: the bind's " + authType
                    + ", " + authLevel + ", " + Integer.toUnsignedString(authContextId) + ")");
        }
    }

    /** Counts a refused handshake (once: see {@link #refusalCounted}). */
    private void countRefusal(String reason) {
        refusalCounted = true;
        server.authenticator().orElseThrow().failure(reason);
    }

    /** Verifies the AUTHENTICATE in {@code v} (for SPNEGO: unwrapped) off the loop; later PDUs wait. */
    private void verify(AuthVerifier v) {
        byte[] authenticate;
        try {
            authenticate = spnego == null ? v.authValue().toByteArray()
                    : spnego.authenticateMessage(v.authValue());
        } catch (SpnegoException e) {
            throw new DceSecurityException(DceSecurityException.Kind.BAD_VERIFIER, "SPNEGO: " + e.getMessage());
        }
        NtlmServer ntlm = handshake;
        handshake = null;
        auth = Auth.VERIFYING;
        DceAuthenticator authenticator = server.authenticator().orElseThrow();
        authenticator.authenticate(ntlm, authenticate).whenComplete((result, error) ->
                host.resume(out -> verified(result, error, out)));
    }

    /** Back on the association's loop: the verification's outcome, then the PDUs that waited for it. */
    private void verified(NtlmAuthentication result, Throwable error, Consumer<ByteBuf> out) {
        if (auth != Auth.VERIFYING || state == State.FAILED) {
            waiting.clear();
            return;
        }
        DceAuthenticator authenticator = server.authenticator().orElseThrow();
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            auth = Auth.REFUSED;
            refusal = cause instanceof NtlmAuthenticationException n ? n.failure().name().toLowerCase(java.util.Locale.ROOT)
                    : cause instanceof DceAuthenticator.Unanswered ? "no answer: " + cause.getMessage()
                    : "the NT hash look-up failed";
            countRefusal(cause instanceof NtlmAuthenticationException n
                    ? n.failure().name().toLowerCase(java.util.Locale.ROOT)
                    : cause instanceof DceAuthenticator.Unanswered ? "unanswered" : "lookup_failed");
            if (cause instanceof NtlmAuthenticationException || cause instanceof DceAuthenticator.Unanswered) {
                log.info("endpoints: NTLM authentication refused from {}: {}", remote, cause.getMessage());
            } else {
                log.warn("endpoints: NTLM authentication from {} failed", remote, cause);
            }
        } else {
            CallSecurity.Level level = level(authLevel).orElseThrow();
            try {
                NtlmSession session = NtlmSession.server(result);
                Optional<Octets> last = spnego == null ? Optional.empty()
                        : Optional.of(spnego.complete(session));
                protection = new PduSecurity(authType, authLevel, authContextId, session);
                security = new CallSecurity(level, result.user(), result.domain());
                auth = Auth.ESTABLISHED;
                refusalCounted = false; // a later failure is a new one
                authenticator.bound(level);
                answerAuthenticatingAlter(last, out);
            } catch (IllegalArgumentException noEss) {
                auth = Auth.REFUSED;
                refusal = noEss.getMessage();
                countRefusal("no_session_security");
            } catch (NtlmSignatureException badMic) {
                auth = Auth.REFUSED;
                refusal = "SPNEGO mechListMIC: " + badMic.getMessage();
                countRefusal("bad_mech_list_mic");
            }
        }
        if (auth == Auth.REFUSED && authenticatingAlter != null) {
            // The client waits for this alter_context's answer: refuse it, as a request would be, and end here.
            int callId = authenticatingAlter.callId();
            authenticatingAlter = null;
            waiting.clear();
            state = State.FAILED;
            send(new DcePdu.Fault(callId, 0, DceStatus.ACCESS_DENIED), out);
            throw new DceSecurityException(DceSecurityException.Kind.BAD_VERIFIER, "alter_context: authentication "
                    + "refused (" + refusal + ")");
        }
        try {
            while (!waiting.isEmpty() && state != State.FAILED) {
                receive(Unpooled.wrappedBuffer(waiting.poll()), out);
            }
        } finally {
            waiting.clear();
        }
    }

    private void alterContext(DcePdu.AlterContext a, Consumer<ByteBuf> out) {
        if (state != State.BOUND) {
            throw new DceProtocolException("alter_context: before bind (expected: bind first)");
        }
        Optional<AuthVerifier> challenge = Optional.empty();
        if (a.auth().isPresent() && (auth == Auth.MECHANISM_CHOSEN || auth == Auth.CHALLENGED)) {
            authenticationLeg(a, out);
            return;
        }
        if (a.auth().isPresent() && auth == Auth.NONE) {
            // A client that bound without security may start it here; the CHALLENGE goes in alter_context_resp.
            Optional<Integer> refused = refuseSecurity(a.auth().get());
            challenge = refused.isPresent() ? Optional.empty() : challenge(a.auth().get());
            if (challenge.isEmpty()) {
                throw new DceSecurityException(DceSecurityException.Kind.BAD_VERIFIER,
                        "alter_context: NTLM verifier refused (expected: NTLM at level 2, 5 or 6)");
            }
        } else if (a.auth().isPresent() && a.auth().get().contextId() != authContextId) {
            throw new DceSecurityException(DceSecurityException.Kind.BAD_VERIFIER, "alter_context auth_context_id: "
                    + Integer.toUnsignedString(a.auth().get().contextId()) + " (expected: "
                    + Integer.toUnsignedString(authContextId) + "; one security context per association)");
        }
        List<ContextResult> results = negotiate(a.contexts());
        send(new DcePdu.AlterContextResp(ackFlags(a.flags(), challenge), a.callId(), maxXmit, maxRecv, assocGroupId,
                "", results, challenge), out);
    }

    /**
     * An alter_context continuing the handshake ([MS-RPCE] 3.3.1.5.2.2, SPNEGO's extra legs): the client's NTLM
     * NEGOTIATE after SPNEGO chose NTLM (answered with the CHALLENGE), or its AUTHENTICATE (answered once verified,
     * with SPNEGO's last token).
     */
    private void authenticationLeg(DcePdu.AlterContext a, Consumer<ByteBuf> out) {
        AuthVerifier v = a.auth().get();
        checkVerifier("alter_context", v);
        List<ContextResult> results = negotiate(a.contexts());
        if (auth == Auth.MECHANISM_CHOSEN) {
            byte[] challenge;
            try {
                challenge = spnego.acceptNegotiate(v.authValue()).toByteArray();
            } catch (NtlmAuthenticationException | SpnegoException e) {
                countRefusal("bad_negotiate");
                throw new DceSecurityException(DceSecurityException.Kind.BAD_VERIFIER, "alter_context: NTLM NEGOTIATE refused ("
                        + e.getMessage() + ")");
            }
            auth = Auth.CHALLENGED;
            send(new DcePdu.AlterContextResp(ackFlags(a.flags(), Optional.of(v)), a.callId(), maxXmit, maxRecv, assocGroupId,
                    "", results, Optional.of(new AuthVerifier(authType, authLevel, 0, authContextId, Octets.of(challenge)))), out);
            return;
        }
        authenticatingAlter = a;
        authenticatingResults = results;
        verify(v);
    }

    /** Answers the alter_context that carried the AUTHENTICATE, now verified, with SPNEGO's last token if any. */
    private void answerAuthenticatingAlter(Optional<Octets> last, Consumer<ByteBuf> out) {
        if (authenticatingAlter == null) {
            return;
        }
        DcePdu.AlterContext a = authenticatingAlter;
        authenticatingAlter = null;
        Optional<AuthVerifier> verifier = last.map(token -> new AuthVerifier(authType, authLevel, 0, authContextId, token));
        send(new DcePdu.AlterContextResp(ackFlags(a.flags(), verifier), a.callId(), maxXmit, maxRecv, assocGroupId, "",
                authenticatingResults, verifier), out);
        authenticatingResults = null;
    }

    /** One result per proposed context, in order. */
    private List<ContextResult> negotiate(List<PresentationContext> proposed) {
        List<ContextResult> results = new ArrayList<>(proposed.size());
        for (PresentationContext c : proposed) {
            results.add(negotiate(c));
        }
        return results;
    }

    private ContextResult negotiate(PresentationContext c) {
        for (SyntaxId t : c.transferSyntaxes()) {
            if (t.isBindTimeFeatureNegotiation()) {
                // [MS-RPCE] 3.3.1.5.3: answer with negotiate_ack and the features both sides support.
                return ContextResult.negotiateAck(t.featureBitmask() & SUPPORTED_FEATURES);
            }
        }
        Optional<RpcInterface> iface = server.interfaces().find(c.abstractSyntax());
        if (iface.isEmpty()) {
            return ContextResult.rejected(ContextResult.REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED);
        }
        if (!c.transferSyntaxes().contains(SyntaxId.NDR)) {
            return ContextResult.rejected(ContextResult.REASON_TRANSFER_SYNTAXES_NOT_SUPPORTED);
        }
        RpcInterface bound = contexts.get(c.contextId());
        if (bound != null) {
            return bound == iface.get() ? ContextResult.accepted(SyntaxId.NDR)
                    : ContextResult.rejected(ContextResult.REASON_NOT_SPECIFIED);
        }
        if (contexts.size() >= server.limits().maxContexts()) {
            return ContextResult.rejected(3); // local_limit_exceeded
        }
        contexts.put(c.contextId(), iface.get());
        return ContextResult.accepted(SyntaxId.NDR);
    }

    private void request(DcePdu.Request q, Consumer<ByteBuf> out) {
        if (state != State.BOUND) {
            throw new DceProtocolException("request: before bind (expected: bind first)");
        }
        if (auth == Auth.CHALLENGED) {
            throw new DceProtocolException("request: before rpc_auth_3 (expected: the NTLM handshake completed first)");
        }
        if (q.auth().isPresent() && protection == null) {
            throw new DceProtocolException("request: auth verifier present (expected: none on an unauthenticated association)");
        }
        if (q.flags().contains(PfcFlag.FIRST_FRAG)) {
            assemblingCallId = q.callId();
        }
        Optional<DcePdu.CallFragment> whole = assembler.add(q);
        if (whole.isEmpty()) {
            return;
        }
        assemblingCallId = null;
        dispatch((DcePdu.Request) whole.get(), q.flags().contains(PfcFlag.MAYBE), out);
    }

    private void dispatch(DcePdu.Request q, boolean maybe, Consumer<ByteBuf> out) {
        server.stats().callsIn.incrementAndGet();
        RpcInterface iface = contexts.get(q.contextId());
        if (iface == null) {
            fault(q, DceStatus.NCA_S_UNK_IF, true, out);
            return;
        }
        if (q.opnum() >= iface.opnumCount()) {
            fault(q, DceStatus.NCA_S_OP_RNG_ERROR, true, out);
            return;
        }
        if (iface.refusesAnonymous() && security.anonymous()) {
            // impacket and Windows learn of a refused caller on the first request (FAULT 5), not at bind.
            server.stats().anonymousRefused.incrementAndGet();
            server.authenticator().ifPresent(a -> a.failure("anonymous_refused"));
            fault(q, DceStatus.ACCESS_DENIED, true, out);
            return;
        }
        Octets stub = q.stub();
        if (protection != null) {
            Optional<VerificationTrailer> trailer = VerificationTrailer.find(stub);
            Optional<String> wrong = trailer.flatMap(t -> t.mismatch(q.callId(), q.contextId(), q.opnum(), iface::accepts));
            if (wrong.isPresent()) {
                log.info("endpoints: request refused from {}: {}", remote, wrong.get());
                server.authenticator().ifPresent(a -> a.failure("verification_trailer"));
                fault(q, DceStatus.ACCESS_DENIED, true, out);
                return;
            }
            if (trailer.isPresent()) {
                stub = stub.slice(0, trailer.get().dataLength());
            }
        }
        Octets result;
        try {
            result = iface.handler().invoke(new RpcCall(iface.id(), q.opnum(), stub, q.object(), q.callId(),
                    transport, local, remote, security, scope));
        } catch (RpcFaultException e) {
            fault(q, e.status(), false, out);
            return;
        } catch (DceProtocolException e) {
            log.debug("endpoints: bad stub data for {} opnum {}: {}", iface.id(), q.opnum(), e.getMessage());
            fault(q, DceStatus.RPC_X_BAD_STUB_DATA, false, out);
            return;
        } catch (RuntimeException e) {
            log.warn("endpoints: {} opnum {} failed", iface.id(), q.opnum(), e);
            fault(q, DceStatus.NCA_S_FAULT_UNSPEC, false, out);
            return;
        }
        if (maybe) {
            return;
        }
        DcePdu.Response response = new DcePdu.Response(q.callId(), q.contextId(), result);
        if (protection != null) {
            // Each fragment its own trailer and signature, with the next sequence number.
            for (ByteBuf f : protection.protectFragments(response, maxXmit, alloc)) {
                server.stats().pktsOut.incrementAndGet();
                out.accept(f);
            }
            return;
        }
        for (DcePdu.CallFragment f : Fragmenter.fragment(response, maxXmit)) {
            send(f, out);
        }
    }

    private void fault(DcePdu.Request q, DceStatus status, boolean didNotExecute, Consumer<ByteBuf> out) {
        EnumSet<PfcFlag> flags = EnumSet.of(PfcFlag.FIRST_FRAG, PfcFlag.LAST_FRAG);
        if (didNotExecute) {
            flags.add(PfcFlag.DID_NOT_EXECUTE);
        }
        send(new DcePdu.Fault(flags, q.callId(), 0, q.contextId(), 0, 0, status, Octets.EMPTY, Optional.empty()), out);
    }

    private void send(DcePdu pdu, Consumer<ByteBuf> out) {
        server.stats().pktsOut.incrementAndGet();
        out.accept(DceCodec.encode(pdu, alloc));
    }

    /** The negotiated max_xmit_frag (what we send). */
    int maxXmitFrag() {
        return maxXmit;
    }
}
