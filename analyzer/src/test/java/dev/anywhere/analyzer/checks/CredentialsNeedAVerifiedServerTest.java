package dev.anywhere.analyzer.checks;

import static dev.anywhere.analyzer.checks.RpcProxyPhaseTest.HOST;
import static dev.anywhere.analyzer.checks.RpcProxyPhaseTest.findingIds;
import static dev.anywhere.analyzer.checks.RpcProxyPhaseTest.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.Analyzer;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.finding.Severity;
import dev.anywhere.analyzer.report.HtmlReportWriter;
import dev.anywhere.analyzer.report.JsonReportWriter;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.analyzer.report.TextReportWriter;
import dev.anywhere.analyzer.report.Vantage;
import dev.anywhere.analyzer.testing.ScriptedHttpsServer;
import dev.anywhere.analyzer.testing.TestPki;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No password goes to a proxy whose certificate failed validation (chain to the trust anchors, the name dialled,
 * dates) unless the user passed --insecure; the trust anchors are the system's plus every --trust file. The scripted
 * proxy records every request, so "no Authorization header ever arrived" is checked where it matters: server-side.
 */
class CredentialsNeedAVerifiedServerTest {

    @TempDir
    static Path tmp;
    static TestPki pki;
    static Path root;
    static TestPki otherPki;
    static Path otherRoot;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki();
        root = pki.writeRoot(tmp);
        otherPki = new TestPki();
        otherRoot = otherPki.writeRoot(Files.createDirectories(tmp.resolve("other")));
    }

    static Report analyze(ScriptedHttpsServer s, List<Path> trust, boolean insecure, String lang) throws Exception {
        AnalyzeOptions o = new AnalyzeOptions("franky@frankysweb.org", Optional.of("FRANKYSWEB\\franky"), Optional.of("Secret-1"),
                List.of(HOST + ":" + s.port() + ":127.0.0.1"), Optional.empty(), trust, Vantage.OUTSIDE, Duration.ofSeconds(3), lang,
                Optional.of(new AnalyzeOptions.ManualSettings(HOST + ":" + s.port(), "EX1", Optional.empty(), "basic", true)), 443, 80,
                List.of(), insecure);
        return new Analyzer(o).run(CheckListener.NONE);
    }

    static ScriptedHttpsServer proxy(TestPki.Issued certificate) throws Exception {
        return new ScriptedHttpsServer(certificate, RpcProxyPhaseTest.proxy("Anywhere", "NTLM", "Basic realm=\"x\""));
    }

    static List<ScriptedHttpsServer.Request> withCredentials(ScriptedHttpsServer s) {
        return s.requests().stream().filter(r -> r.header("Authorization") != null).toList();
    }

    static String render(dev.anywhere.analyzer.report.ReportWriter w, Report r) throws Exception {
        StringWriter out = new StringWriter();
        w.write(r, out);
        return out.toString();
    }

    private static void assertWithheld(ScriptedHttpsServer s, Report r) {
        boolean de = r.language().equals("de");
        assertThat(s.requests()).as("the anonymous audit still looks").isNotEmpty();
        assertThat(withCredentials(s)).as("requests with an Authorization header").isEmpty();
        assertThat(step(r.root(), "rpc-proxy.certificate").status()).isEqualTo(CheckStatus.FAILED);
        assertThat(findingIds(r)).contains("tls.credentials-withheld");
        assertThat(step(r.root(), "rpc-proxy.echo").status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(step(r.root(), "rpc-proxy.echo").summary()).isEqualTo(de ? "übersprungen: „SSL-Zertifikat prüfen“ ist fehlgeschlagen"
                : "skipped: 'Test the SSL certificate' failed");
        for (String id : List.of("rpc-proxy.ping-6001", "rpc-proxy.ping-6002", "rpc-proxy.ping-6004", "rpc-proxy.epm")) {
            assertThat(step(r.root(), id).status()).as(id).isEqualTo(CheckStatus.SKIPPED);
        }
        assertThat(r.insecure()).isFalse();
    }

    @Test
    void aCertificateFromAnUntrustedCaGetsNoCredentials() throws Exception {
        try (ScriptedHttpsServer s = proxy(otherPki.issue(HOST, HOST, "autodiscover.frankysweb.org"))) {
            Report r = analyze(s, List.of(root), false, "en");
            assertWithheld(s, r);
            assertThat(findingIds(r)).containsExactly("tls.untrusted", "tls.credentials-withheld");
            Finding withheld = r.root().allFindings().get(1);
            assertThat(withheld.severity()).isEqualTo(Severity.INFO);
            assertThat(withheld.title()).isEqualTo("No credentials were sent to " + HOST + ": its certificate did not pass validation");
            assertThat(render(new JsonReportWriter(), r)).contains("\"insecure\" : false");
        }
    }

    @Test
    void aCertificateForAnotherNameGetsNoCredentials() throws Exception {
        try (ScriptedHttpsServer s = proxy(pki.issue("mail.contoso.com", "mail.contoso.com"))) {
            Report r = analyze(s, List.of(root), false, "de");
            assertWithheld(s, r);
            assertThat(findingIds(r)).contains("tls.name-mismatch");
            assertThat(r.root().allFindings().stream().filter(f -> f.id().equals("tls.credentials-withheld")).findFirst().orElseThrow()
                    .title()).isEqualTo("An " + HOST + " wurden keine Anmeldedaten gesendet: das Zertifikat hat die Prüfung nicht bestanden");
        }
    }

    @Test
    void anExpiredCertificateGetsNoCredentials() throws Exception {
        TestPki.Issued expired = pki.issue(HOST, List.of(HOST, "autodiscover.frankysweb.org"), Instant.now().minus(Duration.ofDays(60)),
                Instant.now().minus(Duration.ofDays(1)), false);
        try (ScriptedHttpsServer s = proxy(expired)) {
            Report r = analyze(s, List.of(root), false, "en");
            assertWithheld(s, r);
            assertThat(findingIds(r)).containsExactly("tls.expired", "tls.credentials-withheld");
        }
    }

    /** Without --trust the system's trust store decides: the test CA is not in it, so validation fails (it is not off). */
    @Test
    void withoutTrustFilesTheSystemStoreDecides() throws Exception {
        try (ScriptedHttpsServer s = proxy(pki.issue(HOST, HOST, "autodiscover.frankysweb.org"))) {
            Report r = analyze(s, List.of(), false, "en");
            assertWithheld(s, r);
            assertThat(findingIds(r)).containsExactly("tls.untrusted", "tls.credentials-withheld");
        }
    }

    /** Every --trust file counts: the proxy's CA is in the second one, and the tunnel (not only the echo) trusts it. */
    @Test
    void everyTrustFileIsUsedByEveryStep() throws Exception {
        try (ScriptedHttpsServer s = proxy(otherPki.issue(HOST, HOST, "autodiscover.frankysweb.org"))) {
            Report r = analyze(s, List.of(root, otherRoot), false, "en");
            assertThat(step(r.root(), "rpc-proxy.echo").summary()).isEqualTo("HTTP/1.1 200 Success, 20-byte echo PDU (Basic)");
            // The scripted proxy refuses every channel with 503 RPC Error: 6ba: reaching that took TLS and Basic on the tunnel.
            assertThat(findingIds(r)).containsOnly("rpc.port-not-allowed").hasSize(4);
            assertThat(withCredentials(s).stream().filter(RpcProxyPhaseTest::channel)).isNotEmpty();
        }
    }

    /** --insecure: every credentialed step runs, validation problems are warnings, and every format says so. */
    @Test
    void insecureSendsCredentialsAndTheReportSaysSo() throws Exception {
        TestPki.Issued self = pki.issue(HOST, List.of(HOST, "autodiscover.frankysweb.org"), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30)), true);
        try (ScriptedHttpsServer s = proxy(self)) {
            Report r = analyze(s, List.of(), true, "en");
            assertThat(withCredentials(s)).isNotEmpty();
            assertThat(withCredentials(s).stream().filter(RpcProxyPhaseTest::channel)).as("virtual connections ran").isNotEmpty();
            assertThat(step(r.root(), "rpc-proxy.certificate").findings()).extracting(Finding::severity).containsOnly(Severity.WARNING);
            assertThat(step(r.root(), "rpc-proxy.echo").summary()).isEqualTo("HTTP/1.1 200 Success, 20-byte echo PDU (Basic)");
            assertThat(findingIds(r)).containsOnly("tls.self-signed", "rpc.port-not-allowed");
            assertThat(r.root().allFindings().get(0).severity()).isEqualTo(Severity.WARNING);
            assertThat(r.insecure()).isTrue();
            assertThat(render(new TextReportWriter(), r)).startsWith("!! --insecure: certificates were not verified;");
            assertThat(render(new JsonReportWriter(), r)).contains("\"insecure\" : true");
            assertThat(render(new HtmlReportWriter(), r)).contains("<div class=\"insecure\" id=\"insecure\">");
        }
    }

    /** --insecure also waives the name and the dates, not only the chain: the steps with credentials still run. */
    @Test
    void insecureWaivesNameAndDatesToo() throws Exception {
        TestPki.Issued wrong = pki.issue("mail.contoso.com", List.of("mail.contoso.com"), Instant.now().minus(Duration.ofDays(60)),
                Instant.now().minus(Duration.ofDays(1)), false);
        try (ScriptedHttpsServer s = proxy(wrong)) {
            Report r = analyze(s, List.of(root), true, "en");
            assertThat(step(r.root(), "rpc-proxy.echo").status()).isNotEqualTo(CheckStatus.SKIPPED);
            assertThat(withCredentials(s)).isNotEmpty();
            assertThat(r.root().allFindings().stream().filter(f -> f.id().startsWith("tls.")).map(Finding::severity).distinct())
                    .containsOnly(Severity.WARNING);
        }
    }
}
