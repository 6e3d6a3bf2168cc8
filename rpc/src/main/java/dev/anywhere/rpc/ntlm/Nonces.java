package dev.anywhere.rpc.ntlm;

import java.security.SecureRandom;

/** Source of NONCE(n): random bytes for challenges and session keys; replaceable in tests. */
@FunctionalInterface
interface Nonces {

    /** {@code n} fresh random bytes. */
    byte[] next(int n);

    /** The shared {@link SecureRandom} source (SecureRandom is thread-safe). */
    static Nonces secure() {
        return Holder.SECURE;
    }

    /** Lazily created shared instance. */
    final class Holder {
        private static final SecureRandom RANDOM = new SecureRandom();
        static final Nonces SECURE = n -> {
            byte[] b = new byte[n];
            RANDOM.nextBytes(b);
            return b;
        };

        private Holder() {
        }
    }
}
