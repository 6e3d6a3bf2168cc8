package dev.anywhere.server.endpoints;

import java.util.Objects;

/**
 * Who made a call and how the association protecting it is secured, as a stub sees it through
 * {@link RpcCall#security()}.
 *
 * @param level the association's authentication level ({@link Level#NONE} for an unauthenticated bind)
 * @param user the account name from the NTLM AUTHENTICATE message; empty when anonymous
 * @param domain the domain name from the NTLM AUTHENTICATE message (may be empty for an authenticated user)
 * @see [MS-RPCE] 2.2.1.1.8 Authentication Levels
 */
public record CallSecurity(Level level, String user, String domain) {

    /** An unauthenticated association (no auth verifier at bind). */
    public static final CallSecurity NONE = new CallSecurity(Level.NONE, "", "");

    /** The authentication level, as the sec_trailer's {@code auth_level} names it. */
    public enum Level {
        /** No authentication: the bind carried no auth verifier. */
        NONE(1),
        /** RPC_C_AUTHN_LEVEL_CONNECT: authenticated at bind, PDUs unprotected. */
        CONNECT(2),
        /** RPC_C_AUTHN_LEVEL_PKT_INTEGRITY: every PDU signed. */
        INTEGRITY(5),
        /** RPC_C_AUTHN_LEVEL_PKT_PRIVACY: every PDU signed and its stub sealed. */
        PRIVACY(6);

        private final int wire;

        Level(int wire) {
            this.wire = wire;
        }

        /** The {@code auth_level} byte. */
        public int wire() {
            return wire;
        }

        /** True if PDUs at this level carry a signature. */
        public boolean signs() {
            return this == INTEGRITY || this == PRIVACY;
        }
    }

    public CallSecurity {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(domain, "domain");
        if (level == Level.NONE && !(user.isEmpty() && domain.isEmpty())) {
            throw new IllegalArgumentException("user: \"" + user + "\" (expected: empty at level NONE)");
        }
    }

    /**
     * True if no account stands behind the call: no authentication, or NTLM anonymous (empty user name,
     * [MS-NLMP] 3.2.5.1.2).
     */
    public boolean anonymous() {
        return user.isEmpty();
    }
}
