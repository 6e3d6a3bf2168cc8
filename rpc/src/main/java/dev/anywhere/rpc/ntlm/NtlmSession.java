package dev.anywhere.rpc.ntlm;

import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_128;
import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_56;
import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_KEY_EXCH;

import dev.anywhere.rpc.ntlm.NtlmSignatureException.Problem;
import dev.anywhere.rpc.wire.Octets;
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

    private final Direction out;
    private final Direction in;
    private final boolean keyExchange;

    private NtlmSession(byte[] exportedSessionKey, Set<NegotiateFlag> flags, Role role) {
        String outName = role == Role.CLIENT ? CLIENT_TO_SERVER : SERVER_TO_CLIENT;
        String inName = role == Role.CLIENT ? SERVER_TO_CLIENT : CLIENT_TO_SERVER;
        this.out = new Direction(signKey(exportedSessionKey, outName), sealKey(exportedSessionKey, flags, outName));
        this.in = new Direction(signKey(exportedSessionKey, inName), sealKey(exportedSessionKey, flags, inName));
        this.keyExchange = flags.contains(NTLMSSP_NEGOTIATE_KEY_EXCH);
    }

    /**
     * One direction's long-lived state. The HMAC-MD5 is keyed once with SIGNKEY and reused (doFinal leaves it keyed
     * and reset), and the scratch arrays are reused, so protecting a message allocates nothing: every DCE/RPC
     * fragment passes through here. Only the bytes' HMAC-MD5 and RC4 are left ([MS-NLMP] 3.4.4.2).
     */
    private static final class Direction {
        final Mac mac;
        final byte[] sealKey;
        Rc4 seal;
        int seq;
        final byte[] seqLe = new byte[4];
        final byte[] digest = new byte[16];
        final byte[] received = new byte[8];

        Direction(byte[] signKey, byte[] sealKey) {
            try {
                this.mac = Mac.getInstance("HmacMD5");
                mac.init(new SecretKeySpec(signKey, "HmacMD5"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacMD5 unavailable in this JDK", e);
            }
            this.sealKey = sealKey;
            this.seal = new Rc4(sealKey);
        }

        /** HMAC_MD5(SignKey, SeqNum_le32 ‖ Message) into {@link #digest}; its first 8 bytes are the checksum. */
        void checksum(byte[] data, int offset, int length) {
            putLe32(seqLe, 0, seq);
            mac.update(seqLe);
            mac.update(data, offset, length);
            try {
                mac.doFinal(digest, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacMD5 output", e); // digest has its 16 bytes
            }
        }
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
        out.seal = new Rc4(out.sealKey);
        in.seal = new Rc4(in.sealKey);
    }

    /**
     * Signs {@code data[offset..offset+length)} as the next outbound message.
     *
     * @return the 16-byte signature
     */
    public byte[] sign(byte[] data, int offset, int length) {
        byte[] sig = new byte[SIGNATURE_LENGTH];
        sign(data, offset, length, sig, 0);
        return sig;
    }

    /** As {@link #sign(byte[], int, int)}, writing the signature to {@code sig[sigAt..sigAt+16)}. */
    public void sign(byte[] data, int offset, int length, byte[] sig, int sigAt) {
        out.checksum(data, offset, length);
        finish(sig, sigAt);
    }

    /**
     * Seals the next outbound message: signs {@code data[signOffset..+signLength)} as it is now (plaintext), then
     * encrypts {@code data[sealOffset..+sealLength)} in place.
     *
     * @return the 16-byte signature
     */
    public byte[] seal(byte[] data, int signOffset, int signLength, int sealOffset, int sealLength) {
        byte[] sig = new byte[SIGNATURE_LENGTH];
        seal(data, signOffset, signLength, sealOffset, sealLength, sig, 0);
        return sig;
    }

    /**
     * As {@link #seal(byte[], int, int, int, int)}, writing the signature to {@code sig[sigAt..sigAt+16)} (which may
     * be {@code data}, outside both ranges). The checksum is taken over the plaintext before the message is
     * encrypted, and the message takes the stream before the checksum does ([MS-NLMP] 3.4.4.2 SEAL: RC4 over the
     * message, then MAC with the same handle).
     */
    public void seal(byte[] data, int signOffset, int signLength, int sealOffset, int sealLength, byte[] sig,
            int sigAt) {
        out.checksum(data, signOffset, signLength);
        out.seal.apply(data, sealOffset, sealLength);
        finish(sig, sigAt);
    }

    /**
     * Verifies the next inbound message {@code data[offset..offset+length)} against {@code signature}.
     *
     * @throws NtlmSignatureException if the signature does not match or is out of sequence
     */
    public void verify(byte[] data, int offset, int length, byte[] signature) throws NtlmSignatureException {
        requireLength(signature);
        verify(data, offset, length, signature, 0);
    }

    /** As {@link #verify(byte[], int, int, byte[])} with the signature at {@code sig[sigAt..sigAt+16)}. */
    public void verify(byte[] data, int offset, int length, byte[] sig, int sigAt) throws NtlmSignatureException {
        in.checksum(data, offset, length);
        check(sig, sigAt);
    }

    /**
     * Unseals the next inbound message: decrypts {@code data[sealOffset..+sealLength)} in place, then verifies
     * {@code data[signOffset..+signLength)} against {@code signature}.
     *
     * @throws NtlmSignatureException if the signature does not match or is out of sequence
     */
    public void unseal(byte[] data, int signOffset, int signLength, int sealOffset, int sealLength,
            byte[] signature) throws NtlmSignatureException {
        requireLength(signature);
        unseal(data, signOffset, signLength, sealOffset, sealLength, signature, 0);
    }

    /** As {@link #unseal(byte[], int, int, int, int, byte[])} with the signature at {@code sig[sigAt..sigAt+16)}. */
    public void unseal(byte[] data, int signOffset, int signLength, int sealOffset, int sealLength, byte[] sig,
            int sigAt) throws NtlmSignatureException {
        in.seal.apply(data, sealOffset, sealLength);
        in.checksum(data, signOffset, signLength);
        check(sig, sigAt);
    }

    private static void requireLength(byte[] signature) throws NtlmSignatureException {
        if (signature.length != SIGNATURE_LENGTH) {
            throw malformed(signature, 0, signature.length);
        }
    }

    private static NtlmSignatureException malformed(byte[] sig, int at, int length) {
        return new NtlmSignatureException(Problem.MALFORMED_SIGNATURE, "signature: "
                + Octets.of(Arrays.copyOfRange(sig, at, at + length)).hex()
                + " (expected: 16 bytes starting with version 01000000)");
    }

    /** Compares the received signature with {@code in.digest}'s checksum; the checksum RC4 runs first as before. */
    private void check(byte[] sig, int at) throws NtlmSignatureException {
        if (le32(sig, at) != 1) {
            throw malformed(sig, at, SIGNATURE_LENGTH);
        }
        byte[] received = in.received;
        System.arraycopy(sig, at + 4, received, 0, 8);
        if (keyExchange) {
            in.seal.apply(received, 0, 8);
        }
        int seq = le32(sig, at + 12);
        if (seq != in.seq) {
            throw new NtlmSignatureException(Problem.OUT_OF_SEQUENCE, "signature sequence number: "
                    + Integer.toUnsignedString(seq) + " (expected: " + Integer.toUnsignedString(in.seq)
                    + ", one more than the last message's)");
        }
        int diff = 0; // constant time over the 8 checksum bytes, as MessageDigest.isEqual
        for (int n = 0; n < 8; n++) {
            diff |= received[n] ^ in.digest[n];
        }
        if (diff != 0) {
            throw new NtlmSignatureException(Problem.BAD_CHECKSUM, "signature checksum of message "
                    + Integer.toUnsignedString(seq) + ": no match (expected: hmac-md5 under the peer's signing key)");
        }
        in.seq++;
    }

    /** Signature = Version 1 ‖ Checksum (RC4'd on the seal stream with KEY_EXCH) ‖ SeqNum; the sequence moves on. */
    private void finish(byte[] sig, int at) {
        putLe32(sig, at, 1); // Version (4 bytes): 1
        System.arraycopy(out.digest, 0, sig, at + 4, 8); // Checksum (8 bytes)
        if (keyExchange) {
            out.seal.apply(sig, at + 4, 8);
        }
        putLe32(sig, at + 12, out.seq++); // SeqNum (4 bytes)
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
        return "NtlmSession[out seq " + Integer.toUnsignedString(out.seq) + ", in seq " + Integer.toUnsignedString(in.seq)
                + ", keys=<redacted>]";
    }
}
