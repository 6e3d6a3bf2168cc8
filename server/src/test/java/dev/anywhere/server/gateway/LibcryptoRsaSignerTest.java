package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.testing.Peers;
import dev.anywhere.server.testing.TestCertificate;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslPrivateKeyMethod;
import io.netty.handler.ssl.SslContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * libcrypto's signatures are checked by the JDK's independent RSA code, and full handshakes (TLS 1.3 with PSS, TLS 1.2
 * with PKCS#1 and with RSA key exchange) run between the gateway's BoringSSL engine and the JDK's client engine.
 */
class LibcryptoRsaSignerTest {

    private static KeyPair rsa;
    private static TestCertificate certificate;

    @BeforeAll
    static void keys() throws Exception {
        Peers.require(LibcryptoRsaSigner.unavailability() == null, "OpenSSL 3 libcrypto: " + LibcryptoRsaSigner.unavailability());
        certificate = TestCertificate.rsa("oa.example.org");
        rsa = certificate.keys();
    }

    @ParameterizedTest
    @EnumSource(LibcryptoRsaSigner.Scheme.class)
    void everyRsaSchemeVerifiesWithTheJdk(LibcryptoRsaSigner.Scheme scheme) throws Exception {
        LibcryptoRsaSigner signer = LibcryptoRsaSigner.forKey(rsa.getPrivate(), rsa.getPublic()).orElseThrow();
        byte[] message = ("TLS 1.3, server CertificateVerify " + scheme).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = signer.sign(null, scheme.code, message);
        assertThat(signature).hasSize(256);
        Signature verifier = jdkVerifier(scheme);
        verifier.initVerify(rsa.getPublic());
        verifier.update(message);
        assertThat(verifier.verify(signature)).as(scheme.name()).isTrue();
        message[0] ^= 1;
        verifier.update(message);
        assertThat(verifier.verify(signature)).as("a changed message must not verify").isFalse();
    }

    /** Raw RSA: BoringSSL strips and checks the PKCS#1 type 2 padding itself. */
    @Test
    void decryptIsRawRsa() throws Exception {
        LibcryptoRsaSigner signer = LibcryptoRsaSigner.forKey(rsa.getPrivate(), rsa.getPublic()).orElseThrow();
        byte[] premaster = new byte[48];
        new SecureRandom().nextBytes(premaster);
        Cipher cipher = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        cipher.init(Cipher.ENCRYPT_MODE, rsa.getPublic());
        byte[] padded = signer.decrypt(null, cipher.doFinal(premaster));
        assertThat(padded).hasSize(256);
        assertThat(Arrays.copyOf(padded, 2)).containsExactly(0x00, 0x02);
        assertThat(padded[256 - 48 - 1]).isZero();
        assertThat(Arrays.copyOfRange(padded, 256 - 48, 256)).isEqualTo(premaster);
    }

    @Test
    void notForOtherKeysOrWhenTurnedOffOrForAForeignPublicKey() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        KeyPair pair = ec.generateKeyPair();
        assertThat(LibcryptoRsaSigner.forKey(pair.getPrivate(), pair.getPublic())).isEmpty();

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        assertThat(LibcryptoRsaSigner.forKey(rsa.getPrivate(), generator.generateKeyPair().getPublic()))
                .as("the self-test verifies against the certificate's key").isEmpty();

        System.setProperty(LibcryptoRsaSigner.PROPERTY, "boringssl");
        try {
            assertThat(LibcryptoRsaSigner.unavailability()).isEqualTo("anywhere.tls.rsa=boringssl");
            assertThat(LibcryptoRsaSigner.forKey(rsa.getPrivate(), rsa.getPublic())).isEmpty();
            assertThat(TlsEngine.describe()).contains("RSA signatures: BoringSSL");
        } finally {
            System.clearProperty(LibcryptoRsaSigner.PROPERTY);
        }
    }

    @Test
    void anUnknownSchemeIsAnErrorNotAWrongSignature() {
        LibcryptoRsaSigner signer = LibcryptoRsaSigner.forKey(rsa.getPrivate(), rsa.getPublic()).orElseThrow();
        assertThatThrownBy(() -> signer.sign(null, OpenSslPrivateKeyMethod.SSL_SIGN_ECDSA_SECP256R1_SHA256, new byte[1]))
                .isInstanceOf(GeneralSecurityException.class).hasMessage("signature scheme 0x403 is not an RSA scheme");
    }

    @Test
    void tls13HandshakeSignsWithPss() throws Exception {
        assertThat(handshake("TLSv1.3", "TLS_AES_128_GCM_SHA256")).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(TlsEngine.describe()).contains("RSA signatures: OpenSSL 3.");
    }

    @Test
    void tls12HandshakesSignAndDecrypt() throws Exception {
        assertThat(handshake("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        // RSA key exchange: the client's premaster secret goes through decrypt()
        assertThat(handshake("TLSv1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256")).isEqualTo("TLS_RSA_WITH_AES_128_GCM_SHA256");
    }

    /** A BoringSSL server engine from {@link TlsEngine} against a JDK client engine, in memory; returns the suite. */
    private static String handshake(String protocol, String suite) throws Exception {
        Peers.require(OpenSsl.isAvailable(), "netty-tcnative BoringSSL: " + OpenSsl.unavailabilityCause());
        LibcryptoRsaSigner signer = LibcryptoRsaSigner.forKey(rsa.getPrivate(), rsa.getPublic()).orElseThrow();
        long before = signer.operations();
        // static RSA key exchange is outside the default policy; allowed here to reach decrypt()
        TlsPolicy withRsaKeyExchange = new TlsPolicy(List.of("TLSv1.3", "TLSv1.2"),
                List.of("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"));
        SslContext server = TlsEngine.serverBuilder(rsa.getPrivate(), new X509Certificate[] {certificate.certificate()},
                java.util.Optional.of(signer), withRsaKeyExchange).build();
        SSLEngine serverEngine = server.newEngine(ByteBufAllocator.DEFAULT);
        SSLContext jdk = certificate.clientContext();
        SSLEngine client = jdk.createSSLEngine("oa.example.org", 443);
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {protocol});
        client.setEnabledCipherSuites(new String[] {suite});
        try {
            ByteBuffer toServer = ByteBuffer.allocate(64 * 1024);
            ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
            ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
            client.beginHandshake();
            serverEngine.beginHandshake();
            for (int step = 0; step < 200 && !(done(client) && done(serverEngine)); step++) {
                pump(client, toServer, scratch);
                pump(serverEngine, toClient, scratch);
                toServer.flip();
                serverEngine.unwrap(toServer, scratch.clear());
                toServer.compact();
                toClient.flip();
                client.unwrap(toClient, scratch.clear());
                toClient.compact();
            }
            assertThat(done(client) && done(serverEngine)).as("handshake finished").isTrue();
            assertThat(signer.operations() - before).as("one signature (or one decryption) by libcrypto").isEqualTo(1);
            return client.getSession().getCipherSuite();
        } finally {
            io.netty.util.ReferenceCountUtil.release(serverEngine);
        }
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private static void pump(SSLEngine engine, ByteBuffer out, ByteBuffer scratch) throws Exception {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        engine.wrap(ByteBuffer.allocate(0), out);
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static Signature jdkVerifier(LibcryptoRsaSigner.Scheme scheme) throws GeneralSecurityException {
        switch (scheme) {
            case PSS_SHA256:
            case PSS_SHA384:
            case PSS_SHA512: {
                String hash = "SHA-" + scheme.digest.substring(3);
                int salt = Integer.parseInt(scheme.digest.substring(3)) / 8;
                Signature pss = Signature.getInstance("RSASSA-PSS");
                pss.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), salt, 1));
                return pss;
            }
            case PKCS1_MD5_SHA1:
                return new Md5Sha1Verifier();
            default:
                return Signature.getInstance(scheme.digest + "withRSA");
        }
    }

    /** TLS 1.0/1.1's RSA signature: PKCS#1 type 1 over MD5 || SHA-1 without a DigestInfo (RFC 4346 7.4.3). */
    private static final class Md5Sha1Verifier extends Signature {
        private final java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        private java.security.PublicKey key;

        Md5Sha1Verifier() {
            super("MD5andSHA1withRSA");
        }

        @Override
        protected void engineInitVerify(java.security.PublicKey publicKey) {
            key = publicKey;
            data.reset();
        }

        @Override
        protected void engineInitSign(java.security.PrivateKey privateKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void engineUpdate(byte b) {
            data.write(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) {
            data.write(b, off, len);
        }

        @Override
        protected byte[] engineSign() {
            throw new UnsupportedOperationException();
        }

        @Override
        protected boolean engineVerify(byte[] signature) throws java.security.SignatureException {
            try {
                byte[] message = data.toByteArray();
                data.reset();
                byte[] expected = java.security.MessageDigest.getInstance("MD5").digest(message);
                expected = Arrays.copyOf(expected, 36);
                System.arraycopy(java.security.MessageDigest.getInstance("SHA-1").digest(message), 0, expected, 16, 20);
                Cipher raw = Cipher.getInstance("RSA/ECB/PKCS1Padding");
                raw.init(Cipher.DECRYPT_MODE, key); // PKCS#1 type 1 unpadding with the public key
                return Arrays.equals(raw.doFinal(signature), expected);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            return null;
        }
    }
}
