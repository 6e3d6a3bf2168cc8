package dev.anywhere.autodiscover.discovery;

import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to look up Autodiscover service connection points.
 *
 * @param host the LDAP server (a domain controller)
 * @param port the LDAP port (389)
 * @param bindDn the DN to bind as; empty for an anonymous search
 * @param bindPassword the bind password
 * @param clientSite the client's AD site; SCPs with {@code Site=<this>} come first
 * @see [MS-OXDISCO] 3.1.5 Message Processing Events and Sequencing Rules (SCP lookup)
 */
public record ScpSettings(String host, int port, Optional<String> bindDn, Optional<String> bindPassword,
        Optional<String> clientSite) {

    public ScpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(bindDn, "bindDn");
        Objects.requireNonNull(bindPassword, "bindPassword");
        Objects.requireNonNull(clientSite, "clientSite");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("ldap port: " + port + " (expected: 1..65535)");
        }
    }

    public static ScpSettings anonymous(String host, int port, String clientSite) {
        return new ScpSettings(host, port, Optional.empty(), Optional.empty(), Optional.ofNullable(clientSite));
    }
}
