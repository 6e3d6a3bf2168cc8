package dev.anywhere.server.autodiscover;

import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.SiteInfo;
import dev.anywhere.directory.model.ExchangeServer;
import dev.anywhere.directory.model.Mailbox;
import dev.anywhere.directory.model.OutlookProvider;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The directory reads of the Outlook provider, each answer (found or not) kept for a short time, as Exchange's
 * Autodiscover keeps its configuration caches ({@code OutlookProviderCache}, {@code ServerConfigurationCache}) and its
 * AD recipient cache. Failures are never kept; at most {@value #MAX_ENTRIES} answers, all dropped when full. A TTL of
 * zero reads the directory every time.
 */
final class DirectoryReadCache {

    static final int MAX_ENTRIES = 20_000;

    private record Entry(Object value, long expiresNanos) {
    }

    private final SiteDirectory directory;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    DirectoryReadCache(SiteDirectory directory, Duration ttl) {
        this.directory = directory;
        this.ttlNanos = ttl.toNanos();
    }

    SiteInfo site() {
        return get("site", directory::site);
    }

    List<ExchangeServer> servers() {
        return get("servers", directory::servers);
    }

    Optional<ExchangeServer> server(String name) {
        return get("server:" + lower(name), () -> directory.server(name));
    }

    Optional<RpcHttpVirtualDirectory> rpcVirtualDirectory(String server) {
        return get("vdir:" + lower(server), () -> directory.rpcVirtualDirectory(server));
    }

    Optional<OutlookProvider> provider(String name) {
        return get("provider:" + name, () -> directory.provider(name));
    }

    Optional<Mailbox> mailboxByLogonName(String logon) {
        return get("logon:" + lower(logon), () -> directory.mailboxByLogonName(logon));
    }

    Optional<Mailbox> mailboxByLegacyDn(String dn) {
        return get("dn:" + lower(dn), () -> directory.mailboxByLegacyDn(dn));
    }

    Optional<Mailbox> mailboxBySmtpAddress(String address) {
        return get("smtp:" + lower(address), () -> directory.mailboxBySmtpAddress(address));
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    private <T> T get(String key, Supplier<T> read) {
        if (ttlNanos <= 0) {
            return read.get();
        }
        long now = System.nanoTime();
        Entry e = entries.get(key);
        if (e != null && now - e.expiresNanos() < 0) {
            return (T) e.value();
        }
        T value = read.get();
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, new Entry(value, now + ttlNanos));
        return value;
    }
}
