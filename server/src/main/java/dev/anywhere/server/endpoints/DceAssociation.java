package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.dce.ContextResult;
import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.FragmentAssembler;
import dev.anywhere.rpc.dce.Fragmenter;
import dev.anywhere.rpc.dce.Octets;
import dev.anywhere.rpc.dce.PfcFlag;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.dce.SyntaxId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * @see [C706] 12.6 Connection-oriented RPC PDUs
 * @see [MS-RPCE] 3.3.1.5.3 Bind Time Feature Negotiation
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

    private final EndpointServer server;
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

    DceAssociation(EndpointServer server, RpcCall.Transport transport, InetSocketAddress local,
            InetSocketAddress remote, ByteBufAllocator alloc) {
        this.server = server;
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
            server.stats().pktsIn.incrementAndGet();
            if (state == State.BOUND && frame.readableBytes() > maxRecv) {
                throw new DceProtocolException("frag_length: " + frame.readableBytes() + " (expected: <= max_recv_frag "
                        + maxRecv + ")");
            }
            DcePdu pdu = DceCodec.decode(frame.duplicate());
            handle(pdu, out);
        } catch (DceProtocolException e) {
            state = State.FAILED;
            send(new DcePdu.Fault(callId, 0, DceStatus.NCA_S_PROTO_ERROR), out);
            throw e;
        }
    }

    private void handle(DcePdu pdu, Consumer<ByteBuf> out) {
        if (pdu instanceof DcePdu.Bind b) {
            bind(b, out);
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
        if (b.auth().isPresent()) {
            // No RPC-level security provider is implemented: refuse the association, the client may bind again.
            send(new DcePdu.BindNak(b.callId(), DcePdu.BindNak.AUTHENTICATION_TYPE_NOT_RECOGNIZED), out);
            return;
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
        send(new DcePdu.BindAck(b.callId(), maxXmit, maxRecv, assocGroupId, secondaryAddress, results), out);
    }

    private void alterContext(DcePdu.AlterContext a, Consumer<ByteBuf> out) {
        if (state != State.BOUND) {
            throw new DceProtocolException("alter_context: before bind (expected: bind first)");
        }
        if (a.auth().isPresent()) {
            throw new DceProtocolException("alter_context: auth verifier present (expected: none, no security provider)");
        }
        List<ContextResult> results = negotiate(a.contexts());
        send(new DcePdu.AlterContextResp(PfcFlag.SINGLE_FRAGMENT, a.callId(), maxXmit, maxRecv, assocGroupId, "",
                results, Optional.empty()), out);
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
        if (q.auth().isPresent()) {
            throw new DceProtocolException("request: auth verifier present (expected: none, no security provider)");
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
            fault(q, DceStatus.ACCESS_DENIED, true, out);
            return;
        }
        Octets result;
        try {
            result = iface.handler().invoke(new RpcCall(iface.id(), q.opnum(), q.stub(), q.object(), q.callId(),
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
