package dev.anywhere.server.testing;

import dev.anywhere.rpc.ntlm.NtHash;
import dev.anywhere.server.gateway.CredentialVerifier;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The test site's one account: FRANKYSWEB\franky with "Secret-1" (Basic and NTLM); everyone else is refused. */
public final class TestCredentials {

    public static final CredentialVerifier FRANKY = new CredentialVerifier() {
        @Override
        public Optional<String> verifyPassword(String logonName, String password) {
            return logonName.equalsIgnoreCase("FRANKYSWEB\\franky") && password.equals("Secret-1")
                    ? Optional.of("FRANKYSWEB\\franky") : Optional.empty();
        }

        @Override
        public Optional<byte[]> ntHash(String domain, String user) {
            return domain.equalsIgnoreCase("FRANKYSWEB") && user.equalsIgnoreCase("franky")
                    ? Optional.of(NtHash.of("Secret-1")) : Optional.empty();
        }
    };

    /** The Authorization header value of Basic with that account. */
    public static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString("FRANKYSWEB\\franky:Secret-1".getBytes(StandardCharsets.UTF_8));

    private TestCredentials() {
    }
}
