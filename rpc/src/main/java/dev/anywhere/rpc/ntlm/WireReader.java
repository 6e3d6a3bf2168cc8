package dev.anywhere.rpc.ntlm;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Bounds-checked little-endian reader over one NTLM message or structure. Every read names the field it
 * reads, so a short buffer fails with {@code "<field>: N bytes left at offset O (expected: M)"}.
 */
final class WireReader {

    /** Largest NTLM message accepted; real ones are a few hundred bytes, AUTHENTICATE rarely over 2 KiB. */
    static final int MAX_MESSAGE_SIZE = 64 * 1024;

    /** The 8-byte Signature field, "NTLMSSP\0". */
    static final byte[] SIGNATURE = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};

    private final byte[] buf;
    private int pos;

    WireReader(byte[] buf) {
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

    int position() {
        return pos;
    }

    int remaining() {
        return buf.length - pos;
    }

    int length() {
        return buf.length;
    }

    void require(int n, String field) {
        if (buf.length - pos < n) {
            throw new NtlmProtocolException(
                    field + ": " + (buf.length - pos) + " bytes left at offset " + pos + " (expected: " + n + ")");
        }
    }

    int u8(String field) {
        require(1, field);
        return buf[pos++] & 0xff;
    }

    int u16(String field) {
        require(2, field);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    /** An unsigned 32-bit value as a non-negative long. */
    long u32(String field) {
        return i32(field) & 0xffffffffL;
    }

    /** A 32-bit value as its two's-complement int (flags). */
    int i32(String field) {
        require(4, field);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    long u64(String field) {
        require(8, field);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (buf[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    byte[] bytes(int n, String field) {
        require(n, field);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /** Reads Signature (8 bytes) and MessageType (4 bytes) and checks both. */
    void header(MessageType expected) {
        byte[] signature = bytes(8, "signature"); // Signature (8 bytes)
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
