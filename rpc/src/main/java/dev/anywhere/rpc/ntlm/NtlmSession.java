package dev.anywhere.rpc.ntlm;

import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_128;
import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_56;
import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_KEY_EXCH;

import dev.anywhere.rpc.ntlm.NtlmSignatureException.Problem;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * NTLM session security after a successful handshake: signing and sealing with extended session security
 * (NTLM2), as every NTLMv2 peer negotiates it. One signing key, one RC4 stream and one sequence number per
 * direction, all long-lived: the RC4 streams are never reset and each sequence number goes up by one per
 * message (for DCE/RPC: per fragment). Not thread-safe; the owner serialises calls.
 *
 * <pre>
 * SignKey(dir) = MD5(ExportedSessionKey ‖ "session key to {dir} signing key magic constant\0")
 * SealKey(dir) = MD5(ExportedSessionKey[0..15|0..6|0..4 for 128/56/40 bit] ‖ "session key to {dir} sealing key magic constant\0")
 * Checksum     = HMAC_MD5(SignKey, SeqNum_le32 ‖ Message)[0..7], then RC4(SealHandle, Checksum) with KEY_EXCH
 * Signature    = 01000000 ‖ Checksum ‖ SeqNum_le32
 * Seal         = RC4(SealHandle, Message), then the signature over the plaintext on the same handle
 * </pre>
 *
 * @see [MS-NLMP] 3.4.3 Message Confidentiality
 * @see [MS-NLMP] 3.4.4.2 With Extended Session Security
 * @see [MS-NLMP] 3.4.5.2 SIGNKEY
 * @see [MS-NLMP] 3.4.5.3 SEALKEY
 */
public final class NtlmSession {

    /** Bytes in an NTLMSSP_MESSAGE_SIGNATURE. */
    public static final int SIGNATURE_LENGTH = 16;

    private static final String CLIENT_TO_SERVER = "client-to-server";
    private static final String SERVER_TO_CLIENT = "server-to-client";

    /** Which end of the handshake this session is: it decides which direction's keys sign outbound messages. */
    public enum Role {
        CLIENT, SERVER
    }

    private final byte[] outSignKey;
    private final byte[] inSignKey;
    private final byte[] outSealKey;
    private final byte[] inSealKey;
    private Rc4 outSeal;
    private Rc4 inSeal;
    private final boolean keyExchange;
    private int outSeq;
    private int inSeq;

    private NtlmSession(byte[] exportedSessionKey, Set<NegotiateFlag> flags, Role role) {
        String out = role == Role.CLIENT ? CLIENT_TO_SERVER : SERVER_TO_CLIENT;
        String in = role == Role.CLIENT ? SERVER_TO_CLIENT : CLIENT_TO_SERVER;
        this.outSignKey = signKey(exportedSessionKey, out);
        this.inSignKey = signKey(exportedSessionKey, in);
        this.outSealKey = sealKey(exportedSessionKey, flags, out);
        this.inSealKey = sealKey(exportedSessionKey, flags, in);
        this.outSeal = new Rc4(outSealKey);
        this.inSeal = new Rc4(inSealKey);
        this.keyExchange = flags.contains(NTLMSSP_NEGOTIATE_KEY_EXCH);
    }

    /**
     * The session for {@code role}, given the ExportedSessionKey and the negotiated flags (those of the
     * AUTHENTICATE_MESSAGE).
     *
     * @throws IllegalArgumentException unless the key has 16 bytes and extended session security was negotiated
     *     (the older NTLMv1 scheme with CRC32 checksums is not implemented)
     */
    public static NtlmSession of(Role role, Octets exportedSessionKey, Set<NegotiateFlag> flags) {
        if (exportedSessionKey.length() != 16) {
            throw new IllegalArgumentException("exported session key: " + exportedSessionKey.length()
                    + " bytes (expected: 16)");
        }
        if (!flags.contains(NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)) {
            throw new IllegalArgumentException("negotiate flags: no NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY"
                    + " (expected: extended session security; NTLMv1 signing is not supported)");
        }
        return new NtlmSession(exportedSessionKey.toByteArray(), flags, role);
    }

    /** The session of a server after {@link NtlmServer#authenticate(byte[])}. */
    public static NtlmSession server(NtlmAuthentication authentication) {
        return of(Role.SERVER, authentication.exportedSessionKey(), authentication.flags());
    }

    /** SIGNKEY for one direction ("client-to-server" or "server-to-client"). */
    static byte[] signKey(byte[] exportedSessionKey, String direction) {
        return md5(exportedSessionKey, "session key to " + direction + " signing key magic constant\0");
    }

    /** SEALKEY for one direction, weakened to 56 or 40 bits unless 128-bit was negotiated. */
    static byte[] sealKey(byte[] exportedSessionKey, Set<NegotiateFlag> flags, String direction) {
        int n = flags.contains(NTLMSSP_NEGOTIATE_128) ? 16 : flags.contains(NTLMSSP_NEGOTIATE_56) ? 7 : 5;
        return md5(Arrays.copyOf(exportedSessionKey, n), "session key to " + direction + " sealing key magic constant\0");
    }

