package dev.anywhere.lab.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.Analyzer;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.analyzer.report.Vantage;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.router.HaproxyBalancer;
import dev.anywhere.lab.topology.PortMap;
import dev.anywhere.lab.topology.Topology;
import dev.anywhere.server.config.HttpAuthScheme;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyzer's comparison of an array's members on the lab's {@code cas-array}, through HAProxy: EX2 presents a
 * certificate without autodiscover.frankysweb.org, and its configurator applied an authentication setting EX1's did not
 * get (Basic only, where Outlook is told to use NTLM); six connections, three on each member, and both findings name
 * EX2 by its certificate's serial. Both faults at once and anonymous, with manual settings: through the balancer the
 * single-connection steps would meet either member. Member by member ({@code --member}) and one fault at a time, with
 * credentials and Autodiscover, are the array scenarios ({@code ArrayScenariosTest}).
 */
class ArrayMembersOnLabTest {

    @TempDir
    Path tmp;

    static Topology withEx2Certificate(Topology t, List<String> names) {
        List<Topology.Certificate> certificates = t.certificates().stream()
                .map(c -> c.host().equals("ex2") ? new Topology.Certificate(c.name(), c.host(), c.subject(), names, c.days(), c.key()) : c)
                .toList();
        return new Topology(t.name(), t.portPolicy(), t.hosts(), t.zones(), t.router(), certificates, t.users(), t.middlebox(),
                t.faults(), t.array());
    }

    @Test
    void theMemberWithAnotherCertificateAndOtherAuthenticationIsNamed() throws Exception {
        dev.anywhere.rpc.testing.Peers.require(HaproxyBalancer.find().isPresent(), "haproxy");
        Topology array = withEx2Certificate(Topology.casArray(), List.of(CertificateRequest.OA_NAME));
        try (LabSite site = CasArrayTest.startArray(array, tmp.resolve("site"), Duration.ofHours(3))) {
            for (LabSite.Member m : site.members()) {
                // EX2 missed the change that added NTLM: its /rpc offers Basic only.
                site.directory().putRpcVirtualDirectory(new RpcHttpVirtualDirectory(m.server(), 0, Optional.empty(), Optional.empty(), 0, 0)
                        .withExternalHostname(CertificateRequest.OA_NAME)
                        .withExternalClientAuthenticationMethod(ClientAuthenticationMethod.NTLM)
                        .withIisAuthenticationMethods(m.server().equals("EX2") ? EnumSet.of(AuthenticationMethod.BASIC)
                                : EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM)));
            }
            LabSite.Member ex2 = site.members().get(1);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!ex2.gateway().config().current().authentication().equals(Set.of(HttpAuthScheme.BASIC)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            PortMap ports = site.plan().orElseThrow().ports();
            int https = ports.port(443);
            AnalyzeOptions options = new AnalyzeOptions("franky@frankysweb.org", Optional.empty(), Optional.empty(),
                    List.of(CertificateRequest.OA_NAME + ":" + https + ":127.0.0.20"), Optional.empty(), List.of(site.trustBundle()),
                    Vantage.INSIDE, Duration.ofSeconds(10), "en", Optional.of(new AnalyzeOptions.ManualSettings(CertificateRequest.OA_NAME
                            + ":" + https, "EX1", Optional.empty(), "ntlm", true)), https, ports.port(80), List.of(), false);

            // Outside: six connections through router and HAProxy, round robin; EX2 named by what it presented.
            Report outside = new Analyzer(options.withMembers(Optional.of(new AnalyzeOptions.MemberSurvey(6, List.of()))))
                    .run(CheckListener.NONE);
            CheckResult through = outside.root().find("rpc-proxy.members").orElseThrow();
            assertThat(through.findings()).extracting(Finding::id)
                    .containsExactly("array.member-certificate-differs", "array.member-authentication-differs");
            String ex2Serial = "CN=" + CertificateRequest.OA_NAME + " serial ";
            assertThat(through.findings().get(0).cause()).startsWith("3 of 6 connections").contains("names " + CertificateRequest.OA_NAME + ",");
            // Both findings name one member, by the certificate's serial: the one without the autodiscover name.
            String member = through.findings().get(0).title().substring(through.findings().get(0).title().indexOf(ex2Serial));
            assertThat(member).endsWith(", Server: Anywhere");
            assertThat(through.findings().get(1).title()).endsWith(": certificate " + member + " offers Basic");
        }
    }
}
