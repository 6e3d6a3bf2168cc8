package dev.anywhere.rpc.ntlm;

import dev.anywhere.rpc.wire.WireWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The NTLMv2 computations, each named as in the spec's pseudocode.
 *
 * <pre>
 * ResponseKeyNT  = NTOWFv2 = HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(ConcatenationOf(Uppercase(User), UserDom)))
 * temp           = ConcatenationOf(Responserversion (sic) 1, HiResponserversion 1, Z(6), Time, ClientChallenge, Z(4), ServerName, Z(4))
 * NTProofStr     = HMAC_MD5(ResponseKeyNT, ConcatenationOf(CHALLENGE_MESSAGE.ServerChallenge, temp))
 * NtChallengeResponse = ConcatenationOf(NTProofStr, temp)
 * LmChallengeResponse = ConcatenationOf(HMAC_MD5(ResponseKeyLM, ConcatenationOf(ServerChallenge, ClientChallenge)), ClientChallenge)
 * SessionBaseKey = HMAC_MD5(ResponseKeyNT, NTProofStr)
 * KeyExchangeKey = SessionBaseKey                     (KXKEY for NTLMv2)
 * EncryptedRandomSessionKey = RC4K(KeyExchangeKey, ExportedSessionKey)   (when NTLMSSP_NEGOTIATE_KEY_EXCH)
 * MIC            = HMAC_MD5(ExportedSessionKey, ConcatenationOf(NEGOTIATE_MESSAGE, CHALLENGE_MESSAGE, AUTHENTICATE_MESSAGE))
 * </pre>
 *
 * @see [MS-NLMP] 3.3.2 NTLM v2 Authentication
 * @see [MS-NLMP] 3.4.5.1 KXKEY
 * @see [MS-NLMP] 3.1.5.1.2 Client Receives a CHALLENGE_MESSAGE from the Server
 */
public final class Ntlmv2 {

    /** Size of the fixed part of temp before the AV pairs: RespType … Reserved3. */
    static final int TEMP_FIXED_SIZE = 28;

    private Ntlmv2() {
    }

    /** NTOWFv2 from an NT hash (MD4 of the password): also LMOWFv2, ResponseKeyNT and ResponseKeyLM. */
    public static byte[] ntowfv2(byte[] ntHash, String user, String domain) {
        String identity = user.toUpperCase(Locale.ROOT) + domain;
        return hmacMd5(ntHash, identity.getBytes(StandardCharsets.UTF_16LE));
    }

    /** NTOWFv2 from a password. */
    public static byte[] ntowfv2(String password, String user, String domain) {
        return ntowfv2(NtHash.of(password), user, domain);
    }

    /**
     * temp, the NTLMv2_CLIENT_CHALLENGE: RespType 1, HiRespType 1, Reserved1 Z(2), Reserved2 Z(4), TimeStamp,
     * ChallengeFromClient, Reserved3 Z(4), AvPairs (with MsvAvEOL), then the trailing Z(4) of the pseudocode.
     *
     * @see [MS-NLMP] 2.2.2.7 NTLM v2: NTLMv2_CLIENT_CHALLENGE
     */
    public static byte[] temp(long fileTime, byte[] clientChallenge, byte[] targetInfo) {
        return new WireWriter()
                .u8(1) // RespType (1 byte)
                .u8(1) // HiRespType (1 byte)
                .zeros(2) // Reserved1 (2 bytes)
                .zeros(4) // Reserved2 (4 bytes)
                .u64(fileTime) // TimeStamp (8 bytes)
                .bytes(clientChallenge) // ChallengeFromClient (8 bytes)
                .zeros(4) // Reserved3 (4 bytes)
                .bytes(targetInfo) // AvPairs (variable)
                .zeros(4) // Z(4) of 3.3.2
                .toByteArray();
    }

    /** NTProofStr = HMAC_MD5(ResponseKeyNT, ServerChallenge ‖ temp). */
    public static byte[] ntProofStr(byte[] responseKeyNt, byte[] serverChallenge, byte[] temp) {
        return hmacMd5(responseKeyNt, concat(serverChallenge, temp));
    }

    /** LmChallengeResponse = HMAC_MD5(ResponseKeyLM, ServerChallenge ‖ ClientChallenge) ‖ ClientChallenge. */
    public static byte[] lmv2Response(byte[] responseKeyLm, byte[] serverChallenge, byte[] clientChallenge) {
        return concat(hmacMd5(responseKeyLm, concat(serverChallenge, clientChallenge)), clientChallenge);
    }

    /** SessionBaseKey = HMAC_MD5(ResponseKeyNT, NTProofStr). */
    public static byte[] sessionBaseKey(byte[] responseKeyNt, byte[] ntProofStr) {
        return hmacMd5(responseKeyNt, ntProofStr);
    }

    /** KXKEY for NTLMv2: the session base key itself. */
    public static byte[] keyExchangeKey(byte[] sessionBaseKey) {
        return sessionBaseKey.clone();
    }

    /** RC4K(key, data); used both to encrypt and to decrypt the random session key. */
    public static byte[] rc4k(byte[] key, byte[] data) {
        return Rc4.rc4k(key, data);
    }

    /** MIC = HMAC_MD5(ExportedSessionKey, NEGOTIATE ‖ CHALLENGE ‖ AUTHENTICATE-with-zero-MIC). */
    public static byte[] mic(byte[] exportedSessionKey, byte[] negotiate, byte[] challenge, byte[] authenticateZeroMic) {
        return hmacMd5(exportedSessionKey, concat(concat(negotiate, challenge), authenticateZeroMic));
    }

    static byte[] hmacMd5(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacMD5 unavailable in this JDK", e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
