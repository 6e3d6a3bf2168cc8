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
    public static final int SALT_BYTES = 8;
    static final int DIGEST_BYTES = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SshaPassword() {
    }

    public static String encode(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return encode(password, salt);
    }

    static String encode(String password, byte[] salt) {
        return PREFIX + Base64.getEncoder().encodeToString(digestThenSalt(password.getBytes(StandardCharsets.UTF_8), salt));
    }

    /** The raw value behind the prefix and base64: SHA-1(password + salt) followed by the salt. */
    public static byte[] digestThenSalt(byte[] password, byte[] salt) {
        byte[] digest = sha1(password, salt);
        byte[] out = Arrays.copyOf(digest, digest.length + salt.length);
        System.arraycopy(salt, 0, out, digest.length, salt.length);
        return out;
    }

    /** Whether {@code password} matches a raw {@link #digestThenSalt} value (any salt length), in constant time. */
    public static boolean matches(byte[] password, byte[] digestThenSalt) {
        if (digestThenSalt.length <= DIGEST_BYTES) {
            return false;
        }
        byte[] salt = Arrays.copyOfRange(digestThenSalt, DIGEST_BYTES, digestThenSalt.length);
        return MessageDigest.isEqual(sha1(password, salt), Arrays.copyOf(digestThenSalt, DIGEST_BYTES));
    }

    /** A new digest per call: a {@link MessageDigest} is stateful and not safe for concurrent use. */
    private static byte[] sha1(byte[] password, byte[] salt) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(password);
            sha1.update(salt);
            return sha1.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1: missing from this JVM (expected: every JVM has it)", e);
        }
    }
}
