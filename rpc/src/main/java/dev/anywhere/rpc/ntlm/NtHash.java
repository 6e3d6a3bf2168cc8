package dev.anywhere.rpc.ntlm;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The NT one-way function of a password: MD4 over its UTF-16LE encoding. This is what a directory keeps
 * (Samba's {@code sambaNTPassword}, AD's {@code unicodePwd} hash) so that NTLM can be verified without the
 * password itself.
 *
 * @see [MS-NLMP] 3.3.1 NTOWFv1, 3.3.2 NTOWFv2
 */
public final class NtHash {

    private NtHash() {
    }

    /** The 16-byte NT hash of {@code password}. */
    public static byte[] of(String password) {
        return Md4.digest(password.getBytes(StandardCharsets.UTF_16LE));
    }

    /** The NT hash as 32 upper-case hex digits, the form {@code sambaNTPassword} stores. */
    public static String hexOf(String password) {
        return HexFormat.of().withUpperCase().formatHex(of(password));
    }
}
