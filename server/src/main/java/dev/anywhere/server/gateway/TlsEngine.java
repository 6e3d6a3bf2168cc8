package dev.anywhere.server.gateway;

import dev.anywhere.rpc.input.InvalidValue;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.OpenSslPrivateKeyMethod;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.internal.tcnative.SSL;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * The TLS implementation behind the gateway's SslHandler: BoringSSL (netty-tcnative) where it loads, the JDK's
 * SSLEngine otherwise. Measured on the 2-core VM (docs/performance.md): a full TLS 1.3 RSA-2048 handshake costs the
 * gateway about 0.45 ms of CPU with BoringSSL and the RSA signature by the system's libcrypto ({@link LibcryptoRsaSigner};
 * 0.67 ms with BoringSSL's own) against 2–3 ms with the JDK (nginx: 0.39 ms), and bulk records about 0.13 against 0.34
 * CPU s per GiB. {@code -Danywhere.tls.provider=jdk} forces the JDK's. Both get the same {@link TlsPolicy}.
 */
public final class TlsEngine {

    /** System property: {@code openssl} (the default where available) or {@code jdk}. */
    public static final String PROPERTY = "anywhere.tls.provider";

    private TlsEngine() {
    }

    /** The provider the gateway's server contexts use. */
    public static SslProvider serverProvider() {
        String wanted = System.getProperty(PROPERTY, "openssl").trim().toLowerCase(Locale.ROOT);
        return wanted.equals("jdk") || !OpenSsl.isAvailable() ? SslProvider.JDK : SslProvider.OPENSSL;
    }

    /** A server context from PEM files, with the default {@link TlsPolicy#intermediate()}. */
    public static SslContext server(File certificateChain, File privateKey) throws SSLException {
        return server(certificateChain, privateKey, TlsPolicy.intermediate());
    }

    /**
     * A server context from PEM files (certificate chain; unencrypted PKCS#8 key, else whatever Netty reads). A file
     * the gateway cannot use is an {@link InvalidValue} naming it, before anything listens: no certificate
     * ({@code tls.cert-file}), no key it can read ({@code tls.key-file}), an encrypted key ({@code tls.key-encrypted}),
     * a key neither RSA nor EC ({@code tls.key-algorithm}), a PKCS#8 key that is not the first certificate's
     * ({@code tls.key-mismatch}; else every handshake would fail). The readers' own messages name their exception
     * classes, so they stay in the cause.
     */
    public static SslContext server(File certificateChain, File privateKey, TlsPolicy policy) throws SSLException {
        X509Certificate[] chain = certificates(certificateChain.toPath());
        Optional<PrivateKey> pkcs8 = pkcs8(privateKey.toPath());
        if (pkcs8.isPresent()) {
            requireMatch(pkcs8.get(), chain[0], privateKey.toPath());
            if (serverProvider() == SslProvider.OPENSSL) {
                return server(policy, pkcs8.get(), chain);
            }
        }
        SslContextBuilder builder;
        try {
            builder = SslContextBuilder.forServer(certificateChain, privateKey);
        } catch (IllegalArgumentException e) {
            // the chain was read above: what Netty's reader refused is the key
            throw keyFile(privateKey.toPath(), e);
        }
        return checked(apply(builder.sslProvider(serverProvider()), policy), policy);
    }

    private static X509Certificate[] certificates(Path file) {
        try {
            return readChain(file);
        } catch (IOException | GeneralSecurityException e) {
            throw refused("tls.cert-file", file, "certificate file " + file + ": no certificate (expected: PEM CERTIFICATE blocks)", e);
        }
    }

