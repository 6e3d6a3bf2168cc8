package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.dce.SyntaxId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The RPC interfaces a server offers, keyed by interface UUID and major version. Thread-safe; interfaces may be
 * registered before or after {@link RpcEndpoints#start}. The endpoint mapper and management interfaces are
 * always present on a running server; callers add their own with {@link #register(RpcInterface)}.
 */
public final class InterfaceRegistry {
    private final CopyOnWriteArrayList<RpcInterface> interfaces = new CopyOnWriteArrayList<>();

    public InterfaceRegistry() {
    }

    /**
     * Adds {@code iface}.
     *
     * @throws IllegalArgumentException if an interface with the same UUID and major version is registered
     */
    public synchronized InterfaceRegistry register(RpcInterface iface) {
        for (RpcInterface existing : interfaces) {
            if (existing.id().uuid().equals(iface.id().uuid()) && existing.id().major() == iface.id().major()) {
                throw new IllegalArgumentException("interface: " + iface.id() + " (expected: not registered yet; "
                        + existing.id() + " is)");
            }
        }
        interfaces.add(iface);
        return this;
    }

    /** Removes the interface with {@code id}'s UUID and major version; true if there was one. */
    public boolean unregister(SyntaxId id) {
        return interfaces.removeIf(i -> i.id().uuid().equals(id.uuid()) && i.id().major() == id.major());
    }

    /** The interface a bind for {@code abstractSyntax} selects. */
    public Optional<RpcInterface> find(SyntaxId abstractSyntax) {
        for (RpcInterface i : interfaces) {
            if (i.accepts(abstractSyntax)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** All interfaces, in registration order. */
    public List<RpcInterface> all() {
        return List.copyOf(interfaces);
    }
}
