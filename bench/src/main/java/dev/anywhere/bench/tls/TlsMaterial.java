package dev.anywhere.bench.tls;

import dev.anywhere.lab.pki.CertificateAuthority;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.pki.IssuedCertificate;
import dev.anywhere.lab.pki.KeyType;
import dev.anywhere.lab.pki.Pem;
import dev.anywhere.lab.pki.Validity;
import dev.anywhere.server.gateway.TlsEngine;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The benchmark's TLS pieces, identical for nginx and for the gateway: one bench CA, one server certificate for
 * {@value #HOST} and {@value #AUTODISCOVER_HOST} (RSA 2048 by default: what Exchange deployments run, see
 * {@link #create(Path)}), TLS 1.3 only, {@value #SUITE} only, key exchange X25519 only.
 *
 * <p>Files in the directory (PEM): {@code ca.crt} / {@code ca.key} (the bench CA), {@code server.crt} (leaf first,
 * then the chain; no intermediate, the CA issues directly) and {@code server.key} (PKCS#8, owner-only). nginx reads
 * {@code server.crt} and {@code server.key}; another JVM gets the same material with {@link #load(Path)}.
 *
 * <p>Named groups: JDK 17 restricts them only through the process-wide system property {@code jdk.tls.namedGroups}
 * (read once, when JSSE is first used), which Netty's OpenSSL provider also honours; {@link #restrictNamedGroups()}
 * sets it and must run before the first TLS use of the process. The OpenSSL contexts here also get
 * {@link OpenSslContextOption#GROUPS} explicitly.
 */
public final class TlsMaterial {

    public static final String HOST = dev.anywhere.bench.load.Topology.PROXY_HOST;
    public static final String AUTODISCOVER_HOST = "autodiscover.bench.local";
    public static final String PROTOCOL = "TLSv1.3";
    public static final String SUITE = "TLS_AES_128_GCM_SHA256";
    /** The JDK's name of the only key-exchange group ({@code jdk.tls.namedGroups}). */
    public static final String GROUP = "x25519";
    /** OpenSSL's / nginx's name of the same group ({@code ssl_ecdh_curve}). */
    public static final String OPENSSL_GROUP = "X25519";
    public static final String CA_SUBJECT = "CN=Anywhere Bench CA,O=Anywhere Bench";

    public static final String CA_CERT = "ca.crt";
    public static final String SERVER_CERT = "server.crt";
    public static final String SERVER_KEY = "server.key";

    private final Path dir;
    private final X509Certificate ca;
    private final List<X509Certificate> chain;
    private final PrivateKey key;

    private TlsMaterial(Path dir, X509Certificate ca, List<X509Certificate> chain, PrivateKey key) {
        this.dir = dir;
        this.ca = ca;
        this.chain = List.copyOf(chain);
        this.key = key;
    }

    /**
     * A new bench CA and an RSA 2048 server certificate in {@code dir}. RSA 2048 because that is what Exchange
     * runs: {@code New-ExchangeCertificate} creates RSA 2048 keys by default, the public CAs' Exchange/UCC SAN
     * certificates are RSA 2048, and ECC certificates are only supported from Exchange 2016 CU23 / 2019 CU12 on (and
     * then as an opt-in). RSA also prices the handshake pessimistically: the server's RSA signature dominates it.
     */
    public static TlsMaterial create(Path dir) {
        return create(dir, KeyType.RSA_2048);
    }

    /** A new bench CA (same key type) and server certificate of {@code keyType} in {@code dir}. */
    public static TlsMaterial create(Path dir, KeyType keyType) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CertificateAuthority authority = CertificateAuthority.create(CA_SUBJECT, Validity.days(3650),
                keyType == KeyType.EC_P256 ? KeyType.EC_P256 : KeyType.RSA_2048);
        authority.save(dir); // ca.crt, ca.key
        IssuedCertificate server = authority.issueServerCertificate(CertificateRequest.builder(HOST)
                .dnsNames(HOST, AUTODISCOVER_HOST).validityDays(365).keyType(keyType).build());
        server.writePem(dir.resolve(SERVER_CERT), dir.resolve(SERVER_KEY));
        return new TlsMaterial(dir, authority.rootCertificate(), server.chain(), server.privateKey());
    }

    /** The material {@link #create} wrote to {@code dir} (e.g. in a child JVM). */
    public static TlsMaterial load(Path dir) {
        X509Certificate ca = Pem.readCertificates(dir.resolve(CA_CERT)).get(0);
        List<X509Certificate> chain = Pem.readCertificates(dir.resolve(SERVER_CERT));
        PrivateKey key = Pem.readPrivateKey(dir.resolve(SERVER_KEY));
        return new TlsMaterial(dir, ca, chain, key);
    }

    public Path directory() {
        return dir;
    }

    /** The bench CA, PEM: what clients trust. */
    public Path caCertificateFile() {
        return dir.resolve(CA_CERT);
    }

    /** The server certificate chain, PEM, leaf first: nginx's {@code ssl_certificate}. */
    public Path certificateChainFile() {
        return dir.resolve(SERVER_CERT);
    }

    /** The server key, PKCS#8 PEM: nginx's {@code ssl_certificate_key}. */
    public Path privateKeyFile() {
        return dir.resolve(SERVER_KEY);
    }

    public X509Certificate caCertificate() {
        return ca;
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** {@code RSA 2048} or {@code EC 256}. */
    public String keyDescription() {
        String alg = key.getAlgorithm();
        if (certificate().getPublicKey() instanceof java.security.interfaces.RSAKey rsa) {
            return alg + " " + rsa.getModulus().bitLength();
        }
        if (certificate().getPublicKey() instanceof java.security.interfaces.ECKey ec) {
            return alg + " " + ec.getParams().getCurve().getField().getFieldSize();
        }
        return alg;
    }

    /** Sets {@code jdk.tls.namedGroups=x25519} unless already set; call before the process' first TLS use. */
    public static void restrictNamedGroups() {
        if (System.getProperty("jdk.tls.namedGroups") == null) {
            System.setProperty("jdk.tls.namedGroups", GROUP);
        }
    }

    /** Whether netty-tcnative (BoringSSL) loaded in this process. */
    public static boolean openSslAvailable() {
        return OpenSsl.isAvailable();
    }

    /** Why netty-tcnative did not load, if it did not. */
    public static Optional<Throwable> openSslUnavailabilityCause() {
        return Optional.ofNullable(OpenSsl.unavailabilityCause());
    }

    /** {@code jdk} / {@code openssl} (any case) to the provider. */
    public static SslProvider provider(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "jdk" -> SslProvider.JDK;
            case "openssl", "boringssl", "tcnative" -> SslProvider.OPENSSL;
            default -> throw new IllegalArgumentException("provider: " + name + " (expected: jdk or openssl)");
        };
    }

    /**
     * The gateway's (server) context: TLS 1.3, {@value #SUITE}, X25519, this certificate. {@code OPENSSL} is
     * netty-tcnative's BoringSSL; note that BoringSSL has no switch for the TLS 1.3 cipher suites, so there the suite
     * is fixed by the client's offer (this bench's client offers only {@value #SUITE}) and BoringSSL's own preference
     * (AES-128-GCM first with AES hardware).
     */
    public SslContext serverContext(SslProvider provider) throws SSLException {
        X509Certificate[] certificates = chain.toArray(new X509Certificate[0]);
        // OPENSSL: the gateway's own builder (caching key manager; RSA signatures by the system's libcrypto)
        SslContextBuilder b = (provider == SslProvider.JDK ? SslContextBuilder.forServer(key, certificates).sslProvider(provider)
                : TlsEngine.serverBuilder(key, certificates))
                .protocols(PROTOCOL).ciphers(List.of(SUITE));
        if (provider != SslProvider.JDK) {
            b.option(OpenSslContextOption.GROUPS, new String[] {OPENSSL_GROUP});
        }
        return b.build();
    }

    /**
     * The bench client's context: trusts only the bench CA, checks the host name ({@value #HOST}, sent as SNI), TLS
     * 1.3 and {@value #SUITE} only. Use {@link #clientHandler} for its engines: they carry no peer host, so neither
     * provider can look up a cached session and every handshake is a full one.
     */
    public SslContext clientContext(SslProvider provider) throws SSLException {
        return clientContext(provider, new LongAdder());
    }

    /**
     * As {@link #clientContext(SslProvider)}; {@code certificateChecks} counts the server certificate verifications,
     * i.e. the full handshakes (a resumed TLS 1.3 handshake sends no certificate).
     */
    public SslContext clientContext(SslProvider provider, LongAdder certificateChecks) throws SSLException {
        return clientContext(provider, certificateChecks, false);
    }

    /**
     * As {@link #clientContext(SslProvider, LongAdder)}; with {@code pinned} the server certificate is accepted only if
     * it is exactly this material's server certificate (byte for byte) instead of a PKIX path validation plus host name
     * check per handshake. The handshake benchmark pins, so that the client's Java-side path validation (≈ 0.3 ms) does
     * not make the client the bottleneck; the server's work is the same either way.
     */
    public SslContext clientContext(SslProvider provider, LongAdder certificateChecks, boolean pinned) throws SSLException {
        X509ExtendedTrustManager trust = pinned ? new PinnedTrustManager(certificate()) : trustManager(ca);
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(provider).protocols(PROTOCOL).ciphers(List.of(SUITE))
                .trustManager(new CountingTrustManager(trust, certificateChecks))
                .endpointIdentificationAlgorithm("HTTPS").serverName(new SNIHostName(HOST))
                .sessionCacheSize(1).sessionTimeout(1);
        if (provider != SslProvider.JDK) {
            b.option(OpenSslContextOption.GROUPS, new String[] {OPENSSL_GROUP});
        }
        return b.build();
    }

    /** A client SslHandler of {@code client} without a peer host (so without session resumption), SNI {@value #HOST}. */
    public static SslHandler clientHandler(SslContext client, ByteBufAllocator alloc) {
        return client.newHandler(alloc);
    }

    private static X509ExtendedTrustManager trustManager(X509Certificate anchor) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("bench-ca", anchor);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(store);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("PKIX: no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("trust store for the bench CA: " + e.getMessage(), e);
        }
    }

    /** Accepts exactly one server certificate (compared by encoding), nothing else. */
    private static final class PinnedTrustManager extends X509ExtendedTrustManager {
        private final byte[] expected;
        private final X509Certificate certificate;

        PinnedTrustManager(X509Certificate certificate) {
            this.certificate = certificate;
            try {
                this.expected = certificate.getEncoded();
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0 || !java.util.Arrays.equals(chain[0].getEncoded(), expected)) {
                throw new CertificateException("server certificate: not the bench certificate " + certificate.getSubjectX500Principal());
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client certificates: not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client certificates: not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates: not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Delegates to the PKIX trust manager (with host name check) and counts server certificate checks. */
    private static final class CountingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final LongAdder checks;

        CountingTrustManager(X509ExtendedTrustManager delegate, LongAdder checks) {
            this.delegate = delegate;
            this.checks = checks;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checks.increment();
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checks.increment();
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            checks.increment();
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