    /** The unencrypted PKCS#8 key in {@code file}; empty when it holds another form, which Netty's reader may know. */
    private static Optional<PrivateKey> pkcs8(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw keyFile(file, e);
        }
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED")) {
            throw refused("tls.key-encrypted", file, "key file " + file + ": encrypted (expected: an unencrypted PRIVATE KEY block)", null);
        }
        if (!text.contains(PKCS8_BEGIN)) {
            return Optional.empty();
        }
        PKCS8EncodedKeySpec spec;
        try {
            spec = pkcs8Spec(text, file);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw keyFile(file, e);
        }
        Optional<PrivateKey> key = firstOf(SERVED, spec);
        if (key.isEmpty() && firstOf(OTHERS, spec).isPresent()) {
            throw refused("tls.key-algorithm", file, "key file " + file + ": neither an RSA nor an EC key (expected: RSA or EC)", null);
        }
        return Optional.of(key.orElseThrow(() -> keyFile(file, null)));
    }

    /**
     * Refuses a key that is not the first certificate's: a signature by the key must verify with the certificate's
     * public key (RSA or ECDSA, as the handshake's CertificateVerify would).
     */
    private static void requireMatch(PrivateKey key, X509Certificate leaf, Path keyFile) {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] probe = "anywhere gateway key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a certificate for another algorithm: not this key's either
        }
        throw refused("tls.key-mismatch", keyFile, "key file " + keyFile + ": not the key of the certificate (expected: the private key of "
                + "the chain's first certificate)", null);
    }

    private static InvalidValue keyFile(Path file, Exception cause) {
        return refused("tls.key-file", file, "key file " + file + ": no private key that can be read (expected: an unencrypted "
                + "PRIVATE KEY block)", cause);
    }

    private static InvalidValue refused(String key, Path file, String message, Exception cause) {
        InvalidValue refusal = new InvalidValue(key, file.toString(), message);
        if (cause != null) {
            refusal.initCause(cause);
        }
        return refusal;
    }

    /**
     * A server context from a key and its chain (leaf first), with the default {@link TlsPolicy#intermediate()}.
     * With BoringSSL the key goes through Netty's caching key manager: otherwise Netty hands key and chain to
     * BoringSSL anew (encode, parse) in every handshake, which costs about a fifth of a handshake here. An RSA key's
     * signatures go to the system's OpenSSL 3 where it loads ({@link LibcryptoRsaSigner}: half BoringSSL's cost per
     * RSA-2048 signature).
     */
    public static SslContext server(PrivateKey key, X509Certificate... chain) throws SSLException {
        return server(TlsPolicy.intermediate(), key, chain);
    }

    /** As {@link #server(PrivateKey, X509Certificate...)} with {@code policy}. */
    public static SslContext server(TlsPolicy policy, PrivateKey key, X509Certificate... chain) throws SSLException {
        return checked(serverBuilder(key, chain, rsaKeyMethod(key, chain), policy), policy);
    }

    /**
     * The builder behind {@link #server(PrivateKey, X509Certificate...)}, with the default policy, for callers that
     * restrict protocols, suites or groups further (the TLS benchmark).
     */
    public static SslContextBuilder serverBuilder(PrivateKey key, X509Certificate... chain) throws SSLException {
        return serverBuilder(key, chain, rsaKeyMethod(key, chain), TlsPolicy.intermediate());
    }

    private static Optional<OpenSslPrivateKeyMethod> rsaKeyMethod(PrivateKey key, X509Certificate[] chain) {
        return serverProvider() == SslProvider.OPENSSL
                ? LibcryptoRsaSigner.forKey(key, chain[0].getPublicKey()).map(signer -> new FallbackKeyMethod(signer, key))
                : Optional.empty();
    }

    /**
     * As {@link #serverBuilder(PrivateKey, X509Certificate...)} with the given private-key method for BoringSSL (tests
     * count its operations or make it fail) and policy.
     */
    static SslContextBuilder serverBuilder(PrivateKey key, X509Certificate[] chain, Optional<? extends OpenSslPrivateKeyMethod> keyMethod,
            TlsPolicy policy) throws SSLException {
        if (serverProvider() == SslProvider.JDK) {
            return apply(SslContextBuilder.forServer(key, chain).sslProvider(SslProvider.JDK), policy);
        }
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("gateway", key, password, chain);
            KeyManagerFactory keys = keyMethod.isPresent() ? new KeylessKeyManagerFactory()
                    : KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyManagerFactory kmf = new OpenSslCachingX509KeyManagerFactory(keys);
            kmf.init(store, password);
            SslContextBuilder builder = SslContextBuilder.forServer(kmf).sslProvider(SslProvider.OPENSSL);
            keyMethod.ifPresent(method -> builder.option(OpenSslContextOption.PRIVATE_KEY_METHOD, method));
            return apply(builder, policy);
        } catch (IOException | GeneralSecurityException e) {
            throw new SSLException("gateway certificate: " + e.getMessage(), e);
        }
    }

    private static SslContextBuilder apply(SslContextBuilder builder, TlsPolicy policy) {
        // Names the provider does not know are dropped here and reported by checked(): the JDK's own filter would
        // only fail later, on the first connection.
        return builder.protocols(policy.protocols()).ciphers(policy.cipherSuites(), SupportedCipherSuiteFilter.INSTANCE);
    }

    /**
     * Builds, and refuses a policy whose cipher suites the provider does not all know: an {@link SSLException} as every
     * other failure to build a context, its cause the keyed refusal ({@code tls.cipher-unsupported}: the suites, and the
     * provider as {@code engine}) a user interface says in its reader's language.
     */
    private static SslContext checked(SslContextBuilder builder, TlsPolicy policy) throws SSLException {
        SslContext context = builder.build();
        List<String> unknown = policy.cipherSuites().stream().filter(s -> !context.cipherSuites().contains(s)).toList();
        if (!unknown.isEmpty()) {
            String suites = String.join(", ", unknown);
            String message = "TLS cipher suites not supported by " + describe() + ": " + suites;
            throw new SSLException(message, new InvalidValue("tls.cipher-unsupported", suites, Map.of("engine", describe()), message));
        }
        return policy.sessionTickets() || serverProvider() != SslProvider.OPENSSL ? context : new WithoutSessionTickets(context);
    }

    /**
     * BoringSSL without session tickets: no TLS 1.2 ticket extension and no NewSessionTicket after a TLS 1.3
     * handshake. Netty clears the context's no-ticket option on every TLS 1.3 engine (following the JDK's
     * {@code jdk.tls.server.enableSessionTicketExtension}), so the option is set again on each engine, before its
     * handshake. The JDK (17) has no such switch per context; with it the JDK's defaults apply (docs/standards.md).
     */
    private static final class WithoutSessionTickets extends DelegatingSslContext {
        WithoutSessionTickets(SslContext context) {
            super(context);
        }

        @Override
        protected void initEngine(SSLEngine engine) {
            if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
                SSL.setOptions(openSsl.sslPointer(), SSL.SSL_OP_NO_TICKET);
            }
        }
    }

    static X509Certificate[] readChain(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            X509Certificate[] chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(X509Certificate[]::new);
            if (chain.length == 0) {
                throw new GeneralSecurityException("no certificate in " + pem);
            }
            return chain;
        }
    }

    static PrivateKey readPkcs8(Path pem) throws IOException, GeneralSecurityException {
        return firstOf(SERVED, pkcs8Spec(Files.readString(pem, StandardCharsets.US_ASCII), pem))
                .orElseThrow(() -> new GeneralSecurityException("neither an RSA nor an EC key: " + pem));
    }

    private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
    /** The key algorithms the gateway serves with. */
    private static final String[] SERVED = {"RSA", "EC"};
    /** Algorithms the JDK reads that the gateway does not serve with: a key of one is refused as such. */
    private static final String[] OTHERS = {"Ed25519", "Ed448", "DSA", "X25519", "X448"};

    /** The first unencrypted PKCS#8 block of {@code text}; IllegalArgumentException when its base64 is broken. */
    private static PKCS8EncodedKeySpec pkcs8Spec(String text, Path pem) throws GeneralSecurityException {
        int begin = text.indexOf(PKCS8_BEGIN);
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException("no unencrypted PKCS#8 key in " + pem);
        }
        return new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(text.substring(begin + PKCS8_BEGIN.length(), end)));
    }

    /** The key in {@code spec} by the first of {@code algorithms} that reads it. */
    private static Optional<PrivateKey> firstOf(String[] algorithms, PKCS8EncodedKeySpec spec) {
        for (String algorithm : algorithms) {
            try {
                return Optional.of(KeyFactory.getInstance(algorithm).generatePrivate(spec));
            } catch (GeneralSecurityException e) {
                // try the next
            }
        }
        return Optional.empty();
    }

    /**
     * For logs and reports, e.g. "OpenSSL (BoringSSL; RSA signatures: OpenSSL 3.0.19 27 Jan 2026)" or "JDK (tcnative
     * unavailable: ...)".
     */
    public static String describe() {
        if (serverProvider() == SslProvider.OPENSSL) {
            String why = LibcryptoRsaSigner.unavailability();
            return "OpenSSL (" + OpenSsl.versionString() + "; RSA signatures: "
                    + (why == null ? LibcryptoRsaSigner.libraryVersion() : "BoringSSL, " + why) + ")";
        }
        return OpenSsl.isAvailable() ? "JDK (" + PROPERTY + "=jdk)" : "JDK (tcnative unavailable: " + OpenSsl.unavailabilityCause() + ")";
    }
}
