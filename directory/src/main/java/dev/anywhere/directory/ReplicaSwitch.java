package dev.anywhere.directory;

import java.net.URI;
import java.util.Objects;

/**
 * A directory client moved from one replica to another: away from one it could not reach, or back to a nearer one
 * that answers again and has caught up.
 *
 * @param from the replica it used
 * @param to the replica it uses now
 * @param nearest whether {@code to} is the first (nearest) of its list
 * @param reason why, in English, without credentials (the LDAP operation and result code, or "caught up")
 */
public record ReplicaSwitch(URI from, URI to, boolean nearest, String reason) {

    public ReplicaSwitch {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
    }
}
