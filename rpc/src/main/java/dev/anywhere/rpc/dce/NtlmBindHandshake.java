package dev.anywhere.rpc.dce;

import dev.anywhere.rpc.ntlm.NtlmClient;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.rpc.ntlm.NtlmSession;
import dev.anywhere.rpc.wire.Octets;
import java.util.Objects;

/**
 * The client's side of an NTLM-authenticated bind, without I/O: the bind's verifier (NEGOTIATE), then from the
 * bind_ack's verifier (CHALLENGE) the rpc_auth_3 verifier (AUTHENTICATE) and the association's {@link PduSecurity}
 * (which verifies the server's signatures on every response). One instance per association; not thread-safe.
 *
 * <pre>{@code
 * NtlmBindHandshake h = new NtlmBindHandshake(credentials, AuthVerifier.LEVEL_PKT_PRIVACY, 1);
 * send(bind with h.bindVerifier());  AuthVerifier challenge = bindAck.auth().orElseThrow();
 * send(new DcePdu.Auth3(flags, callId, Octets.zeros(4), Optional.of(h.auth3Verifier(challenge))));
 * PduSecurity security = h.security();
 * }</pre>
 *
 * @see [MS-RPCE] 3.3.1.5.2 Building and Using a Security Context
 */
public final class NtlmBindHandshake {

    private final NtlmClient ntlm;
    private final int level;
    private final int contextId;
    private PduSecurity security;

    /**
     * @param credentials who binds
     * @param level {@link AuthVerifier#LEVEL_CONNECT}, {@link AuthVerifier#LEVEL_PKT_INTEGRITY} or
     *     {@link AuthVerifier#LEVEL_PKT_PRIVACY}
     * @param contextId the auth_context_id to use
     */
    public NtlmBindHandshake(NtlmCredentials credentials, int level, int contextId) {
        if (level != AuthVerifier.LEVEL_CONNECT && level != AuthVerifier.LEVEL_PKT_INTEGRITY
                && level != AuthVerifier.LEVEL_PKT_PRIVACY) {
            throw new IllegalArgumentException("auth_level: " + level + " (expected: 2, 5 or 6)");
        }
        this.ntlm = new NtlmClient(Objects.requireNonNull(credentials, "credentials"));
        this.level = level;
        this.contextId = contextId;
    }

    /** The bind's (or alter_context's) verifier: NEGOTIATE. */
    public AuthVerifier bindVerifier() {
        return new AuthVerifier(AuthVerifier.AUTHN_WINNT, level, 0, contextId, Octets.of(ntlm.negotiate()));
    }

    /**
     * The rpc_auth_3 verifier answering the bind_ack's {@code challenge}.
     *
     * @throws DceSecurityException if the server's verifier names another auth type, level or context id
     * @throws dev.anywhere.rpc.ntlm.NtlmProtocolException if the CHALLENGE is malformed
     */
    public AuthVerifier auth3Verifier(AuthVerifier challenge) {
        if (challenge.authType() != AuthVerifier.AUTHN_WINNT || challenge.authLevel() != level
                || challenge.contextId() != contextId) {
            throw new DceSecurityException(DceSecurityException.Kind.BAD_VERIFIER, "bind_ack sec_trailer: auth_type "
                    + challenge.authType() + ", auth_level " + challenge.authLevel() + ", auth_context_id "
                    + Integer.toUnsignedString(challenge.contextId()) + " (expected: " + AuthVerifier.AUTHN_WINNT + ", "
                    + level + ", " + Integer.toUnsignedString(contextId) + " as sent in the bind)");
        }
        byte[] authenticate = ntlm.authenticate(challenge.authValue().toByteArray());
        security = new PduSecurity(level, contextId, NtlmSession.of(NtlmSession.Role.CLIENT, ntlm.exportedSessionKey(),
                ntlm.negotiatedFlags()));
        return new AuthVerifier(AuthVerifier.AUTHN_WINNT, level, 0, contextId, Octets.of(authenticate));
    }

    /** The association's protection, once {@link #auth3Verifier} has run. */
    public PduSecurity security() {
        if (security == null) {
            throw new IllegalStateException("ntlm bind handshake: no rpc_auth_3 yet (expected: auth3Verifier first)");
        }
        return security;
    }
}
