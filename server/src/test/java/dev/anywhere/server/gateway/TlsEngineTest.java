package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.testing.Peers;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BoringSSL is the gateway's engine where tcnative loads (linux-x86_64, and always in CI); the property forces the JDK's. */
class TlsEngineTest {

    @TempDir
    java.nio.file.Path dir;

    /** A PEM pair as the lab and `anywhere cert` write them: certificate chain, unencrypted PKCS#8 key. */
    @Test
    void pemFilesGoThroughTheCachingKeyManager() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        java.security.KeyPair pair = g.generateKeyPair();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=oa.example.org");
        java.security.cert.X509Certificate cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.ONE,
                        new java.util.Date(System.currentTimeMillis() - 60_000), new java.util.Date(System.currentTimeMillis() + 86_400_000L),
                        name, pair.getPublic()).build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA")
                        .build(pair.getPrivate())));
        java.util.Base64.Encoder b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes());
        java.nio.file.Path crt = dir.resolve("gw.crt");
        java.nio.file.Path key = dir.resolve("gw.key");
        java.nio.file.Files.writeString(crt, "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        java.nio.file.Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        assertThat(TlsEngine.readChain(crt)).containsExactly(cert);
        assertThat(TlsEngine.readPkcs8(key).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        io.netty.handler.ssl.SslContext ctx = TlsEngine.server(crt.toFile(), key.toFile());
        assertThat(ctx.isServer()).isTrue();
        if (TlsEngine.serverProvider() == SslProvider.OPENSSL) {
            javax.net.ssl.SSLEngine engine = ctx.newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT);
            assertThat(engine).isInstanceOf(io.netty.handler.ssl.ReferenceCountedOpenSslEngine.class);
            io.netty.util.ReferenceCountUtil.release(engine);
        }
        java.nio.file.Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TlsEngine.readPkcs8(key))
                .isInstanceOf(java.security.GeneralSecurityException.class).hasMessageContaining("PKCS#8");
    }

    @Test
    void boringSslWhereItLoadsAndTheJdkOnRequest() {
        Peers.require(OpenSsl.isAvailable(), "netty-tcnative BoringSSL (linux-x86_64): " + OpenSsl.unavailabilityCause());
        assertThat(TlsEngine.serverProvider()).isEqualTo(SslProvider.OPENSSL);
        assertThat(TlsEngine.describe()).startsWith("OpenSSL (BoringSSL");
        String old = System.getProperty(TlsEngine.PROPERTY);
        System.setProperty(TlsEngine.PROPERTY, "jdk");
        try {
            assertThat(TlsEngine.serverProvider()).isEqualTo(SslProvider.JDK);
            assertThat(TlsEngine.describe()).contains("anywhere.tls.provider=jdk");
        } finally {
            if (old == null) {
                System.clearProperty(TlsEngine.PROPERTY);
            } else {
                System.setProperty(TlsEngine.PROPERTY, old);
            }
        }
    }

    @Test
    void aPolicyWithASuiteTheProviderDoesNotKnowIsRefusedAtStart() throws Exception {
        dev.anywhere.server.testing.TestCertificate c = dev.anywhere.server.testing.TestCertificate.rsa("oa.example.org");
        TlsPolicy policy = new TlsPolicy(java.util.List.of("TLSv1.2"),
                java.util.List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_NO_SUCH_SUITE"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TlsEngine.server(policy, c.keys().getPrivate(), c.certificate()))
                .isInstanceOf(javax.net.ssl.SSLException.class)
                .hasMessage("TLS cipher suites not supported by " + TlsEngine.describe() + ": TLS_NO_SUCH_SUITE");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TlsPolicy.parse("TLSv1.3,SSLv3", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("TLS protocol: SSLv3 (expected: TLSv1.3, TLSv1.2, TLSv1.1 or TLSv1)");
        assertThat(TlsPolicy.parse(" ", null)).isEqualTo(TlsPolicy.intermediate());
    }

    /** The suites the provider lacks are a keyed refusal under the SSLException, so the command line says it in German too. */
    @Test
    void aSuiteTheProviderDoesNotKnowIsAKeyedRefusalBelowTheSslException() throws Exception {
        dev.anywhere.server.testing.TestCertificate c = dev.anywhere.server.testing.TestCertificate.rsa("oa.example.org");
        TlsPolicy policy = new TlsPolicy(java.util.List.of("TLSv1.2"),
                java.util.List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_NO_SUCH_SUITE", "TLS_NOR_THIS"));
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> TlsEngine.server(policy, c.keys().getPrivate(), c.certificate()));
        assertThat(t).isInstanceOf(javax.net.ssl.SSLException.class);
        assertThat(t.getCause()).isInstanceOfSatisfying(dev.anywhere.rpc.input.InvalidValue.class, v -> {
            assertThat(v.key()).isEqualTo("tls.cipher-unsupported");
            assertThat(v.value()).isEqualTo("TLS_NO_SUCH_SUITE, TLS_NOR_THIS");
            assertThat(v.details()).containsEntry("engine", TlsEngine.describe()).hasSize(1);
            assertThat(v).hasMessage(t.getMessage());
        });
    }
}
