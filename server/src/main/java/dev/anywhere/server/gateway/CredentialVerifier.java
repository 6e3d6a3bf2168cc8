package dev.anywhere.server.gateway;

import java.util.Optional;

/**
 * Checks the credentials the HTTP authentication schemes carry. The directory-backed implementation binds as the
 * user for Basic and reads the NT hash for NTLM; nothing here ever logs a password.
 *
 * <p>Calls may block on the directory: the gateway makes them on its logon pool, never on an event loop. When the
 * directory cannot answer, they throw a transient {@link dev.anywhere.directory.DirectoryException}, which the
 * gateway answers with 503 (not 401: the password may well be right).
 */
public interface CredentialVerifier {

    /**
     * Verifies a Basic logon ({@code DOMAIN\\user}, {@code user@suffix} or a bare name).
     *
     * @return the canonical account name ({@code FRANKYSWEB\\franky}) when the password is right
     */
    Optional<String> verifyPassword(String logonName, String password);

    /** The NT hash of an account for NTLM verification, looked up by the names the AUTHENTICATE_MESSAGE carries. */
    Optional<byte[]> ntHash(String domain, String user);

    /**
     * Asks the directory something cheap, to learn whether it answers; throws a transient
     * {@link dev.anywhere.directory.DirectoryException} when it does not. Without a directory: nothing to ask.
     */
    default void probe() {
    }

    /** Accepts nobody: a gateway without a directory can still answer echo requests and challenges. */
    CredentialVerifier NONE = new CredentialVerifier() {
        @Override
        public Optional<String> verifyPassword(String logonName, String password) {
            return Optional.empty();
        }

        @Override
        public Optional<byte[]> ntHash(String domain, String user) {
            return Optional.empty();
        }
    };
}
