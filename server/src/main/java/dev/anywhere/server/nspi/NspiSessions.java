package dev.anywhere.server.nspi;

import dev.anywhere.rpc.dce.ContextHandle;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The NSPI sessions one association opened with NspiBind, by context handle. Kept in the association's scope, so a
 * handle from another connection (or another interface) is unknown here, as the strict and type-strict context
 * handles of [MS-OXNSPI] 3.1.4 require. Touched only on the association's event loop.
 */
final class NspiSessions {

    /** One NspiBind: the code page it bound with (the default for calls that carry none). */
    record Session(ContextHandle handle, int codePage) {
    }

    private final Map<UUID, Session> sessions = new HashMap<>();

    int size() {
        return sessions.size();
    }

    Session open(int codePage) {
        UUID id = UUID.randomUUID();
        Session s = new Session(new ContextHandle(0, id), codePage);
        sessions.put(id, s);
        return s;
    }

    Optional<Session> find(ContextHandle h) {
        return h.attributes() == 0 ? Optional.ofNullable(sessions.get(h.uuid())) : Optional.empty();
    }

    boolean close(ContextHandle h) {
        return find(h).isPresent() && sessions.remove(h.uuid()) != null;
    }
}
