package dev.anywhere.server.gateway;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
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
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

/**
 * The TLS implementation behind the gateway's SslHandler: BoringSSL (netty-tcnative) where it loads, the JDK's
 * SSLEngine otherwise. Measured on the 2-core VM (docs/performance.md): a full TLS 1.3 RSA-2048 handshake costs the
 * gateway about 0.45 ms of CPU with BoringSSL and the RSA signature by the system's libcrypto ({@link LibcryptoRsaSigner};
 * 0.67 ms with BoringSSL's own) against 2–3 ms with the JDK (nginx: 0.39 ms), and bulk records about 0.13 against 0.34
 * CPU s per GiB. {@code -Danywhere.tls.provider=jdk} forces the JDK's.
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

    /** A server context from PEM files (certificate chain; unencrypted PKCS#8 key, else whatever Netty reads). */
    public static SslContext server(File certificateChain, File privateKey) throws SSLException {
        if (serverProvider() == SslProvider.OPENSSL) {
            try {
                return server(readPkcs8(privateKey.toPath()), readChain(certificateChain.toPath()));
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                // not an unencrypted PKCS#8 key: Netty's own reader, without the key cache
            }
        }
        return SslContextBuilder.forServer(certificateChain, privateKey).sslProvider(serverProvider()).build();
    }

    /**
     * A server context from a key and its chain (leaf first). With BoringSSL the key goes through Netty's caching key
     * manager: otherwise Netty hands key and chain to BoringSSL anew (encode, parse) in every handshake, which costs
     * about a fifth of a handshake here. An RSA key's signatures go to the system's OpenSSL 3 where it loads
     * ({@link LibcryptoRsaSigner}: half BoringSSL's cost per RSA-2048 signature).
     */
    public static SslContext server(PrivateKey key, X509Certificate... chain) throws SSLException {
        return serverBuilder(key, chain).build();
    }

    /**
     * The builder behind {@link #server(PrivateKey, X509Certificate...)}, for callers that restrict protocols, suites
     * or groups (the TLS benchmark).
     */
    public static SslContextBuilder serverBuilder(PrivateKey key, X509Certificate... chain) throws SSLException {
        return serverBuilder(key, chain, serverProvider() == SslProvider.OPENSSL
                ? LibcryptoRsaSigner.forKey(key, chain[0].getPublicKey()) : Optional.empty());
    }

    /** As {@link #serverBuilder(PrivateKey, X509Certificate...)} with the given signer (tests count its operations). */
    static SslContextBuilder serverBuilder(PrivateKey key, X509Certificate[] chain, Optional<LibcryptoRsaSigner> rsaSigner)
            throws SSLException {
        if (serverProvider() == SslProvider.JDK) {
            return SslContextBuilder.forServer(key, chain).sslProvider(SslProvider.JDK);
        }
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("gateway", key, password, chain);
            KeyManagerFactory keys = rsaSigner.isPresent() ? new KeylessKeyManagerFactory()
                    : KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyManagerFactory kmf = new OpenSslCachingX509KeyManagerFactory(keys);
            kmf.init(store, password);
            SslContextBuilder builder = SslContextBuilder.forServer(kmf).sslProvider(SslProvider.OPENSSL);
            rsaSigner.ifPresent(signer -> builder.option(OpenSslContextOption.PRIVATE_KEY_METHOD, signer));
            return builder;
        } catch (IOException | GeneralSecurityException e) {
            throw new SSLException("gateway certificate: " + e.getMessage(), e);
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
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException("no unencrypted PKCS#8 key in " + pem);
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // try the next
            }
        }
        throw new GeneralSecurityException("neither an RSA nor an EC key: " + pem);
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
