package dev.anywhere.analyzer.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The roots a client trusts: the system's trust store (the JDK's cacerts, as Outlook trusts Windows' store) plus the
 * certificates of every PEM file given with {@code --trust}. Adding a lab CA never takes the public CAs away.
 */
public final class TrustAnchors {

    private final List<X509Certificate> system;
    private final List<X509Certificate> added;

    private TrustAnchors(List<X509Certificate> system, List<X509Certificate> added) {
        this.system = List.copyOf(system);
        this.added = List.copyOf(added);
    }

    /**
     * The system's roots plus every certificate in {@code pemFiles} (each file may hold several).
     *
     * @throws IllegalArgumentException naming the file when one is unreadable or holds no certificate
     */
    public static TrustAnchors systemPlus(List<Path> pemFiles) {
        List<X509Certificate> added = new ArrayList<>();
        for (Path p : pemFiles) {
            added.addAll(readPem(p));
        }
        return new TrustAnchors(systemRoots(), added);
    }

    /** Only {@code roots}, without the system's: a client of the lab, which trusts its own CA and nothing else. */
    public static TrustAnchors only(List<X509Certificate> roots) {
        return new TrustAnchors(List.of(), roots);
    }

    /** The JDK's default anchors (cacerts, or what javax.net.ssl.trustStore points to), read once per process. */
    static List<X509Certificate> systemRoots() {
        return SystemRoots.ROOTS;
    }

    /** Loaded on first use: every connection of a virtual connection asks, and cacerts does not change during a run. */
    private static final class SystemRoots {
        static final List<X509Certificate> ROOTS = List.copyOf(load());
    }

    private static List<X509Certificate> load() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            List<X509Certificate> roots = new ArrayList<>();
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    roots.addAll(List.of(x.getAcceptedIssuers()));
                }
            }
            return roots;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the system trust store cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> readPem(Path p) {
        List<X509Certificate> certs = new ArrayList<>();
        try (InputStream in = Files.newInputStream(p)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--trust: " + p + " is not a readable file (expected: PEM CA certificates)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("--trust: " + p + " holds something other than certificates (expected: PEM CA "
                    + "certificates)", e);
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("--trust: " + p + " holds no certificate (expected: PEM CA certificates)");
        }
        return certs;
    }

    /** Every trusted root: the system's first, then the added ones. */
    public List<X509Certificate> roots() {
        List<X509Certificate> all = new ArrayList<>(system);
        all.addAll(added);
        return all;
    }

    /** The roots that came from {@code --trust} files. */
    public List<X509Certificate> added() {
        return added;
    }

    /**
     * A PKIX trust manager over {@link #roots()}: chain, dates and (for an {@code SSLEngine} or {@code SSLSocket} whose
     * endpoint identification algorithm is HTTPS) the host name the client dialled.
     */
    public X509ExtendedTrustManager trustManager() {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : roots()) {
                ks.setCertificateEntry("anchor-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X.509 trust manager in this JDK");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("trust anchors: " + e.getMessage(), e);
        }
    }
}
