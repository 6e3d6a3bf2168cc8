package dev.anywhere.autodiscover.discovery;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Remembers the chain the server presented, then lets the real trust manager decide (with HTTPS host-name
 * verification, set on the engine). The chain is recorded even when validation fails, so the analyzer can show it.
 */
final class RecordingTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;
    private volatile List<X509Certificate> chain = List.of();

    RecordingTrustManager(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    List<X509Certificate> chain() {
        return chain;
    }

    /**
     * The trust decision for the options: insecure, or the JDK's default anchors (the system's trust store) plus the
     * certificates of every PEM file, so adding a lab CA never takes the public CAs away.
     */
    static X509ExtendedTrustManager base(List<Path> pems, boolean insecure) throws StepFailure {
        if (insecure) {
            return new AcceptAll();
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (pems.isEmpty()) {
                tmf.init((KeyStore) null);
            } else {
                tmf.init(withSystemAnchors(pems));
            }
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new StepFailure(AttemptReason.of(AttemptReason.Key.TRUST_NO_MANAGER));
        } catch (IOException | GeneralSecurityException e) {
            throw new StepFailure(AttemptReason.of(AttemptReason.Key.TRUST_UNREADABLE, "detail", AttemptReason.cause(e)), e);
        }
    }

    private static KeyStore withSystemAnchors(List<Path> pems) throws IOException, GeneralSecurityException, StepFailure {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null);
        for (TrustManager tm : system.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                for (X509Certificate c : x.getAcceptedIssuers()) {
                    ks.setCertificateEntry("system-" + i++, c);
                }
            }
        }
        for (Path pem : pems) {
            int before = i;
            try (InputStream in = Files.newInputStream(pem)) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    ks.setCertificateEntry("anchor-" + i++, c);
                }
            }
            if (i == before) {
                throw new StepFailure(AttemptReason.of(AttemptReason.Key.TRUST_NO_CERTIFICATE, "file", pem));
            }
        }
        return ks;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String authType, SSLEngine engine)
            throws java.security.cert.CertificateException {
        chain = List.of(c);
        delegate.checkServerTrusted(c, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String authType, Socket socket)
            throws java.security.cert.CertificateException {
        chain = List.of(c);
        delegate.checkServerTrusted(c, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String authType)
            throws java.security.cert.CertificateException {
        chain = List.of(c);
        delegate.checkServerTrusted(c, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String authType, SSLEngine engine)
            throws java.security.cert.CertificateException {
        delegate.checkClientTrusted(c, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String authType, Socket socket)
            throws java.security.cert.CertificateException {
        delegate.checkClientTrusted(c, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String authType)
            throws java.security.cert.CertificateException {
        delegate.checkClientTrusted(c, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    /** {@code --insecure}: every chain is accepted (and still recorded by the wrapper). */
    private static final class AcceptAll extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) { }
        @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) { }
        @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
