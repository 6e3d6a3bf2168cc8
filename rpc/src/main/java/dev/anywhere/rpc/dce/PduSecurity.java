package dev.anywhere.rpc.dce;

import dev.anywhere.rpc.ntlm.NtlmSession;
import dev.anywhere.rpc.ntlm.NtlmSignatureException;
import dev.anywhere.rpc.wire.Guids;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One association's per-PDU protection with NTLM (RPC_C_AUTHN_WINNT) once the three-leg handshake is done:
 * requests and responses go out with a sec_trailer and signature (PKT_INTEGRITY) or sealed (PKT_PRIVACY), and
 * come in verified and unsealed. At CONNECT, PDUs carry no verifier (a received one is tolerated and ignored).
 * Every fragment is protected on its own, with the next sequence number. Not thread-safe: the association's
 * event loop calls it.
 *
 * <pre>
 * header(16) ‖ request/response header(8, +16 object UUID) ‖ stub ‖ auth_pad ‖ sec_trailer(8) ‖ signature(16)
 *   signed:    byte 0 … end of sec_trailer, with the plaintext stub and pad and the final lengths
 *   encrypted: stub ‖ auth_pad (PKT_PRIVACY only); header and trailer stay clear
 * </pre>
 *
 * <p>Outbound stubs are padded to a multiple of 16 bytes, as Windows, Samba and Gromox do (the reference
 * vectors in the tests are laid out so); inbound {@code auth_pad_length} is honoured whatever alignment the peer
 * chose (impacket pads to 4).
 *
 * @see [MS-RPCE] 2.2.2.11 sec_trailer Structure
 * @see [MS-RPCE] 2.2.2.12 Authentication Tokens
 * @see [C706] 13.2.6.1 Authentication Verifier
 * @see [MS-NLMP] 3.4.6.1 GSS_GetMICEx / GSS_WrapEx (all buffers signed for NTLMv2)
 */
public final class PduSecurity {

    /** The largest auth_pad_length a 16-byte alignment needs. */
    static final int MAX_PAD = 15;

    private final int authType;
    private final int level;
    private final int contextId;
    private final NtlmSession session;

    /**
     * @param level {@link AuthVerifier#LEVEL_CONNECT}, {@link AuthVerifier#LEVEL_PKT_INTEGRITY} or
     *     {@link AuthVerifier#LEVEL_PKT_PRIVACY}
     * @param contextId the auth_context_id the bind's verifier carried
     * @param session the NTLM session of the handshake
     */
    public PduSecurity(int level, int contextId, NtlmSession session) {
        this(AuthVerifier.AUTHN_WINNT, level, contextId, session);
    }

    /**
     * As {@link #PduSecurity(int, int, NtlmSession)} for an NTLM session negotiated by {@code authType}:
     * {@link AuthVerifier#AUTHN_WINNT} or {@link AuthVerifier#AUTHN_GSS_NEGOTIATE} (SPNEGO with NTLM chosen, which
     * protects PDUs exactly as NTLM does; only the sec_trailer's auth_type differs, [MS-RPCE] 2.2.1.1.7).
     */
    public PduSecurity(int authType, int level, int contextId, NtlmSession session) {
        if (authType != AuthVerifier.AUTHN_WINNT && authType != AuthVerifier.AUTHN_GSS_NEGOTIATE) {
            throw new IllegalArgumentException("auth_type: " + authType + " (expected: 10 NTLM or 9 SPNEGO)");
        }
        this.authType = authType;
        if (level != AuthVerifier.LEVEL_CONNECT && level != AuthVerifier.LEVEL_PKT_INTEGRITY
                && level != AuthVerifier.LEVEL_PKT_PRIVACY) {
            throw new IllegalArgumentException("auth_level: " + level + " (expected: 2, 5 or 6)");
        }
        this.level = level;
        this.contextId = contextId;
        this.session = Objects.requireNonNull(session, "session");
    }

    /** The authentication level. */
    public int level() {
        return level;
    }

    /** The auth_context_id. */
    public int contextId() {
        return contextId;
    }

    /** True if PDUs carry a signature (PKT_INTEGRITY or PKT_PRIVACY). */
    public boolean signs() {
        return level != AuthVerifier.LEVEL_CONNECT;
    }

