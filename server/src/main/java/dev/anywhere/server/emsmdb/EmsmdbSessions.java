package dev.anywhere.server.emsmdb;

import dev.anywhere.rpc.dce.ContextHandle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The session contexts one association opened with EcDoConnectEx, by context handle. Kept in the association's
 * {@link dev.anywhere.server.endpoints.AssociationScope}, so a handle is meaningless on any other connection and
 * everything goes with the connection. Touched only on the association's event loop.
 */
final class EmsmdbSessions {

    /** One session context: the connected mailbox and its index (picxr). */
    static final class Session {
        final ContextHandle cxh;
        final MailboxIdentity mailbox;
        final int icxr;
        private int nextObjectHandle = 1;

        Session(ContextHandle cxh, MailboxIdentity mailbox, int icxr) {
            this.cxh = cxh;
            this.mailbox = mailbox;
            this.icxr = icxr;
        }

        /** A fresh server object handle for the handle table (never 0xFFFFFFFF). */
        int newObjectHandle() {
            return nextObjectHandle++;
        }
    }

    private final Map<UUID, Session> sessions = new LinkedHashMap<>();
    private int nextIcxr = 1;

    int size() {
        return sessions.size();
    }

    Session open(MailboxIdentity mailbox) {
        UUID id = UUID.randomUUID();
        Session s = new Session(new ContextHandle(0, id), mailbox, nextIcxr++ & 0xFFFF);
        sessions.put(id, s);
        return s;
    }

    Optional<Session> find(ContextHandle cxh) {
        return cxh.attributes() == 0 ? Optional.ofNullable(sessions.get(cxh.uuid())) : Optional.empty();
    }

    boolean close(ContextHandle cxh) {
        return find(cxh).isPresent() && sessions.remove(cxh.uuid()) != null;
    }
}
