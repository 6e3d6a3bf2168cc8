package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code anywhere serve}'s input handling (the page itself is tested in module web) and its help in both languages. */
class ServeCommandTest extends CommandTestBase {

    @TempDir
    Path tmp;


    @Test
    void servingBeyondLoopbackWithoutTlsAndALoginIsAUsageError() throws Exception {
        assertThat(run("serve", "--listen", "0.0.0.0:8088", "--data-dir", tmp.toString())).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --listen: 0.0.0.0 is not a loopback address; serving beyond this machine needs --cert/--key "
                + "(TLS) and --login-user/--login-password-file\n");
        assertThat(run("serve", "--cert", "c.pem")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --cert and --key go together\n");
        assertThat(run("serve", "--login-user", "admin")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --login-user and --login-password-file go together\n");
        Path empty = Files.writeString(tmp.resolve("pw"), "");
        assertThat(run("serve", "--login-user", "admin", "--login-password-file", empty.toString())).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --login-user/--login-password-file: a user without ':' and a non-empty password are required\n");
        assertThat(run("serve", "--max-runs", "1", "--max-runs-per-client", "2")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --max-runs/--max-runs-per-client: 1 runs, 2 per client (expected: at least 1, and no more per "
                + "client than in all)\n");
        assertThat(run("serve", "--lab-dir", tmp.toString())).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --lab-dir: no lab.json in " + tmp + " (start one with: anywhere lab up --data-dir " + tmp + ")\n");
    }

    /**
     * Certificate and key files the page cannot use are checked as the gateway's are (TlsEngine), before anything
     * listens: one line naming the file, no reader's class name (before, Netty's refusal was quoted).
     */
    @Test
    void unusableCertificateAndKeyFilesAreNamedAsForTheGateway() throws Exception {
        BadTlsFiles f = BadTlsFiles.in(tmp);
        Path chain = f.a().certificateChain();
        assertThat(serve(f.junk(), f.a().privateKey())).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: certificate file " + f.junk() + ": no certificate (expected: PEM CERTIFICATE blocks)\n");
        assertThat(serve(chain, f.junk())).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: key file " + f.junk() + ": no private key that can be read (expected: an unencrypted PRIVATE KEY "
                + "block)\n");
        assertThat(serve(chain, f.encrypted())).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: key file " + f.encrypted() + ": encrypted (expected: an unencrypted PRIVATE KEY block)\n");
        assertThat(serve(chain, f.ed25519())).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: key file " + f.ed25519() + ": neither an RSA nor an EC key (expected: RSA or EC)\n");
        assertThat(serve(chain, f.b().privateKey())).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: key file " + f.b().privateKey()
                + ": not the key of the certificate (expected: the private key of the chain's first certificate)\n");
        Path missing = tmp.resolve("missing.pem");
        assertThat(serve(missing, f.a().privateKey())).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: cannot read " + missing + "\n");
    }

    private int serve(Path certificate, Path key) {
        return run("serve", "--data-dir", tmp.resolve("data").toString(), "--cert", certificate.toString(), "--key", key.toString());
    }

    @Test
    void theHelpIsEnglishOrGermanByLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.ENGLISH);
            assertThat(run("serve", "--help")).isZero();
            assertThat(out).contains("Serve the analyzer as a web page").contains("Where the page is served (default: 127.0.0.1:8088)");
            Locale.setDefault(Locale.GERMAN);
            assertThat(run("serve", "--help")).isZero();
            assertThat(out).contains("Den Analyzer als Webseite bereitstellen").contains("Wo die Seite bereitsteht (Vorgabe: 127.0.0.1:8088)");
        } finally {
            Locale.setDefault(before);
        }
    }
}
