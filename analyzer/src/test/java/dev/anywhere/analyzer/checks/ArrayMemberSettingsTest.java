package dev.anywhere.analyzer.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.Analyzer;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.check.Outcome;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.finding.FindingCatalogue;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.analyzer.report.Vantage;
import dev.anywhere.analyzer.testing.ScriptedHttpsServer;
import dev.anywhere.analyzer.testing.TestPki;
import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.autodiscover.pox.PoxCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The members' Autodiscover settings compared: loopback servers with real TLS play the members (Autodiscover for POSTs,
 * a proxy that refuses tunnels for the rest), dialled by address as {@code --member} does; the judgement of answers
 * seen through a balancer (no address) is tested on its own.
 */
class ArrayMemberSettingsTest {

    static final String AUTODISCOVER = "autodiscover.frankysweb.org";
    /** The scripted site answers on the root domain first, so that is where the members are asked again. */
    static final String ANSWERED = "frankysweb.org";
    static final String NTLM = FullAnalysisTest.EXPR;
    static final String BASIC = NTLM.replace("<AuthPackage>Ntlm</AuthPackage>", "<AuthPackage>Basic</AuthPackage>");

    @TempDir
    static Path tmp;
    static TestPki pki;
    static Path root;
    static TestPki.Issued certificate;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki();
        root = pki.writeRoot(tmp);
        certificate = pki.issue("oa.frankysweb.org", "oa.frankysweb.org", AUTODISCOVER, "frankysweb.org");
    }

    /** Autodiscover and the RPC proxy of {@code site}, asked about each member by address; credentials when given. */
    static Report analyze(ScriptedHttpsServer site, Optional<String> password, String language, ScriptedHttpsServer... members)
            throws Exception {
        int port = site.port();
        AnalyzeOptions o = new AnalyzeOptions("franky@frankysweb.org", password.map(p -> "FRANKYSWEB\\franky"), password,
                List.of("frankysweb.org:" + port + ":127.0.0.1", AUTODISCOVER + ":" + port + ":127.0.0.1", "oa.frankysweb.org:" + port + ":127.0.0.1"),
                Optional.empty(), List.of(root), Vantage.INSIDE, Duration.ofSeconds(3), language, Optional.empty(), port, 1, List.of(), false)
                .withMembers(Optional.of(new AnalyzeOptions.MemberSurvey(1, java.util.Arrays.stream(members).map(m -> "127.0.0.1:" + m.port()).toList())));
        return new Analyzer(o).run(CheckListener.NONE);
    }

    static CheckResult settingsStep(Report r) {
        return r.root().find("rpc-proxy.member-settings").orElseThrow(() -> new AssertionError("no member-settings step"));
    }

    @Test
    void theMemberThatStillSaysBasicIsNamedWithTheSetting() throws Exception {
        try (ScriptedHttpsServer ex1 = new ScriptedHttpsServer(certificate, FullAnalysisTest.site(NTLM, false));
                ScriptedHttpsServer ex2 = new ScriptedHttpsServer(certificate, FullAnalysisTest.site(BASIC, false))) {
            Report r = analyze(ex1, Optional.of("Secret-1"), "en", ex1, ex2);
            CheckResult step = settingsStep(r);
            assertThat(step.status()).isEqualTo(CheckStatus.FAILED);
            assertThat(step.summary()).isEqualTo("2 Autodiscover answers, not all with the same settings (0 not asked or without an answer)");
            assertThat(step.findings()).extracting(Finding::id).containsExactly("array.member-settings-differ");
            Finding f = step.findings().get(0);
            // A tie (one member each): the reference is what this run's own Autodiscover answer said (EX1's, Ntlm).
            assertThat(f.title()).isEqualTo("A member behind " + ANSWERED + " hands out other Autodiscover settings: 127.0.0.1:" + ex2.port()
                    + " (certificate CN=oa.frankysweb.org serial " + certificate.certificate().getSerialNumber().toString(16)
                    + ", Server: an unnamed server)");
            assertThat(f.cause()).startsWith("1 of 2 Autodiscover answers from " + ANSWERED + " said EXPR AuthPackage Basic; the others "
                    + "EXPR AuthPackage Ntlm (127.0.0.1:" + ex1.port() + " (");
            assertThat(step.evidence().get(0).text()).contains("EXPR Server oa.frankysweb.org, EXPR SSL On, EXPR AuthPackage Basic");
            // One POST with credentials per member, on each member's own connection.
            assertThat(ex2.requests()).filteredOn(q -> q.method().equals("POST") && q.header("Authorization") != null).hasSize(1);
            assertThat(r.toString()).doesNotContain("Secret-1");
        }
    }

    @Test
    void inGermanTheFindingIsGerman() throws Exception {
        try (ScriptedHttpsServer ex1 = new ScriptedHttpsServer(certificate, FullAnalysisTest.site(NTLM, false));
                ScriptedHttpsServer ex2 = new ScriptedHttpsServer(certificate, FullAnalysisTest.site(BASIC, false))) {
            CheckResult step = settingsStep(analyze(ex1, Optional.of("Secret-1"), "de", ex1, ex2));
            assertThat(step.summary()).isEqualTo("2 Autodiscover-Antworten, nicht alle mit denselben Einstellungen (0 nicht gefragt oder ohne Antwort)");
            assertThat(step.findings().get(0).title()).startsWith("Ein Mitglied hinter " + ANSWERED
                    + " verteilt andere Autodiscover-Einstellungen: 127.0.0.1:" + ex2.port() + " (Zertifikat CN=oa.frankysweb.org");
            assertThat(step.findings().get(0).cause()).startsWith("1 von 2 Autodiscover-Antworten von " + ANSWERED
                    + " nannten EXPR AuthPackage Basic, die übrigen EXPR AuthPackage Ntlm");
        }
    }

    @Test
    void membersAnsweringAlikePass() throws Exception {
        try (ScriptedHttpsServer ex1 = new ScriptedHttpsServer(certificate, FullAnalysisTest.site(NTLM, false));
                ScriptedHttpsServer ex2 = new ScriptedHttpsServer(certificate, FullAnalysisTest.site(NTLM, false))) {
            CheckResult step = settingsStep(analyze(ex1, Optional.of("Secret-1"), "en", ex1, ex2));
            assertThat(step.status()).isEqualTo(CheckStatus.PASSED);
            assertThat(step.findings()).isEmpty();
            assertThat(step.summary()).isEqualTo("2 Autodiscover answers, all with the same settings (0 not asked or without an answer)");
        }
    }

    @Test
    void withoutCredentialsNoMemberIsAsked() throws Exception {
        try (ScriptedHttpsServer ex1 = new ScriptedHttpsServer(certificate, FullAnalysisTest.site(NTLM, false));
                ScriptedHttpsServer ex2 = new ScriptedHttpsServer(certificate, FullAnalysisTest.site(BASIC, false))) {
            CheckResult step = settingsStep(analyze(ex1, Optional.empty(), "en", ex1, ex2));
            assertThat(step.status()).isEqualTo(CheckStatus.SKIPPED);
            assertThat(ex2.requests()).noneMatch(q -> q.method().equals("POST"));
        }
    }

    /** Credentials go only to a member whose certificate validates; the certificate comparison names that member. */
    @Test
    void aMemberWithAnUntrustedCertificateGetsNoCredentials() throws Exception {
        TestPki other = new TestPki();
        try (ScriptedHttpsServer ex1 = new ScriptedHttpsServer(certificate, FullAnalysisTest.site(NTLM, false));
                ScriptedHttpsServer ex2 = new ScriptedHttpsServer(other.issue("oa.frankysweb.org", "oa.frankysweb.org", AUTODISCOVER),
                        FullAnalysisTest.site(BASIC, false))) {
            Report r = analyze(ex1, Optional.of("Secret-1"), "en", ex1, ex2);
            CheckResult step = settingsStep(r);
            assertThat(step.findings()).isEmpty();
            assertThat(step.summary()).isEqualTo("1 Autodiscover answers, all with the same settings (1 not asked or without an answer)");
            assertThat(ex2.requests()).noneMatch(q -> q.header("Authorization") != null);
            assertThat(r.root().find("rpc-proxy.members").orElseThrow().findings()).extracting(Finding::id)
                    .contains("array.member-certificate-differs");
        }
    }

    /** Through a balancer (no addresses): the settings most answers gave are the reference, a member without settings differs. */
    @Test
    void throughABalancerTheMajorityDecides() throws Exception {
        Messages text = Messages.of("en");
        MemberComparison c = new MemberComparison(FindingCatalogue.load("en"), text, Instant.now());
        Map<String, String> ntlm = MemberSettings.of(PoxCodec.readResponse(FullAnalysisTest.pox(NTLM).getBytes(StandardCharsets.UTF_8)));
        Map<String, String> basic = MemberSettings.of(PoxCodec.readResponse(FullAnalysisTest.pox(BASIC).getBytes(StandardCharsets.UTF_8)));
        assertThat(ntlm).containsEntry("EXCH Server", "ex1.frankysweb.local").containsEntry("EXPR AuthPackage", "Ntlm")
                .containsEntry("EXPR CertPrincipalName", "msstd:oa.frankysweb.org").containsEntry("EXPR SSL", "On");
        MemberAnswer a = new MemberAnswer(Optional.empty(), Optional.of(certificate.certificate()), Optional.of("Anywhere"), List.of());
        MemberAnswer b = new MemberAnswer(Optional.empty(), Optional.empty(), Optional.of("Other"), List.of());
        Outcome o = c.judgeSettings(AUTODISCOVER, List.of(new MemberSettings(a, basic, 200), new MemberSettings(b, ntlm, 200),
                new MemberSettings(a, basic, 200), new MemberSettings(b, Map.of(), 500)), Optional.of(ntlm), 0);
        assertThat(o.findings()).extracting(Finding::id).containsExactly("array.member-settings-differ", "array.member-settings-differ");
        // Against the majority (Basic, 2 of 4), not against this run's own answer (Ntlm).
        assertThat(o.findings().get(0).cause()).startsWith("1 of 4 Autodiscover answers from " + AUTODISCOVER
                + " said EXPR AuthPackage Ntlm; the others EXPR AuthPackage Basic (certificate CN=oa.frankysweb.org");
        assertThat(o.findings().get(0).title()).endsWith(": certificate - serial -, Server: Other");
        assertThat(o.findings().get(1).cause()).startsWith("1 of 4 Autodiscover answers from " + AUTODISCOVER + " said no settings (HTTP 500); "
                + "the others EXCH Server ex1.frankysweb.local, ");

        Map<String, String> empty = new LinkedHashMap<>(ntlm);
        empty.replace("EXPR CertPrincipalName", "");
        Outcome unset = c.judgeSettings(AUTODISCOVER, List.of(new MemberSettings(b, empty, 200), new MemberSettings(a, ntlm, 200)),
                Optional.of(ntlm), 0);
        assertThat(unset.findings().get(0).cause()).contains(" said EXPR CertPrincipalName (none); the others EXPR CertPrincipalName msstd:oa.frankysweb.org");
    }
}
