package dev.anywhere.analyzer.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A tiny CA for analyzer tests: a root and server certificates with the properties a test asks for. */
public final class TestPki {

    /** A server certificate and its key. */
    public record Issued(X509Certificate certificate, KeyPair keys, List<X509Certificate> chain) {
    }

    private final KeyPair rootKeys;
    private final X509Certificate root;

    public TestPki() throws Exception {
        rootKeys = ec();
        X500Name name = new X500Name("CN=Analyzer Test Root");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(365))), name, rootKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(rootKeys.getPublic()));
        root = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(rootKeys.getPrivate())));
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    public X509Certificate root() {
        return root;
    }

    /** Writes the root as PEM, for --trust. */
    public Path writeRoot(Path dir) throws IOException, java.security.cert.CertificateEncodingException {
        Path p = dir.resolve("test-root.pem");
        Files.writeString(p, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(root.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return p;
    }

    /** A server certificate for {@code cn} with these SANs, valid from..until, signed by the root (or itself). */
    public Issued issue(String cn, List<String> sans, Instant notBefore, Instant notAfter, boolean selfSigned) throws Exception {
        KeyPair keys = ec();
        X500Name subject = new X500Name("CN=" + cn);
        X500Name issuer = selfSigned ? subject : new X500Name(root.getSubjectX500Principal().getName());
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(System.nanoTime()),
                Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
        GeneralName[] names = sans.stream().map(s -> new GeneralName(GeneralName.dNSName, s)).toArray(GeneralName[]::new);
        if (names.length > 0) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        if (!selfSigned) {
            b.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(root));
        }
        X509Certificate c = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(selfSigned ? keys.getPrivate() : rootKeys.getPrivate())));
        return new Issued(c, keys, List.of(c));
    }

    public Issued issue(String cn, String... sans) throws Exception {
        return issue(cn, List.of(sans), Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), false);
    }
}
