package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anywhere.directory.embedded.DirectoryServer;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.lab.pki.CertificateAuthority;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.pki.IssuedCertificate;
import dev.anywhere.server.gateway.DirectoryCredentials;
import dev.anywhere.server.gateway.Gateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code anywhere autodiscover} against the gateway on loopback (lab CA). The password comes from an environment
 * variable that every build has ({@code PATH}); the seeded users get that value as their password.
 */
class AutodiscoverCommandTest extends CommandTestBase {

    private static final String PASSWORD_ENV = "PATH";

    private static Path tmp;
    private static DirectoryServer dc1;
    private static LdapSiteDirectory directory;
    private static Gateway gateway;
    private static Path trust;

    @BeforeAll
    static void startSite() throws Exception {
        tmp = Files.createTempDirectory("ads-cli");
        String password = System.getenv(PASSWORD_ENV);
        dc1 = DirectoryServer.start(tmp.resolve("dc1"), InetAddress.getLoopbackAddress(), 0, SiteSeed.frankysweb(password));
        directory = dc1.directory().connect(password);
        CertificateAuthority ca = CertificateAuthority.createLab();
        IssuedCertificate ex1 = ca.issueServerCertificate(CertificateRequest.labDefault());
        IssuedCertificate.PemFiles files = ex1.writePem(tmp, "ex1");
        trust = ca.writeTrustBundle(tmp.resolve("lab-ca.pem"));
        Files.createDirectories(tmp.resolve("ex1"));
        gateway = Gateway.start(new Gateway.Options(tmp.resolve("ex1"), "EX1", new InetSocketAddress("127.0.0.1", 0),
                Optional.of(SslContextBuilder.forServer(files.certificateChain().toFile(), files.privateKey().toFile()).build()),
                new DirectoryCredentials(directory), "autodiscover.frankysweb.org", Gateway.ntlmIdentity("EX1", SiteSeed.FRANKYSWEB)),
                new SimpleMeterRegistry());
    }

    @AfterAll
    static void stopSite() {
        gateway.close();
        directory.close();
        dc1.close();
    }

    private List<String> site(String... extra) {
        int port = gateway.address().getPort();
        List<String> a = new ArrayList<>(List.of("autodiscover", "franky@frankysweb.org", "--https-port", String.valueOf(port),
                "--http-port", "9", "--timeout", "2", "--dns-server", "127.0.0.2", // port 53, as analyze takes it
                "--resolve", "frankysweb.org:" + port + ":127.0.0.2",
                "--resolve", "autodiscover.frankysweb.org:" + port + ":127.0.0.1",
                "--resolve", "autodiscover.frankysweb.org:9:127.0.0.2"));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void foundPrintsTheTableAndTheAttempts() {
        List<String> args = site("--user", "FRANKYSWEB\\franky", "--password-env", PASSWORD_ENV, "--trust", trust.toString());
        assertThat(run(args.toArray(String[]::new))).as(err + out).isZero();
        assertThat(out).contains("Settings for franky@frankysweb.org from https://autodiscover.frankysweb.org:")
                .containsPattern("EXPR +oa\\.frankysweb\\.org +On +Ntlm")
                .containsPattern("EXCH +ex1\\.frankysweb\\.local")
                .contains("FAILED   HTTPS_ROOT_DOMAIN", "ACCEPTED HTTPS_AUTODISCOVER_DOMAIN");
        assertThat(out).doesNotContain(System.getenv(PASSWORD_ENV));
    }

    @Test
    void jsonShape() throws Exception {
        List<String> args = site("--user", "FRANKYSWEB\\franky", "--password-env", PASSWORD_ENV, "--trust", trust.toString(),
                "--format", "json");
        assertThat(run(args.toArray(String[]::new))).isZero();
        JsonNode j = new ObjectMapper().readTree(out);
        assertThat(j.get("found").asBoolean()).isTrue();
        assertThat(j.get("protocols").get(1).get("type").asText()).isEqualTo("EXPR");
        assertThat(j.get("protocols").get(1).get("authPackage").asText()).isEqualTo("Ntlm");
        assertThat(j.get("attempts").get(1).get("http").get(1).get("status").asInt()).isEqualTo(200);
        assertThat(j.get("attempts").get(1).get("tls").get("protocol").asText()).startsWith("TLS");
    }

    @Test
    void notFoundIsExit1WithEachReason() {
        List<String> args = site("--trust", trust.toString());
        assertThat(run(args.toArray(String[]::new))).isEqualTo(1);
        assertThat(out).contains("No settings for franky@frankysweb.org")
                .contains("http status: 401 Unauthorized; no credentials configured (expected: 200)");
    }

    /** --trust is repeatable, every file counts, and the system's trust store stays in (it cannot vouch for the lab). */
    @Test
    void everyTrustFileIsUsed() throws Exception {
        Path other = CertificateAuthority.createLab().writeTrustBundle(tmp.resolve("other-ca.pem"));
        String[] user = {"--user", "FRANKYSWEB\\franky", "--password-env", PASSWORD_ENV};
        assertThat(run(site(user[0], user[1], user[2], user[3], "--trust", other.toString(), "--trust", trust.toString())
                .toArray(String[]::new))).as(err).isZero();
        assertThat(run(site(user[0], user[1], user[2], user[3], "--trust", other.toString()).toArray(String[]::new))).isEqualTo(1);
        assertThat(run(site(user).toArray(String[]::new))).isEqualTo(1);
        assertThat(run("autodiscover", "franky@frankysweb.org", "--trust", tmp.resolve("none.pem").toString())).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --trust: " + tmp.resolve("none.pem") + " is not a readable file (expected: PEM CA "
                + "certificates)\n");
    }

    @Test
    void usageErrorsAreExit2() {
        assertThat(run("autodiscover", "franky@frankysweb.org", "--format", "xml")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --format: xml (expected: text or json)\n");
        assertThat(run("autodiscover", "franky@frankysweb.org", "--user", "FRANKYSWEB\\franky")).isEqualTo(2);
        assertThat(run("autodiscover", "not-an-address")).isEqualTo(2);
        assertThat(err).contains("email address: not-an-address (expected: local@domain)");
        assertThat(run("autodiscover", "franky@frankysweb.org", "--resolve", "bad")).isEqualTo(2);
    }
}
