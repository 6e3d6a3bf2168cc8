package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.anywhere.rpc.input.InvalidValue;
import dev.anywhere.server.testing.TestCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's certificate and key files ({@code anywhere gateway --cert --key}, the lab's gateways): each file it
 * cannot use is a keyed refusal naming the file, before anything listens, and no reader's exception class reaches its
 * message.
 */
class TlsEngineFilesTest {

    @TempDir
    Path dir;

    @Test
    void eachUnusableFileIsAKeyedRefusalNamingIt() throws Exception {
        TestCertificate rsa = TestCertificate.rsa("oa.example.org");
        Path crt = write("gw.crt", pem("CERTIFICATE", rsa.certificate().getEncoded()));
        Path key = write("gw.key", pem("PRIVATE KEY", rsa.keys().getPrivate().getEncoded()));
        assertThat(TlsEngine.server(crt.toFile(), key.toFile()).isServer()).isTrue();

        Path junk = write("junk.pem", "not PEM at all\n");
        assertRefused(junk, key, "tls.cert-file", junk, "certificate file " + junk + ": no certificate (expected: PEM CERTIFICATE blocks)");
        // not PKCS#8: Netty's reader tries it and refuses
        assertRefused(crt, junk, "tls.key-file", junk,
                "key file " + junk + ": no private key that can be read (expected: an unencrypted PRIVATE KEY block)");
        Path broken = write("broken.key", "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
        assertRefused(crt, broken, "tls.key-file", broken,
                "key file " + broken + ": no private key that can be read (expected: an unencrypted PRIVATE KEY block)");
        Path encrypted = write("encrypted.key", pem("ENCRYPTED PRIVATE KEY", TestCertificate.encrypted(rsa.keys().getPrivate())));
        assertRefused(crt, encrypted, "tls.key-encrypted", encrypted,
                "key file " + encrypted + ": encrypted (expected: an unencrypted PRIVATE KEY block)");
        Path ed25519 = write("ed25519.key", pem("PRIVATE KEY", KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate()
                .getEncoded()));
        assertRefused(crt, ed25519, "tls.key-algorithm", ed25519,
                "key file " + ed25519 + ": neither an RSA nor an EC key (expected: RSA or EC)");
        // another RSA key, and an EC certificate with the RSA key: every handshake would fail
        Path other = write("other.key", pem("PRIVATE KEY", TestCertificate.rsa("oa.example.org").keys().getPrivate().getEncoded()));
        String mismatch = ": not the key of the certificate (expected: the private key of the chain's first certificate)";
        assertRefused(crt, other, "tls.key-mismatch", other, "key file " + other + mismatch);
        Path ec = write("ec.crt", pem("CERTIFICATE", TestCertificate.create("oa.example.org").certificate().getEncoded()));
        assertRefused(ec, key, "tls.key-mismatch", key, "key file " + key + mismatch);
    }

    private static void assertRefused(Path certificate, Path key, String expectedKey, Path named, String message) {
        Throwable t = catchThrowable(() -> TlsEngine.server(certificate.toFile(), key.toFile()));
        assertThat(t).isInstanceOf(InvalidValue.class).hasMessage(message);
        assertThat(((InvalidValue) t).key()).isEqualTo(expectedKey);
        assertThat(((InvalidValue) t).value()).isEqualTo(named.toString());
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END "
                + type + "-----\n";
    }
}
