package dev.anywhere.rpc.ntlm;

import static dev.anywhere.rpc.ntlm.NegotiateFlag.NTLMSSP_NEGOTIATE_VERSION;

import dev.anywhere.rpc.wire.WireReader;
import dev.anywhere.rpc.wire.WireWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * NEGOTIATE_MESSAGE, client to server: the flags the client supports and, optionally, its domain and
 * workstation in the OEM character set (read and written as ISO-8859-1, which keeps every byte).
 *
 * <pre>
 *  0 Signature "NTLMSSP\0"            (8 bytes)
 *  8 MessageType 0x00000001           (4 bytes)
 * 12 NegotiateFlags                   (4 bytes)
 * 16 DomainNameFields                 (8 bytes: Len, MaxLen, BufferOffset)
 * 24 WorkstationFields                (8 bytes)
 * 32 Version, when there is room      (8 bytes)
 * 40 Payload
 * </pre>
 *
 * @param flags NegotiateFlags
 * @param domainName DomainName, empty when not supplied
 * @param workstation WorkstationName, empty when not supplied
 * @param version Version, present when the message has room for it before the payload
 * @see [MS-NLMP] 2.2.1.1 NEGOTIATE_MESSAGE
 */
public record NegotiateMessage(Set<NegotiateFlag> flags, String domainName, String workstation,
        Optional<NtlmVersion> version) {

    static final int HEADER_SIZE = 32;

    /** Copies the flag set. */
    public NegotiateMessage {
        flags = NegotiateFlag.copyOf(flags);
    }

    /** Decodes and validates a NEGOTIATE_MESSAGE. */
    public static NegotiateMessage decode(byte[] message) {
        WireReader in = NtlmLayout.message(message);
        NtlmLayout.header(in, MessageType.NEGOTIATE_MESSAGE); // Signature (8 bytes), MessageType (4 bytes)
        Set<NegotiateFlag> flags = NegotiateFlag.fromBits(in.i32("negotiate flags")); // NegotiateFlags (4 bytes)
        NtlmLayout.PayloadField domain = NtlmLayout.payloadField(in, "domain name"); // DomainNameFields (8 bytes)
        NtlmLayout.PayloadField workstation = NtlmLayout.payloadField(in, "workstation"); // WorkstationFields (8 bytes)
        Optional<NtlmVersion> version = Optional.empty();
        long payloadStart = NtlmLayout.payloadStart(domain, workstation);
        boolean versionRoom = payloadStart < 0 ? flags.contains(NTLMSSP_NEGOTIATE_VERSION) && in.remaining() >= 8
                : payloadStart >= HEADER_SIZE + NtlmVersion.SIZE;
        if (versionRoom) {
            version = Optional.of(NtlmVersion.read(in)); // Version (8 bytes)
        }
        int headerEnd = in.position();
        String domainName = new String(NtlmLayout.payload(message, domain, headerEnd), StandardCharsets.ISO_8859_1);
        String workstationName = new String(NtlmLayout.payload(message, workstation, headerEnd), StandardCharsets.ISO_8859_1);
        return new NegotiateMessage(flags, domainName, workstationName, version);
    }

    /** Encodes with the payload in order domain, workstation; empty fields point at the payload start. */
    public byte[] encode() {
        byte[] domain = domainName.getBytes(StandardCharsets.ISO_8859_1);
        byte[] host = workstation.getBytes(StandardCharsets.ISO_8859_1);
        int offset = HEADER_SIZE + (version.isPresent() ? NtlmVersion.SIZE : 0);
        WireWriter out = new WireWriter();
        out.bytes(NtlmLayout.SIGNATURE); // Signature (8 bytes)
        out.i32(MessageType.NEGOTIATE_MESSAGE.code()); // MessageType (4 bytes)
        out.i32(NegotiateFlag.toBits(flags)); // NegotiateFlags (4 bytes)
        NtlmLayout.payloadField(out, domain.length, offset); // DomainNameFields (8 bytes)
        NtlmLayout.payloadField(out, host.length, offset + domain.length); // WorkstationFields (8 bytes)
        version.ifPresent(v -> v.write(out)); // Version (8 bytes)
        out.bytes(domain).bytes(host); // Payload
        return out.toByteArray();
    }
}
