package dev.anywhere.rpc.dce;

import dev.anywhere.rpc.wire.Guids;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Encodes and decodes connection-oriented DCE/RPC PDUs ({@link DcePdu}) field by field. RTS PDUs (PTYPE 20)
 * are not handled here; see {@code dev.anywhere.rpc.rpch.RpchCodec}.
 *
 * <p>Decoding reads exactly one PDU of {@code frag_length} bytes and moves the reader index past it; any
 * inconsistency throws {@link DceProtocolException}. The auth verifier is located from the end of the PDU
 * ({@code frag_length - auth_length - 8}), its {@code auth_pad_length} bytes are removed from the body, and the
 * body must then be consumed exactly (request, response and fault take the rest as stub data).
 *
 * @see [C706] 12.6 Connection-oriented RPC PDUs
 * @see [MS-RPCE] 2.2.2 Connection-Oriented RPC PDUs
 */
public final class DceCodec {
    private DceCodec() {}

    /** Decodes one PDU from {@code in}, which must hold at least its frag_length bytes. */
    public static DcePdu decode(ByteBuf in) {
        WireReader r = DceCodec.reader(in);
        r.require(CoHeader.LENGTH, "header");
        CoHeader h = CoHeader.read(r);
        if (h.type() == PduType.RTS) {
            throw r.error("PTYPE: 20 rts (expected: a DCE/RPC PDU; RTS PDUs are decoded by RpchCodec)");
        }
        int bodyAndAuth = h.fragLength() - CoHeader.LENGTH;
        r.require(bodyAndAuth, "pdu body");
        int bodyStart = in.readerIndex();
        int bodyLength = bodyAndAuth;
        Optional<AuthVerifier> auth = Optional.empty();
        if (h.authLength() > 0) {
            bodyLength = bodyAndAuth - AuthVerifier.TRAILER_LENGTH - h.authLength();
            if (bodyLength < 0) {
                throw r.error("auth_length: " + h.authLength() + " (expected: <= frag_length - 24 = "
                        + (h.fragLength() - 24) + ")");
            }
            if (!mayCarryAuth(h.type())) {
                throw r.error("auth_length: " + h.authLength() + " (expected: 0 for " + h.type().wireName() + ")");
            }
            WireReader t = DceCodec.reader(in.slice(bodyStart + bodyLength, AuthVerifier.TRAILER_LENGTH + h.authLength()));
            int authType = t.u8("auth_type"); // auth_type (1 byte)
            int authLevel = t.u8("auth_level"); // auth_level (1 byte)
            int padLength = t.u8("auth_pad_length"); // auth_pad_length (1 byte)
            t.u8("auth_reserved"); // auth_reserved (1 byte)
            int contextId = t.i32("auth_context_id"); // auth_context_id (4 bytes)
            Octets value = t.bytes(h.authLength(), "auth_value"); // auth_value (auth_length bytes)
            if (padLength > bodyLength) {
                throw r.error("auth_pad_length: " + padLength + " (expected: <= " + bodyLength + " body bytes)");
            }
            bodyLength -= padLength;
            auth = Optional.of(new AuthVerifier(authType, authLevel, padLength, contextId, value));
        }
        WireReader b = DceCodec.reader(in.slice(bodyStart, bodyLength));
        in.skipBytes(bodyAndAuth);
        DcePdu pdu = decodeBody(h, b, auth);
        return pdu;
    }

    /** A reader whose bad input raises {@link DceProtocolException} ({@code truncated FIELD: N bytes (expected: M)}). */
    static WireReader reader(ByteBuf in) {
        return new WireReader(in, DceProtocolException::new);
    }

    private static boolean mayCarryAuth(PduType t) {
        return t != PduType.BIND_NAK && t != PduType.SHUTDOWN;
    }

