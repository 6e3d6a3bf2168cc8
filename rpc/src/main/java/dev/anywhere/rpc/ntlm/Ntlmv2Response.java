package dev.anywhere.rpc.ntlm;

import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import java.util.Arrays;

/**
 * An NTLMv2_RESPONSE as found in AUTHENTICATE_MESSAGE.NtChallengeResponse: the NTProofStr followed by the
 * client challenge structure, which is kept byte for byte because the proof is computed over exactly those
 * bytes.
 *
 * <pre>
 *  0 Response (NTProofStr)      (16 bytes)
 * 16 RespType = 1               (1 byte)
 * 17 HiRespType = 1             (1 byte)
 * 18 Reserved1                  (2 bytes)
 * 20 Reserved2                  (4 bytes)
 * 24 TimeStamp                  (8 bytes)
 * 32 ChallengeFromClient        (8 bytes)
 * 40 Reserved3                  (4 bytes)
 * 44 AvPairs, ending in MsvAvEOL (variable), then padding (Z(4) from 3.3.2)
 * </pre>
 *
 * @param ntProofStr Response, 16 bytes
 * @param temp the rest of the response, the client challenge as hashed
 * @param timeStamp TimeStamp, a FILETIME
 * @param clientChallenge ChallengeFromClient, 8 bytes
 * @param targetInfo AvPairs
 * @see [MS-NLMP] 2.2.2.8 NTLM2 V2 Response: NTLMv2_RESPONSE
 * @see [MS-NLMP] 2.2.2.7 NTLM v2: NTLMv2_CLIENT_CHALLENGE
 */
public record Ntlmv2Response(Octets ntProofStr, Octets temp, long timeStamp, Octets clientChallenge,
        TargetInfo targetInfo) {

    /** Shortest possible response: NTProofStr, the 28-byte fixed part and MsvAvEOL. */
    public static final int MIN_SIZE = 16 + Ntlmv2.TEMP_FIXED_SIZE + 4;

    /** Decodes an NtChallengeResponse that the caller has already judged to be NTLMv2 by its length. */
    public static Ntlmv2Response decode(Octets ntChallengeResponse) {
        byte[] raw = ntChallengeResponse.toByteArray();
        if (raw.length < MIN_SIZE) {
            throw new NtlmProtocolException(
                    "nt challenge response: " + raw.length + " bytes (expected: at least " + MIN_SIZE + " for ntlmv2)");
        }
        WireReader in = NtlmLayout.reader(raw);
        byte[] proof = in.byteArray(16, "nt proof str"); // Response (16 bytes)
        int respType = in.u8("resp type"); // RespType (1 byte)
        if (respType != 1) {
            throw new NtlmProtocolException("resp type: " + respType + " (expected: 1)");
        }
        int hiRespType = in.u8("hi resp type"); // HiRespType (1 byte)
        if (hiRespType != 1) {
            throw new NtlmProtocolException("hi resp type: " + hiRespType + " (expected: 1)");
        }
        in.byteArray(2, "reserved1"); // Reserved1 (2 bytes), ignored
        in.byteArray(4, "reserved2"); // Reserved2 (4 bytes), ignored
        long timeStamp = in.u64("time stamp"); // TimeStamp (8 bytes)
        byte[] clientChallenge = in.byteArray(8, "challenge from client"); // ChallengeFromClient (8 bytes)
        in.byteArray(4, "reserved3"); // Reserved3 (4 bytes), ignored
        TargetInfo pairs = TargetInfo.decode(Arrays.copyOfRange(raw, in.position(), raw.length), false); // AvPairs
        return new Ntlmv2Response(Octets.of(proof), ntChallengeResponse.slice(16, raw.length), timeStamp,
                Octets.of(clientChallenge), pairs);
    }
}
