package dev.anywhere.server.testing;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A self-signed server certificate for oa.frankysweb.org, made per test run (the lab's CA lives in module lab). */
public record TestCertificate(X509Certificate certificate, KeyPair keys) {

    /** An EC P-256 certificate for {@code names} (the first is the subject's CN). */
    public static TestCertificate create(String... names) throws Exception {
        return create("EC", 256, "SHA256withECDSA", names);
    }

    /** An RSA 2048 certificate, as Exchange's are (the gateway's RSA signatures take another path: LibcryptoRsaSigner). */
    public static TestCertificate rsa(String... names) throws Exception {
        return create("RSA", 2048, "SHA256withRSA", names);
    }

    private static TestCertificate create(String algorithm, int bits, String signature, String... names) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        g.initialize(bits);
        KeyPair keys = g.generateKeyPair();
        X500Name subject = new X500Name("CN=" + names[0]);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
        GeneralName[] sans = new GeneralName[names.length];
        for (int i = 0; i < names.length; i++) {
            sans[i] = new GeneralName(GeneralName.dNSName, names[i]);
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
        return new TestCertificate(cert, keys);
    }

    public SslContext serverContext() throws Exception {
        return SslContextBuilder.forServer(keys.getPrivate(), certificate).build();
    }

    /** A client SSLContext that trusts exactly this certificate. */
    public SSLContext clientContext() throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * {@code key} as an encrypted PKCS#8 structure (PKCS#12 PBE with 3DES, password {@code Secret-1}), the content of
     * the {@code ENCRYPTED PRIVATE KEY} block {@code openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES} writes: a real key file the
     * gateway and the lab refuse, since they read keys without a password.
     */
    public static byte[] encrypted(java.security.PrivateKey key) throws Exception {
        String algorithm = "PBEWithSHA1AndDESede";
        javax.crypto.SecretKey secret = javax.crypto.SecretKeyFactory.getInstance(algorithm)
                .generateSecret(new javax.crypto.spec.PBEKeySpec("Secret-1".toCharArray()));
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance(algorithm);
        cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, secret, new javax.crypto.spec.PBEParameterSpec(new byte[8], 2048));
        return new javax.crypto.EncryptedPrivateKeyInfo(cipher.getParameters(), cipher.doFinal(key.getEncoded())).getEncoded();
    }
}
