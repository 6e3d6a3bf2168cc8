package dev.anywhere.analyzer.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The roots a client trusts: the JDK's defaults, plus any PEM bundle given with {@code --trust}. */
public final class TrustAnchors {

    private final List<X509Certificate> roots;

    private TrustAnchors(List<X509Certificate> roots) {
        this.roots = List.copyOf(roots);
    }

    public static TrustAnchors systemPlus(List<Path> pemFiles) throws IOException {
        List<X509Certificate> all = new ArrayList<>();
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            for (var tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    all.addAll(List.of(x.getAcceptedIssuers()));
                }
            }
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Path p : pemFiles) {
                try (InputStream in = Files.newInputStream(p)) {
                    for (var c : cf.generateCertificates(in)) {
                        all.add((X509Certificate) c);
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("trust anchors: " + e.getMessage(), e);
        }
        return new TrustAnchors(all);
    }

    public List<X509Certificate> roots() {
        return roots;
    }
}
