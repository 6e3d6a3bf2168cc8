package dev.anywhere.server.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verified credentials remembered for a short time, as IIS keeps a logon token cache ({@code UserTokenTTL}, default
 * 15 minutes), so that a slow or absent directory delays only the logons that need it:
 *
 * <ul>
 *   <li>Basic: a successful logon, keyed by a salted SHA-256 digest of name and password (the password is never
 *       kept). A changed password is checked against the directory at once; the old one keeps working until its
 *       entry expires.
 *   <li>NTLM: the NT hash of an account, keyed by a salted digest of domain and user. NTLM cannot be verified
 *       without it; it lives only in memory. After a password change the old hash answers until the entry expires
 *       or a handshake fails against it ({@link #forgetNtHash}), so the next handshake reads the new one.
 * </ul>
 * Failures are never cached. Each table holds at most {@value #MAX_ENTRIES} entries; when full, expired ones are
 * dropped and, if that is not enough, the table is emptied.
 */
final class CachedCredentials implements CredentialVerifier {

    /** Shorter than IIS's 15 minutes: a changed password stops working within a minute. */
    static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
    static final int MAX_ENTRIES = 10_000;
    /** IIS's logon token lifetime ({@code UserTokenTTL}, 15 minutes): how long an entry serves while the directory is unreachable. */
    static final Duration OUTAGE_TTL = Duration.ofMinutes(15);

    private record Entry<T>(T value, long expiresNanos) {
    }

    private final CredentialVerifier delegate;
    private final long ttlNanos;
    private final byte[] salt = new byte[16];
    private final ConcurrentHashMap<String, Entry<String>> logons = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Entry<byte[]>> ntHashes = new ConcurrentHashMap<>();

    CachedCredentials(CredentialVerifier delegate, Duration ttl) {
        this.delegate = delegate;
        this.ttlNanos = ttl.toNanos();
        new SecureRandom().nextBytes(salt);
    }

    /** The account of a Basic logon verified within the lifetime; never asks the directory. */
    Optional<String> cachedAccount(String logonName, String password) {
        return fresh(logons, key(logonName, password));
    }

    /** A copy of an NT hash read within the lifetime; never asks the directory. */
    Optional<byte[]> cachedNtHash(String domain, String user) {
        return fresh(ntHashes, ntKey(domain, user)).map(byte[]::clone);
    }

    /**
     * The account of a Basic logon verified within {@link #OUTAGE_TTL}, for while the directory cannot be asked: IIS
     * keeps a logon token that long ({@code UserTokenTTL}), so an Exchange proxy's open clients ride out an outage.
     */
    Optional<String> outageAccount(String logonName, String password) {
        return withinOutageTtl(logons, key(logonName, password));
    }

    /** A copy of an NT hash read within {@link #OUTAGE_TTL}, for while the directory cannot be asked. */
    Optional<byte[]> outageNtHash(String domain, String user) {
        return withinOutageTtl(ntHashes, ntKey(domain, user)).map(byte[]::clone);
    }

    /** Drops an NT hash a handshake failed against: the password may have changed. */
    void forgetNtHash(String domain, String user) {
        ntHashes.remove(ntKey(domain, user));
    }

    @Override
    public Optional<String> verifyPassword(String logonName, String password) {
        String key = key(logonName, password);
        Optional<String> cached = fresh(logons, key);
        if (cached.isPresent()) {
            return cached;
        }
        Optional<String> account = delegate.verifyPassword(logonName, password);
        if (account.isPresent()) {
            remember(logons, key, account.get());
        } else {
            logons.remove(key);
        }
        return account;
    }

    @Override
    public Optional<byte[]> ntHash(String domain, String user) {
        String key = ntKey(domain, user);
        Optional<byte[]> cached = fresh(ntHashes, key);
        if (cached.isPresent()) {
            return cached.map(byte[]::clone);
        }
        Optional<byte[]> hash = delegate.ntHash(domain, user);
        hash.ifPresent(h -> remember(ntHashes, key, h.clone()));
        return hash;
    }

    @Override
    public void probe() {
        delegate.probe();
    }

    private <T> Optional<T> fresh(ConcurrentHashMap<String, Entry<T>> table, String key) {
        if (ttlNanos <= 0) {
            return Optional.empty();
        }
        Entry<T> e = table.get(key);
        if (e == null) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        if (now - e.expiresNanos() >= 0) {
            // Kept for an outage until the outage lifetime ends too.
            if (now - e.expiresNanos() - outageExtraNanos() >= 0) {
                table.remove(key, e);
            }
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    private <T> Optional<T> withinOutageTtl(ConcurrentHashMap<String, Entry<T>> table, String key) {
        if (ttlNanos <= 0) {
            return Optional.empty();
        }
        Entry<T> e = table.get(key);
        return e == null || System.nanoTime() - e.expiresNanos() - outageExtraNanos() >= 0 ? Optional.empty() : Optional.of(e.value());
    }

    /** How long past its ordinary lifetime an entry still serves during an outage. */
    private long outageExtraNanos() {
        return Math.max(0, OUTAGE_TTL.toNanos() - ttlNanos);
    }

    private <T> void remember(ConcurrentHashMap<String, Entry<T>> table, String key, T value) {
        if (ttlNanos <= 0) {
            return;
        }
        long now = System.nanoTime();
        if (table.size() >= MAX_ENTRIES) {
            table.values().removeIf(e -> now - e.expiresNanos() - outageExtraNanos() >= 0);
            if (table.size() >= MAX_ENTRIES) {
                table.clear();
            }
        }
        table.put(key, new Entry<>(value, now + ttlNanos));
    }

    /** The salted digest of an NTLM account: both names are case-insensitive. */
    private String ntKey(String domain, String user) {
        return key(domain, user.toLowerCase(Locale.ROOT));
    }

    /** A salted digest of a name (case-insensitive) and a second string (a password: case-sensitive). */
    private String key(String name, String secretOrUser) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(salt);
            d.update(name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(secretOrUser.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
