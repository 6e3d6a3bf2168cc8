package dev.anywhere.rpc.ntlm;

import dev.anywhere.rpc.wire.LittleEndianReader;
import io.netty.buffer.Unpooled;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The shared bounds-checked reader ({@link LittleEndianReader}) over one NTLM message or structure, with the
 * NTLM message layout: header, Len/MaxLen/BufferOffset fields and their payloads. Every read names the field
 * it reads, so a short buffer fails with {@link NtlmProtocolException} {@code "<field>: N bytes left at offset
 * O (expected: M)"}.
 */
final class WireReader extends LittleEndianReader {

    /** Largest NTLM message accepted; real ones are a few hundred bytes, AUTHENTICATE rarely over 2 KiB. */
    static final int MAX_MESSAGE_SIZE = 64 * 1024;

    /** The 8-byte Signature field, "NTLMSSP\0". */
    static final byte[] SIGNATURE = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};

    private final byte[] buf;

    WireReader(byte[] buf) {
        super(Unpooled.wrappedBuffer(buf), NtlmProtocolException::new, ShortRead.BYTES_LEFT_AT_OFFSET);
        this.buf = buf;
    }

    /** A reader for a whole NTLM message: size-capped. */
    static WireReader message(byte[] message) {
        if (message.length > MAX_MESSAGE_SIZE) {
            throw new NtlmProtocolException(
                    "message: " + message.length + " bytes (expected: at most " + MAX_MESSAGE_SIZE + ")");
        }
        return new WireReader(message);
    }

    int length() {
        return buf.length;
    }

    /** Reads Signature (8 bytes) and MessageType (4 bytes) and checks both. */
    void header(MessageType expected) {
        byte[] signature = byteArray(8, "signature"); // Signature (8 bytes)
        if (!Arrays.equals(signature, SIGNATURE)) {
            throw new NtlmProtocolException("signature: " + Octets.wrap(signature).hex()
                    + " (expected: 4e544c4d53535000, NTLMSSP\\0)");
        }
        MessageType type = MessageType.of(u32("message type")); // MessageType (4 bytes)
        if (type != expected) {
            throw new NtlmProtocolException("message type: " + type + " (expected: " + expected + ")");
        }
    }

    /**
     * Reads a Len (2 bytes), MaxLen (2 bytes), BufferOffset (4 bytes) triple. MaxLen is ignored on receipt, per
     * spec.
     */
    PayloadField payloadField(String name) {
        int len = u16(name + " len"); // <Name>Len (2 bytes)
        u16(name + " max len"); // <Name>MaxLen (2 bytes), ignored
        long offset = u32(name + " offset"); // <Name>BufferOffset (4 bytes)
        return new PayloadField(name, len, offset);
    }

    /**
     * The payload a field points at, after checking it lies inside the message and after the fixed header. An
     * empty field's offset is not checked: clients put anything there (impacket writes 0).
     */
    byte[] payload(PayloadField f, int headerEnd) {
        if (f.len() == 0) {
            return new byte[0];
        }
        if (f.offset() < headerEnd) {
            throw new NtlmProtocolException(
                    f.name() + " offset: " + f.offset() + " (expected: " + headerEnd + " or more)");
        }
        if (f.offset() + f.len() > buf.length) {
            throw new NtlmProtocolException(f.name() + ": " + f.len() + " bytes at offset " + f.offset()
                    + " (expected: within the " + buf.length + "-byte message)");
        }
        return Arrays.copyOfRange(buf, (int) f.offset(), (int) f.offset() + f.len());
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
