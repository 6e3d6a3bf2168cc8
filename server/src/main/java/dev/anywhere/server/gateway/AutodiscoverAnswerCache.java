package dev.anywhere.server.gateway;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recent Autodiscover answers by their exact inputs: the authenticated account, the capability headers and the
 * request body byte for byte. An answer is reused only within the directory read cache's lifetime
 * ({@code cacheSeconds}), so it is never staler than a freshly computed one could be; 0 turns it off. Outlook asks
 * the same question every hour per profile and on every start, which is what this saves parsing and writing for.
 */
final class AutodiscoverAnswerCache {

    static final int MAX_ENTRIES = 4096;

    /** A cached answer: the response document and the outcome label for metrics. */
    record Answer(byte[] document, String outcome, long expiresAtNanos) {
    }

    private final long ttlNanos;
    private final Map<String, Answer> entries = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    AutodiscoverAnswerCache(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    boolean enabled() {
        return ttlNanos > 0;
    }

    static String key(String account, String headers, byte[] body) {
        return account + '\n' + headers + '\n' + new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    synchronized Answer get(String key) {
        Answer a = entries.get(key);
        if (a != null && System.nanoTime() - a.expiresAtNanos() > 0) {
            entries.remove(key);
            return null;
        }
        return a;
    }

    synchronized void put(String key, byte[] document, String outcome) {
        if (enabled()) {
            entries.put(key, new Answer(document, outcome, System.nanoTime() + ttlNanos));
        }
    }

    synchronized int size() {
        return entries.size();
    }
}
