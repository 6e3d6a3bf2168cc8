package dev.anywhere.analyzer.rpch;

import dev.anywhere.rpc.dce.AuthVerifier;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import java.util.Locale;
import java.util.Objects;

/**
 * DCE/RPC authentication of a binding (rpcping's {@code /a}): NTLM (RPC_C_AUTHN_WINNT) at CONNECT, PKT_INTEGRITY
 * or PKT_PRIVACY, with the same account as the HTTP leg. Outlook binds to the store and the address book at
 * PKT_PRIVACY.
 *
 * @param level {@link AuthVerifier#LEVEL_CONNECT}, {@link AuthVerifier#LEVEL_PKT_INTEGRITY} or
 *     {@link AuthVerifier#LEVEL_PKT_PRIVACY}
 * @see [MS-RPCE] 2.2.1.1.8 Authentication Levels
 */
public record RpcAuth(int level, NtlmCredentials credentials) {
    public RpcAuth {
        if (level != AuthVerifier.LEVEL_CONNECT && level != AuthVerifier.LEVEL_PKT_INTEGRITY
                && level != AuthVerifier.LEVEL_PKT_PRIVACY) {
            throw new IllegalArgumentException("auth level: " + level + " (expected: 2, 5 or 6)");
        }
        Objects.requireNonNull(credentials, "credentials");
    }

    /** PKT_PRIVACY, as Outlook binds. */
    public static RpcAuth privacy(NtlmCredentials credentials) {
        return new RpcAuth(AuthVerifier.LEVEL_PKT_PRIVACY, credentials);
    }

    /**
     * The level for a command line's word: {@code connect}, {@code integrity} or {@code privacy}; -1 for
     * {@code none}.
     *
     * @throws IllegalArgumentException for another word
     */
    public static int levelOf(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "none" -> -1;
            case "connect" -> AuthVerifier.LEVEL_CONNECT;
            case "integrity" -> AuthVerifier.LEVEL_PKT_INTEGRITY;
            case "privacy" -> AuthVerifier.LEVEL_PKT_PRIVACY;
            default -> throw new IllegalArgumentException("--rpc-auth: " + word
                    + " (expected: none, connect, integrity or privacy)");
        };
    }

    /** The level's word, e.g. {@code privacy}. */
    public String levelName() {
        return level == AuthVerifier.LEVEL_CONNECT ? "connect"
                : level == AuthVerifier.LEVEL_PKT_INTEGRITY ? "integrity" : "privacy";
    }

    /** Never the credentials' secrets. */
    @Override
    public String toString() {
        return "RpcAuth[" + levelName() + " as " + credentials.domain() + "\\" + credentials.user() + "]";
    }
}
