package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.directory.SiteInfo;
import dev.anywhere.rpc.testing.Peers;
import dev.anywhere.server.testing.RawHttp;
import dev.anywhere.server.testing.TestCertificate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslPrivateKeyMethod;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failing libcrypto signature inside a BoringSSL handshake (injected: the signer throws on its second call) costs
 * no handshake when the JDK can sign instead, and only that one handshake when it cannot; the gateway keeps serving.
 */
class KeyMethodFailureTest {

    private static TestCertificate certificate;
    private static LibcryptoRsaSigner signer;

    @TempDir
    Path dataDir;

    private Gateway gateway;

    @BeforeAll
    static void keys() throws Exception {
        Peers.require(OpenSsl.isAvailable(), "netty-tcnative BoringSSL: " + OpenSsl.unavailabilityCause());
        Peers.require(LibcryptoRsaSigner.unavailability() == null, "OpenSSL 3 libcrypto: " + LibcryptoRsaSigner.unavailability());
        certificate = TestCertificate.rsa("oa.frankysweb.org");
        signer = LibcryptoRsaSigner.forKey(certificate.keys().getPrivate(), certificate.keys().getPublic()).orElseThrow();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** The real libcrypto signer, except that its {@code failing}th call throws what JNA might. */
    private static OpenSslPrivateKeyMethod failingOnCall(int failing, AtomicInteger calls) {
        return new OpenSslPrivateKeyMethod() {
            @Override
            public byte[] sign(SSLEngine engine, int signatureAlgorithm, byte[] input) throws Exception {
                if (calls.incrementAndGet() == failing) {
                    throw new IllegalStateException("injected: libcrypto failed");
                }
                return signer.sign(engine, signatureAlgorithm, input);
            }

            @Override
            public byte[] decrypt(SSLEngine engine, byte[] input) throws Exception {
                return signer.decrypt(engine, input);
            }
        };
    }

    private void start(FallbackKeyMethod method) throws Exception {
        gateway = Gateway.start(new Gateway.Options(dataDir, "EX1", new InetSocketAddress("127.0.0.1", 0),
                Optional.of(TlsEngine.serverBuilder(certificate.keys().getPrivate(), new X509Certificate[] {certificate.certificate()},
                        Optional.of(method), TlsPolicy.intermediate()).build()),
                CredentialVerifier.NONE, "oa.frankysweb.org",
                Gateway.ntlmIdentity("EX1", new SiteInfo("frankysweb.local", "FRANKYSWEB", "First Organization", "frankysweb.org"))),
                new SimpleMeterRegistry());
    }

    /** A full handshake (a fresh client context: no session to resume) and one request; the status. */
    private int handshakeAndRequest() throws Exception {
        try (SSLSocket s = (SSLSocket) certificate.clientContext().getSocketFactory().createSocket("127.0.0.1", gateway.address().getPort())) {
            s.setSoTimeout(5000);
            s.startHandshake();
            return new RawHttp(s).send("GET /owa/ HTTP/1.1\r\nHost: oa.frankysweb.org\r\n\r\n").read().status();
        }
    }

    @Test
    void theJdkSignsWhenLibcryptoFailsAndNoHandshakeIsLost() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FallbackKeyMethod method = new FallbackKeyMethod(failingOnCall(2, calls), certificate.keys().getPrivate());
        start(method);
        for (int i = 0; i < 3; i++) {
            assertThat(handshakeAndRequest()).as("handshake " + (i + 1)).isEqualTo(404);
        }
        assertThat(calls.get()).isEqualTo(3);
        assertThat(method.fallbacks()).isEqualTo(1);
    }

    @Test
    void whenNoOneCanSignOnlyThatHandshakeFails() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        OpenSslPrivateKeyMethod broken = new OpenSslPrivateKeyMethod() {
            @Override
            public byte[] sign(SSLEngine engine, int signatureAlgorithm, byte[] input) throws GeneralSecurityException {
                throw new GeneralSecurityException("injected: no signature either");
            }

            @Override
            public byte[] decrypt(SSLEngine engine, byte[] input) throws GeneralSecurityException {
                throw new GeneralSecurityException("injected: no decryption either");
            }
        };
        start(new FallbackKeyMethod(failingOnCall(2, calls), broken));
        assertThat(handshakeAndRequest()).isEqualTo(404);
        assertThatThrownBy(this::handshakeAndRequest).isInstanceOfAny(SSLException.class, IOException.class);
        assertThat(handshakeAndRequest()).isEqualTo(404);
        assertThat(handshakeAndRequest()).isEqualTo(404);
        assertThat(calls.get()).isEqualTo(4);
    }

    @Test
    void theJdkFallbackSignsEveryPssScheme() throws Exception {
        FallbackKeyMethod.JdkKeyMethod jdk = new FallbackKeyMethod.JdkKeyMethod(certificate.keys().getPrivate());
        byte[] message = "CertificateVerify".getBytes(StandardCharsets.US_ASCII);
        byte[] signature = jdk.sign(null, OpenSslPrivateKeyMethod.SSL_SIGN_RSA_PSS_RSAE_SHA384, message);
        Signature verifier = Signature.getInstance("RSASSA-PSS");
        verifier.setParameter(new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1));
        verifier.initVerify(certificate.keys().getPublic());
        verifier.update(message);
        assertThat(verifier.verify(signature)).isTrue();
        assertThatThrownBy(() -> jdk.sign(null, OpenSslPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_MD5_SHA1, message))
                .isInstanceOf(GeneralSecurityException.class).hasMessage("the JDK has no MD5-SHA1 RSA signature (TLS 1.0/1.1)");
    }
}
