package dev.anywhere.server.gateway;

import io.netty.handler.ssl.OpenSslPrivateKeyMethod;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Cipher;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private-key method BoringSSL calls during a handshake: the fast one ({@link LibcryptoRsaSigner}) first, and when
 * it fails in any way (an error from libcrypto, or an exception from the JNA call) the same operation with the same
 * key by the JDK. A broken libcrypto thus costs speed, never handshakes; and should the JDK fail too, BoringSSL gets a
 * plain failure and ends only that handshake with an alert.
 */
final class FallbackKeyMethod implements OpenSslPrivateKeyMethod {

    private static final Logger log = LoggerFactory.getLogger(FallbackKeyMethod.class);

    private final OpenSslPrivateKeyMethod primary;
    private final OpenSslPrivateKeyMethod fallback;
    private final LongAdder fallbacks = new LongAdder();

    FallbackKeyMethod(OpenSslPrivateKeyMethod primary, PrivateKey key) {
        this(primary, new JdkKeyMethod(key));
    }

    /** With another fallback: tests make it fail too. */
    FallbackKeyMethod(OpenSslPrivateKeyMethod primary, OpenSslPrivateKeyMethod fallback) {
        this.primary = primary;
        this.fallback = fallback;
    }

    /** How often the primary failed and the fallback was asked. */
    long fallbacks() {
        return fallbacks.sum();
    }

    @Override
    public byte[] sign(SSLEngine engine, int signatureAlgorithm, byte[] input) throws Exception {
        try {
            return primary.sign(engine, signatureAlgorithm, input);
        } catch (Exception | LinkageError e) {
            failed("signature", e);
            return fallback.sign(engine, signatureAlgorithm, input);
        }
    }

    @Override
    public byte[] decrypt(SSLEngine engine, byte[] input) throws Exception {
        try {
            return primary.decrypt(engine, input);
        } catch (Exception | LinkageError e) {
            failed("decryption", e);
            return fallback.decrypt(engine, input);
        }
    }

    private void failed(String what, Throwable e) {
        fallbacks.increment();
        // The first failure in full, the rest quietly: a broken library would otherwise log every handshake.
        if (fallbacks.sum() == 1) {
            log.warn("gateway TLS: the libcrypto RSA {} failed ({}); the JDK signs instead", what, e.getMessage());
        } else {
            log.debug("gateway TLS: the libcrypto RSA {} failed ({}); the JDK signs instead", what, e.getMessage());
        }
    }

    /** The JDK's RSA with the same key: the schemes BoringSSL asks for under the gateway's policy. */
    static final class JdkKeyMethod implements OpenSslPrivateKeyMethod {
        private final PrivateKey key;

        JdkKeyMethod(PrivateKey key) {
            this.key = key;
        }

        @Override
        public byte[] sign(SSLEngine engine, int signatureAlgorithm, byte[] input) throws GeneralSecurityException {
            Signature s = switch (LibcryptoRsaSigner.Scheme.of(signatureAlgorithm)) {
                case PKCS1_SHA1 -> Signature.getInstance("SHA1withRSA");
                case PKCS1_SHA256 -> Signature.getInstance("SHA256withRSA");
                case PKCS1_SHA384 -> Signature.getInstance("SHA384withRSA");
                case PKCS1_SHA512 -> Signature.getInstance("SHA512withRSA");
                case PSS_SHA256 -> pss("SHA-256", MGF1ParameterSpec.SHA256, 32);
                case PSS_SHA384 -> pss("SHA-384", MGF1ParameterSpec.SHA384, 48);
                case PSS_SHA512 -> pss("SHA-512", MGF1ParameterSpec.SHA512, 64);
                case PKCS1_MD5_SHA1 -> throw new GeneralSecurityException("the JDK has no MD5-SHA1 RSA signature (TLS 1.0/1.1)");
            };
            s.initSign(key);
            s.update(input);
            return s.sign();
        }

        /** The raw RSA decryption of a TLS 1.2 RSA key exchange; BoringSSL checks the padding. */
        @Override
        public byte[] decrypt(SSLEngine engine, byte[] input) throws GeneralSecurityException {
            Cipher rsa = Cipher.getInstance("RSA/ECB/NoPadding");
            rsa.init(Cipher.DECRYPT_MODE, key);
            return rsa.doFinal(input);
        }

        /** @see <a href="https://www.rfc-editor.org/rfc/rfc8446#section-4.2.3">RFC 8446 4.2.3</a> (salt = hash length) */
        private static Signature pss(String digest, MGF1ParameterSpec mgf, int salt) throws GeneralSecurityException {
            Signature s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec(digest, "MGF1", mgf, salt, 1));
            return s;
        }
    }
}