    /** The stub bytes a fragment of at most {@code maxFrag} bytes can carry with this protection. */
    public int maxStubPerFragment(int maxFrag, boolean objectUuid) {
        int overhead = CoHeader.LENGTH + 8 + (objectUuid ? Guids.LENGTH : 0);
        if (!signs()) {
            return maxFrag - overhead;
        }
        int room = maxFrag - overhead - AuthVerifier.TRAILER_LENGTH - NtlmSession.SIGNATURE_LENGTH;
        return room - room % 16; // stub + pad is a multiple of 16 and must fit
    }

    /**
     * Encodes one request or response fragment (without auth verifier) with this association's protection.
     * The caller has cut the stub to {@link #maxStubPerFragment}.
     */
    public ByteBuf protect(DcePdu.CallFragment fragment, ByteBufAllocator alloc) {
        if (fragment.auth().isPresent()) {
            throw new IllegalArgumentException("auth verifier: present (expected: none; protect adds it)");
        }
        if (!signs()) {
            return DceCodec.encode(fragment, alloc);
        }
        int pad = WireReader.padding(fragment.stub().length(), 16);
        AuthVerifier verifier = new AuthVerifier(authType, level, pad, contextId,
                Octets.zeros(NtlmSession.SIGNATURE_LENGTH));
        DcePdu withVerifier = fragment instanceof DcePdu.Request q
                ? new DcePdu.Request(q.flags(), q.callId(), q.allocHint(), q.contextId(), q.opnum(), q.object(),
                        q.stub(), Optional.of(verifier))
                : withVerifier((DcePdu.Response) fragment, verifier);
        int length = bodyStart(fragment.flags().contains(PfcFlag.OBJECT_UUID)) + fragment.stub().length() + pad
                + AuthVerifier.TRAILER_LENGTH + NtlmSession.SIGNATURE_LENGTH;
        ByteBuf out = alloc.heapBuffer(length);
        try {
            DceCodec.encode(withVerifier, out);
            protectInPlace(out, fragment.flags().contains(PfcFlag.OBJECT_UUID));
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * Signs (and seals) the encoded PDU where it lies, its zero signature overwritten: no copy of the fragment. A heap
     * buffer has its array, which is what the RC4 and HMAC-MD5 loops want.
     */
    private void protectInPlace(ByteBuf encoded, boolean objectUuid) {
        if (!encoded.hasArray()) {
            throw new IllegalStateException("heap buffer without array from the allocator: " + encoded);
        }
        byte[] pdu = encoded.array();
        int base = encoded.arrayOffset() + encoded.readerIndex();
        int signed = encoded.readableBytes() - NtlmSession.SIGNATURE_LENGTH;
        int bodyStart = base + bodyStart(objectUuid);
        int sealedEnd = base + signed - AuthVerifier.TRAILER_LENGTH;
        if (level == AuthVerifier.LEVEL_PKT_PRIVACY) {
            session.seal(pdu, base, signed, bodyStart, sealedEnd - bodyStart, pdu, base + signed);
        } else {
            session.sign(pdu, base, signed, pdu, base + signed);
        }
    }

    /** {@code call} cut to fragments of at most {@code maxFrag} bytes, each protected on its own. */
    public List<ByteBuf> protectFragments(DcePdu.CallFragment call, int maxFrag, ByteBufAllocator alloc) {
        boolean object = call instanceof DcePdu.Request q && q.object().isPresent();
        List<DcePdu.CallFragment> parts = Fragmenter.fragmentStub(call, maxStubPerFragment(maxFrag, object));
        List<ByteBuf> out = new ArrayList<>(parts.size());
        for (DcePdu.CallFragment f : parts) {
            out.add(protect(f, alloc));
        }
        return out;
    }

    private static DcePdu.Response withVerifier(DcePdu.Response s, AuthVerifier verifier) {
        return new DcePdu.Response(s.flags(), s.callId(), s.allocHint(), s.contextId(), s.cancelCount(), s.stub(),
                Optional.of(verifier));
    }

    /**
     * Verifies (and at PKT_PRIVACY unseals) one request or response PDU ({@code frame} holds exactly its
     * frag_length bytes; not consumed) and decodes the plaintext.
     *
     * @throws DceSecurityException if the verifier is missing, foreign, malformed or does not match
     * @throws DceProtocolException if the PDU is malformed otherwise
     */
    public DcePdu.CallFragment unprotect(ByteBuf frame) {
        // One copy: unsealing works in place, and the frame is the caller's (a slice of its read buffer, not consumed).
        byte[] pdu = new byte[frame.readableBytes()];
        frame.getBytes(frame.readerIndex(), pdu);
        if (pdu.length < CoHeader.LENGTH) {
            throw new DceProtocolException("pdu: " + pdu.length + " bytes (expected: >= 16)");
        }
        int ptype = pdu[2] & 0xff;
        if (ptype != PduType.REQUEST.value() && ptype != PduType.RESPONSE.value()) {
            throw new DceProtocolException("PTYPE: " + ptype + " (expected: 0 request or 2 response)");
        }
        int authLength = (pdu[10] & 0xff) | (pdu[11] & 0xff) << 8;
        if (signs()) {
            check(pdu, authLength);
        }
        DcePdu decoded = DceCodec.decode(Unpooled.wrappedBuffer(pdu));
        return (DcePdu.CallFragment) decoded;
    }

    private void check(byte[] pdu, int authLength) {
        int fragLength = (pdu[8] & 0xff) | (pdu[9] & 0xff) << 8;
        if (authLength != NtlmSession.SIGNATURE_LENGTH) {
            throw new DceSecurityException(DceSecurityException.Kind.BAD_VERIFIER, "auth_length: " + authLength
                    + " (expected: 16, an NTLM signature, at auth level " + level + ")");
        }
        boolean object = (pdu[3] & PfcFlag.OBJECT_UUID.bit()) != 0 && (pdu[2] & 0xff) == PduType.REQUEST.value();
        int bodyStart = bodyStart(object);
        int trailer = fragLength - authLength - AuthVerifier.TRAILER_LENGTH;
        if (fragLength > pdu.length || trailer < bodyStart) {
            throw new DceProtocolException("frag_length: " + fragLength + " (expected: room for the "
                    + bodyStart + "-byte header and the 24-byte auth verifier within " + pdu.length + " bytes)");
        }
        int type = pdu[trailer] & 0xff;
        int authLevel = pdu[trailer + 1] & 0xff;
        int pad = pdu[trailer + 2] & 0xff;
        int ctx = (pdu[trailer + 4] & 0xff) | (pdu[trailer + 5] & 0xff) << 8 | (pdu[trailer + 6] & 0xff) << 16
                | (pdu[trailer + 7] & 0xff) << 24;
        if (type != authType || authLevel != level || ctx != contextId) {
            throw new DceSecurityException(DceSecurityException.Kind.BAD_VERIFIER, "sec_trailer: auth_type "
                    + type + ", auth_level " + authLevel + ", auth_context_id " + Integer.toUnsignedString(ctx)
                    + " (expected: " + authType + ", " + level + ", "
                    + Integer.toUnsignedString(contextId) + " as bound)");
        }
        if (pad > MAX_PAD || pad > trailer - bodyStart) {
            throw new DceSecurityException(DceSecurityException.Kind.BAD_PADDING, "auth_pad_length: " + pad
                    + " (expected: <= " + Math.min(MAX_PAD, trailer - bodyStart) + " for " + (trailer - bodyStart)
                    + " stub and pad bytes)");
        }
        int signed = fragLength - NtlmSession.SIGNATURE_LENGTH;
        try {
            if (level == AuthVerifier.LEVEL_PKT_PRIVACY) {
                session.unseal(pdu, 0, signed, bodyStart, trailer - bodyStart, pdu, signed);
            } else {
                session.verify(pdu, 0, signed, pdu, signed);
            }
        } catch (NtlmSignatureException e) {
            DceSecurityException.Kind kind = e.problem() == NtlmSignatureException.Problem.OUT_OF_SEQUENCE
                    ? DceSecurityException.Kind.OUT_OF_SEQUENCE
                    : e.problem() == NtlmSignatureException.Problem.BAD_CHECKSUM
                            ? DceSecurityException.Kind.BAD_SIGNATURE : DceSecurityException.Kind.BAD_VERIFIER;
            throw new DceSecurityException(kind, e.getMessage());
        }
    }

    /** Where the stub starts: after the common header and the request/response header (and object UUID). */
    private static int bodyStart(boolean objectUuid) {
        return CoHeader.LENGTH + 8 + (objectUuid ? Guids.LENGTH : 0);
    }

    @Override
    public String toString() {
        return "PduSecurity[level " + level + ", context " + Integer.toUnsignedString(contextId) + "]";
    }
}
