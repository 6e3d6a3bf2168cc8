package dev.anywhere.server.gateway;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import io.netty.handler.ssl.OpenSslPrivateKeyMethod;
import java.lang.ref.Cleaner;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLEngine;

/**
 * The gateway's RSA private-key operations done by the system's OpenSSL 3 (libcrypto.so.3, reached through JNA) while
 * BoringSSL (netty-tcnative) runs the rest of the handshake. Why: the server's RSA-2048 signature is most of a full
 * handshake's CPU, and OpenSSL 3 signs in about 0.22 ms on the 2-core VM (AVX-512 IFMA Montgomery code) against about
 * 0.45 ms for the BoringSSL inside tcnative, so this roughly halves the gateway's handshake cost (docs/performance.md).
 * nginx uses the same libcrypto, which makes the handshake comparison like for like. BoringSSL hands every signature
 * to {@link OpenSslPrivateKeyMethod} once it is installed, so this class covers every algorithm BoringSSL can ask for
 * with an RSA key. EC keys stay with BoringSSL, whose P-256 code is as fast as OpenSSL's.
 *
 * <p>{@link #forKey} checks the whole path once (a PSS signature verified by the JDK against the certificate's public
 * key) and returns empty when libcrypto 3 is missing or disagrees; the gateway then signs with BoringSSL as before.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8446#section-4.4.3">RFC 8446 4.4.3</a> (RSASSA-PSS, salt = hash length)
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8017#section-8.1">RFC 8017 8.1</a>
 */
final class LibcryptoRsaSigner implements OpenSslPrivateKeyMethod {

    /** System property: {@code libcrypto} (the default where it loads) or {@code boringssl}. */
    static final String PROPERTY = "anywhere.tls.rsa";

    private static final int RSA_PKCS1_PADDING = 1;
    private static final int RSA_NO_PADDING = 3;
    private static final int RSA_PKCS1_PSS_PADDING = 6;
    private static final int RSA_PSS_SALTLEN_DIGEST = -1;
    private static final Cleaner CLEANER = Cleaner.create();

    /** The few libcrypto 3 entry points used; OpenSSL 3 exports the EVP_PKEY_CTX_set_rsa_* helpers as functions. */
    interface Libcrypto extends Library {
        long OpenSSL_version_num();

        String OpenSSL_version(int type);

        Pointer d2i_AutoPrivateKey(Pointer reuse, PointerByReference derCursor, long length);

        void EVP_PKEY_free(Pointer key);

        Pointer EVP_get_digestbyname(String name);

        Pointer EVP_MD_CTX_new();

        void EVP_MD_CTX_free(Pointer ctx);

        int EVP_DigestSignInit(Pointer ctx, PointerByReference keyCtx, Pointer md, Pointer engine, Pointer key);

        int EVP_DigestSign(Pointer ctx, byte[] signature, LongByReference signatureLength, byte[] message, long messageLength);

        Pointer EVP_PKEY_CTX_new(Pointer key, Pointer engine);

        void EVP_PKEY_CTX_free(Pointer ctx);

        int EVP_PKEY_decrypt_init(Pointer ctx);

        int EVP_PKEY_decrypt(Pointer ctx, byte[] out, LongByReference outLength, byte[] in, long inLength);

        int EVP_PKEY_CTX_set_rsa_padding(Pointer ctx, int padding);

        int EVP_PKEY_CTX_set_rsa_pss_saltlen(Pointer ctx, int saltLength);
    }

    private static final class Loaded {
        static final Libcrypto LIB;
        static final String UNAVAILABLE;

        static {
            Libcrypto lib = null;
            String why = null;
            try {
                if (Native.SIZE_T_SIZE != 8) {
                    why = "not a 64-bit platform";
                } else {
                    lib = Native.load("libcrypto.so.3", Libcrypto.class);
                    if (lib.OpenSSL_version_num() < 0x3000_0000L) {
                        why = "libcrypto.so.3 reports " + lib.OpenSSL_version(0);
                        lib = null;
                    }
                }
            } catch (LinkageError | RuntimeException e) {
                why = "libcrypto.so.3 not loadable: " + e.getMessage();
                lib = null;
            }
            LIB = lib;
            UNAVAILABLE = why;
        }
    }

