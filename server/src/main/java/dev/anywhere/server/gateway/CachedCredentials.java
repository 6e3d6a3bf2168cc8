package dev.anywhere.server.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Successful Basic logons remembered for a short time, as IIS keeps a logon token cache ({@code UserTokenTTL},
 * default 15 minutes) so that every request does not bind to the directory. Keys are salted SHA-256 digests of
 * name and password (the password is never kept); failures are never cached; the cache holds at most
 * {@value #MAX_ENTRIES} logons and is emptied when full. NT hash look-ups (NTLM) are not cached.
 */
final class CachedCredentials implements CredentialVerifier {

    /** Shorter than IIS's 15 minutes: a changed password stops working within a minute. */
    static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
    static final int MAX_ENTRIES = 10_000;

    private record Entry(String account, long expiresNanos) {
    }

    private final CredentialVerifier delegate;
    private final long ttlNanos;
    private final byte[] salt = new byte[16];
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    CachedCredentials(CredentialVerifier delegate, Duration ttl) {
        this.delegate = delegate;
        this.ttlNanos = ttl.toNanos();
        new SecureRandom().nextBytes(salt);
    }

    @Override
    public Optional<String> verifyPassword(String logonName, String password) {
        if (ttlNanos <= 0) {
            return delegate.verifyPassword(logonName, password);
        }
        String key = key(logonName, password);
        long now = System.nanoTime();
        Entry e = cache.get(key);
        if (e != null && now - e.expiresNanos() < 0) {
            return Optional.of(e.account());
        }
        Optional<String> account = delegate.verifyPassword(logonName, password);
        if (account.isPresent()) {
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(key, new Entry(account.get(), now + ttlNanos));
        } else if (e != null) {
            cache.remove(key);
        }
        return account;
    }

    @Override
    public Optional<byte[]> ntHash(String domain, String user) {
        return delegate.ntHash(domain, user);
    }

    private String key(String logonName, String password) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(salt);
            d.update(logonName.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
