package dev.anywhere.rpc.dce;

import dev.anywhere.rpc.wire.Octets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A connection-oriented DCE/RPC PDU other than RTS, as an immutable record per PTYPE. The common header's
 * frag_length and auth_length are derived on encode; {@code pfc_flags} and {@code call_id} are kept.
 *
 * @see [C706] 12.6.4 Connection-oriented PDU Definitions
 * @see [MS-RPCE] 2.2.2 Connection-Oriented RPC PDUs
 */
public sealed interface DcePdu {

    PduType type();

    Set<PfcFlag> flags();

    int callId();

    /** The auth verifier, for PDU types that may carry one. */
    default Optional<AuthVerifier> auth() {
        return Optional.empty();
    }

    /** True if both FIRST_FRAG and LAST_FRAG are set. */
    default boolean isSingleFragment() {
        return flags().contains(PfcFlag.FIRST_FRAG) && flags().contains(PfcFlag.LAST_FRAG);
    }

    private static void u16(String field, int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException(field + ": " + v + " (expected: 0..65535)");
        }
    }

    private static void u32(String field, long v) {
        if (v < 0 || v > 0xffff_ffffL) {
            throw new IllegalArgumentException(field + ": " + v + " (expected: 0..4294967295)");
        }
    }

    private static void u8(String field, int v) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException(field + ": " + v + " (expected: 0..255)");
        }
    }

    /**
     * The fields the bind family and the bind_ack family share, one check for all four PDUs (their layouts are the
     * same in [C706] 12.6.4.1 to 12.6.4.4).
     */
    private static void checkNegotiation(int maxXmitFrag, int maxRecvFrag, long assocGroupId) {
        u16("max_xmit_frag", maxXmitFrag);
        u16("max_recv_frag", maxRecvFrag);
        u32("assoc_group_id", assocGroupId);
    }

    /** An immutable copy of a list whose count is one octet on the wire (n_context_elem, n_results). */
    private static <T> List<T> upTo255(String countField, List<T> list) {
        List<T> copy = List.copyOf(list);
        if (copy.size() > 0xff) {
            throw new IllegalArgumentException(countField + ": " + copy.size() + " (expected: 0..255)");
        }
        return copy;
    }

    /** bind (11) and alter_context (14): propose presentation contexts. */
    sealed interface BindFamily extends DcePdu permits Bind, AlterContext {
        int maxXmitFrag();

        int maxRecvFrag();

        long assocGroupId();

        List<PresentationContext> contexts();
    }

    /** bind_ack (12) and alter_context_resp (15): answer them. */
    sealed interface BindAckFamily extends DcePdu permits BindAck, AlterContextResp {
        int maxXmitFrag();

        int maxRecvFrag();

        long assocGroupId();

        String secondaryAddress();

        List<ContextResult> results();
    }

    /** request (0) and response (2): carry stub data and may be fragmented. */
    sealed interface CallFragment extends DcePdu permits Request, Response {
        long allocHint();

        int contextId();

        Octets stub();
    }

    /**
     * The bind PDU: the client proposes presentation contexts and fragment sizes.
     *
     * @see [C706] 12.6.4.3 The bind PDU
     */
    record Bind(Set<PfcFlag> flags, int callId, int maxXmitFrag, int maxRecvFrag, long assocGroupId,
                List<PresentationContext> contexts, Optional<AuthVerifier> auth) implements BindFamily {
        public Bind {
            flags = PfcFlag.copy(flags);
            checkNegotiation(maxXmitFrag, maxRecvFrag, assocGroupId);
            contexts = upTo255("n_context_elem", contexts);
            Objects.requireNonNull(auth, "auth");
        }

        public Bind(int callId, int maxXmitFrag, int maxRecvFrag, long assocGroupId, List<PresentationContext> contexts) {
            this(PfcFlag.SINGLE_FRAGMENT, callId, maxXmitFrag, maxRecvFrag, assocGroupId, contexts, Optional.empty());
        }

        @Override
        public PduType type() {
            return PduType.BIND;
        }
    }

    /**
     * The alter_context PDU: like bind, on an established association.
     *
     * @see [C706] 12.6.4.1 The alter_context PDU
     */
    record AlterContext(Set<PfcFlag> flags, int callId, int maxXmitFrag, int maxRecvFrag, long assocGroupId,
                        List<PresentationContext> contexts, Optional<AuthVerifier> auth) implements BindFamily {
        public AlterContext {
            flags = PfcFlag.copy(flags);
            checkNegotiation(maxXmitFrag, maxRecvFrag, assocGroupId);
            contexts = upTo255("n_context_elem", contexts);
            Objects.requireNonNull(auth, "auth");
        }

        @Override
        public PduType type() {
            return PduType.ALTER_CONTEXT;
        }
    }

    /**
     * The bind_ack PDU: accepted fragment sizes, association group, secondary address (the server's port as
     * an ASCII string, e.g. {@code "6001"}; carried without its NUL terminator here) and one result per
     * proposed context.
     *
     * @see [C706] 12.6.4.4 The bind_ack PDU
     */
    record BindAck(Set<PfcFlag> flags, int callId, int maxXmitFrag, int maxRecvFrag, long assocGroupId,
                   String secondaryAddress, List<ContextResult> results, Optional<AuthVerifier> auth)
            implements BindAckFamily {
        public BindAck {
            flags = PfcFlag.copy(flags);
            checkNegotiation(maxXmitFrag, maxRecvFrag, assocGroupId);
            checkSecondaryAddress(secondaryAddress);
            results = upTo255("n_results", results);
            Objects.requireNonNull(auth, "auth");
        }

        public BindAck(int callId, int maxXmitFrag, int maxRecvFrag, long assocGroupId, String secondaryAddress,
                       List<ContextResult> results) {
            this(PfcFlag.SINGLE_FRAGMENT, callId, maxXmitFrag, maxRecvFrag, assocGroupId, secondaryAddress, results,
                    Optional.empty());
        }

        @Override
        public PduType type() {
            return PduType.BIND_ACK;
        }
    }

    /**
     * The alter_context_resp PDU.
     *
     * @see [C706] 12.6.4.2 The alter_context_response PDU
     */
    record AlterContextResp(Set<PfcFlag> flags, int callId, int maxXmitFrag, int maxRecvFrag, long assocGroupId,
                            String secondaryAddress, List<ContextResult> results, Optional<AuthVerifier> auth)
            implements BindAckFamily {
        public AlterContextResp {
            flags = PfcFlag.copy(flags);
            checkNegotiation(maxXmitFrag, maxRecvFrag, assocGroupId);
            checkSecondaryAddress(secondaryAddress);
            results = upTo255("n_results", results);
            Objects.requireNonNull(auth, "auth");
        }

        @Override
        public PduType type() {
            return PduType.ALTER_CONTEXT_RESP;
        }
    }

    private static void checkSecondaryAddress(String s) {
        Objects.requireNonNull(s, "secondaryAddress");
        if (s.length() > 0xfffe || !s.chars().allMatch(c -> c > 0 && c < 0x80)) {
            throw new IllegalArgumentException("sec_addr: \"" + s + "\" (expected: ASCII without NUL, < 65535 bytes)");
        }
    }

    /** One {@code p_rt_version_t} of a bind_nak. */
    record ProtocolVersion(int major, int minor) {
        /** 5.0 */
        public static final ProtocolVersion V5_0 = new ProtocolVersion(5, 0);

        public ProtocolVersion {
            u8("rpc_vers", major);
            u8("rpc_vers_minor", minor);
        }
    }

    /**
     * The bind_nak PDU: the association is refused. {@code trailer} keeps any bytes after the version list
     * (Windows appends padding and a signature) verbatim.
     *
     * @see [C706] 12.6.4.5 The bind_nak PDU
     */
    record BindNak(Set<PfcFlag> flags, int callId, int rejectReason, List<ProtocolVersion> versions, Octets trailer)
            implements DcePdu {
        /** reason_not_specified */
        public static final int REASON_NOT_SPECIFIED = 0;
        /** temporary_congestion */
        public static final int TEMPORARY_CONGESTION = 1;
        /** local_limit_exceeded */
        public static final int LOCAL_LIMIT_EXCEEDED = 2;
        /** protocol_version_not_supported */
        public static final int PROTOCOL_VERSION_NOT_SUPPORTED = 4;
        /** authentication_type_not_recognized ([MS-RPCE]) */
        public static final int AUTHENTICATION_TYPE_NOT_RECOGNIZED = 8;
        /** invalid_checksum ([MS-RPCE]) */
        public static final int INVALID_CHECKSUM = 9;

        public BindNak {
            flags = PfcFlag.copy(flags);
            u16("provider_reject_reason", rejectReason);
            versions = List.copyOf(versions);
            if (versions.size() > 0xff) {
                throw new IllegalArgumentException("n_protocols: " + versions.size() + " (expected: 0..255)");
            }
            Objects.requireNonNull(trailer, "trailer");
        }

        public BindNak(int callId, int rejectReason) {
            this(PfcFlag.SINGLE_FRAGMENT, callId, rejectReason, List.of(ProtocolVersion.V5_0), Octets.EMPTY);
        }

        @Override
        public PduType type() {
            return PduType.BIND_NAK;
        }
    }

    /**
     * The request PDU. The object UUID is present exactly when {@link PfcFlag#OBJECT_UUID} is set; the
     * constructor sets or clears the flag to match {@code object}.
     *
     * @see [C706] 12.6.4.9 The request PDU
     */
    record Request(Set<PfcFlag> flags, int callId, long allocHint, int contextId, int opnum, Optional<UUID> object,
                   Octets stub, Optional<AuthVerifier> auth) implements CallFragment {
        public Request {
            Objects.requireNonNull(object, "object");
            EnumSet<PfcFlag> f = flags.isEmpty() ? EnumSet.noneOf(PfcFlag.class) : EnumSet.copyOf(flags);
            if (object.isPresent()) {
                f.add(PfcFlag.OBJECT_UUID);
            } else {
                f.remove(PfcFlag.OBJECT_UUID);
            }
            flags = Collections.unmodifiableSet(f);
            u32("alloc_hint", allocHint);
            u16("p_cont_id", contextId);
            u16("opnum", opnum);
            Objects.requireNonNull(stub, "stub");
            Objects.requireNonNull(auth, "auth");
        }

        /** An unfragmented request without object UUID or auth; alloc_hint = stub length. */
        public Request(int callId, int contextId, int opnum, Octets stub) {
            this(PfcFlag.SINGLE_FRAGMENT, callId, stub.length(), contextId, opnum, Optional.empty(), stub,
                    Optional.empty());
        }

        @Override
        public PduType type() {
            return PduType.REQUEST;
        }
    }

    /**
     * The response PDU.
     *
     * @see [C706] 12.6.4.10 The response PDU
     */
    record Response(Set<PfcFlag> flags, int callId, long allocHint, int contextId, int cancelCount, Octets stub,
                    Optional<AuthVerifier> auth) implements CallFragment {
        public Response {
            flags = PfcFlag.copy(flags);
            u32("alloc_hint", allocHint);
            u16("p_cont_id", contextId);
            u8("cancel_count", cancelCount);
            Objects.requireNonNull(stub, "stub");
            Objects.requireNonNull(auth, "auth");
        }

        /** An unfragmented response without auth; alloc_hint = stub length. */
        public Response(int callId, int contextId, Octets stub) {
            this(PfcFlag.SINGLE_FRAGMENT, callId, stub.length(), contextId, 0, stub, Optional.empty());
        }

        @Override
        public PduType type() {
            return PduType.RESPONSE;
        }
    }

    /**
     * The fault PDU. {@code faultFlags} is C706's reserved byte, which [MS-RPCE] uses for
     * {@code FaultFlags} (0x01 = extended error information present in {@code stub}).
     *
     * @see [C706] 12.6.4.7 The fault PDU
     * @see [MS-RPCE] 2.2.2.8 rpc_fault Packet
     */
    record Fault(Set<PfcFlag> flags, int callId, long allocHint, int contextId, int cancelCount, int faultFlags,
                 DceStatus status, Octets stub, Optional<AuthVerifier> auth) implements DcePdu {
        /** [MS-RPCE]: extended error information follows. */
        public static final int EXTENDED_ERROR_PRESENT = 0x01;

        public Fault {
            flags = PfcFlag.copy(flags);
            u32("alloc_hint", allocHint);
            u16("p_cont_id", contextId);
            u8("cancel_count", cancelCount);
            u8("fault flags", faultFlags);
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(stub, "stub");
            Objects.requireNonNull(auth, "auth");
        }

        /** An unfragmented fault with no stub data, e.g. {@code new Fault(3, 0, DceStatus.NCA_S_UNK_IF)}. */
        public Fault(int callId, int contextId, DceStatus status) {
            this(PfcFlag.SINGLE_FRAGMENT, callId, 0, contextId, 0, 0, status, Octets.EMPTY, Optional.empty());
        }

        @Override
        public PduType type() {
            return PduType.FAULT;
        }
    }

    /**
     * The auth3 PDU: the third leg of a three-way authentication (NTLM AUTHENTICATE). {@code pad} is the
     * 4-byte {@code pad} field of [MS-RPCE] 2.2.2.10 before the auth verifier.
     *
     * @see [MS-RPCE] 2.2.2.10 rpc_auth_3 PDU
     */
    record Auth3(Set<PfcFlag> flags, int callId, Octets pad, Optional<AuthVerifier> auth) implements DcePdu {
        public Auth3 {
            flags = PfcFlag.copy(flags);
            Objects.requireNonNull(pad, "pad");
            Objects.requireNonNull(auth, "auth");
        }

        @Override
        public PduType type() {
            return PduType.AUTH3;
        }
    }

    /**
     * The shutdown PDU: the server asks the client to close the association. Header only.
     *
     * @see [C706] 12.6.4.11 The shutdown PDU
     */
    record Shutdown(Set<PfcFlag> flags, int callId) implements DcePdu {
        public Shutdown {
            flags = PfcFlag.copy(flags);
        }

        @Override
        public PduType type() {
            return PduType.SHUTDOWN;
        }
    }

    /**
     * The co_cancel PDU: cancel the call in progress.
     *
     * @see [C706] 12.6.4.6 The cancel PDU
     */
    record CoCancel(Set<PfcFlag> flags, int callId, Optional<AuthVerifier> auth) implements DcePdu {
        public CoCancel {
            flags = PfcFlag.copy(flags);
            Objects.requireNonNull(auth, "auth");
        }

        @Override
        public PduType type() {
            return PduType.CO_CANCEL;
        }
    }

    /**
     * The orphaned PDU: the client abandons a call whose request fragments it has started sending.
     *
     * @see [C706] 12.6.4.8 The orphaned PDU
     */
    record Orphaned(Set<PfcFlag> flags, int callId, Optional<AuthVerifier> auth) implements DcePdu {
        public Orphaned {
            flags = PfcFlag.copy(flags);
            Objects.requireNonNull(auth, "auth");
        }

        @Override
        public PduType type() {
            return PduType.ORPHANED;
        }
    }
}