    /**
     * Starts both RC4 streams afresh from their keys; the sequence numbers go on. SPNEGO's mechListMIC must leave
     * the RC4 state as it found it, so that the first message the application protects uses the same key stream
     * as the MIC did; after a fresh handshake that is the initial state.
     *
     * @see [MS-SPNG] 3.3.5.1 NTLM RC4 Key State for MechListMIC and First Signed Message
     */
    public void restartSealStreams() {
        outSeal = new Rc4(outSealKey);
        inSeal = new Rc4(inSealKey);
    }

    /**
     * Signs {@code data[offset..offset+length)} as the next outbound message.
     *
     * @return the 16-byte signature
     */
    public byte[] sign(byte[] data, int offset, int length) {
        return signature(outSignKey, outSeal, outSeq++, data, offset, length);
    }

    /**
     * Seals the next outbound message: signs {@code data[signOffset..+signLength)} as it is now (plaintext), then
     * encrypts {@code data[sealOffset..+sealLength)} in place.
     *
     * @return the 16-byte signature
     */
    public byte[] seal(byte[] data, int signOffset, int signLength, int sealOffset, int sealLength) {
        byte[] checksum = checksum(outSignKey, outSeq, data, signOffset, signLength);
        outSeal.apply(data, sealOffset, sealLength);
        return finish(checksum, outSeal, outSeq++);
    }

    /**
     * Verifies the next inbound message {@code data[offset..offset+length)} against {@code signature}.
     *
     * @throws NtlmSignatureException if the signature does not match or is out of sequence
     */
    public void verify(byte[] data, int offset, int length, byte[] signature) throws NtlmSignatureException {
        check(signature, checksum(inSignKey, inSeq, data, offset, length));
    }

    /**
     * Unseals the next inbound message: decrypts {@code data[sealOffset..+sealLength)} in place, then verifies
     * {@code data[signOffset..+signLength)} against {@code signature}.
     *
     * @throws NtlmSignatureException if the signature does not match or is out of sequence
     */
    public void unseal(byte[] data, int signOffset, int signLength, int sealOffset, int sealLength,
            byte[] signature) throws NtlmSignatureException {
        inSeal.apply(data, sealOffset, sealLength);
        check(signature, checksum(inSignKey, inSeq, data, signOffset, signLength));
    }

    private void check(byte[] signature, byte[] expected) throws NtlmSignatureException {
        if (signature.length != SIGNATURE_LENGTH || le32(signature, 0) != 1) {
            throw new NtlmSignatureException(Problem.MALFORMED_SIGNATURE, "signature: "
                    + Octets.of(signature).hex() + " (expected: 16 bytes starting with version 01000000)");
        }
        byte[] received = Arrays.copyOfRange(signature, 4, 12);
        if (keyExchange) {
            inSeal.apply(received, 0, received.length);
        }
        int seq = le32(signature, 12);
        if (seq != inSeq) {
            throw new NtlmSignatureException(Problem.OUT_OF_SEQUENCE, "signature sequence number: "
                    + Integer.toUnsignedString(seq) + " (expected: " + Integer.toUnsignedString(inSeq)
                    + ", one more than the last message's)");
        }
        if (!MessageDigest.isEqual(received, expected)) {
            throw new NtlmSignatureException(Problem.BAD_CHECKSUM, "signature checksum of message "
                    + Integer.toUnsignedString(seq) + ": no match (expected: hmac-md5 under the peer's signing key)");
        }
        inSeq++;
    }

    private byte[] signature(byte[] signKey, Rc4 seal, int seq, byte[] data, int offset, int length) {
        return finish(checksum(signKey, seq, data, offset, length), seal, seq);
    }

    private byte[] finish(byte[] checksum, Rc4 seal, int seq) {
        if (keyExchange) {
            seal.apply(checksum, 0, checksum.length);
        }
        byte[] sig = new byte[SIGNATURE_LENGTH];
        sig[0] = 1; // Version (4 bytes): 1
        System.arraycopy(checksum, 0, sig, 4, 8); // Checksum (8 bytes)
        putLe32(sig, 12, seq); // SeqNum (4 bytes)
        return sig;
    }

    private static byte[] checksum(byte[] signKey, int seq, byte[] data, int offset, int length) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(signKey, "HmacMD5"));
            byte[] s = new byte[4];
            putLe32(s, 0, seq);
            mac.update(s);
            mac.update(data, offset, length);
            return Arrays.copyOf(mac.doFinal(), 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacMD5 unavailable in this JDK", e);
        }
    }

    private static byte[] md5(byte[] key, String magic) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(key);
            md5.update(magic.getBytes(StandardCharsets.US_ASCII));
            return md5.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 unavailable in this JDK", e);
        }
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static void putLe32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    @Override
    public String toString() {
        return "NtlmSession[out seq " + Integer.toUnsignedString(outSeq) + ", in seq " + Integer.toUnsignedString(inSeq)
                + ", keys=<redacted>]";
    }
}
