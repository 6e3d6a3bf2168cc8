package dev.anywhere.directory.ldap;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.DirectoryText;
import java.util.Set;

/**
 * Turns LDAP failures into {@link DirectoryException}s: transient when the connection is gone or the server is busy,
 * unavailable or out of time (retry in 15 s), permanent otherwise. Messages name the operation and the result code,
 * never credentials or the server's free-text diagnostic (which may echo a DN but could echo more).
 */
final class LdapErrors {

    private static final Set<ResultCode> TRANSIENT = Set.of(ResultCode.BUSY, ResultCode.UNAVAILABLE,
            ResultCode.TIME_LIMIT_EXCEEDED, ResultCode.ADMIN_LIMIT_EXCEEDED, ResultCode.TIMEOUT,
            ResultCode.SERVER_DOWN, ResultCode.CONNECT_ERROR, ResultCode.LOCAL_ERROR);

    private LdapErrors() {
    }

    static boolean isTransient(ResultCode code) {
        return !code.isConnectionUsable() || TRANSIENT.contains(code);
    }

    /** {@code what: noSuchObject(32) (expected: success)}; the result code is the protocol's name, kept as it is. */
    static DirectoryException wrap(DirectoryText what, LDAPException e) {
        ResultCode code = e.getResultCode();
        return new DirectoryException(DirectoryText.of(DirectoryText.Key.LDAP_FAILED, "what", what, "code",
                code.getName() + "(" + code.intValue() + ")"), isTransient(code), e);
    }

    /** The operation {@code key} with its values, failed with {@code e}. */
    static DirectoryException wrap(LDAPException e, DirectoryText.Key key, Object... namesAndValues) {
        return wrap(DirectoryText.of(key, namesAndValues), e);
    }

    static DirectoryException permanent(DirectoryText.Key key, Object... namesAndValues) {
        return new DirectoryException(DirectoryText.of(key, namesAndValues), false, null);
    }
}
