package dev.anywhere.analyzer.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.analyzer.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust anchors are the system's trust store plus every certificate of every --trust file. */
class TrustAnchorsTest {

    @TempDir
    Path tmp;

    static List<X509Certificate> jdkDefaults() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        return List.of(((X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers());
    }

    @Test
    void theJdkDefaultsAreAlwaysIn() throws Exception {
        List<X509Certificate> defaults = jdkDefaults();
        assertThat(defaults).isNotEmpty();
        assertThat(TrustAnchors.systemPlus(List.of()).roots()).containsExactlyInAnyOrderElementsOf(defaults);
        assertThat(TrustAnchors.systemPlus(List.of()).trustManager().getAcceptedIssuers()).containsAll(defaults);
    }

    /** Two files, one of them a bundle of two certificates: all three roots are trusted, and the system's too. */
    @Test
    void everyCertificateOfEveryFileIsAdded() throws Exception {
        TestPki a = new TestPki();
        TestPki b = new TestPki();
        TestPki c = new TestPki();
        Path first = a.writeRoot(Files.createDirectories(tmp.resolve("a")));
        Path bundle = tmp.resolve("bundle.pem");
        Files.writeString(bundle, Files.readString(b.writeRoot(Files.createDirectories(tmp.resolve("b"))))
                + Files.readString(c.writeRoot(Files.createDirectories(tmp.resolve("c")))));
        TrustAnchors anchors = TrustAnchors.systemPlus(List.of(first, bundle));
        assertThat(anchors.added()).containsExactly(a.root(), b.root(), c.root());
        assertThat(anchors.trustManager().getAcceptedIssuers()).contains(a.root(), b.root(), c.root()).containsAll(jdkDefaults());
        for (TestPki pki : List.of(a, b, c)) {
            anchors.trustManager().checkServerTrusted(pki.issue("oa.frankysweb.org", "oa.frankysweb.org").chain()
                    .toArray(new X509Certificate[0]), "ECDHE_ECDSA");
        }
        X509Certificate[] stranger = new TestPki().issue("oa.frankysweb.org", "oa.frankysweb.org").chain().toArray(new X509Certificate[0]);
        assertThatThrownBy(() -> anchors.trustManager().checkServerTrusted(stranger, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void unusableFilesAreNamed() throws Exception {
        Path missing = tmp.resolve("missing.pem");
        assertThatThrownBy(() -> TrustAnchors.systemPlus(List.of(missing)))
                .hasMessage("--trust: " + missing + " is not a readable file (expected: PEM CA certificates)");
        Path empty = Files.writeString(tmp.resolve("empty.pem"), "");
        assertThatThrownBy(() -> TrustAnchors.systemPlus(List.of(empty)))
                .hasMessage("--trust: " + empty + " holds no certificate (expected: PEM CA certificates)");
    }
}
