package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code anywhere cert ca|new|show}, with openssl as the independent reader of what they write. */
class CertCommandTest extends CommandTestBase {

    @TempDir
    Path tmp;


    private static String openssl(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + ":" + output;
    }

    @Test
    void caNewShowVerifiedByOpenssl() throws Exception {
        Path ca = tmp.resolve("ca");
        assertThat(run("cert", "ca", "--dir", ca.toString())).as(err).isZero();
        assertThat(out).contains("Created CN=Anywhere Lab Root CA,O=Anywhere Lab in ");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.resolve("ca.key")))).isEqualTo("rw-------");
        assertThat(run("cert", "ca", "--dir", ca.toString())).isZero();
        assertThat(out).contains("Loaded CN=Anywhere Lab Root CA,O=Anywhere Lab from ");

        Path certs = tmp.resolve("certs");
        Files.createDirectories(certs);
        assertThat(run("cert", "new", "--ca-dir", ca.toString(), "--subject", "CN=oa.frankysweb.org", "--domains",
                "oa.frankysweb.org,autodiscover.frankysweb.org", "--days", "30", "--key", "ec256", "--out", certs.toString(),
                "--name", "ex1", "--pfx-password-env", "PATH")).as(err).isZero();
        Path chain = certs.resolve("ex1.crt");
        assertThat(openssl(Map.of(), "verify", "-CAfile", certs.resolve("ca-bundle.pem").toString(), chain.toString()))
                .isEqualTo("0:" + chain + ": OK\n");
        assertThat(openssl(Map.of(), "x509", "-in", chain.toString(), "-noout", "-ext", "subjectAltName"))
                .contains("DNS:oa.frankysweb.org, DNS:autodiscover.frankysweb.org");
        assertThat(openssl(Map.of(), "x509", "-in", chain.toString(), "-noout", "-text")).contains("ASN1 OID: prime256v1");
        assertThat(openssl(Map.of("PFXPASS", System.getenv("PATH")), "pkcs12", "-in", certs.resolve("ex1.pfx").toString(),
                "-passin", "env:PFXPASS", "-nokeys")).startsWith("0:").contains("subject=CN = oa.frankysweb.org");
        assertThat(openssl(Map.of(), "pkey", "-in", certs.resolve("ex1.key").toString(), "-noout")).isEqualTo("0:");

        assertThat(run("cert", "show", chain.toString(), "--trust", ca.resolve("ca.crt").toString())).as(err).isZero();
        assertThat(out).contains("subject:             CN=oa.frankysweb.org")
                .contains("DNS names:           oa.frankysweb.org, autodiscover.frankysweb.org")
                .contains("key:                 EC 256 bits").contains("trusted:             yes");
    }

    @Test
    void faultsAreBuiltInAndOpensslSeesThem() throws Exception {
        Path ca = tmp.resolve("ca");
        assertThat(run("cert", "new", "--ca-dir", ca.toString(), "--subject", "CN=oa.frankysweb.org", "--fault", "cert-expired",
                "--out", tmp.toString())).as(err).isZero();
        Path chain = tmp.resolve("oa.frankysweb.org.crt");
        assertThat(openssl(Map.of(), "verify", "-CAfile", tmp.resolve("ca-bundle.pem").toString(), chain.toString()))
                .contains("certificate has expired");
        assertThat(run("cert", "show", chain.toString(), "--trust", ca.resolve("ca.crt").toString())).isEqualTo(Anywhere.FINDINGS);
        assertThat(out).contains("trusted:             no");
    }

    @Test
    void usageErrors() throws IOException {
        assertThat(run("cert", "new", "--ca-dir", tmp.resolve("ca").toString(), "--subject", "oa.frankysweb.org")).isEqualTo(Anywhere.USAGE);
        assertThat(err).isEqualTo("anywhere: --subject: oa.frankysweb.org (expected: CN=<host name>, e.g. CN=oa.frankysweb.org)"
                + System.lineSeparator());
        assertThat(run("cert", "new", "--ca-dir", tmp.resolve("ca").toString(), "--subject", "CN=oa.frankysweb.org", "--fault",
                "cert-revoked")).isEqualTo(Anywhere.USAGE);
        assertThat(err).startsWith("anywhere: --fault: cert-revoked (expected: one of cert-self-signed, cert-expired,");
        assertThat(run("cert", "new", "--ca-dir", tmp.resolve("ca").toString(), "--subject", "CN=oa.frankysweb.org", "--key",
                "dsa")).isEqualTo(Anywhere.USAGE);
        assertThat(err).isEqualTo("anywhere: --key: key type: dsa (expected: rsa2048, rsa1024 or ec256)" + System.lineSeparator());
        assertThat(run("cert", "show", tmp.resolve("nothing").toString())).isEqualTo(Anywhere.USAGE);
        assertThat(err).contains("cert show: " + tmp.resolve("nothing") + " (expected: an existing file or HOST:PORT)");
    }
}
