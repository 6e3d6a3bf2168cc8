package dev.anywhere.directory.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SshaPasswordTest {

    @Test
    void layoutIsDigestThenSalt() throws Exception {
        byte[] salt = {1, 2, 3, 4, 5, 6, 7, 8};
        String encoded = SshaPassword.encode("secret", salt);
        assertThat(encoded).startsWith("{SSHA}");
        byte[] raw = Base64.getDecoder().decode(encoded.substring(6));
        assertThat(raw).hasSize(28);
        assertThat(Arrays.copyOfRange(raw, 20, 28)).isEqualTo(salt);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update("secret".getBytes(StandardCharsets.UTF_8));
        sha1.update(salt);
        assertThat(Arrays.copyOf(raw, 20)).isEqualTo(sha1.digest());
    }

    @Test
    void saltsDiffer() {
        assertThat(SshaPassword.encode("secret")).isNotEqualTo(SshaPassword.encode("secret"));
    }
}
