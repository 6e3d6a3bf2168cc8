package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.ntlm.NtHash;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachedCredentialsTest {

    private final AtomicInteger calls = new AtomicInteger();
    private volatile String password = "Secret-1";
    private final CredentialVerifier directory = new CredentialVerifier() {
        @Override
        public Optional<String> verifyPassword(String logonName, String given) {
            calls.incrementAndGet();
            return given.equals(password) ? Optional.of("FRANKYSWEB\\franky") : Optional.empty();
        }

        @Override
        public Optional<byte[]> ntHash(String domain, String user) {
            calls.incrementAndGet();
            return user.equalsIgnoreCase("franky") ? Optional.of(NtHash.of(password)) : Optional.empty();
        }
    };

    @Test
    void aVerifiedPasswordIsAnsweredWithoutTheDirectoryAndFailuresAreNeverCached() {
        CachedCredentials cache = new CachedCredentials(directory, Duration.ofMinutes(1));
        assertThat(cache.cachedAccount("FRANKYSWEB\\franky", "Secret-1")).isEmpty();
        assertThat(cache.verifyPassword("FRANKYSWEB\\franky", "Secret-1")).contains("FRANKYSWEB\\franky");
        assertThat(cache.cachedAccount("frankysweb\\FRANKY", "Secret-1")).contains("FRANKYSWEB\\franky");
        assertThat(cache.cachedAccount("FRANKYSWEB\\franky", "secret-1")).isEmpty();
        cache.verifyPassword("FRANKYSWEB\\franky", "wrong");
        cache.verifyPassword("FRANKYSWEB\\franky", "wrong");
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void aChangedPasswordWorksAtOnceAndTheOldNtHashIsDroppedWhenAHandshakeFailsAgainstIt() {
        CachedCredentials cache = new CachedCredentials(directory, Duration.ofMinutes(1));
        cache.verifyPassword("franky", "Secret-1");
        assertThat(cache.ntHash("FRANKYSWEB", "franky")).contains(NtHash.of("Secret-1"));
        assertThat(cache.cachedNtHash("frankysweb", "FRANKY")).contains(NtHash.of("Secret-1"));
        password = "Secret-2";
        assertThat(cache.verifyPassword("franky", "Secret-2")).isPresent();
        cache.forgetNtHash("FRANKYSWEB", "franky");
        assertThat(cache.cachedNtHash("FRANKYSWEB", "franky")).isEmpty();
        assertThat(cache.ntHash("FRANKYSWEB", "franky")).contains(NtHash.of("Secret-2"));
    }

    @Test
    void aZeroLifetimeCachesNothing() {
        CachedCredentials cache = new CachedCredentials(directory, Duration.ZERO);
        cache.verifyPassword("franky", "Secret-1");
        cache.ntHash("FRANKYSWEB", "franky");
        assertThat(cache.cachedAccount("franky", "Secret-1")).isEmpty();
        assertThat(cache.cachedNtHash("FRANKYSWEB", "franky")).isEmpty();
    }

    @Test
    void aChangedPasswordStopsWorkingWhenItsEntryExpires() {
        CachedCredentials cache = new CachedCredentials(directory, Duration.ofMillis(200));
        assertThat(cache.verifyPassword("franky", "Secret-1")).isPresent();
        password = "Secret-2";
        assertThat(cache.verifyPassword("franky", "Secret-1")).as("within the lifetime").isPresent();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> cache.verifyPassword("franky", "Secret-1").isEmpty());
    }
}
