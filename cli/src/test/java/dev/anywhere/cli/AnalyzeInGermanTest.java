package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.analyzer.text.TextAudit;
import dev.anywhere.lab.scenario.Scenario;
import dev.anywhere.lab.scenario.ScenarioRun;
import dev.anywhere.lab.site.LabSite;
import dev.anywhere.lab.topology.Passwords;
import dev.anywhere.lab.topology.PortMap;
import dev.anywhere.lab.topology.PortPolicy;
import dev.anywhere.lab.topology.RuleVariant;
import dev.anywhere.lab.topology.Topology;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code anywhere analyze --lang de} against a lab site, as a user sees it on the console: the live progress, the
 * tree, the banner and the findings are German throughout, and no exception class name appears, on a healthy site
 * (every check passes and says so) and behind a port forward to a host where nothing listens (the example:
 * it printed {@code tls.handshake-failed: … StacklessClosedChannelException}) and behind a self-signed certificate.
 * The same run's JSON report is audited too, evidence included: the certificate and every other evidence the
 * analyzer writes itself is German; transcripts (what was on the wire) may only be free of class names. Ports
 * shifted by 38000.
 */
class AnalyzeInGermanTest {

    static final String PASSWORD = "German-Console-Pass-1";

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    /** The same analysis as a JSON report, read back: its tree with the evidence the console does not print. */
    private dev.anywhere.analyzer.report.Report report;

    private String analyze(Topology.Faults faults) throws Exception {
        Scenario s = new Scenario("german", "German console", null, List.of(), faults, null, null);
        Topology t = ScenarioRun.topology(Topology.frankysweb().withPortPolicy(PortPolicy.shifted(38000))
                .withHostAddress("ex1", "127.0.138.251"), s);
        PortMap ports = PortMap.of(t.portPolicy());
        Path password = tmp.resolve("password");
        Files.writeString(password, PASSWORD + "\n");
        try (LabSite site = LabSite.start(new LabSite.Plan(t, ports, tmp.resolve("site"), Passwords.same(PASSWORD), Duration.ofMinutes(15)),
                x -> { })) {
            ScenarioRun.prepare(site, s, x -> { });
            var dns = site.providerDns().orElseThrow().address();
            String[] common = {"analyze", ScenarioRun.MAILBOX, "--user", ScenarioRun.LOGON, "--password-file", password.toString(),
                    "--dns-server", dns.getAddress().getHostAddress() + ":" + dns.getPort(), "--trust", site.trustBundle().toString(),
                    "--https-port", String.valueOf(ports.port(443)), "--http-port", String.valueOf(ports.port(80)), "--timeout", "3s",
                    "--lang", "de"};
            CommandLine cl = Anywhere.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            cl.execute(common);
            Path json = tmp.resolve("report.json");
            List<String> asJson = new java.util.ArrayList<>(List.of(common));
            asJson.addAll(List.of("--format", "json", "--out", json.toString()));
            CommandLine again = Anywhere.commandLine();
            again.setOut(new PrintWriter(new StringWriter(), true));
            again.setErr(new PrintWriter(err, true));
            again.execute(asJson.toArray(String[]::new));
            report = dev.anywhere.analyzer.report.JsonReportReader.read(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()));
        }
        return out.toString();
    }

    /**
     * The console lines that are sentences (a text report prints no transcripts), and the JSON report's tree with its
     * evidence ({@link TextAudit#audit}: German words only, transcripts free of class names).
     */
    void assertGerman(String console) {
        System.out.println(console);
        assertThat(console).doesNotContainPattern(Messages.CLASS_NAME);
        for (String line : console.split("\n")) {
            assertThat(TextAudit.englishWords(line)).as(line).isEmpty();
        }
        assertThat(report.language()).isEqualTo("de");
        assertThat(TextAudit.audit(report.root(), "de")).isEmpty();
    }

    @Test
    void aHealthySiteIsReportedInGerman() throws Exception {
        String console = analyze(Topology.Faults.NONE);
        assertThat(console).as(err.toString()).contains("Verbindungstest erfolgreich", "Postfachspeicher (6001) anpingen",
                "virtuelle Verbindung nach", "Adressen: 127.0.0.20 (DNS-Server 127.0.0.10:38053)");
        assertThat(evidence()).contains("Zertifikat: CN=oa.frankysweb.org", "  Namen:       ", "  Aussteller:  ");
        assertGerman(console);
    }

    @Test
    void aSelfSignedCertificateIsReportedInGermanEvidenceIncluded() throws Exception {
        String console = analyze(new Topology.Faults(null, null, List.of(dev.anywhere.lab.pki.CertificateFault.SELF_SIGNED), null));
        assertThat(console).as(err.toString()).contains("Verbindungstest fehlgeschlagen", "tls.self-signed");
        assertThat(evidence()).contains("Zertifikat: CN=oa.frankysweb.org", "Signatur");
        assertGerman(console);
    }

    /** Every evidence text of the JSON report, joined. */
    private String evidence() {
        StringBuilder b = new StringBuilder();
        java.util.ArrayDeque<dev.anywhere.analyzer.check.CheckResult> todo = new java.util.ArrayDeque<>(List.of(report.root()));
        while (!todo.isEmpty()) {
            var node = todo.pop();
            node.evidence().forEach(e -> b.append(e.label()).append('\n').append(e.text()).append('\n'));
            todo.addAll(node.children());
        }
        return b.toString();
    }

    @Test
    void aPortForwardToTheWrongHostIsNamedInGermanWithoutAClassName() throws Exception {
        String console = analyze(new Topology.Faults(null, List.of(new Topology.RuleChange(443, RuleVariant.WRONG_HOST, null)), null, null));
        assertThat(console).as(err.toString()).contains("Verbindungstest fehlgeschlagen", "tcp.closed-on-connect",
                "Portweiterleitung an die falsche interne Adresse").doesNotContain("tls.handshake-failed");
        assertGerman(console);
    }
}
