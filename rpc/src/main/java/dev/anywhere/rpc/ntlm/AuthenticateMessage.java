package dev.anywhere.rpc.ntlm;

import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_UNICODE;
import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_VERSION;

import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import dev.anywhere.rpc.wire.WireWriter;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * AUTHENTICATE_MESSAGE, client to server: the challenge responses, who the client is, and optionally the
 * encrypted random session key and a MIC over all three messages.
 *
 * <pre>
 *  0 Signature "NTLMSSP\0"                  (8 bytes)
 *  8 MessageType 0x00000003                 (4 bytes)
 * 12 LmChallengeResponseFields              (8 bytes: Len, MaxLen, BufferOffset)
 * 20 NtChallengeResponseFields              (8 bytes)
 * 28 DomainNameFields                       (8 bytes)
 * 36 UserNameFields                         (8 bytes)
 * 44 WorkstationFields                      (8 bytes)
 * 52 EncryptedRandomSessionKeyFields        (8 bytes)
 * 60 NegotiateFlags                         (4 bytes)
 * 64 Version, when there is room            (8 bytes)
 * 72 MIC, when there is room                (16 bytes)
 * 88 Payload
 * </pre>
 *
 * Whether Version and MIC are there is not flagged in the header; like Windows, the decoder infers it from
 * where the payload starts (the spec's own example in 4.2.4.3 has a Version and no MIC).
 *
 * @param flags NegotiateFlags
 * @param lmChallengeResponse LmChallengeResponse (24 bytes for LMv2, Z(24) or empty)
 * @param ntChallengeResponse NtChallengeResponse (an NTLMv2_RESPONSE for NTLMv2)
 * @param domainName DomainName
 * @param userName UserName
 * @param workstation Workstation
 * @param encryptedRandomSessionKey EncryptedRandomSessionKey, empty unless NTLMSSP_NEGOTIATE_KEY_EXCH
 * @param version Version; present whenever the MIC is
 * @param mic MIC, 16 bytes, when present
 * @see [MS-NLMP] 2.2.1.3 AUTHENTICATE_MESSAGE
 */
public record AuthenticateMessage(Set<NegotiateFlag> flags, Octets lmChallengeResponse, Octets ntChallengeResponse,
        String domainName, String userName, String workstation, Octets encryptedRandomSessionKey,
        Optional<NtlmVersion> version, Optional<Octets> mic) {

    static final int HEADER_SIZE = 64;
    static final int MIC_OFFSET = HEADER_SIZE + NtlmVersion.SIZE;
    static final int MIC_SIZE = 16;

    /** Copies the flag set; a MIC implies a Version field (all zero when not negotiated). */
    public AuthenticateMessage {
        flags = NegotiateFlag.copyOf(flags);
        if (mic.isPresent() && mic.get().length() != MIC_SIZE) {
            throw new IllegalArgumentException("mic: " + mic.get().length() + " bytes (expected: 16)");
        }
        if (mic.isPresent() && version.isEmpty()) {
            version = Optional.of(NtlmVersion.ZERO);
        }
    }

    /** Decodes and validates an AUTHENTICATE_MESSAGE; the responses are not interpreted here. */
    public static AuthenticateMessage decode(byte[] message) {
        WireReader in = NtlmLayout.message(message);
        NtlmLayout.header(in, MessageType.AUTHENTICATE_MESSAGE); // Signature (8 bytes), MessageType (4 bytes)
        NtlmLayout.PayloadField lm = NtlmLayout.payloadField(in, "lm challenge response"); // LmChallengeResponseFields (8 bytes)
        NtlmLayout.PayloadField nt = NtlmLayout.payloadField(in, "nt challenge response"); // NtChallengeResponseFields (8 bytes)
        NtlmLayout.PayloadField domain = NtlmLayout.payloadField(in, "domain name"); // DomainNameFields (8 bytes)
        NtlmLayout.PayloadField user = NtlmLayout.payloadField(in, "user name"); // UserNameFields (8 bytes)
        NtlmLayout.PayloadField host = NtlmLayout.payloadField(in, "workstation"); // WorkstationFields (8 bytes)
        NtlmLayout.PayloadField key = NtlmLayout.payloadField(in, "encrypted random session key"); // EncryptedRandomSessionKeyFields (8 bytes)
        Set<NegotiateFlag> flags = NegotiateFlag.fromBits(in.i32("negotiate flags")); // NegotiateFlags (4 bytes)
        long payloadStart = NtlmLayout.payloadStart(lm, nt, domain, user, host, key);
        boolean versionRoom = payloadStart < 0 ? flags.contains(NTLMSSP_NEGOTIATE_VERSION) && in.remaining() >= 8
                : payloadStart >= MIC_OFFSET;
        Optional<NtlmVersion> version = versionRoom ? Optional.of(NtlmVersion.read(in)) : Optional.empty(); // Version (8 bytes)
        Optional<Octets> mic = payloadStart >= MIC_OFFSET + MIC_SIZE
                ? Optional.of(in.bytes(MIC_SIZE, "mic")) // MIC (16 bytes)
                : Optional.empty();
        int headerEnd = in.position();
        boolean unicode = flags.contains(NTLMSSP_NEGOTIATE_UNICODE);
        return new AuthenticateMessage(flags,
                Octets.of(NtlmLayout.payload(message, lm, headerEnd)),
                Octets.of(NtlmLayout.payload(message, nt, headerEnd)),
                NtlmLayout.string(NtlmLayout.payload(message, domain, headerEnd), unicode, "domain name"),
                NtlmLayout.string(NtlmLayout.payload(message, user, headerEnd), unicode, "user name"),
                NtlmLayout.string(NtlmLayout.payload(message, host, headerEnd), unicode, "workstation"),
                Octets.of(NtlmLayout.payload(message, key, headerEnd)),
                version, mic);
    }

    /**
     * Encodes with the payload in the order of the spec's example: domain, user, workstation, LM response, NT
     * response, session key. Empty fields point at where they would have been.
     */
    public byte[] encode() {
        boolean unicode = flags.contains(NTLMSSP_NEGOTIATE_UNICODE);
        byte[] domain = domainName.getBytes(NtlmLayout.charset(unicode));
        byte[] user = userName.getBytes(NtlmLayout.charset(unicode));
        byte[] host = workstation.getBytes(NtlmLayout.charset(unicode));
        int domainAt = HEADER_SIZE + (version.isPresent() ? NtlmVersion.SIZE : 0) + (mic.isPresent() ? MIC_SIZE : 0);
        int userAt = domainAt + domain.length;
        int hostAt = userAt + user.length;
        int lmAt = hostAt + host.length;
        int ntAt = lmAt + lmChallengeResponse.length();
        int keyAt = ntAt + ntChallengeResponse.length();
        WireWriter out = new WireWriter();
        out.bytes(NtlmLayout.SIGNATURE); // Signature (8 bytes)
        out.i32(MessageType.AUTHENTICATE_MESSAGE.code()); // MessageType (4 bytes)
        NtlmLayout.payloadField(out, lmChallengeResponse.length(), lmAt); // LmChallengeResponseFields (8 bytes)
        NtlmLayout.payloadField(out, ntChallengeResponse.length(), ntAt); // NtChallengeResponseFields (8 bytes)
        NtlmLayout.payloadField(out, domain.length, domainAt); // DomainNameFields (8 bytes)
        NtlmLayout.payloadField(out, user.length, userAt); // UserNameFields (8 bytes)
        NtlmLayout.payloadField(out, host.length, hostAt); // WorkstationFields (8 bytes)
        NtlmLayout.payloadField(out, encryptedRandomSessionKey.length(), keyAt); // EncryptedRandomSessionKeyFields (8 bytes)
        out.i32(NegotiateFlag.toBits(flags)); // NegotiateFlags (4 bytes)
        version.ifPresent(v -> v.write(out)); // Version (8 bytes)
        mic.ifPresent(m -> out.bytes(m)); // MIC (16 bytes)
        out.bytes(domain).bytes(user).bytes(host); // Payload
        out.bytes(lmChallengeResponse).bytes(ntChallengeResponse);
        out.bytes(encryptedRandomSessionKey);
        return out.toByteArray();
    }

    /** A copy carrying {@code newMic}. */
    public AuthenticateMessage withMic(Octets newMic) {
        return new AuthenticateMessage(flags, lmChallengeResponse, ntChallengeResponse, domainName, userName,
                workstation, encryptedRandomSessionKey, version, Optional.of(newMic));
    }

    /** The encoded message {@code raw} with its MIC field zeroed, as the MIC is computed over it. */
    static byte[] zeroMic(byte[] raw) {
        byte[] copy = raw.clone();
        Arrays.fill(copy, MIC_OFFSET, MIC_OFFSET + MIC_SIZE, (byte) 0);
        return copy;
    }

    @Override
    public String toString() {
        // Responses and keys are secrets-adjacent: only their sizes are printed.
        return "AuthenticateMessage[flags=" + flags + ", domainName=" + domainName + ", userName=" + userName
                + ", workstation=" + workstation + ", lm=" + lmChallengeResponse.length() + " bytes, nt="
                + ntChallengeResponse.length() + " bytes, sessionKey=" + encryptedRandomSessionKey.length()
                + " bytes, version=" + version + ", mic=" + mic.isPresent() + "]";
    }
}
