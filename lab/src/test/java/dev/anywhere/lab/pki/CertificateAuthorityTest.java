package dev.anywhere.lab.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CertificateAuthority} checked by OpenSSL ({@code openssl verify}, {@code openssl x509 -text}) and the JDK:
 * healthy issuance, every {@link CertificateFault}, PEM and PKCS#12 files.
 */
class CertificateAuthorityTest {

    private static CertificateAuthority ca;
    private static CertificateAuthority caWithIntermediate;

    @TempDir
    Path dir;

    @BeforeAll
    static void createCas() {
        ca = CertificateAuthority.createLab();
        caWithIntermediate = ca.withIntermediate(CertificateAuthority.LAB_INTERMEDIATE_SUBJECT, Validity.days(1825),
                KeyType.EC_P256);
    }

    @Test
    void rootIsACaForOpenssl() {
        Path root = ca.writeTrustBundle(dir.resolve("ca.pem"));
        String text = x509Text(root);
        assertThat(text).contains("Issuer: O = Anywhere Lab, CN = Anywhere Lab Root CA")
                .contains("Subject: O = Anywhere Lab, CN = Anywhere Lab Root CA")
                .containsPattern("X509v3 Basic Constraints: critical\\s+CA:TRUE")
                .containsPattern("X509v3 Key Usage: critical\\s+Certificate Sign, CRL Sign")
                .contains("Public-Key: (2048 bit)");
        assertThat(Openssl.run("verify", "-CAfile", root.toString(), root.toString()).output()).contains(": OK");
    }

