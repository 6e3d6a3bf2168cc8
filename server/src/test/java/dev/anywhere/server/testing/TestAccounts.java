package dev.anywhere.server.testing;

import dev.anywhere.rpc.ntlm.NtHash;
import dev.anywhere.server.gateway.CredentialVerifier;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Two fixed FRANKYSWEB accounts for tests that need no directory: the gateway's HTTP logons (Basic, NTLM) and the
 * endpoints' DCE/RPC NTLM check the same passwords.
 */
public final class TestAccounts {

    public static final String FRANKY = "FRANKYSWEB\\franky";
    public static final String FRANKY_PASSWORD = "Secret-1";
    public static final String HANNA = "FRANKYSWEB\\hanna";
    public static final String HANNA_PASSWORD = "Secret-2";

    private static final Map<String, String> PASSWORDS = Map.of("franky", FRANKY_PASSWORD, "hanna", HANNA_PASSWORD);

    /**
     * franky and hanna, by any logon name ending in theirs: like the directory, the logon name as the client typed it
     * and the canonical account name back (accounts compare case-insensitively).
     */
    public static final CredentialVerifier CREDENTIALS = new CredentialVerifier() {
        @Override
        public Optional<String> verifyPassword(String logonName, String password) {
            String user = logonName.substring(logonName.indexOf('\\') + 1).toLowerCase(Locale.ROOT);
            return password.equals(PASSWORDS.get(user)) ? Optional.of("FRANKYSWEB\\" + user) : Optional.empty();
        }

        @Override
        public Optional<byte[]> ntHash(String domain, String user) {
            return Optional.ofNullable(PASSWORDS.get(user.toLowerCase(Locale.ROOT))).map(NtHash::of);
        }
    };

    private TestAccounts() {
    }
}
