package dev.anywhere.analyzer.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.anywhere.rpc.input.InvalidValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison of an array's members: loopback servers with real TLS play the members, dialled by address as
 * {@code --member} does; the judgement of answers seen through a balancer (no address) is tested on its own.
 */
class ArrayMembersTest {

    static final String HOST = RpcProxyPhaseTest.HOST;
    static final String AUTODISCOVER = "autodiscover.frankysweb.org";

    @TempDir
    static Path tmp;
    static TestPki pki;
    static Path root;
    static TestPki.Issued current;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki();
        root = pki.writeRoot(tmp);
        current = pki.issue(HOST, HOST, AUTODISCOVER);
    }

    static Report analyze(ScriptedHttpsServer proxy, Optional<AnalyzeOptions.MemberSurvey> survey) throws Exception {
        AnalyzeOptions o = new AnalyzeOptions("franky@frankysweb.org", Optional.empty(), Optional.empty(),
                List.of(HOST + ":" + proxy.port() + ":127.0.0.1"), Optional.empty(), List.of(root), Vantage.INSIDE, Duration.ofSeconds(3),
                "en", Optional.of(new AnalyzeOptions.ManualSettings(HOST + ":" + proxy.port(), "EX1", Optional.empty(), "ntlm", true)),
                443, 80, List.of(), false).withMembers(survey);
        return new Analyzer(o).run(CheckListener.NONE);
    }

    static Optional<AnalyzeOptions.MemberSurvey> members(int connections, ScriptedHttpsServer... servers) {
        return Optional.of(new AnalyzeOptions.MemberSurvey(connections, java.util.Arrays.stream(servers).map(s -> "127.0.0.1:" + s.port()).toList()));
    }

    static CheckResult membersStep(Report r) {
        return r.root().find("rpc-proxy.members").orElseThrow(() -> new AssertionError("no members step"));
    }

    @Test
    void aMemberWithAnOldCertificateIsNamedByItsAddress() throws Exception {
        TestPki.Issued old = pki.issue(HOST, List.of(HOST, AUTODISCOVER), Instant.now().minus(400, ChronoUnit.DAYS),
                Instant.now().minus(1, ChronoUnit.DAYS), false);
        try (ScriptedHttpsServer gw1 = new ScriptedHttpsServer(current, RpcProxyPhaseTest.proxy("Anywhere", "NTLM", "Basic realm=\"x\""));
                ScriptedHttpsServer gw2 = new ScriptedHttpsServer(old, RpcProxyPhaseTest.proxy("Anywhere", "NTLM", "Basic realm=\"x\""))) {
            Report r = analyze(gw1, members(1, gw1, gw2));
            CheckResult step = membersStep(r);
            assertThat(step.status()).isEqualTo(CheckStatus.FAILED);
            assertThat(step.findings()).extracting(Finding::id).containsExactly("array.member-certificate-differs");
            Finding f = step.findings().get(0);
            assertThat(f.title()).isEqualTo("A member behind " + HOST + " presents another certificate: 127.0.0.1:" + gw2.port()
                    + " (certificate CN=" + HOST + " serial " + old.certificate().getSerialNumber().toString(16) + ", Server: Anywhere)");
            assertThat(f.cause()).startsWith("1 of 2 connections to " + HOST + " were answered with CN=" + HOST + ", serial "
                    + old.certificate().getSerialNumber().toString(16) + ", valid until ");
        }
    }

    @Test
    void aMemberThatMissedAnAuthenticationChangeIsNamed() throws Exception {
        try (ScriptedHttpsServer gw1 = new ScriptedHttpsServer(current, RpcProxyPhaseTest.proxy("Anywhere", "NTLM", "Basic realm=\"x\""));
                ScriptedHttpsServer gw2 = new ScriptedHttpsServer(current, RpcProxyPhaseTest.proxy("Anywhere", "Basic realm=\"x\""))) {
            Report r = analyze(gw1, members(1, gw1, gw2));
            List<Finding> findings = membersStep(r).findings();
            assertThat(findings).extracting(Finding::id).containsExactly("array.member-authentication-differs");
            assertThat(findings.get(0).title()).isEqualTo("Members behind " + HOST + " offer different authentication: 127.0.0.1:" + gw2.port()
                    + " (certificate CN=" + HOST + " serial " + current.certificate().getSerialNumber().toString(16) + ", Server: Anywhere) offers Basic");
            assertThat(findings.get(0).fix()).contains("set the methods to NTLM, Basic");
        }
    }

    @Test
    void membersThatAnswerAlikePassAndAnUnreachableMemberIsNamed() throws Exception {
        try (ScriptedHttpsServer gw1 = new ScriptedHttpsServer(current, RpcProxyPhaseTest.proxy("Anywhere", "NTLM"));
                ScriptedHttpsServer gw2 = new ScriptedHttpsServer(current, RpcProxyPhaseTest.proxy("Anywhere", "NTLM"))) {
            Report alike = analyze(gw1, Optional.of(new AnalyzeOptions.MemberSurvey(3, List.of())));
            assertThat(membersStep(alike).status()).isEqualTo(CheckStatus.PASSED);
            assertThat(membersStep(alike).summary()).isEqualTo("3 connections, all answered alike");
            assertThat(gw1.requests()).hasSize(1 + 3);
            Report byMember = analyze(gw1, members(3, gw1, gw2));
            assertThat(membersStep(byMember).summary()).isEqualTo("2 connections, all answered alike");
            assertThat(gw2.requests()).hasSize(1);
            int closed;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closed = free.getLocalPort();
            }
            Report oneDown = analyze(gw1, Optional.of(new AnalyzeOptions.MemberSurvey(1, List.of("127.0.0.1:" + gw2.port(), "127.0.0.1:" + closed))));
            assertThat(membersStep(oneDown).findings()).extracting(Finding::title)
                    .containsExactly("The member 127.0.0.1:" + closed + " does not answer for " + HOST);
        }
    }

    @Test
    void membersWithTheirOwnCertificatesForTheSameNamesAnswerAlike() throws Exception {
        try (ScriptedHttpsServer gw1 = new ScriptedHttpsServer(current, RpcProxyPhaseTest.proxy("Anywhere", "NTLM"));
                ScriptedHttpsServer gw2 = new ScriptedHttpsServer(pki.issue(HOST, HOST, AUTODISCOVER), RpcProxyPhaseTest.proxy("Anywhere", "NTLM"))) {
            Report r = analyze(gw1, members(1, gw1, gw2));
            assertThat(membersStep(r).findings()).isEmpty();
            assertThat(membersStep(r).evidence().get(0).text()).contains("127.0.0.1:" + gw2.port() + " (certificate CN=" + HOST);
        }
    }

    @Test
    void withoutTheSurveyTheTreeIsUnchanged() throws Exception {
        try (ScriptedHttpsServer gw1 = new ScriptedHttpsServer(current, RpcProxyPhaseTest.proxy("Anywhere", "NTLM"))) {
            Report r = analyze(gw1, Optional.empty());
            assertThat(r.root().find("rpc-proxy.members")).isEmpty();
            assertThat(gw1.requests()).hasSize(1);
        }
    }

    /** Through the balancer there is no address: the member is named by what it presented, the old certificate is the odd one. */
    @Test
    void throughTheBalancerTheOldCertificateIsTheOddOneEvenOnATie() throws Exception {
        TestPki.Issued old = pki.issue(HOST, List.of(HOST), Instant.now().minus(400, ChronoUnit.DAYS), Instant.now().minus(1, ChronoUnit.DAYS), false);
        MemberAnswer gw1 = new MemberAnswer(Optional.empty(), Optional.of(current.certificate()), Optional.of("Anywhere"), List.of("NTLM"));
        MemberAnswer gw2 = new MemberAnswer(Optional.empty(), Optional.of(old.certificate()), Optional.of("Microsoft-IIS/10.0"), List.of("NTLM"));
        Outcome o = new MemberComparison(FindingCatalogue.load("de"), Messages.of("de"), Instant.now())
                .judge(HOST, List.of(gw2, gw1, gw2, gw1, gw2, gw1), Optional.of("NTLM"));
        assertThat(o.findings()).extracting(Finding::id).containsExactly("array.member-certificate-differs", "array.member-server-differs");
        String serial = old.certificate().getSerialNumber().toString(16);
        assertThat(o.findings().get(0).title()).isEqualTo("Ein Mitglied hinter " + HOST + " zeigt ein anderes Zertifikat: Zertifikat CN="
                + HOST + " Seriennummer " + serial + ", Server: Microsoft-IIS/10.0");
        assertThat(o.findings().get(0).cause()).startsWith("3 von 6 Verbindungen");
    }

    /** A tie (two members, round robin): the member that lacks what Outlook is told to use is the one named. */
    @Test
    void onATieTheMemberWithoutTheRequiredSchemeIsNamed() throws Exception {
        MemberAnswer both = new MemberAnswer(Optional.of("10.0.0.1"), Optional.of(current.certificate()), Optional.of("Anywhere"), List.of("Basic", "NTLM"));
        MemberAnswer basic = new MemberAnswer(Optional.of("10.0.0.2"), Optional.of(current.certificate()), Optional.of("Anywhere"), List.of("Basic"));
        MemberComparison c = new MemberComparison(FindingCatalogue.load("en"), Messages.of("en"), Instant.now());
        assertThat(c.judge(HOST, List.of(basic, both), Optional.of("NTLM")).findings().get(0).title()).contains(": 10.0.0.2 (");
        assertThat(c.judge(HOST, List.of(both, basic), Optional.of("Basic")).findings().get(0).title()).contains(": 10.0.0.2 (");
    }

    @Test
    void aBadMemberAddressIsRefusedWithItsReason() {
        assertThatThrownBy(() -> new AnalyzeOptions.MemberSurvey(6, List.of("10.0.0.5:http")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("member 10.0.0.5:http: expected ADDRESS or ADDRESS:PORT (port 1..65535)");
        assertThatThrownBy(() -> new AnalyzeOptions.MemberSurvey(0, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("connections must be between 1 and 64, not 0");
        assertThat(AnalyzeOptions.MemberSurvey.address("[::1]:8443", 443).getPort()).isEqualTo(8443);
        assertThat(AnalyzeOptions.MemberSurvey.address("[::1]", 443).getHostString()).isEqualTo("::1");
        assertThat(AnalyzeOptions.MemberSurvey.address("192.0.2.7", 443).getPort()).isEqualTo(443);
    }

    /** Keyed, so that the command line says them in its reader's language (--member, --array-connections). */
    @Test
    void aBadMemberOrCountIsAKeyedRefusal() {
        assertThatThrownBy(() -> new AnalyzeOptions.MemberSurvey(6, List.of("[::1]:0"))).isInstanceOfSatisfying(InvalidValue.class, e -> {
            assertThat(e.key()).isEqualTo("members.address");
            assertThat(e.value()).isEqualTo("[::1]:0");
        });
        assertThatThrownBy(() -> new AnalyzeOptions.MemberSurvey(65, List.of())).isInstanceOfSatisfying(InvalidValue.class, e -> {
            assertThat(e.key()).isEqualTo("members.connections");
            assertThat(e.value()).isEqualTo("65");
            assertThat(e).hasMessage("connections must be between 1 and 64, not 65");
        });
    }
}
