package dev.anywhere.analyzer.rpch;

import dev.anywhere.rpc.httpauth.HttpBasic;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import java.util.Objects;

/**
 * HTTP authentication to the RPC proxy, done separately on every HTTP connection (NTLM is connection-bound).
 *
 * @see [MS-RPCH] 2.1.2.1 Client to Proxy (HTTP authentication)
 */
public sealed interface ProxyAuth {

    /** The account as shown in messages ({@code FRANKYSWEB\franky}); never the password. */
    String account();

    /** No {@code Authorization} header (anonymous proxy). */
    record None() implements ProxyAuth {
        @Override
        public String account() {
            return "anonymous";
        }
    }

    /** RFC 7617 Basic with {@code DOMAIN&#92;user:password}, as Outlook sends it; a user with ':' is refused here. */
    record Basic(String user, String password) implements ProxyAuth {
        public Basic {
            new HttpBasic(user, password); // its null checks and RFC 7617's colon rule, before any request
        }

        /** The {@code Authorization} value. */
        public String authorization() {
            return new HttpBasic(user, password).authorization();
        }

        @Override
        public String account() {
            return user;
        }

        @Override
        public String toString() {
            return "Basic[" + user + ", password=<redacted>]";
        }
    }

    /** NTLM ([MS-NTHT]): NEGOTIATE with Content-Length 0, the 401 CHALLENGE, then AUTHENTICATE on the real request. */
    record Ntlm(NtlmCredentials credentials, String workstation) implements ProxyAuth {
        public Ntlm {
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(workstation, "workstation");
        }

        @Override
        public String account() {
            return credentials.domain().isEmpty() ? credentials.user() : credentials.domain() + "\\" + credentials.user();
        }
    }

    static ProxyAuth none() {
        return new None();
    }
}
