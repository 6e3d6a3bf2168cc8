package dev.anywhere.directory.ldap;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import dev.anywhere.directory.DirectoryException;
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

    /** {@code what: noSuchObject(32) (expected: success)}. */
    static DirectoryException wrap(String what, LDAPException e) {
        ResultCode code = e.getResultCode();
        return new DirectoryException(what + ": " + code.getName() + "(" + code.intValue() + ") (expected: success)",
                isTransient(code), e);
    }

    static DirectoryException permanent(String message) {
        return new DirectoryException(message, false, null);
    }
}
