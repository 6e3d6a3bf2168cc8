package dev.anywhere.lab.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.Analyzer;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.analyzer.report.Vantage;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.topology.PortMap;
import dev.anywhere.lab.topology.PortPolicy;
import dev.anywhere.lab.topology.Passwords;
import dev.anywhere.lab.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyzer against the whole lab site as an external client sees it: provider DNS, the router's public address,
 * TLS with the lab CA, Autodiscover, the proxy, and virtual connections to EX1's endpoints. Ports are shifted so the
 * test runs without root and beside a lab on the usual ports.
 */
class AnalyzerOnLabTest {

    static final PortPolicy POLICY = PortPolicy.shifted(33000);
    static final String PASSWORD = "Analyzer-Lab-Pass-1";

    @TempDir
    Path tmp;

    static CheckResult step(CheckResult r, String id) {
        return r.find(id).orElseThrow(() -> new AssertionError("no step " + id));
    }

    @Test
    void aHealthySitePassesEveryCheck() throws Exception {
        Topology t = Topology.frankysweb().withPortPolicy(POLICY).withFaultsApplied();
        PortMap ports = PortMap.of(t.portPolicy());
        try (LabSite site = LabSite.start(new LabSite.Plan(t, ports, tmp, Passwords.same(PASSWORD), Duration.ofMinutes(15)), s -> { })) {
            site.directory().putRpcVirtualDirectory(new RpcHttpVirtualDirectory("EX1", 0, Optional.empty(), Optional.empty(), 0, 0)
                    .withExternalHostname(CertificateRequest.OA_NAME)
                    .withExternalClientAuthenticationMethod(ClientAuthenticationMethod.NTLM)
                    .withIisAuthenticationMethods(EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM)));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!site.gateway().config().current().enabled() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            AnalyzeOptions options = new AnalyzeOptions("franky@frankysweb.org", Optional.of("FRANKYSWEB\\franky"), Optional.of(PASSWORD),
                    List.of(), Optional.of(site.providerDns().orElseThrow().address()), List.of(site.trustBundle()), Vantage.OUTSIDE,
                    Duration.ofSeconds(10), "en", Optional.empty(), ports.port(443), ports.port(80), List.of(), false);
            Report report = new Analyzer(options).run(CheckListener.NONE);
            assertThat(report.root().allFindings()).extracting(Finding::id).isEmpty();
            assertThat(report.status()).isEqualTo(CheckStatus.PASSED);
            for (String id : Set.of("rpc-proxy.ping-6001", "rpc-proxy.ping-6002", "rpc-proxy.ping-6004", "rpc-proxy.epm", "rpc-proxy.echo",
                    "autodiscover.settings", "rpc-proxy.mutual-auth", "rpc-proxy.certificate")) {
                assertThat(step(report.root(), id).status()).as(id).isEqualTo(CheckStatus.PASSED);
            }
            assertThat(step(report.root(), "rpc-proxy.dns").summary()).startsWith("IP addresses returned: 127.0.0.20");
            // Outlook's sequence after the tunnel, each binding sealed (PKT_PRIVACY) through the proxy, every response's
            // signature verified: referral, check name, the home server's FQDN, the mailbox logon on it.
            for (String id : List.of("rpc-proxy.referral", "rpc-proxy.check-name", "rpc-proxy.home-server", "rpc-proxy.mailbox-logon")) {
                assertThat(step(report.root(), id).status()).as(id).isEqualTo(CheckStatus.PASSED);
            }
            assertThat(step(report.root(), "rpc-proxy.referral").summary())
                    .isEqualTo("The server returned by the Referral service: ex1.frankysweb.local");
            assertThat(step(report.root(), "rpc-proxy.check-name").summary()).startsWith("DisplayName: ")
                    .endsWith(", home server: EX1");
            assertThat(step(report.root(), "rpc-proxy.home-server").summary()).isEqualTo("EX1 is ex1.frankysweb.local");
            // The home server's FQDN is asked on the first step's referral binding, kept open as Outlook keeps it: three
            // authenticated bindings (referral, address book, store) reach EX1, not four, and that step opens no channel
            // while its transcript still shows its call.
            assertThat(site.metrics().counter("anywhere.endpoints.security.binds", "level", "privacy").count()).isEqualTo(3.0);
            String fqdnPdus = step(report.root(), "rpc-proxy.home-server").evidence().stream().map(e -> e.text())
                    .reduce("", String::concat);
            assertThat(fqdnPdus).contains("opnum 1").doesNotContain("tcp connected");
            assertThat(step(report.root(), "rpc-proxy.mailbox-logon").summary()).startsWith("logged on to ")
                    .contains(" on ex1.frankysweb.local (");

            // /rpc offering Basic only while EXPR tells Outlook to use Ntlm: the analyzer names the mismatch.
            site.directory().putRpcVirtualDirectory(site.directory().rpcVirtualDirectory("EX1").orElseThrow()
                    .withIisAuthenticationMethods(EnumSet.of(AuthenticationMethod.BASIC)));
            deadline = System.nanoTime() + 10_000_000_000L;
            while (site.gateway().config().current().authentication().size() != 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Report mismatch = new Analyzer(options).run(CheckListener.NONE);
            assertThat(mismatch.root().allFindings()).extracting(Finding::id).contains("auth.required-missing");
        }
    }
}