    /** The EVP_PKEY, freed when the signer (and with it the SslContext) is gone. */
    private static final class NativeKey implements Runnable {
        private final Pointer key;

        NativeKey(Pointer key) {
            this.key = key;
        }

        @Override
        public void run() {
            Loaded.LIB.EVP_PKEY_free(key);
        }
    }

    private final Libcrypto lib;
    private final Pointer key;
    private final int modulusBytes;
    private final LongAdder operations = new LongAdder();

    private LibcryptoRsaSigner(Libcrypto lib, Pointer key, int modulusBytes) {
        this.lib = lib;
        this.key = key;
        this.modulusBytes = modulusBytes;
        CLEANER.register(this, new NativeKey(key));
    }

    /**
     * A signer for {@code key}, or empty (with the reason in {@link #unavailability}) when the key is not RSA, the
     * property says {@code boringssl}, libcrypto 3 does not load, or its signature does not verify against
     * {@code publicKey}.
     */
    static Optional<LibcryptoRsaSigner> forKey(PrivateKey key, PublicKey publicKey) {
        if (!(key instanceof RSAPrivateKey rsa) || unavailability() != null) {
            return Optional.empty();
        }
        byte[] der = key.getEncoded();
        if (der == null) {
            return Optional.empty(); // a key that does not export (an HSM's): BoringSSL's key material path decides
        }
        Memory buffer = new Memory(der.length);
        buffer.write(0, der, 0, der.length);
        Arrays.fill(der, (byte) 0);
        Pointer evpKey = Loaded.LIB.d2i_AutoPrivateKey(null, new PointerByReference(buffer), der.length);
        buffer.clear();
        if (evpKey == null) {
            return Optional.empty();
        }
        LibcryptoRsaSigner signer = new LibcryptoRsaSigner(Loaded.LIB, evpKey, (rsa.getModulus().bitLength() + 7) / 8);
        return signer.selfTestPasses(publicKey) ? Optional.of(signer) : Optional.empty();
    }

    /** Why no signer is made, or null when libcrypto 3 is there and wanted. */
    static String unavailability() {
        if (System.getProperty(PROPERTY, "libcrypto").trim().equalsIgnoreCase("boringssl")) {
            return PROPERTY + "=boringssl";
        }
        return Loaded.UNAVAILABLE;
    }

    /** For {@link TlsEngine#describe()}: e.g. "OpenSSL 3.0.19 27 Jan 2026"; only when {@link #unavailability} is null. */
    static String libraryVersion() {
        return Loaded.LIB.OpenSSL_version(0);
    }

    /** Signatures and decryptions done so far, the self-test included. */
    long operations() {
        return operations.sum();
    }

    @Override
    public byte[] sign(SSLEngine engine, int signatureAlgorithm, byte[] input) throws GeneralSecurityException {
        Scheme scheme = Scheme.of(signatureAlgorithm);
        operations.increment();
        Pointer md = lib.EVP_get_digestbyname(scheme.digest);
        Pointer ctx = lib.EVP_MD_CTX_new();
        if (md == null || ctx == null) {
            throw new GeneralSecurityException("libcrypto: no " + scheme.digest);
        }
        try {
            PointerByReference keyCtx = new PointerByReference();
            // keyCtx belongs to ctx: EVP_MD_CTX_free releases it
            if (lib.EVP_DigestSignInit(ctx, keyCtx, md, null, key) != 1
                    || lib.EVP_PKEY_CTX_set_rsa_padding(keyCtx.getValue(), scheme.padding) != 1
                    || (scheme.padding == RSA_PKCS1_PSS_PADDING
                            && lib.EVP_PKEY_CTX_set_rsa_pss_saltlen(keyCtx.getValue(), RSA_PSS_SALTLEN_DIGEST) != 1)) {
                throw new GeneralSecurityException("libcrypto: cannot set up " + scheme);
            }
            byte[] signature = new byte[modulusBytes];
            LongByReference length = new LongByReference(signature.length);
            if (lib.EVP_DigestSign(ctx, signature, length, input, input.length) != 1) {
                throw new GeneralSecurityException("libcrypto: " + scheme + " signature failed");
            }
            return length.getValue() == signature.length ? signature : Arrays.copyOf(signature, (int) length.getValue());
        } finally {
            lib.EVP_MD_CTX_free(ctx);
        }
    }

