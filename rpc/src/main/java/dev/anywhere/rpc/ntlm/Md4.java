package dev.anywhere.rpc.ntlm;

/**
 * The MD4 message digest, which the JDK does not expose; NTLM needs it for the NT one-way function.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1320">RFC 1320 The MD4 Message-Digest Algorithm</a>
 */
final class Md4 {

    private Md4() {
    }

    /** Returns the 16-byte MD4 digest of {@code message}. */
    static byte[] digest(byte[] message) {
        // Per RFC 1320 3.1-3.2: pad with 0x80, zeros to 56 mod 64, then the bit length as 64-bit little-endian.
        int padded = ((message.length + 8) / 64 + 1) * 64;
        byte[] block = new byte[padded];
        System.arraycopy(message, 0, block, 0, message.length);
        block[message.length] = (byte) 0x80;
        long bits = (long) message.length * 8;
        for (int i = 0; i < 8; i++) {
            block[padded - 8 + i] = (byte) (bits >>> (8 * i));
        }

        int a = 0x67452301, b = 0xefcdab89, c = 0x98badcfe, d = 0x10325476;
        int[] x = new int[16];
        for (int off = 0; off < padded; off += 64) {
            for (int i = 0; i < 16; i++) {
                int p = off + i * 4;
                x[i] = (block[p] & 0xff) | (block[p + 1] & 0xff) << 8 | (block[p + 2] & 0xff) << 16 | (block[p + 3] & 0xff) << 24;
            }
            int aa = a, bb = b, cc = c, dd = d;
            // Round 1: F(x,y,z) = xy v not(x)z
            for (int i = 0; i < 16; i += 4) {
                a = Integer.rotateLeft(a + ((b & c) | (~b & d)) + x[i], 3);
                d = Integer.rotateLeft(d + ((a & b) | (~a & c)) + x[i + 1], 7);
                c = Integer.rotateLeft(c + ((d & a) | (~d & b)) + x[i + 2], 11);
                b = Integer.rotateLeft(b + ((c & d) | (~c & a)) + x[i + 3], 19);
            }
            // Round 2: G(x,y,z) = xy v xz v yz, constant 5A827999
            for (int i = 0; i < 4; i++) {
                a = Integer.rotateLeft(a + ((b & c) | (b & d) | (c & d)) + x[i] + 0x5a827999, 3);
                d = Integer.rotateLeft(d + ((a & b) | (a & c) | (b & c)) + x[i + 4] + 0x5a827999, 5);
                c = Integer.rotateLeft(c + ((d & a) | (d & b) | (a & b)) + x[i + 8] + 0x5a827999, 9);
                b = Integer.rotateLeft(b + ((c & d) | (c & a) | (d & a)) + x[i + 12] + 0x5a827999, 13);
            }
            // Round 3: H(x,y,z) = x xor y xor z, constant 6ED9EBA1, word order 0 8 4 12 2 10 6 14 1 9 5 13 3 11 7 15
            int[] order = {0, 2, 1, 3};
            for (int k : order) {
                a = Integer.rotateLeft(a + (b ^ c ^ d) + x[k] + 0x6ed9eba1, 3);
                d = Integer.rotateLeft(d + (a ^ b ^ c) + x[k + 8] + 0x6ed9eba1, 9);
                c = Integer.rotateLeft(c + (d ^ a ^ b) + x[k + 4] + 0x6ed9eba1, 11);
                b = Integer.rotateLeft(b + (c ^ d ^ a) + x[k + 12] + 0x6ed9eba1, 15);
            }
            a += aa;
            b += bb;
            c += cc;
            d += dd;
        }
        byte[] out = new byte[16];
        int[] words = {a, b, c, d};
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                out[i * 4 + j] = (byte) (words[i] >>> (8 * j));
            }
        }
        return out;
    }
}
