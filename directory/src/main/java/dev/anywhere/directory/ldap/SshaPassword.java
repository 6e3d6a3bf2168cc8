package dev.anywhere.directory.ldap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Encodes a {@code userPassword} value as {@code {SSHA}}: base64(SHA-1(password + salt) + salt) with an 8-byte salt,
 * the scheme both OpenLDAP and the UnboundID in-memory server verify on simple bind, so no clear text is stored.
 *
 * @see <a href="https://www.openldap.org/faq/data/cache/347.html">OpenLDAP FAQ: SSHA passwords</a>
 */
public final class SshaPassword {

    public static final String PREFIX = "{SSHA}";
    static final int SALT_BYTES = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SshaPassword() {
    }

    public static String encode(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return encode(password, salt);
    }

    static String encode(String password, byte[] salt) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(password.getBytes(StandardCharsets.UTF_8));
            sha1.update(salt);
            byte[] digest = sha1.digest();
            byte[] out = Arrays.copyOf(digest, digest.length + salt.length);
            System.arraycopy(salt, 0, out, digest.length, salt.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1: missing from this JVM (expected: every JVM has it)", e);
        }
    }
}
