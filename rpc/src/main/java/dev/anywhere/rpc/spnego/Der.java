package dev.anywhere.rpc.spnego;

import java.io.ByteArrayOutputStream;

/**
 * The few ASN.1 DER rules SPNEGO tokens need ([X.690] 8.1, 10.1): tag, definite length (short form, or long form of
 * at most four octets), contents. Every length is checked against what encloses it, so a token cannot make the
 * reader look past its end.
 */
final class Der {

    static final int SEQUENCE = 0x30;
    static final int OCTET_STRING = 0x04;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int ENUMERATED = 0x0A;
    static final int BIT_STRING = 0x03;
    /** [APPLICATION 0], constructed: RFC 2743 3.1 InitialContextToken. */
    static final int APPLICATION_0 = 0x60;

    private Der() {
    }

    /** The context-specific constructed tag {@code [n]}. */
    static int context(int n) {
        return 0xA0 | n;
    }

    /** Reads the TLVs of one constructed value (or of a whole token) in order. */
    static final class Reader {
        private final byte[] bytes;
        private int position;
        private final int end;

        Reader(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }

        private Reader(byte[] bytes, int start, int end) {
            this.bytes = bytes;
            this.position = start;
            this.end = end;
        }

        boolean atEnd() {
            return position >= end;
        }

        /** The next tag, without consuming it; -1 at the end. */
        int peekTag() {
            return atEnd() ? -1 : bytes[position] & 0xFF;
        }

        /** The next value, which must carry {@code tag}: a reader over its contents. */
        Reader enter(int tag, String field) {
            int[] span = next(tag, field);
            return new Reader(bytes, span[0], span[1]);
        }

        /** The contents of the next value, which must carry {@code tag}. */
        byte[] contents(int tag, String field) {
            int[] span = next(tag, field);
            return java.util.Arrays.copyOfRange(bytes, span[0], span[1]);
        }

        /** The next value whole (tag, length and contents), which must carry {@code tag}. */
        byte[] whole(int tag, String field) {
            int start = position;
            int[] span = next(tag, field);
            return java.util.Arrays.copyOfRange(bytes, start, span[1]);
        }

        /** Skips the next value, whatever it is. */
        void skip(String field) {
            next(peekTag(), field);
        }

        void expectEnd(String what) {
            if (!atEnd()) {
                throw new SpnegoException(what + ": " + (end - position) + " unexpected trailing bytes");
            }
        }

        private int[] next(int tag, String field) {
            if (atEnd()) {
                throw new SpnegoException(field + ": missing (token ends)");
            }
            int actual = bytes[position] & 0xFF;
            if (actual != tag) {
                throw new SpnegoException(String.format("%s: tag 0x%02x (expected: 0x%02x)", field, actual, tag));
            }
            int p = position + 1;
            if (p >= end) {
                throw new SpnegoException(field + ": length missing");
            }
            int first = bytes[p++] & 0xFF;
            long length;
            if (first < 0x80) {
                length = first;
            } else if (first == 0x80) {
                throw new SpnegoException(field + ": indefinite length (DER requires a definite one)");
            } else {
                int count = first & 0x7F;
                if (count > 4) {
                    throw new SpnegoException(field + ": length of " + count + " octets (at most 4 supported)");
                }
                if (p + count > end) {
                    throw new SpnegoException(field + ": length truncated");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (bytes[p++] & 0xFF);
                }
            }
            if (length > end - p) {
                throw new SpnegoException(field + ": length " + length + " exceeds the " + (end - p) + " bytes that remain");
            }
            position = p + (int) length;
            return new int[] {p, position};
        }
    }

    /** One TLV: {@code tag}, the DER length of {@code contents}, {@code contents}. */
    static byte[] tlv(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] c : contents) {
            body.writeBytes(c);
        }
        int n = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 6);
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(0x84);
            out.write(n >>> 24);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }
}
