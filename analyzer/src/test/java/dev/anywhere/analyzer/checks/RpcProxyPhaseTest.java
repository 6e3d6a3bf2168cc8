package dev.anywhere.analyzer.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.Analyzer;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.report.JsonReportWriter;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.analyzer.report.Vantage;
import dev.anywhere.analyzer.testing.ScriptedHttpsServer;
import dev.anywhere.analyzer.testing.TestPki;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RPC proxy phase against loopback servers built to answer right and wrong, with real TLS. */
class RpcProxyPhaseTest {

    static final String HOST = "oa.frankysweb.org";
    static final String ECHO = new String(RpcProxyPhase.ECHO_PDU, StandardCharsets.ISO_8859_1);
    static final String BASIC_OK = "Basic " + Base64.getEncoder().encodeToString("FRANKYSWEB\\franky:Secret-1".getBytes(StandardCharsets.UTF_8));

    @TempDir
    static Path tmp;
    static TestPki pki;
    static Path root;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki();
        root = pki.writeRoot(tmp);
    }

    /** A proxy that offers {@code schemes}, and echoes for Basic FRANKYSWEB\franky:Secret-1. */
    static Function<ScriptedHttpsServer.Request, String> proxy(String server, String... schemes) {
        return r -> {
            if (channel(r)) {
                return "HTTP/1.0 503 RPC Error: 6ba\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            }
            if (BASIC_OK.equals(r.header("Authorization"))) {
                return "HTTP/1.1 200 Success\r\nContent-Type: application/rpc\r\nContent-Length: 20\r\n\r\n" + ECHO;
            }
            String[] headers = new String[schemes.length + 1];
            for (int i = 0; i < schemes.length; i++) {
                headers[i] = "WWW-Authenticate: " + schemes[i];
            }
            headers[schemes.length] = "Server: " + server;
            return ScriptedHttpsServer.response("HTTP/1.1 401 Unauthorized", "", headers);
        };
    }

    /** An IN or OUT channel request (not an echo): Content-Length 76, 120 or at least 128 KiB. */
    static boolean channel(ScriptedHttpsServer.Request r) {
        String len = r.header("Content-Length");
        return len != null && (len.equals("76") || len.equals("120") || Long.parseLong(len) >= 131072);
    }

    static Report analyze(ScriptedHttpsServer s, String principal, String authPackage, Optional<String> password) throws Exception {
        AnalyzeOptions o = new AnalyzeOptions("franky@frankysweb.org", password.map(p -> "FRANKYSWEB\\franky"), password,
                List.of(HOST + ":" + s.port() + ":127.0.0.1"), Optional.empty(), List.of(root), Vantage.OUTSIDE, Duration.ofSeconds(3),
                "en", Optional.of(new AnalyzeOptions.ManualSettings(HOST + ":" + s.port(), "EX1",
                        Optional.ofNullable(principal), authPackage, true)), 443, 80, List.of(), false);
        return new Analyzer(o).run(CheckListener.NONE);
    }

    static List<String> findingIds(Report r) {
        return r.root().allFindings().stream().map(Finding::id).toList();
    }

    static CheckResult step(CheckResult r, String id) {
        return r.find(id).orElseThrow(() -> new AssertionError("no step " + id));
    }

    /** Everything up to the echo passes; the tunnel is refused behind it (the healthy run is the lab's test). */
    @Test
    void theHttpSurfacePassesAndARefusedTunnelIsNamed() throws Exception {
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue(HOST, HOST, "autodiscover.frankysweb.org"), proxy("Anywhere", "NTLM", "Basic realm=\"x\""))) {
            Report r = analyze(s, null, "basic", Optional.of("Secret-1"));
            assertThat(findingIds(r)).containsOnly("rpc.port-not-allowed").hasSize(4);
            assertThat(step(r.root(), "rpc-proxy.ping-6001").summary()).contains("503").contains("6ba");
            assertThat(step(r.root(), "rpc-proxy.echo").status()).isEqualTo(CheckStatus.FAILED);
            assertThat(step(r.root(), "rpc-proxy.echo").summary()).startsWith("HTTP/1.1 200 Success, 20-byte echo PDU (Basic)");
            assertThat(step(r.root(), "rpc-proxy.http-auth").summary()).isEqualTo("offered: NTLM, Basic");
            assertThat(step(r.root(), "rpc-proxy.mutual-auth").summary()).isEqualTo("msstd:oa.frankysweb.org matches the common name oa.frankysweb.org");
            StringWriter json = new StringWriter();
            new JsonReportWriter().write(r, json);
            assertThat(json.toString()).doesNotContain("Secret-1").doesNotContain(BASIC_OK.substring(6)).contains("Basic [redacted]");
        }
    }

    @Test
    void aReverseProxyThatRefusesTheMethodsIsNamed() throws Exception {
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue(HOST, HOST, "autodiscover.frankysweb.org"),
                r -> ScriptedHttpsServer.response("HTTP/1.1 405 Not Allowed", "<html>405</html>", "Server: nginx/1.22.1"))) {
            Report r = analyze(s, null, "ntlm", Optional.of("Secret-1"));
            assertThat(findingIds(r)).containsExactly("proxy.method-refused");
            Finding f = r.root().allFindings().get(0);
            assertThat(f.title()).isEqualTo("A reverse proxy refuses RPC_IN_DATA/RPC_OUT_DATA (405 Not Allowed from nginx/1.22.1)");
            assertThat(step(r.root(), "rpc-proxy.echo").status()).isEqualTo(CheckStatus.SKIPPED);
        }
    }

    @Test
    void a401WithoutSchemesAndAMissingRequiredSchemeAreTold() throws Exception {
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue(HOST, HOST, "autodiscover.frankysweb.org"), proxy("TMG"))) {
            assertThat(findingIds(analyze(s, null, "ntlm", Optional.empty()))).containsExactly("auth.no-methods");
        }
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue(HOST, HOST, "autodiscover.frankysweb.org"), proxy("Anywhere", "Basic realm=\"x\""))) {
            Report r = analyze(s, null, "ntlm", Optional.empty());
            assertThat(findingIds(r)).containsExactly("auth.required-missing");
            assertThat(r.root().allFindings().get(0).fix()).contains("--iis-auth basic,ntlm");
            assertThat(step(r.root(), "rpc-proxy.echo").summary()).isEqualTo("skipped: 'Check the authentication methods of /rpc/rpcproxy.dll' failed");
        }
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue(HOST, HOST, "autodiscover.frankysweb.org"), proxy("Anywhere", "NTLM"))) {
            assertThat(step(analyze(s, null, "ntlm", Optional.empty()).root(), "rpc-proxy.echo").summary())
                    .isEqualTo("skipped: needs credentials (--user, --password-env)");
        }
    }

    @Test
    void theRoutersOwnPageOnPort443IsRecognised() throws Exception {
        TestPki.Issued router = pki.issue("router.local", List.of("router.local"), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30)), true);
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(router,
                r -> ScriptedHttpsServer.response("HTTP/1.1 404 Not Found", "<html>Router login</html>", "Server: RouterOS"))) {
            Report r = analyze(s, null, "ntlm", Optional.empty());
            assertThat(findingIds(r)).contains("tls.self-signed", "msstd.mismatch", "tcp.other-server-answers");
        }
    }

    @Test
    void insecureTurnsTrustProblemsIntoWarnings() throws Exception {
        TestPki.Issued self = pki.issue(HOST, List.of(HOST, "autodiscover.frankysweb.org"), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30)), true);
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(self, proxy("Anywhere", "NTLM"))) {
            AnalyzeOptions o = new AnalyzeOptions("franky@frankysweb.org", Optional.empty(), Optional.empty(),
                    List.of(HOST + ":" + s.port() + ":127.0.0.1"), Optional.empty(), List.of(), Vantage.OUTSIDE, Duration.ofSeconds(3), "en",
                    Optional.of(new AnalyzeOptions.ManualSettings(HOST + ":" + s.port(), "EX1", Optional.empty(), "ntlm", true)), 443, 80,
                    List.of(), true);
            Report r = new Analyzer(o).run(CheckListener.NONE);
            assertThat(findingIds(r)).containsExactly("tls.self-signed");
            assertThat(r.root().allFindings().get(0).severity()).isEqualTo(dev.anywhere.analyzer.finding.Severity.WARNING);
            assertThat(r.status()).isEqualTo(CheckStatus.WARNING);
        }
    }

    /**
     * NTLM's CHALLENGE comes on a 401 whose body is an error page over 64 KiB, or chunked: the echo reads it to its end
     * and sends AUTHENTICATE on the same connection (NTLM is connection-bound), which the proxy then accepts.
     */
    @Test
    void theEchoDrainsALargeOrChunkedChallengeBodyBeforeAuthenticate() throws Exception {
        String page = "<html>" + "x".repeat(100 * 1024) + "</html>";
        for (boolean chunked : new boolean[] {false, true}) {
            Function<ScriptedHttpsServer.Request, String> site = FullAnalysisTest.site(FullAnalysisTest.EXPR, false);
            Function<ScriptedHttpsServer.Request, String> padded = r -> {
                String answer = site.apply(r);
                if (!answer.startsWith("HTTP/1.1 401") || !answer.contains("WWW-Authenticate: NTLM T")) {
                    return answer;
                }
                String head = answer.substring(0, answer.indexOf("Content-Length: 0\r\n\r\n"));
                return chunked ? head + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(page.length() / 2) + "\r\n"
                        + page.substring(0, page.length() / 2) + "\r\n" + Integer.toHexString(page.length() - page.length() / 2) + "\r\n"
                        + page.substring(page.length() / 2) + "\r\n0\r\n\r\n"
                        : head + "Content-Length: " + page.length() + "\r\n\r\n" + page;
            };
            try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue(HOST, HOST, "autodiscover.frankysweb.org"), padded)) {
                Report r = analyze(s, null, "ntlm", Optional.of("Secret-1"));
                assertThat(step(r.root(), "rpc-proxy.echo").summary()).as("chunked " + chunked)
                        .isEqualTo("HTTP/1.1 200 Success, 20-byte echo PDU (NTLM)");
                assertThat(step(r.root(), "rpc-proxy.echo").evidence().get(0).text()).contains("… (" + page.length() + " bytes)");
            }
        }
    }

    /**
     * A proxy that writes its scheme in lower case ({@code WWW-Authenticate: ntlm <challenge>}) still gets NTLM's
     * AUTHENTICATE: the auth-scheme is case-insensitive (RFC 9110 §11.1), as the channels' HttpLeg reads it.
     */
    @Test
    void theEchoReadsAnNtlmChallengeWhateverTheSchemesCase() throws Exception {
        Function<ScriptedHttpsServer.Request, String> site = FullAnalysisTest.site(FullAnalysisTest.EXPR, false);
        Function<ScriptedHttpsServer.Request, String> lowerCase = r -> site.apply(r).replace("WWW-Authenticate: NTLM", "WWW-Authenticate: ntlm");
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue(HOST, HOST, "autodiscover.frankysweb.org"), lowerCase)) {
            Report r = analyze(s, null, "ntlm", Optional.of("Secret-1"));
            assertThat(step(r.root(), "rpc-proxy.echo").summary()).isEqualTo("HTTP/1.1 200 Success, 20-byte echo PDU (NTLM)");
            assertThat(step(r.root(), "rpc-proxy.echo").evidence().get(0).text()).contains("WWW-Authenticate: ntlm [redacted]");
        }
    }

    /** A CHALLENGE that is not base64 gets the NTLM header parser's error as the echo's finding, nothing sent after it. */
    @Test
    void aMalformedNtlmChallengeFailsTheEchoWithTheParsersError() throws Exception {
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue(HOST, HOST, "autodiscover.frankysweb.org"), proxy("Anywhere", "NTLM T*not-base64*"))) {
            Report r = analyze(s, null, "ntlm", Optional.of("Secret-1"));
            String expected = "the NTLM challenge of the 401 is unusable: NTLM token: not base64 (expected: base64 of an NTLMSSP message)";
            assertThat(step(r.root(), "rpc-proxy.echo").status()).isEqualTo(CheckStatus.FAILED);
            assertThat(step(r.root(), "rpc-proxy.echo").summary()).isEqualTo(expected);
            assertThat(step(r.root(), "rpc-proxy.echo").findings()).extracting(Finding::id).containsExactly("proxy.echo-failed");
            assertThat(step(r.root(), "rpc-proxy.echo").findings().get(0).title()).isEqualTo("The RPC proxy echo failed (" + expected + ")");
        }
    }

    @Test
    void mutualAuthenticationAgainstCnAndSans() throws Exception {
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue("mail.frankysweb.org", "mail.frankysweb.org", HOST,
                "autodiscover.frankysweb.org"), proxy("Anywhere", "NTLM"))) {
            Report r = analyze(s, "msstd:" + HOST, "ntlm", Optional.empty());
            assertThat(findingIds(r)).containsExactly("msstd.san-only");
            r = analyze(s, "msstd:owa.contoso.com", "ntlm", Optional.empty());
            assertThat(findingIds(r)).containsExactly("msstd.mismatch");
            assertThat(r.root().allFindings().get(0).fix()).contains("msstd:mail.frankysweb.org");
        }
    }

    @Test
    void wrongCredentialsAreClassified() throws Exception {
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue(HOST, HOST, "autodiscover.frankysweb.org"), proxy("Anywhere", "Basic realm=\"x\""))) {
            Report r = analyze(s, null, "basic", Optional.of("wrong"));
            assertThat(findingIds(r)).containsExactly("auth.credentials-rejected");
            StringWriter json = new StringWriter();
            new JsonReportWriter().write(r, json);
            assertThat(json.toString()).doesNotContain("wrong\"").doesNotContain(Base64.getEncoder()
                    .encodeToString("FRANKYSWEB\\franky:wrong".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void certificateDatesAndNames() throws Exception {
        TestPki.Issued expired = pki.issue(HOST, List.of(HOST, "autodiscover.frankysweb.org"), Instant.now().minus(Duration.ofDays(60)),
                Instant.now().minus(Duration.ofDays(1)), false);
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(expired, proxy("Anywhere", "NTLM"))) {
            assertThat(findingIds(analyze(s, null, "ntlm", Optional.empty()))).containsExactly("tls.expired");
        }
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue(HOST, HOST), proxy("Anywhere", "NTLM"))) {
            assertThat(findingIds(analyze(s, null, "ntlm", Optional.empty()))).containsExactly("tls.autodiscover-name-missing");
        }
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue("ex1.frankysweb.local", "ex1.frankysweb.local", "ex1"),
                proxy("Anywhere", "NTLM"))) {
            assertThat(findingIds(analyze(s, "msstd:ex1.frankysweb.local", "ntlm", Optional.empty()))).containsExactly("tls.internal-names-only");
        }
    }

    @Test
    void nothingListeningAndAMissingNameStopEarly() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        AnalyzeOptions o = new AnalyzeOptions("franky@frankysweb.org", Optional.empty(), Optional.empty(),
                List.of(HOST + ":" + port + ":127.0.0.1"), Optional.empty(), List.of(root), Vantage.OUTSIDE, Duration.ofSeconds(2), "de",
                Optional.of(new AnalyzeOptions.ManualSettings(HOST + ":" + port, "EX1", Optional.empty(), "ntlm", true)), 443, 80, List.of(), false);
        Report r = new Analyzer(o).run(CheckListener.NONE);
        assertThat(findingIds(r)).containsExactly("tcp.refused");
        assertThat(r.root().allFindings().get(0).title()).isEqualTo("Auf 127.0.0.1:" + port + " nimmt niemand Verbindungen an");
        assertThat(step(r.root(), "rpc-proxy.tls").status()).isEqualTo(CheckStatus.SKIPPED);

        AnalyzeOptions missing = new AnalyzeOptions("franky@frankysweb.org", Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), List.of(), Vantage.OUTSIDE, Duration.ofSeconds(2), "en",
                Optional.of(new AnalyzeOptions.ManualSettings("oa.frankysweb.invalid", "EX1", Optional.empty(), "ntlm", true)), 443, 80, List.of(), false);
        Report m = new Analyzer(missing).run(CheckListener.NONE);
        List<String> ids = new ArrayList<>(findingIds(m));
        assertThat(ids).containsExactly("dns.host-not-found");
    }
}