    private static DcePdu decodeBody(CoHeader h, WireReader r, Optional<AuthVerifier> auth) {
        Set<PfcFlag> f = h.flags();
        int callId = h.callId();
        switch (h.type()) {
            case BIND, ALTER_CONTEXT -> {
                int maxXmit = r.u16("max_xmit_frag"); // max_xmit_frag (2 bytes)
                int maxRecv = r.u16("max_recv_frag"); // max_recv_frag (2 bytes)
                long assoc = r.u32("assoc_group_id"); // assoc_group_id (4 bytes)
                List<PresentationContext> contexts = readContextList(r);
                r.expectEnd(h.type().wireName());
                return h.type() == PduType.BIND
                        ? new DcePdu.Bind(f, callId, maxXmit, maxRecv, assoc, contexts, auth)
                        : new DcePdu.AlterContext(f, callId, maxXmit, maxRecv, assoc, contexts, auth);
            }
            case BIND_ACK, ALTER_CONTEXT_RESP -> {
                int maxXmit = r.u16("max_xmit_frag"); // max_xmit_frag (2 bytes)
                int maxRecv = r.u16("max_recv_frag"); // max_recv_frag (2 bytes)
                long assoc = r.u32("assoc_group_id"); // assoc_group_id (4 bytes)
                int secLength = r.u16("sec_addr length"); // sec_addr.length (2 bytes)
                Octets port = r.bytes(secLength, "sec_addr port_spec"); // sec_addr.port_spec (length bytes)
                // Per C706 12.6.4.4, pad2 aligns the result list to 4 bytes from the start of the PDU.
                r.skip(WireReader.padding(CoHeader.LENGTH + r.position(), 4), "pad2"); // pad2 (0..3 bytes)
                List<ContextResult> results = readResultList(r);
                r.expectEnd(h.type().wireName());
                String sec = secondaryAddress(port, r);
                return h.type() == PduType.BIND_ACK
                        ? new DcePdu.BindAck(f, callId, maxXmit, maxRecv, assoc, sec, results, auth)
                        : new DcePdu.AlterContextResp(f, callId, maxXmit, maxRecv, assoc, sec, results, auth);
            }
            case BIND_NAK -> {
                int reason = r.u16("provider_reject_reason"); // provider_reject_reason (2 bytes)
                int n = r.u8("n_protocols"); // versions.n_protocols (1 byte)
                r.require(2 * n, "p_protocols");
                List<DcePdu.ProtocolVersion> versions = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int major = r.u8("rpc_vers"); // p_protocols[i].major (1 byte)
                    int minor = r.u8("rpc_vers_minor"); // p_protocols[i].minor (1 byte)
                    versions.add(new DcePdu.ProtocolVersion(major, minor));
                }
                Octets trailer = r.bytes(r.remaining(), "bind_nak trailer"); // pad + [MS-RPCE] signature, verbatim
                return new DcePdu.BindNak(f, callId, reason, versions, trailer);
            }
            case REQUEST -> {
                long allocHint = r.u32("alloc_hint"); // alloc_hint (4 bytes)
                int contextId = r.u16("p_cont_id"); // p_cont_id (2 bytes)
                int opnum = r.u16("opnum"); // opnum (2 bytes)
                Optional<UUID> object = f.contains(PfcFlag.OBJECT_UUID)
                        ? Optional.of(r.guid("object")) // object (16 bytes, only with PFC_OBJECT_UUID)
                        : Optional.empty();
                Octets stub = r.bytes(r.remaining(), "stub data"); // stub data (rest)
                return new DcePdu.Request(f, callId, allocHint, contextId, opnum, object, stub, auth);
            }
            case RESPONSE -> {
                long allocHint = r.u32("alloc_hint"); // alloc_hint (4 bytes)
                int contextId = r.u16("p_cont_id"); // p_cont_id (2 bytes)
                int cancelCount = r.u8("cancel_count"); // cancel_count (1 byte)
                r.u8("reserved"); // reserved (1 byte)
                Octets stub = r.bytes(r.remaining(), "stub data"); // stub data (rest)
                return new DcePdu.Response(f, callId, allocHint, contextId, cancelCount, stub, auth);
            }
            case FAULT -> {
                long allocHint = r.u32("alloc_hint"); // alloc_hint (4 bytes)
                int contextId = r.u16("p_cont_id"); // p_cont_id (2 bytes)
                int cancelCount = r.u8("cancel_count"); // cancel_count (1 byte)
                int faultFlags = r.u8("fault flags"); // reserved / [MS-RPCE] fault flags (1 byte)
                DceStatus status = DceStatus.valueOf(r.i32("status")); // status (4 bytes)
                r.skip(4, "reserved2"); // reserved2 (4 bytes)
                Octets stub = r.bytes(r.remaining(), "stub data"); // stub data / extended error (rest)
                return new DcePdu.Fault(f, callId, allocHint, contextId, cancelCount, faultFlags, status, stub, auth);
            }
            case AUTH3 -> {
                Octets pad = r.bytes(r.remaining(), "auth3 pad"); // pad (4 bytes in practice)
                return new DcePdu.Auth3(f, callId, pad, auth);
            }
            case SHUTDOWN -> {
                r.expectEnd("shutdown");
                return new DcePdu.Shutdown(f, callId);
            }
            case CO_CANCEL -> {
                r.expectEnd("co_cancel");
                return new DcePdu.CoCancel(f, callId, auth);
            }
            case ORPHANED -> {
                r.expectEnd("orphaned");
                return new DcePdu.Orphaned(f, callId, auth);
            }
            default -> throw r.error("PTYPE: " + h.type().value() + " (expected: a DCE/RPC PDU type)");
        }
    }

    private static String secondaryAddress(Octets port, WireReader r) {
        int n = port.length();
        if (n > 0 && port.get(n - 1) == 0) {
            n--; // the terminating NUL counted in sec_addr.length
        }
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int c = port.get(i);
            if (c == 0 || c >= 0x80) {
                throw r.error("sec_addr port_spec: byte 0x" + Integer.toHexString(c) + " at " + i
                        + " (expected: ASCII, NUL only at the end)");
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    private static List<PresentationContext> readContextList(WireReader r) {
        int n = r.u8("n_context_elem"); // p_context_elem.n_context_elem (1 byte)
        r.u8("reserved"); // p_context_elem.reserved (1 byte)
        r.u16("reserved2"); // p_context_elem.reserved2 (2 bytes)
        List<PresentationContext> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int contextId = r.u16("p_cont_id"); // p_cont_id (2 bytes)
            int nTransfer = r.u8("n_transfer_syn"); // n_transfer_syn (1 byte)
            r.u8("reserved"); // reserved (1 byte)
            if (nTransfer == 0) {
                throw r.error("n_transfer_syn: 0 for p_cont_id " + contextId + " (expected: >= 1)");
            }
            SyntaxId abstractSyntax = SyntaxId.read(r, "abstract_syntax"); // abstract_syntax (20 bytes)
            r.require(nTransfer * SyntaxId.LENGTH, "transfer_syntaxes");
            List<SyntaxId> transfer = new ArrayList<>(nTransfer);
            for (int j = 0; j < nTransfer; j++) {
                transfer.add(SyntaxId.read(r, "transfer_syntax")); // transfer_syntaxes[j] (20 bytes)
            }
            list.add(new PresentationContext(contextId, abstractSyntax, transfer));
        }
        return list;
    }

    private static List<ContextResult> readResultList(WireReader r) {
        int n = r.u8("n_results"); // p_result_list.n_results (1 byte)
        r.u8("reserved"); // p_result_list.reserved (1 byte)
        r.u16("reserved2"); // p_result_list.reserved2 (2 bytes)
        r.require(n * 24, "p_results");
        List<ContextResult> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ContextResult.Result result = ContextResult.Result.forValue(r.u16("result"), r); // result (2 bytes)
            int reason = r.u16("reason"); // reason (2 bytes)
            SyntaxId transfer = SyntaxId.read(r, "transfer_syntax"); // transfer_syntax (20 bytes)
            list.add(new ContextResult(result, reason, transfer));
        }
        return list;
    }

    /** Encodes {@code pdu} into a new buffer from {@code alloc}. */
    public static ByteBuf encode(DcePdu pdu, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer();
        try {
            encode(pdu, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * Appends {@code pdu} to {@code out}, computing frag_length and auth_length.
     *
     * @throws IllegalArgumentException if the PDU would exceed 65535 bytes (use {@link Fragmenter})
     */
    public static void encode(DcePdu pdu, ByteBuf out) {
        int start = out.writerIndex();
        int authLength = pdu.auth().map(a -> a.authValue().length()).orElse(0);
        out.writeByte(CoHeader.RPC_VERS); // rpc_vers (1 byte)
        out.writeByte(0); // rpc_vers_minor (1 byte)
        out.writeByte(pdu.type().value()); // PTYPE (1 byte)
        out.writeByte(PfcFlag.toBits(pdu.flags())); // pfc_flags (1 byte)
        out.writeIntLE(CoHeader.DREP_LITTLE_ENDIAN_ASCII); // packed_drep (4 bytes)
        out.writeShortLE(0); // frag_length (2 bytes), back-patched below
        out.writeShortLE(authLength); // auth_length (2 bytes)
        out.writeIntLE(pdu.callId()); // call_id (4 bytes)
        encodeBody(pdu, out, start);
        pdu.auth().ifPresent(a -> {
            out.writeZero(a.padLength()); // auth pad (auth_pad_length bytes)
            out.writeByte(a.authType()); // auth_type (1 byte)
            out.writeByte(a.authLevel()); // auth_level (1 byte)
            out.writeByte(a.padLength()); // auth_pad_length (1 byte)
            out.writeByte(0); // auth_reserved (1 byte)
            out.writeIntLE(a.contextId()); // auth_context_id (4 bytes)
            a.authValue().writeTo(out); // auth_value (auth_length bytes)
        });
        int fragLength = out.writerIndex() - start;
        if (fragLength > 0xffff) {
            out.writerIndex(start);
            throw new IllegalArgumentException("frag_length: " + fragLength + " (expected: <= 65535; use Fragmenter)");
        }
        out.setShortLE(start + CoHeader.FRAG_LENGTH_OFFSET, fragLength);
    }

    private static void encodeBody(DcePdu pdu, ByteBuf out, int start) {
        if (pdu instanceof DcePdu.BindFamily b) {
            out.writeShortLE(b.maxXmitFrag()); // max_xmit_frag (2 bytes)
            out.writeShortLE(b.maxRecvFrag()); // max_recv_frag (2 bytes)
            out.writeIntLE((int) b.assocGroupId()); // assoc_group_id (4 bytes)
            out.writeByte(b.contexts().size()); // n_context_elem (1 byte)
            out.writeByte(0); // reserved (1 byte)
            out.writeShortLE(0); // reserved2 (2 bytes)
            for (PresentationContext c : b.contexts()) {
                out.writeShortLE(c.contextId()); // p_cont_id (2 bytes)
                out.writeByte(c.transferSyntaxes().size()); // n_transfer_syn (1 byte)
                out.writeByte(0); // reserved (1 byte)
                c.abstractSyntax().write(out); // abstract_syntax (20 bytes)
                for (SyntaxId t : c.transferSyntaxes()) {
                    t.write(out); // transfer_syntaxes[] (20 bytes each)
                }
            }
        } else if (pdu instanceof DcePdu.BindAckFamily b) {
            out.writeShortLE(b.maxXmitFrag()); // max_xmit_frag (2 bytes)
            out.writeShortLE(b.maxRecvFrag()); // max_recv_frag (2 bytes)
            out.writeIntLE((int) b.assocGroupId()); // assoc_group_id (4 bytes)
            byte[] port = b.secondaryAddress().getBytes(StandardCharsets.US_ASCII);
            int secLength = port.length == 0 ? 0 : port.length + 1;
            out.writeShortLE(secLength); // sec_addr.length (2 bytes)
            out.writeBytes(port); // sec_addr.port_spec
            if (secLength > 0) {
                out.writeByte(0); // port_spec terminating NUL
            }
            out.writeZero(WireReader.padding(out.writerIndex() - start, 4)); // pad2 (align 4)
            out.writeByte(b.results().size()); // n_results (1 byte)
            out.writeByte(0); // reserved (1 byte)
            out.writeShortLE(0); // reserved2 (2 bytes)
            for (ContextResult c : b.results()) {
                out.writeShortLE(c.result().value()); // result (2 bytes)
                out.writeShortLE(c.reason()); // reason (2 bytes)
                c.transferSyntax().write(out); // transfer_syntax (20 bytes)
            }
        } else if (pdu instanceof DcePdu.BindNak n) {
            out.writeShortLE(n.rejectReason()); // provider_reject_reason (2 bytes)
            out.writeByte(n.versions().size()); // n_protocols (1 byte)
            for (DcePdu.ProtocolVersion v : n.versions()) {
                out.writeByte(v.major()); // rpc_vers (1 byte)
                out.writeByte(v.minor()); // rpc_vers_minor (1 byte)
            }
            n.trailer().writeTo(out); // trailer (verbatim)
        } else if (pdu instanceof DcePdu.Request q) {
            out.writeIntLE((int) q.allocHint()); // alloc_hint (4 bytes)
            out.writeShortLE(q.contextId()); // p_cont_id (2 bytes)
            out.writeShortLE(q.opnum()); // opnum (2 bytes)
            q.object().ifPresent(o -> Guids.write(out, o)); // object (16 bytes, optional)
            q.stub().writeTo(out); // stub data
        } else if (pdu instanceof DcePdu.Response s) {
            out.writeIntLE((int) s.allocHint()); // alloc_hint (4 bytes)
            out.writeShortLE(s.contextId()); // p_cont_id (2 bytes)
            out.writeByte(s.cancelCount()); // cancel_count (1 byte)
            out.writeByte(0); // reserved (1 byte)
            s.stub().writeTo(out); // stub data
        } else if (pdu instanceof DcePdu.Fault x) {
            out.writeIntLE((int) x.allocHint()); // alloc_hint (4 bytes)
            out.writeShortLE(x.contextId()); // p_cont_id (2 bytes)
            out.writeByte(x.cancelCount()); // cancel_count (1 byte)
            out.writeByte(x.faultFlags()); // fault flags (1 byte)
            out.writeIntLE(x.status().code()); // status (4 bytes)
            out.writeIntLE(0); // reserved2 (4 bytes)
            x.stub().writeTo(out); // stub data
        } else if (pdu instanceof DcePdu.Auth3 a) {
            a.pad().writeTo(out); // pad
        }
        // shutdown, co_cancel, orphaned: header only (+ auth verifier)
    }
}
