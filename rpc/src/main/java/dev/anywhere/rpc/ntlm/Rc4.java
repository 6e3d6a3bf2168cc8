package dev.anywhere.rpc.ntlm;

/**
 * RC4 (ARCFOUR), which NTLM uses as RC4K to carry the random session key. Written here because JDK
 * providers may disable it; it is used for nothing else.
 *
 * @see [MS-NLMP] 6 Appendix A: Cryptographic Operations Reference (RC4K)
 */
final class Rc4 {

    private Rc4() {
    }

    /** RC4K(key, data): a fresh RC4 stream keyed with {@code key}, XORed over {@code data}. */
    static byte[] rc4k(byte[] key, byte[] data) {
        int[] s = new int[256];
        for (int i = 0; i < 256; i++) {
            s[i] = i;
        }
        for (int i = 0, j = 0; i < 256; i++) {
            j = (j + s[i] + (key[i % key.length] & 0xff)) & 0xff;
            int t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        byte[] out = new byte[data.length];
        for (int n = 0, i = 0, j = 0; n < data.length; n++) {
            i = (i + 1) & 0xff;
            j = (j + s[i]) & 0xff;
            int t = s[i];
            s[i] = s[j];
            s[j] = t;
            out[n] = (byte) (data[n] ^ s[(s[i] + s[j]) & 0xff]);
        }
        return out;
    }
}
