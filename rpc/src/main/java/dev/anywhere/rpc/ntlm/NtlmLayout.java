package dev.anywhere.rpc.ntlm;

import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import dev.anywhere.rpc.wire.WireWriter;
import io.netty.buffer.Unpooled;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The NTLM message layout on top of the shared {@link WireReader} and {@link WireWriter}: the header, the
 * Len/MaxLen/BufferOffset fields and the payload they point into. Every read names the field it reads, so a
 * short buffer fails with {@link NtlmProtocolException} {@code "<field>: N bytes left at offset O (expected:
 * M)"}.
 *
 * @see [MS-NLMP] 2.2 Message Syntax
 */
final class NtlmLayout {

    /** Largest NTLM message accepted; real ones are a few hundred bytes, AUTHENTICATE rarely over 2 KiB. */
    static final int MAX_MESSAGE_SIZE = 64 * 1024;

    /** The 8-byte Signature field, "NTLMSSP\0". */
    static final byte[] SIGNATURE = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};

    private NtlmLayout() {}

    /** A reader over an NTLM structure (AV pairs, an NTLMv2 response, a header's first bytes). */
    static WireReader reader(byte[] bytes) {
        return new WireReader(Unpooled.wrappedBuffer(bytes), NtlmProtocolException::new,
                WireReader.ShortRead.BYTES_LEFT_AT_OFFSET);
    }

    /** A reader over a whole NTLM message: size-capped. */
    static WireReader message(byte[] message) {
        if (message.length > MAX_MESSAGE_SIZE) {
            throw new NtlmProtocolException(
                    "message: " + message.length + " bytes (expected: at most " + MAX_MESSAGE_SIZE + ")");
        }
        return reader(message);
    }

    /** Reads Signature (8 bytes) and MessageType (4 bytes), checking the signature. */
    static MessageType signatureAndType(WireReader in) {
        byte[] signature = in.byteArray(8, "signature"); // Signature (8 bytes)
        if (!Arrays.equals(signature, SIGNATURE)) {
            throw new NtlmProtocolException("signature: " + Octets.of(signature).hex()
                    + " (expected: 4e544c4d53535000, NTLMSSP\\0)");
        }
        return MessageType.of(in.u32("message type")); // MessageType (4 bytes)
    }

    /** Reads Signature (8 bytes) and MessageType (4 bytes) and checks both. */
    static void header(WireReader in, MessageType expected) {
        MessageType type = signatureAndType(in);
        if (type != expected) {
            throw new NtlmProtocolException("message type: " + type + " (expected: " + expected + ")");
        }
    }

    /**
     * Reads a Len (2 bytes), MaxLen (2 bytes), BufferOffset (4 bytes) triple. MaxLen is ignored on receipt, per
     * spec.
     */
    static PayloadField payloadField(WireReader in, String name) {
        int len = in.u16(name + " len"); // <Name>Len (2 bytes)
        in.u16(name + " max len"); // <Name>MaxLen (2 bytes), ignored
        long offset = in.u32(name + " offset"); // <Name>BufferOffset (4 bytes)
        return new PayloadField(name, len, offset);
    }

    /** Writes a Len/MaxLen/BufferOffset triple for a payload of {@code len} bytes at {@code offset}. */
    static void payloadField(WireWriter out, int len, int offset) {
        if (len > 0xffff) {
            throw new IllegalArgumentException("payload field: " + len + " bytes (expected: at most 65535)");
        }
        out.u16(len).u16(len).i32(offset);
    }

    /**
     * The payload a field points at in {@code message}, after checking it lies inside the message and after the
     * fixed header. An empty field's offset is not checked: clients put anything there (impacket writes 0).
     */
    static byte[] payload(byte[] message, PayloadField f, int headerEnd) {
        if (f.len() == 0) {
            return new byte[0];
        }
        if (f.offset() < headerEnd) {
            throw new NtlmProtocolException(
                    f.name() + " offset: " + f.offset() + " (expected: " + headerEnd + " or more)");
        }
        if (f.offset() + f.len() > message.length) {
            throw new NtlmProtocolException(f.name() + ": " + f.len() + " bytes at offset " + f.offset()
                    + " (expected: within the " + message.length + "-byte message)");
        }
        return Arrays.copyOfRange(message, (int) f.offset(), (int) f.offset() + f.len());
    }

    /** Decodes a payload string: UTF-16LE when Unicode was negotiated, else the OEM set (read as ISO-8859-1). */
    static String string(byte[] raw, boolean unicode, String field) {
        if (unicode && raw.length % 2 != 0) {
            throw new NtlmProtocolException(field + ": " + raw.length + " bytes (expected: an even length, utf-16le)");
        }
        return new String(raw, charset(unicode));
    }

    static Charset charset(boolean unicode) {
        return unicode ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1;
    }

    /** The smallest offset of the non-empty fields, or -1 when all are empty: where the payload starts. */
    static long payloadStart(PayloadField... fields) {
        long min = -1;
        for (PayloadField f : fields) {
            if (f.len() > 0 && (min < 0 || f.offset() < min)) {
                min = f.offset();
            }
        }
        return min;
    }

    /** One Len/MaxLen/BufferOffset triple as read from the wire. */
    record PayloadField(String name, int len, long offset) {
    }
}
