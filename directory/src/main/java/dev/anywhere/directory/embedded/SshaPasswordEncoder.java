package dev.anywhere.directory.embedded;

import com.unboundid.ldap.listener.Base64PasswordEncoderOutputFormatter;
import com.unboundid.ldap.listener.InMemoryPasswordEncoder;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ReadOnlyEntry;
import com.unboundid.ldap.sdk.ResultCode;
import dev.anywhere.directory.ldap.SshaPassword;
import java.security.SecureRandom;
import java.util.List;

/**
 * {@code {SSHA}} for the in-memory server, the same layout {@link SshaPassword} writes (SHA-1 digest, then an 8-byte
 * salt, base64). Safe for concurrent binds: every encode and check uses its own {@code MessageDigest}.
 */
final class SshaPasswordEncoder extends InMemoryPasswordEncoder {

    private static final SecureRandom RANDOM = new SecureRandom();

    SshaPasswordEncoder() {
        super(SshaPassword.PREFIX, Base64PasswordEncoderOutputFormatter.getInstance());
    }

    @Override
    protected byte[] encodePassword(byte[] clearPassword, ReadOnlyEntry userEntry, List<Modification> modifications) {
        byte[] salt = new byte[SshaPassword.SALT_BYTES];
        RANDOM.nextBytes(salt);
        return SshaPassword.digestThenSalt(clearPassword, salt);
    }

    @Override
    protected void ensurePreEncodedPasswordAppearsValid(byte[] unPrefixedUnFormattedEncodedPasswordBytes,
            ReadOnlyEntry userEntry, List<Modification> modifications) throws LDAPException {
        if (unPrefixedUnFormattedEncodedPasswordBytes.length <= 20) {
            throw new LDAPException(ResultCode.PARAM_ERROR, "userPassword: " + SshaPassword.PREFIX + " value of "
                    + unPrefixedUnFormattedEncodedPasswordBytes.length + " bytes (expected: a 20-byte digest and a salt)");
        }
    }

    @Override
    protected boolean passwordMatches(byte[] clearPasswordBytes, byte[] unPrefixedUnFormattedEncodedPasswordBytes,
            ReadOnlyEntry userEntry) {
        return SshaPassword.matches(clearPasswordBytes, unPrefixedUnFormattedEncodedPasswordBytes);
    }

    @Override
    protected byte[] extractClearPassword(byte[] unPrefixedUnFormattedEncodedPasswordBytes, ReadOnlyEntry userEntry)
            throws LDAPException {
        throw new LDAPException(ResultCode.NOT_SUPPORTED, "userPassword: " + SshaPassword.PREFIX
                + " is a one-way digest (expected: no clear text to extract)");
    }

    @Override
    public void toString(StringBuilder buffer) {
        buffer.append("SshaPasswordEncoder(prefix='").append(SshaPassword.PREFIX).append("')");
    }
}
