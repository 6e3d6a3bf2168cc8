package dev.anywhere.rpc.dce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.ntlm.NegotiateFlag;
import dev.anywhere.rpc.ntlm.NtlmSession;
import dev.anywhere.rpc.ntlm.NtlmSession.Role;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Signed and sealed request and response PDUs. The golden bytes are an NspiUnbind request and its response at
 * PKT_PRIVACY, produced with impacket 0.10.0's own primitives (ExportedSessionKey 55×16, ESS|128|56|KEY_EXCH|SEAL|
 * SIGN, auth_context_id 79231, sequence number 0 in each direction): they pin the layout impacket reads, the key
 * per direction and the RC4 order (stub and pad, then the checksum, on one handle).
 */
class PduSecurityTest {

    static final Set<NegotiateFlag> FLAGS = EnumSet.of(NegotiateFlag.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY,
            NegotiateFlag.NTLMSSP_NEGOTIATE_128, NegotiateFlag.NTLMSSP_NEGOTIATE_56,
            NegotiateFlag.NTLMSSP_NEGOTIATE_KEY_EXCH, NegotiateFlag.NTLMSSP_NEGOTIATE_SEAL,
            NegotiateFlag.NTLMSSP_NEGOTIATE_SIGN);
    static final Octets KEY = Octets.ofHex("55555555555555555555555555555555");
    static final int CONTEXT = 79231;

    static final String REQUEST = "05000003100000004800100002000000180000000000010004e56d65cf084ecde67145d0f50a6617"
            + "9e4e1e97a694370b0a0600007f35010001000000b9db8d2c083e717100000000";
    static final String RESPONSE = "05000203100000005000100002000000180000000000000046081db751ba1de928c427d7235b2c27"
            + "f9d0148b2003641815d26db8c21869360a0608007f350100010000002cd70e50239cac2000000000";
    /** NspiUnbind: context handle (attributes 0, uuid 11×16), dwReserved 0. */
    static final Octets UNBIND_STUB = Octets.ofHex("00000000 11111111111111111111111111111111 00000000");
    /** The response: a zeroed context handle and the return value 1. */
    static final Octets UNBIND_RESULT = Octets.ofHex("00000000 00000000000000000000000000000000 01000000");

    static PduSecurity security(Role role, int level) {
        return new PduSecurity(level, CONTEXT, NtlmSession.of(role, KEY, FLAGS));
    }

