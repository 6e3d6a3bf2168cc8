package dev.anywhere.rpc.ntlm;

import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_UNICODE;
import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_VERSION;

import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import dev.anywhere.rpc.wire.WireWriter;
import java.util.Optional;
import java.util.Set;

/**
 * CHALLENGE_MESSAGE, server to client: the server challenge, the negotiated flags, the server's TargetName
 * and its TargetInfo AV pairs.
 *
 * <pre>
 *  0 Signature "NTLMSSP\0"            (8 bytes)
 *  8 MessageType 0x00000002           (4 bytes)
 * 12 TargetNameFields                 (8 bytes: Len, MaxLen, BufferOffset)
 * 20 NegotiateFlags                   (4 bytes)
 * 24 ServerChallenge                  (8 bytes)
 * 32 Reserved                         (8 bytes, zero)
 * 40 TargetInfoFields                 (8 bytes)
 * 48 Version, when there is room      (8 bytes)
 * 56 Payload
 * </pre>
 *
 * @param flags NegotiateFlags
 * @param targetName TargetName (UTF-16LE or OEM per NTLMSSP_NEGOTIATE_UNICODE), empty when absent
 * @param serverChallenge ServerChallenge, 8 bytes
 * @param targetInfo TargetInfo, empty when the field is empty
 * @param version Version, present when the message has room for it before the payload
 * @see [MS-NLMP] 2.2.1.2 CHALLENGE_MESSAGE
 */
public record ChallengeMessage(Set<NegotiateFlag> flags, String targetName, Octets serverChallenge,
        Optional<TargetInfo> targetInfo, Optional<NtlmVersion> version) {

    static final int HEADER_SIZE = 48;

    /** Copies the flag set and checks the challenge length. */
    public ChallengeMessage {
        flags = NegotiateFlag.copyOf(flags);
        if (serverChallenge.length() != 8) {
            throw new IllegalArgumentException("server challenge: " + serverChallenge.length() + " bytes (expected: 8)");
        }
    }

    /** Decodes and validates a CHALLENGE_MESSAGE, including its AV pair list. */
    public static ChallengeMessage decode(byte[] message) {
        WireReader in = NtlmLayout.message(message);
        NtlmLayout.header(in, MessageType.CHALLENGE_MESSAGE); // Signature (8 bytes), MessageType (4 bytes)
        NtlmLayout.PayloadField name = NtlmLayout.payloadField(in, "target name"); // TargetNameFields (8 bytes)
        Set<NegotiateFlag> flags = NegotiateFlag.fromBits(in.i32("negotiate flags")); // NegotiateFlags (4 bytes)
        byte[] challenge = in.byteArray(8, "server challenge"); // ServerChallenge (8 bytes)
        in.byteArray(8, "reserved"); // Reserved (8 bytes), ignored
        NtlmLayout.PayloadField info = NtlmLayout.payloadField(in, "target info"); // TargetInfoFields (8 bytes)
        Optional<NtlmVersion> version = Optional.empty();
        long payloadStart = NtlmLayout.payloadStart(name, info);
        boolean versionRoom = payloadStart < 0 ? flags.contains(NTLMSSP_NEGOTIATE_VERSION) && in.remaining() >= 8
                : payloadStart >= HEADER_SIZE + NtlmVersion.SIZE;
        if (versionRoom) {
            version = Optional.of(NtlmVersion.read(in)); // Version (8 bytes)
        }
        int headerEnd = in.position();
        String targetName = NtlmLayout.string(NtlmLayout.payload(message, name, headerEnd), flags.contains(NTLMSSP_NEGOTIATE_UNICODE),
                "target name");
        byte[] infoBytes = NtlmLayout.payload(message, info, headerEnd);
        Optional<TargetInfo> targetInfo = infoBytes.length == 0 ? Optional.empty()
                : Optional.of(TargetInfo.decode(infoBytes, true));
        return new ChallengeMessage(flags, targetName, Octets.of(challenge), targetInfo, version);
    }

    /** Encodes with the payload in order TargetName, TargetInfo, as Windows does. */
    public byte[] encode() {
        byte[] name = targetName.getBytes(NtlmLayout.charset(flags.contains(NTLMSSP_NEGOTIATE_UNICODE)));
        byte[] info = targetInfo.map(TargetInfo::encode).orElse(new byte[0]);
        int offset = HEADER_SIZE + (version.isPresent() ? NtlmVersion.SIZE : 0);
        WireWriter out = new WireWriter();
        out.bytes(NtlmLayout.SIGNATURE); // Signature (8 bytes)
        out.i32(MessageType.CHALLENGE_MESSAGE.code()); // MessageType (4 bytes)
        NtlmLayout.payloadField(out, name.length, offset); // TargetNameFields (8 bytes)
        out.i32(NegotiateFlag.toBits(flags)); // NegotiateFlags (4 bytes)
        out.bytes(serverChallenge); // ServerChallenge (8 bytes)
        out.zeros(8); // Reserved (8 bytes)
        NtlmLayout.payloadField(out, info.length, offset + name.length); // TargetInfoFields (8 bytes)
        version.ifPresent(v -> v.write(out)); // Version (8 bytes)
        out.bytes(name).bytes(info); // Payload
        return out.toByteArray();
    }
}
