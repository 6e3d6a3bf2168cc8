package dev.anywhere.server.endpoints;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * State an interface keeps per DCE/RPC association, such as the sessions behind its context handles: it lives
 * exactly as long as the association, so a handle is unknown on any other connection and everything is
 * released with the connection. Touched only on the association's event loop, like the handler itself.
 *
 * @see [C706] 6.1.1 (context handles are valid only on the association that created them)
 */
public final class AssociationScope {
    private final Map<Class<?>, Object> state = new HashMap<>();

    /** The object of type {@code type} for this association, created by {@code create} on first use. */
    public <T> T get(Class<T> type, Supplier<? extends T> create) {
        return type.cast(state.computeIfAbsent(type, k -> create.get()));
    }
}
