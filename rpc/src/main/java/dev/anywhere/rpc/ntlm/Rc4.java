package dev.anywhere.rpc.ntlm;

/**
 * RC4 (ARCFOUR), which NTLM uses as RC4K to carry the random session key and, as a long-lived stream per
 * direction, to seal messages and checksums. Written here because JDK providers may disable it; it is used for
 * nothing else. An instance is one keystream: each {@link #apply} continues where the last one stopped.
 *
 * @see [MS-NLMP] 6 Appendix A: Cryptographic Operations Reference (RC4Init, RC4, RC4K)
 */
final class Rc4 {

    private final int[] s = new int[256];
    private int i;
    private int j;

    /** RC4Init(key). */
    Rc4(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("rc4 key: empty (expected: 1..256 bytes)");
        }
        for (int n = 0; n < 256; n++) {
            s[n] = n;
        }
        for (int n = 0, m = 0; n < 256; n++) {
            m = (m + s[n] + (key[n % key.length] & 0xff)) & 0xff;
            int t = s[n];
            s[n] = s[m];
            s[m] = t;
        }
    }

    /**
     * XORs the next {@code length} keystream bytes over {@code data[offset..]}, in place. The state lives in locals
     * for the loop and each S-box entry is read once: this loop is half of what sealing a DCE/RPC fragment costs.
     * (The JDK's ARCFOUR cipher is the same algorithm in Java and measured no faster; see docs/performance.md.)
     */
    void apply(byte[] data, int offset, int length) {
        int[] s = this.s;
        int x = i;
        int y = j;
        for (int n = offset, end = offset + length; n < end; n++) {
            x = (x + 1) & 0xff;
            int sx = s[x];
            y = (y + sx) & 0xff;
            int sy = s[y];
            s[x] = sy;
            s[y] = sx;
            data[n] ^= (byte) s[(sx + sy) & 0xff];
        }
        i = x;
        j = y;
    }

    /** RC4K(key, data): a fresh RC4 stream keyed with {@code key}, XORed over a copy of {@code data}. */
    static byte[] rc4k(byte[] key, byte[] data) {
        byte[] out = data.clone();
        new Rc4(key).apply(out, 0, out.length);
        return out;
    }
}