    /**
     * The raw RSA decryption of a TLS 1.2 RSA key exchange: BoringSSL checks the PKCS#1 padding itself, in constant
     * time, so libcrypto must not.
     */
    @Override
    public byte[] decrypt(SSLEngine engine, byte[] input) throws GeneralSecurityException {
        operations.increment();
        Pointer ctx = lib.EVP_PKEY_CTX_new(key, null);
        if (ctx == null) {
            throw new GeneralSecurityException("libcrypto: no key context");
        }
        try {
            byte[] out = new byte[modulusBytes];
            LongByReference length = new LongByReference(out.length);
            if (lib.EVP_PKEY_decrypt_init(ctx) != 1 || lib.EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) != 1
                    || lib.EVP_PKEY_decrypt(ctx, out, length, input, input.length) != 1) {
                throw new GeneralSecurityException("libcrypto: RSA decryption failed");
            }
            return length.getValue() == out.length ? out : Arrays.copyOf(out, (int) length.getValue());
        } finally {
            lib.EVP_PKEY_CTX_free(ctx);
        }
    }

    private boolean selfTestPasses(PublicKey publicKey) {
        byte[] message = "anywhere: libcrypto RSA-PSS self-test".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            byte[] signature = sign(null, SSL_SIGN_RSA_PSS_RSAE_SHA256, message);
            Signature verifier = Signature.getInstance("RSASSA-PSS");
            verifier.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            verifier.initVerify(publicKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** BoringSSL's SSL_SIGN_* codes (the TLS SignatureScheme values) for RSA keys. */
    enum Scheme {
        PKCS1_MD5_SHA1(SSL_SIGN_RSA_PKCS1_MD5_SHA1, "MD5-SHA1", RSA_PKCS1_PADDING),
        PKCS1_SHA1(SSL_SIGN_RSA_PKCS1_SHA1, "SHA1", RSA_PKCS1_PADDING),
        PKCS1_SHA256(SSL_SIGN_RSA_PKCS1_SHA256, "SHA256", RSA_PKCS1_PADDING),
        PKCS1_SHA384(SSL_SIGN_RSA_PKCS1_SHA384, "SHA384", RSA_PKCS1_PADDING),
        PKCS1_SHA512(SSL_SIGN_RSA_PKCS1_SHA512, "SHA512", RSA_PKCS1_PADDING),
        PSS_SHA256(SSL_SIGN_RSA_PSS_RSAE_SHA256, "SHA256", RSA_PKCS1_PSS_PADDING),
        PSS_SHA384(SSL_SIGN_RSA_PSS_RSAE_SHA384, "SHA384", RSA_PKCS1_PSS_PADDING),
        PSS_SHA512(SSL_SIGN_RSA_PSS_RSAE_SHA512, "SHA512", RSA_PKCS1_PSS_PADDING);

        final int code;
        final String digest;
        final int padding;

        Scheme(int code, String digest, int padding) {
            this.code = code;
            this.digest = digest;
            this.padding = padding;
        }

        static Scheme of(int code) throws GeneralSecurityException {
            for (Scheme scheme : values()) {
                if (scheme.code == code) {
                    return scheme;
                }
            }
            throw new GeneralSecurityException("signature scheme 0x" + Integer.toHexString(code) + " is not an RSA scheme");
        }
    }
}
