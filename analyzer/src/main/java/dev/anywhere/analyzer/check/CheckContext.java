package dev.anywhere.analyzer.check;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What checks share during one run: values a check found that later checks need (the resolved address, the
 * certificate, the Autodiscover answer), keyed by name. Thread-safe; checks running concurrently write different keys.
 */
public final class CheckContext {

    private final Map<String, Object> values = new ConcurrentHashMap<>();

    public <T> void put(String key, T value) {
        values.put(key, value);
    }

    public <T> Optional<T> get(String key, Class<T> type) {
        return Optional.ofNullable(values.get(key)).filter(type::isInstance).map(type::cast);
    }

    public <T> T require(String key, Class<T> type) {
        return get(key, type).orElseThrow(() -> new IllegalStateException("check context: no " + key
                + " (expected: an earlier check to have found it)"));
    }
}
