package dev.anywhere.analyzer.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.rpch.RpchFailure.Kind;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS to the proxy: SNI and name check on the proxy's host name, trust anchors from PEM, insecure, and the failures. */
class TlsTest {

    @TempDir
    static Path dir;
    static Path pem;
    static FakeRpcProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        // keytool ships with every JDK: a self-signed EC certificate for oa.frankysweb.org, no Bouncy Castle needed.
        Path ks = dir.resolve("proxy.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "oa", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=oa.frankysweb.org",
                "-ext", "SAN=dns:oa.frankysweb.org", "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        X509Certificate cert = (X509Certificate) store.getCertificate("oa");
        PrivateKey key = (PrivateKey) store.getKey("oa", "changeit".toCharArray());
        pem = dir.resolve("ca.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        proxy = new FakeRpcProxy(SslContextBuilder.forServer(key, cert).build());
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static RpchClientOptions.Builder options(String host) {
        return RpchClientOptions.builder(host, proxy.port(), "EX1", 6001).addressOverride(InetAddress.getLoopbackAddress())
                .timeouts(Duration.ofSeconds(3)).auth(new ProxyAuth.Basic(FakeRpcProxy.USER, FakeRpcProxy.PASSWORD));
    }

    private static RpchFailure fails(RpchClientOptions o) {
        try {
            VirtualConnection.echo(o, new Transcript());
        } catch (RpchFailure f) {
            return f;
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void trustedByPemWithTheRightName() throws Exception {
        Transcript t = new Transcript();
        try (VirtualConnection vc = VirtualConnection.open(options("oa.frankysweb.org").trustPem(pem).build(), t)) {
            assertThat(vc.bind(Mgmt.INTERFACE).get(3, TimeUnit.SECONDS).contextId()).isZero();
        }
        assertThat(String.join("\n", t.lines())).contains("sni oa.frankysweb.org");
    }

    @Test
    void legsTrustingTheSameShareOneClientContextAndAnEditedTrustFileGetsANewOne() throws Exception {
        Path copy = dir.resolve("shared-ca.pem");
        Files.copy(pem, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        RpchClientOptions o = options("oa.frankysweb.org").trustPem(copy).build();
        io.netty.handler.ssl.SslContext first = ClientTlsContexts.of(o);
        assertThat(ClientTlsContexts.of(options("oa.frankysweb.org").trustPem(copy).build())).isSameAs(first);
        assertThat(ClientTlsContexts.of(options("oa.frankysweb.org").trustPem(copy).insecure(true).build())).isNotSameAs(first);
        Files.writeString(copy, Files.readString(pem) + "\n");
        io.netty.handler.ssl.SslContext edited = ClientTlsContexts.of(o);
        assertThat(edited).isNotSameAs(first);
        // shared, it still checks each proxy's chain and name
        try (VirtualConnection vc = VirtualConnection.open(o, new Transcript())) {
            assertThat(vc.bind(Mgmt.INTERFACE).get(3, TimeUnit.SECONDS).contextId()).isZero();
        }
        assertThat(fails(options("mail.frankysweb.org").trustPem(copy).build()).kind()).isEqualTo(Kind.TLS_NAME_MISMATCH);
        assertThat(ClientTlsContexts.of(o)).isSameAs(edited);
    }

    @Test
    void untrustedWithoutTheAnchor() {
        RpchFailure f = fails(options("oa.frankysweb.org").build());
        assertThat(f.kind()).isEqualTo(Kind.TLS_UNTRUSTED);
        assertThat(f).hasMessage("tls: oa.frankysweb.org: certificate not trusted (expected: a chain to a trusted CA; "
                + "--insecure skips the check)");
    }

    @Test
    void nameMismatch() {
        RpchFailure f = fails(options("mail.frankysweb.org").trustPem(pem).build());
        assertThat(f.kind()).isEqualTo(Kind.TLS_NAME_MISMATCH);
        assertThat(f).hasMessage("tls: mail.frankysweb.org: certificate name mismatch (expected: a certificate for mail.frankysweb.org)");
    }

    @Test
    void insecureAcceptsAnything() throws Exception {
        assertThat(VirtualConnection.echo(options("mail.frankysweb.org").insecure(true).build(), new Transcript()).status()).isEqualTo(200);
    }

    @Test
    void plainHttpClientAgainstTlsAndTlsClientAgainstPlain() throws Exception {
        try (FakeRpcProxy plain = new FakeRpcProxy(null)) {
            RpchFailure f = fails(RpchClientOptions.builder("oa.frankysweb.org", plain.port(), "EX1", 6001)
                    .addressOverride(InetAddress.getLoopbackAddress()).timeouts(Duration.ofSeconds(3)).build());
            assertThat(f.kind()).isEqualTo(Kind.TLS_HANDSHAKE);
            assertThat(f).hasMessage("tls: oa.frankysweb.org:" + plain.port() + " does not speak TLS (expected: HTTPS; --no-tls for plain HTTP)");
        }
    }
}