    static String hex(ByteBuf b) {
        try {
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    @Test
    void serverUnsealsImpacketsRequest() {
        DcePdu.Request q = (DcePdu.Request) security(Role.SERVER, AuthVerifier.LEVEL_PKT_PRIVACY)
                .unprotect(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(REQUEST)));
        assertThat(q.opnum()).isEqualTo(1);
        assertThat(q.stub()).isEqualTo(UNBIND_STUB);
    }

    /** Our client pads to 16 (impacket to 4, so its 24-byte stub went unpadded): same keys, same stream. */
    @Test
    void clientSealsTheRequestWithTheSameKeystreamPaddedTo16() {
        ByteBuf wire = security(Role.CLIENT, AuthVerifier.LEVEL_PKT_PRIVACY)
                .protect(new DcePdu.Request(2, 0, 1, UNBIND_STUB), ByteBufAllocator.DEFAULT);
        String hex = ByteBufUtil.hexDump(wire);
        assertThat(hex).startsWith("0500000310000000500010000200000018000000000001"
                + "0004e56d65cf084ecde67145d0f50a66179e4e1e97a694370b"); // the same 24 sealed stub bytes
        assertThat(wire.getByte(wire.writerIndex() - 22)).isEqualTo((byte) 8); // auth_pad_length
        DcePdu.Request q = (DcePdu.Request) security(Role.SERVER, AuthVerifier.LEVEL_PKT_PRIVACY).unprotect(wire);
        wire.release();
        assertThat(q.stub()).isEqualTo(UNBIND_STUB);
    }

    @Test
    void serverSealsTheResponsePaddedTo16AndTheClientVerifiesIt() {
        PduSecurity server = security(Role.SERVER, AuthVerifier.LEVEL_PKT_PRIVACY);
        server.unprotect(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(REQUEST)));
        ByteBuf wire = server.protect(new DcePdu.Response(2, 0, UNBIND_RESULT), ByteBufAllocator.DEFAULT);
        assertThat(hex(wire)).isEqualTo(RESPONSE);

        PduSecurity client = security(Role.CLIENT, AuthVerifier.LEVEL_PKT_PRIVACY);
        client.protect(new DcePdu.Request(2, 0, 1, UNBIND_STUB), ByteBufAllocator.DEFAULT).release();
        DcePdu.Response r = (DcePdu.Response) client.unprotect(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(RESPONSE)));
        assertThat(r.stub()).isEqualTo(UNBIND_RESULT); // the 8 pad bytes are not stub
        assertThat(r.auth().orElseThrow().padLength()).isEqualTo(8);
    }

    /**
     * The fragment is encoded into a heap buffer, even from an allocator that prefers direct ones, and signed and
     * sealed where it lies: a pooled buffer's array starts at an offset into its chunk, and the golden bytes must
     * come out all the same.
     */
    @Test
    void theResponseIsSealedInPlaceInAPooledHeapBufferAtAnArrayOffset() {
        PooledByteBufAllocator pooled = new PooledByteBufAllocator(true);
        ByteBuf before = pooled.heapBuffer(80);
        PduSecurity server = security(Role.SERVER, AuthVerifier.LEVEL_PKT_PRIVACY);
        server.unprotect(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(REQUEST)));
        ByteBuf wire = server.protect(new DcePdu.Response(2, 0, UNBIND_RESULT), pooled);
        before.release();
        assertThat(wire.hasArray()).isTrue();
        assertThat(wire.arrayOffset()).isPositive();
        assertThat(hex(wire)).isEqualTo(RESPONSE);
    }

    @Test
    void integrityLeavesTheStubInClearAndSignsIt() {
        PduSecurity client = security(Role.CLIENT, AuthVerifier.LEVEL_PKT_INTEGRITY);
        PduSecurity server = security(Role.SERVER, AuthVerifier.LEVEL_PKT_INTEGRITY);
        ByteBuf wire = client.protect(new DcePdu.Request(2, 0, 1, UNBIND_STUB), ByteBufAllocator.DEFAULT);
        assertThat(ByteBufUtil.hexDump(wire)).contains(UNBIND_STUB.hex());
        DcePdu.Request q = (DcePdu.Request) server.unprotect(wire);
        wire.release();
        assertThat(q.stub()).isEqualTo(UNBIND_STUB);
    }

    @Test
    void eachFragmentCarriesItsOwnSignatureAndSequenceNumber() {
        PduSecurity server = security(Role.SERVER, AuthVerifier.LEVEL_PKT_PRIVACY);
        PduSecurity client = security(Role.CLIENT, AuthVerifier.LEVEL_PKT_PRIVACY);
        byte[] big = new byte[10_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7);
        }
        List<ByteBuf> frags = server.protectFragments(new DcePdu.Response(9, 0, Octets.of(big)), 4280,
                ByteBufAllocator.DEFAULT);
        assertThat(frags).hasSize(3);
        FragmentAssembler assembler = new FragmentAssembler();
        java.util.Optional<DcePdu.CallFragment> whole = java.util.Optional.empty();
        for (int i = 0; i < frags.size(); i++) {
            ByteBuf f = frags.get(i);
            assertThat(f.readableBytes()).isLessThanOrEqualTo(4280);
            assertThat(f.getIntLE(f.writerIndex() - 4)).as("sequence number of fragment " + i).isEqualTo(i);
            whole = assembler.add(client.unprotect(f));
            f.release();
        }
        assertThat(whole.orElseThrow().stub()).isEqualTo(Octets.of(big));
    }

    @Test
    void alteredReplayedForeignAndBadlyPaddedRequestsAreRefused() {
        byte[] good = ByteBufUtil.decodeHexDump(REQUEST);

        byte[] altered = good.clone();
        altered[30] ^= 1; // a sealed stub byte
        assertRefused(altered, DceSecurityException.Kind.BAD_SIGNATURE,
                "signature checksum of message 0: no match (expected: hmac-md5 under the peer's signing key)");

        PduSecurity server = security(Role.SERVER, AuthVerifier.LEVEL_PKT_PRIVACY);
        server.unprotect(Unpooled.wrappedBuffer(good));
        assertThatThrownBy(() -> server.unprotect(Unpooled.wrappedBuffer(good)))
                .isInstanceOfSatisfying(DceSecurityException.class,
                        e -> assertThat(e.kind()).isEqualTo(DceSecurityException.Kind.OUT_OF_SEQUENCE))
                .hasMessage("signature sequence number: 0 (expected: 1, one more than the last message's)");

        byte[] otherContext = good.clone();
        otherContext[52] = 0; // auth_context_id 79231 -> 79104
        assertRefused(otherContext, DceSecurityException.Kind.BAD_VERIFIER,
                "sec_trailer: auth_type 10, auth_level 6, auth_context_id 79104 (expected: 10, 6, 79231 as bound)");

        byte[] pad = good.clone();
        pad[50] = 16;
        assertRefused(pad, DceSecurityException.Kind.BAD_PADDING,
                "auth_pad_length: 16 (expected: <= 15 for 24 stub and pad bytes)");

        byte[] unsigned = ByteBufUtil.decodeHexDump("0500000310000000200000000200000008000000000001000000000000000000");
        assertRefused(unsigned, DceSecurityException.Kind.BAD_VERIFIER,
                "auth_length: 0 (expected: 16, an NTLM signature, at auth level 6)");
    }

    private static void assertRefused(byte[] pdu, DceSecurityException.Kind kind, String message) {
        assertThatThrownBy(() -> security(Role.SERVER, AuthVerifier.LEVEL_PKT_PRIVACY).unprotect(Unpooled.wrappedBuffer(pdu)))
                .isInstanceOfSatisfying(DceSecurityException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessage(message);
    }

    @Test
    void connectLevelSendsNoVerifierAndIgnoresOne() {
        PduSecurity server = security(Role.SERVER, AuthVerifier.LEVEL_CONNECT);
        ByteBuf wire = server.protect(new DcePdu.Response(2, 0, UNBIND_RESULT), ByteBufAllocator.DEFAULT);
        assertThat(wire.getShortLE(10)).isZero();
        wire.release();
        DcePdu.Request q = (DcePdu.Request) server.unprotect(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(REQUEST)));
        assertThat(q.opnum()).isEqualTo(1); // verifier tolerated (stub still sealed: CONNECT clients send none)
    }
}