    @Test
    void healthyServerCertificateVerifies() {
        IssuedCertificate cert = ca.issueServerCertificate(CertificateRequest.labDefault());
        IssuedCertificate.PemFiles files = cert.writePem(dir, "ex1");
        Path root = ca.writeTrustBundle(dir.resolve("ca.pem"));

        Openssl.Result verify = Openssl.run("verify", "-CAfile", root.toString(), "-purpose", "sslserver",
                files.certificateChain().toString());
        assertThat(verify.exit()).as(verify.output()).isZero();

        String text = x509Text(files.certificateChain());
        assertThat(text).contains("Subject: CN = oa.frankysweb.org")
                .contains("DNS:oa.frankysweb.org, DNS:autodiscover.frankysweb.org")
                .containsPattern("X509v3 Extended Key Usage: \\s+TLS Web Server Authentication")
                .containsPattern("X509v3 Key Usage: critical\\s+Digital Signature, Key Encipherment")
                .containsPattern("X509v3 Basic Constraints: critical\\s+CA:FALSE")
                .contains("Signature Algorithm: sha256WithRSAEncryption")
                .contains("Public-Key: (2048 bit)");
        assertThat(Openssl.run("pkey", "-in", files.privateKey().toString(), "-noout").exit()).isZero();
        assertThat(files.privateKey()).content().startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void keyFileIsOwnerOnly() throws IOException {
        IssuedCertificate cert = ca.issueServerCertificate(CertificateRequest.labDefault());
        IssuedCertificate.PemFiles files = cert.writePem(dir, "ex1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.privateKey())))
                .isEqualTo("rw-------");
    }

    @Test
    void ecdsaThroughIntermediateVerifies() {
        CertificateAuthority ecRoot = CertificateAuthority.create("CN=EC Root", Validity.days(30), KeyType.EC_P256)
                .withIntermediate("CN=EC Issuing", Validity.days(30), KeyType.EC_P256);
        IssuedCertificate cert = ecRoot.issueServerCertificate(CertificateRequest.builder("oa.frankysweb.org")
                .keyType(KeyType.EC_P256).validityDays(7).build());
        assertThat(cert.chain()).hasSize(2);
        Path chain = cert.writePem(dir, "ec").certificateChain();
        Path root = ecRoot.writeTrustBundle(dir.resolve("ec-ca.pem"));
        Openssl.Result verify = Openssl.run("verify", "-CAfile", root.toString(), "-untrusted", chain.toString(),
                chain.toString());
        assertThat(verify.exit()).as(verify.output()).isZero();
        assertThat(x509Text(chain)).contains("Signature Algorithm: ecdsa-with-SHA256").contains("Public-Key: (256 bit)")
                .contains("NIST CURVE: P-256").containsPattern("X509v3 Key Usage: critical\\s+Digital Signature\\s");
        assertThat(x509Text(writeOne(ecRoot.intermediateCertificate().orElseThrow(), "int.pem")))
                .containsPattern("CA:TRUE, pathlen:0");
    }

    @Test
    void explicitValidityIsKeptToTheSecond() {
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        Instant to = Instant.parse("2027-01-01T12:34:56Z");
        IssuedCertificate cert = ca.issueServerCertificate(CertificateRequest.builder("oa.frankysweb.org")
                .validity(Validity.between(from, to)).build());
        assertThat(cert.certificate().getNotBefore().toInstant()).isEqualTo(from);
        assertThat(cert.certificate().getNotAfter().toInstant()).isEqualTo(to);
        assertThat(x509Text(cert.writePem(dir, "v").certificateChain()))
                .contains("Not Before: Jan  1 00:00:00 2026 GMT").contains("Not After : Jan  1 12:34:56 2027 GMT");
    }

    // ---- faults: each produces the property it names ----

    @Test
    void selfSigned() {
        IssuedCertificate cert = ca.issueServerCertificate(CertificateRequest.labDefault(CertificateFault.SELF_SIGNED));
        X509Certificate leaf = cert.certificate();
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(leaf.getSubjectX500Principal());
        Openssl.Result verify = verifyAgainstLabCa(cert);
        assertThat(verify.exit()).isNotZero();
        assertThat(verify.output()).contains("self-signed certificate");
    }

    @Test
    void expired() {
        IssuedCertificate cert = ca.issueServerCertificate(CertificateRequest.labDefault(CertificateFault.EXPIRED));
        assertThat(cert.certificate().getNotAfter().toInstant()).isBefore(Instant.now());
        assertThat(Duration.between(cert.certificate().getNotBefore().toInstant(),
                cert.certificate().getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(CertificateRequest.DEFAULT_DAYS));
        Openssl.Result verify = verifyAgainstLabCa(cert);
        assertThat(verify.exit()).isNotZero();
        assertThat(verify.output()).contains("certificate has expired");
    }

    @Test
    void notYetValid() {
        IssuedCertificate cert = ca.issueServerCertificate(
                CertificateRequest.labDefault(CertificateFault.NOT_YET_VALID));
        assertThat(cert.certificate().getNotBefore().toInstant()).isAfter(Instant.now());
        Openssl.Result verify = verifyAgainstLabCa(cert);
        assertThat(verify.exit()).isNotZero();
        assertThat(verify.output()).contains("certificate is not yet valid");
    }

    @Test
    void noAutodiscoverName() {
        IssuedCertificate cert = ca.issueServerCertificate(
                CertificateRequest.labDefault(CertificateFault.NO_AUTODISCOVER_NAME));
        String text = x509Text(cert.writePem(dir, "noad").certificateChain());
        assertThat(text).contains("DNS:oa.frankysweb.org").doesNotContain("autodiscover");
        assertThat(verifyAgainstLabCa(cert).exit()).isZero();
        CertificateInfo info = CertificateInfo.describe(cert.chain(), ca);
        assertThat(info.matchesHost("oa.frankysweb.org")).isTrue();
        assertThat(info.matchesHost("autodiscover.frankysweb.org")).isFalse();
    }

    @Test
    void internalNamesOnly() {
        IssuedCertificate cert = ca.issueServerCertificate(
                CertificateRequest.labDefault(CertificateFault.INTERNAL_NAMES_ONLY));
        String text = x509Text(cert.writePem(dir, "internal").certificateChain());
        assertThat(text).contains("Subject: CN = ex1.frankysweb.local").contains("DNS:ex1.frankysweb.local")
                .doesNotContain("frankysweb.org");
        assertThat(CertificateInfo.describe(cert.chain(), ca).dnsNames()).containsExactly("ex1.frankysweb.local");
    }

    @Test
    void weakKey() {
        IssuedCertificate cert = ca.issueServerCertificate(CertificateRequest.labDefault(CertificateFault.WEAK_KEY));
        assertThat(((RSAPublicKey) cert.certificate().getPublicKey()).getModulus().bitLength()).isEqualTo(1024);
        assertThat(x509Text(cert.writePem(dir, "weak").certificateChain())).contains("Public-Key: (1024 bit)");
        // OpenSSL's security level 2 (Debian's default for TLS) requires 2048-bit RSA
        Path root = ca.writeTrustBundle(dir.resolve("ca.pem"));
        Openssl.Result verify = Openssl.run("verify", "-auth_level", "2", "-CAfile", root.toString(),
                dir.resolve("weak.crt").toString());
        assertThat(verify.exit()).isNotZero();
        assertThat(verify.output()).contains("key too weak");
        assertThat(CertificateInfo.describe(cert.chain(), ca).warnings())
                .containsExactly("weak key: RSA 1024 bits (expected: at least 2048)");
    }

    @Test
    void weakSignature() {
        IssuedCertificate cert = ca.issueServerCertificate(
                CertificateRequest.labDefault(CertificateFault.WEAK_SIGNATURE));
        assertThat(cert.certificate().getSigAlgName()).isEqualTo("SHA1withRSA");
        assertThat(x509Text(cert.writePem(dir, "sha1").certificateChain()))
                .contains("Signature Algorithm: sha1WithRSAEncryption");
    }

    @Test
    void missingIntermediateWithCaIntermediate() {
        IssuedCertificate cert = caWithIntermediate.issueServerCertificate(
                CertificateRequest.labDefault(CertificateFault.MISSING_INTERMEDIATE));
        assertMissingIntermediate(cert, caWithIntermediate.intermediateCertificate().orElseThrow());
    }

    @Test
    void missingIntermediateOnARootOnlyCaMakesOne() {
        IssuedCertificate cert = ca.issueServerCertificate(
                CertificateRequest.labDefault(CertificateFault.MISSING_INTERMEDIATE));
        assertThat(cert.completeChain()).hasSize(2);
        assertMissingIntermediate(cert, cert.completeChain().get(1));
    }

    private void assertMissingIntermediate(IssuedCertificate cert, X509Certificate intermediate) {
        assertThat(cert.chain()).containsExactly(cert.certificate());
        assertThat(cert.certificate().getIssuerX500Principal()).isEqualTo(intermediate.getSubjectX500Principal());
        Path chain = cert.writePem(dir, "leaf").certificateChain();
        Path root = ca.writeTrustBundle(dir.resolve("ca.pem"));
        Path intermediateFile = writeOne(intermediate, "intermediate.pem");

        Openssl.Result alone = Openssl.run("verify", "-CAfile", root.toString(), "-untrusted", chain.toString(),
                chain.toString());
        assertThat(alone.exit()).isNotZero();
        assertThat(alone.output()).contains("unable to get local issuer certificate");

        Openssl.Result withIntermediate = Openssl.run("verify", "-CAfile", root.toString(), "-untrusted",
                intermediateFile.toString(), chain.toString());
        assertThat(withIntermediate.exit()).as(withIntermediate.output()).isZero();
    }

    @Test
    void contradictoryFaultsAreRejected() {
        assertThatThrownBy(() -> ca.issueServerCertificate(
                CertificateRequest.labDefault(CertificateFault.EXPIRED, CertificateFault.NOT_YET_VALID)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("faults: EXPIRED and NOT_YET_VALID (expected: at most one validity fault)");
    }

    @Test
    void signatureAlgorithmMustFitTheIssuerKey() {
        assertThatThrownBy(() -> ca.issueServerCertificate(CertificateRequest.builder("oa.frankysweb.org")
                .signatureAlgorithm(SignatureAlgorithm.SHA256_WITH_ECDSA).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signature algorithm: SHA256withECDSA with an issuer key of RSA"
                        + " (expected: a RSA signature)");
    }

    @Test
    void badSanIsRejected() {
        assertThatThrownBy(() -> CertificateRequest.builder("oa").dnsNames("oa frankysweb.org").build())
                .hasMessage("SAN dNSName: oa frankysweb.org (expected: a host name, RFC 1034 3.5)");
    }

    // ---- files ----

    @Test
    void pkcs12LoadsWithTheJdkKeyStore() throws Exception {
        IssuedCertificate cert = caWithIntermediate.issueServerCertificate(CertificateRequest.labDefault());
        char[] password = "lab-secret".toCharArray();
        Path p12 = cert.writePkcs12(dir.resolve("ex1.p12"), password);

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, password);
        }
        assertThat(store.isKeyEntry(IssuedCertificate.ALIAS)).isTrue();
        assertThat(store.getCertificateChain(IssuedCertificate.ALIAS)).hasSize(2);
        PrivateKey key = (PrivateKey) store.getKey(IssuedCertificate.ALIAS, password);
        assertKeyMatches(key, cert.certificate());

        IssuedCertificate loaded = IssuedCertificate.loadPkcs12(p12, password);
        assertThat(loaded.chain()).isEqualTo(cert.chain());
        assertThat(Openssl.run("pkcs12", "-in", p12.toString(), "-passin", "pass:lab-secret", "-noout").exit())
                .isZero();
    }

    @Test
    void pemFilesLoadBack() throws Exception {
        IssuedCertificate cert = caWithIntermediate.issueServerCertificate(CertificateRequest.labDefault());
        IssuedCertificate.PemFiles files = cert.writePem(dir, "ex1");
        IssuedCertificate loaded = IssuedCertificate.loadPem(files.certificateChain(), files.privateKey());
        assertThat(loaded.chain()).isEqualTo(cert.chain());
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(cert.privateKey().getEncoded());
        assertThat(cert.toKeyManager().getCertificateChain(IssuedCertificate.ALIAS)).hasSize(2);
    }

    @Test
    void caSavesAndLoads() {
        caWithIntermediate.save(dir);
        CertificateAuthority loaded = CertificateAuthority.load(dir);
        assertThat(loaded.rootCertificate()).isEqualTo(caWithIntermediate.rootCertificate());
        assertThat(loaded.intermediateCertificate()).isEqualTo(caWithIntermediate.intermediateCertificate());
        IssuedCertificate cert = loaded.issueServerCertificate(CertificateRequest.labDefault());
        assertThat(CertificateInfo.describe(cert.chain(), caWithIntermediate).trust().trusted()).isTrue();
    }

    @Test
    void unreadableFilesNameTheFile() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        assertThatThrownBy(() -> Pem.readCertificates(junk)).isInstanceOf(PkiException.class)
                .hasMessage("certificate file " + junk + ": no certificate (expected: PEM CERTIFICATE blocks or DER)");
        assertThatThrownBy(() -> Pem.readPrivateKey(junk)).isInstanceOf(PkiException.class)
                .hasMessage("key file " + junk + ": private key: none found (expected: an unencrypted PRIVATE KEY"
                        + " block)");
        // each refusal carries its key and the file, for the command line's bundle
        assertKeyed(() -> Pem.readCertificates(junk), "pki.cert-file.none", junk);
        assertKeyed(() -> Pem.readPrivateKey(junk), "pki.key-file.none", junk);
        Path missing = dir.resolve("missing.pem");
        assertKeyed(() -> Pem.readCertificates(missing), "pki.cert-file.unreadable", missing);
        assertKeyed(() -> Pem.readPrivateKey(missing), "pki.key-file.unreadable", missing);
        assertThatThrownBy(() -> Pem.readCertificates(missing)).hasMessage("certificate file " + missing + ": not readable");
        // a certificate that is not one: the JDK's message names java.io.IOException; the refusal does not
        Path broken = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        assertKeyed(() -> Pem.readCertificates(broken), "pki.cert-file.none", broken);
        assertThatThrownBy(() -> Pem.readCertificates(broken))
                .hasMessage("certificate file " + broken + ": no certificate (expected: PEM CERTIFICATE blocks or DER)");
        byte[] encryptedDer = dev.anywhere.server.testing.TestCertificate.encrypted(
                dev.anywhere.server.testing.TestCertificate.create("oa.example.org").keys().getPrivate());
        Path encrypted = Files.writeString(dir.resolve("encrypted.key"), Pem.encode("ENCRYPTED PRIVATE KEY", encryptedDer));
        assertKeyed(() -> Pem.readPrivateKey(encrypted), "pki.key-file.encrypted", encrypted);
        assertThatThrownBy(() -> Pem.readPrivateKey(encrypted))
                .hasMessage("key file " + encrypted + ": private key: encrypted (expected: an unencrypted PRIVATE KEY block)");
    }

    /** A PKCS#12 file that cannot be used names the file and what is wrong, keyed, never the JDK's class names. */
    @Test
    void unusablePkcs12FilesNameTheFile() throws Exception {
        Path p12 = caWithIntermediate.issueServerCertificate(CertificateRequest.labDefault()).writePkcs12(dir.resolve("ex1.p12"),
                "lab-secret".toCharArray());
        assertKeyed(() -> IssuedCertificate.loadPkcs12(p12, "wrong".toCharArray()), "pki.pkcs12-file.password", p12);
        assertThatThrownBy(() -> IssuedCertificate.loadPkcs12(p12, "wrong".toCharArray()))
                .hasMessage("PKCS#12 file " + p12 + ": wrong password (expected: the password the file was written with)");
        Path junk = Files.writeString(dir.resolve("junk.p12"), "not a PKCS#12 file\n");
        assertKeyed(() -> IssuedCertificate.loadPkcs12(junk, "lab-secret".toCharArray()), "pki.pkcs12-file.bad", junk);
        assertThatThrownBy(() -> IssuedCertificate.loadPkcs12(junk, "lab-secret".toCharArray()))
                .hasMessage("PKCS#12 file " + junk + ": not a PKCS#12 file (expected: a private key with its chain, DER)");
        Path missing = dir.resolve("missing.p12");
        assertKeyed(() -> IssuedCertificate.loadPkcs12(missing, "lab-secret".toCharArray()), "pki.pkcs12-file.unreadable", missing);
        assertThatThrownBy(() -> IssuedCertificate.loadPkcs12(missing, "lab-secret".toCharArray()))
                .hasMessage("PKCS#12 file " + missing + ": not readable");
        KeyStore certificatesOnly = KeyStore.getInstance("PKCS12");
        certificatesOnly.load(null, null);
        certificatesOnly.setCertificateEntry("ca", caWithIntermediate.rootCertificate());
        Path noKey = dir.resolve("ca-only.p12");
        try (java.io.OutputStream out = Files.newOutputStream(noKey)) {
            certificatesOnly.store(out, "lab-secret".toCharArray());
        }
        assertKeyed(() -> IssuedCertificate.loadPkcs12(noKey, "lab-secret".toCharArray()), "pki.pkcs12-file.no-key", noKey);
        assertThatThrownBy(() -> IssuedCertificate.loadPkcs12(noKey, "lab-secret".toCharArray()))
                .hasMessage("PKCS#12 file " + noKey + ": no key entry (expected: one private key with its chain)");
    }

    private static void assertKeyed(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String key, Path file) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(t).isInstanceOf(PkiException.class);
        assertThat(((PkiException) t).key()).contains(key);
        assertThat(((PkiException) t).value()).isEqualTo(file.toString());
        assertThat(t.getMessage()).doesNotContainPattern("[A-Z][a-z]+(Exception|Error)\\b|java\\.");
    }

    private Openssl.Result verifyAgainstLabCa(IssuedCertificate cert) {
        Path chain = cert.writePem(dir, "verify").certificateChain();
        Path root = ca.writeTrustBundle(dir.resolve("ca.pem"));
        return Openssl.run("verify", "-CAfile", root.toString(), "-untrusted", chain.toString(), chain.toString());
    }

    private Path writeOne(X509Certificate certificate, String name) {
        try {
            return Files.writeString(dir.resolve(name), Pem.certificates(List.of(certificate)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String x509Text(Path file) {
        Openssl.Result result = Openssl.run("x509", "-in", file.toString(), "-text", "-noout");
        assertThat(result.exit()).as(result.output()).isZero();
        return result.output();
    }

    private static void assertKeyMatches(PrivateKey key, X509Certificate certificate) throws Exception {
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).isTrue();
    }
}
