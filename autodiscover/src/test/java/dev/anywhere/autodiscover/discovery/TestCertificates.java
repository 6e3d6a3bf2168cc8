package dev.anywhere.autodiscover.discovery;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed server certificate made in-test with the JDK's keytool (no Bouncy Castle): a PKCS#12 key store for the
 * test servers and the certificate as PEM, which the client trusts as its only anchor.
 */
final class TestCertificates {

    static final char[] PASSWORD = "changeit".toCharArray();

    final Path keyStore;
    final Path caPem;

    private TestCertificates(Path keyStore, Path caPem) {
        this.keyStore = keyStore;
        this.caPem = caPem;
    }

    /** Generates a certificate for {@code names} (subject alternative names, wildcards allowed) in {@code dir}. */
    static TestCertificates generate(Path dir, String... names) throws Exception {
        Path ks = dir.resolve("server.p12");
        Path pem = dir.resolve("ca.pem");
        List<String> san = new ArrayList<>();
        for (String n : names) {
            san.add("dns:" + n);
        }
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-dname", "CN=" + names[0], "-ext", "SAN=" + String.join(",", san),
                "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit",
                "-keypass", "changeit");
        run(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", ks.toString(), "-storepass",
                "changeit", "-file", pem.toString());
        return new TestCertificates(ks, pem);
    }

    SSLContext serverContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("keytool failed: " + out);
        }
    }
}
