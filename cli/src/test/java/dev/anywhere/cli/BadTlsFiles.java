package dev.anywhere.cli;

import dev.anywhere.lab.pki.CertificateAuthority;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.pki.IssuedCertificate;
import dev.anywhere.lab.pki.Pem;
import dev.anywhere.server.testing.TestCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;

/**
 * Real certificate and key files, good and bad, for the commands that read {@code --cert}/{@code --key}: two
 * certificates of one lab CA with their keys ({@code a}, {@code b}: b's key is not a's), a file that is not PEM, an
 * encrypted PKCS#8 key and an Ed25519 key.
 */
record BadTlsFiles(IssuedCertificate.PemFiles a, IssuedCertificate.PemFiles b, Path junk, Path encrypted, Path ed25519) {

    static BadTlsFiles in(Path dir) throws Exception {
        CertificateAuthority ca = CertificateAuthority.createLab();
        return new BadTlsFiles(ca.issueServerCertificate(CertificateRequest.labDefault()).writePem(dir, "a"),
                ca.issueServerCertificate(CertificateRequest.labDefault()).writePem(dir, "b"),
                Files.writeString(dir.resolve("junk.pem"), "kein PEM\n"),
                Files.writeString(dir.resolve("encrypted.key"), Pem.encode("ENCRYPTED PRIVATE KEY",
                        TestCertificate.encrypted(TestCertificate.create("oa.frankysweb.org").keys().getPrivate()))),
                Files.writeString(dir.resolve("ed25519.key"), Pem.encode("PRIVATE KEY",
                        KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded())));
    }
}
