package dev.anywhere.rpc.emsmdb;

import java.util.Arrays;

/**
 * The LZ77 compression with DIRECT2 encoding that RPC_HEADER_EXT's Compressed flag announces.
 *
 * <p>The stream is groups of one 32-bit little-endian bitmask and the 32 items it describes, most significant bit
 * first: a 0 bit is one literal byte, a 1 bit a 2-byte metadata word {@code (offset - 1) << 3 | length}. A length
 * field of 7 continues in a 4-bit nibble (two matches share one byte, low nibble first), a nibble of 15 in one
 * more byte, and a byte of 255 in a 16-bit word holding the whole length minus 3. Offsets reach back 8192 bytes.
 * The decoder stops when it has produced the uncompressed size the header states; the encoder fills the unused
 * bits of its last bitmask with 1s.
 *
 * @see [MS-OXCRPC] 3.1.4.1.1.2 Compression Algorithm (3.1.4.1.1.2.1 LZ77, 3.1.4.1.1.2.2 DIRECT2)
 */
public final class Lz77 {
    /** The smallest match DIRECT2 encodes. */
    static final int MIN_MATCH = 3;
    /** Thirteen offset bits: offsets 1..8192. */
    static final int MAX_OFFSET = 8192;
    /** The 16-bit length form holds length - 3. */
    static final int MAX_MATCH = 0xFFFF + MIN_MATCH;

    private Lz77() {
    }

    /**
     * Decompresses {@code in} to exactly {@code size} bytes.
     *
     * @throws EmsmdbFormatException if the stream ends early, reaches back before the start or past {@code size}
     */
    public static byte[] decompress(byte[] in, int size) {
        byte[] out = new byte[size];
        int o = 0;
        int i = 0;
        int flags = 0;
        int flagCount = 0;
        int sharedNibble = -1; // position of the byte whose high nibble the next long match uses
        while (o < size) {
            if (flagCount == 0) {
                require(in, i, 4, "bitmask");
                flags = (in[i] & 0xff) | (in[i + 1] & 0xff) << 8 | (in[i + 2] & 0xff) << 16 | (in[i + 3] & 0xff) << 24;
                i += 4;
                flagCount = 32;
            }
            flagCount--;
            if ((flags >>> flagCount & 1) == 0) {
                require(in, i, 1, "literal");
                out[o++] = in[i++];
                continue;
            }
            require(in, i, 2, "match metadata");
            int metadata = (in[i] & 0xff) | (in[i + 1] & 0xff) << 8;
            i += 2;
            int offset = (metadata >>> 3) + 1;
            int length = metadata & 7;
            if (length == 7) {
                int nibble;
                if (sharedNibble < 0) {
                    require(in, i, 1, "match length nibble");
                    nibble = in[i] & 0x0f;
                    sharedNibble = i++;
                } else {
                    nibble = (in[sharedNibble] & 0xff) >>> 4;
                    sharedNibble = -1;
                }
                length += nibble;
                if (nibble == 15) {
                    require(in, i, 1, "match length byte");
                    int b = in[i++] & 0xff;
                    if (b == 255) {
                        require(in, i, 2, "match length word");
                        length = (in[i] & 0xff) | (in[i + 1] & 0xff) << 8; // the whole length minus 3
                        i += 2;
                    } else {
                        length += b;
                    }
                }
            }
            length += MIN_MATCH;
            if (offset > o) {
                throw new EmsmdbFormatException("LZ77 match offset: " + offset + " (expected: <= " + o + " bytes decoded so far)");
            }
            if (length > size - o) {
                throw new EmsmdbFormatException("LZ77 match length: " + length + " (expected: <= " + (size - o)
                        + " bytes left of SizeActual " + size + ")");
            }
            for (int k = 0; k < length; k++, o++) {
                out[o] = out[o - offset];
            }
        }
        return out;
    }

    private static void require(byte[] in, int at, int n, String what) {
        if (in.length - at < n) {
            throw new EmsmdbFormatException("truncated LZ77 " + what + ": " + (in.length - at) + " bytes (expected: " + n + ")");
        }
    }

    /** Compresses {@code in} (greedy matching over a hash of 3-byte prefixes); the output may be longer. */
    public static byte[] compress(byte[] in) {
        Output out = new Output(in.length + in.length / 8 + 8);
        int[] head = new int[1 << 13];
        Arrays.fill(head, -1);
        int i = 0;
        while (i < in.length) {
            int best = 0;
            int bestOffset = 0;
            if (i + MIN_MATCH <= in.length) {
                int h = hash(in, i);
                int candidate = head[h];
                head[h] = i;
                if (candidate >= 0 && i - candidate <= MAX_OFFSET) {
                    int n = 0;
                    int limit = Math.min(in.length - i, MAX_MATCH);
                    while (n < limit && in[candidate + n] == in[i + n]) {
                        n++;
                    }
                    if (n >= MIN_MATCH) {
                        best = n;
                        bestOffset = i - candidate;
                    }
                }
            }
            if (best == 0) {
                out.literal(in[i++]);
            } else {
                out.match(bestOffset, best);
                i += best;
            }
        }
        return out.finish();
    }

    private static int hash(byte[] in, int i) {
        int v = (in[i] & 0xff) << 16 | (in[i + 1] & 0xff) << 8 | (in[i + 2] & 0xff);
        return (v * 0x9E3779B1) >>> 19;
    }

    /** The encoder's output: bitmask slots reserved ahead of the items they describe. */
    private static final class Output {
        private byte[] buf;
        private int size;
        private int flagsAt;
        private int flags;
        private int flagCount;
        private int sharedNibble = -1;

        Output(int capacity) {
            buf = new byte[Math.max(capacity, 16)];
            reserveFlags();
        }

        private void reserveFlags() {
            flagsAt = size;
            size += 4;
            ensure(0);
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        private void bit(int b) {
            if (flagCount == 32) {
                writeFlags(flags);
                flags = 0;
                flagCount = 0;
                reserveFlags();
            }
            flags = flags << 1 | b;
            flagCount++;
        }

        private void writeFlags(int value) {
            buf[flagsAt] = (byte) value;
            buf[flagsAt + 1] = (byte) (value >>> 8);
            buf[flagsAt + 2] = (byte) (value >>> 16);
            buf[flagsAt + 3] = (byte) (value >>> 24);
        }

        private void put(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        void literal(byte b) {
            bit(0);
            put(b);
        }

        void match(int offset, int length) {
            bit(1);
            int extra = length - MIN_MATCH;
            int metadata = (offset - 1) << 3 | Math.min(extra, 7);
            put(metadata);
            put(metadata >>> 8);
            if (extra < 7) {
                return;
            }
            extra -= 7;
            int nibble = Math.min(extra, 15);
            if (sharedNibble < 0) {
                sharedNibble = size;
                put(nibble);
            } else {
                buf[sharedNibble] |= (byte) (nibble << 4);
                sharedNibble = -1;
            }
            if (nibble < 15) {
                return;
            }
            extra -= 15;
            if (extra < 255) {
                put(extra);
            } else {
                put(255);
                put(length - MIN_MATCH);
                put((length - MIN_MATCH) >>> 8);
            }
        }

        byte[] finish() {
            int unused = 32 - flagCount;
            int last = unused == 32 ? -1 : (flags << unused) | ((1 << unused) - 1);
            writeFlags(last);
            return Arrays.copyOf(buf, size);
        }
    }
}
