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
 * it printed {@code tls.handshake-failed: … StacklessClosedChannelException}). Ports shifted by 38000.
 */
class AnalyzeInGermanTest {

    static final String PASSWORD = "German-Console-Pass-1";

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private String analyze(Topology.Faults faults) throws Exception {
        Scenario s = new Scenario("german", "German console", null, List.of(), faults, null, null);
        Topology t = ScenarioRun.topology(Topology.frankysweb().withPortPolicy(new PortPolicy("shifted", 38000))
                .withHostAddress("ex1", "127.0.138.251"), s);
        PortMap ports = PortMap.of(t.portPolicy());
        Path password = tmp.resolve("password");
        Files.writeString(password, PASSWORD + "\n");
        try (LabSite site = LabSite.start(new LabSite.Plan(t, ports, tmp.resolve("site"), Passwords.same(PASSWORD), Duration.ofMinutes(15)),
                x -> { })) {
            ScenarioRun.prepare(site, s, x -> { });
            var dns = site.providerDns().orElseThrow().address();
            CommandLine cl = Anywhere.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            cl.execute("analyze", ScenarioRun.MAILBOX, "--user", ScenarioRun.LOGON, "--password-file", password.toString(),
                    "--dns-server", dns.getAddress().getHostAddress() + ":" + dns.getPort(), "--trust", site.trustBundle().toString(),
                    "--https-port", String.valueOf(ports.port(443)), "--http-port", String.valueOf(ports.port(80)), "--timeout", "3s",
                    "--lang", "de");
        }
        return out.toString();
    }

    /** The console lines that are sentences: not the transcripts, which a text report does not print. */
    static void assertGerman(String console) {
        System.out.println(console);
        assertThat(console).doesNotContainPattern(Messages.CLASS_NAME);
        for (String line : console.split("\n")) {
            assertThat(TextAudit.englishWords(line)).as(line).isEmpty();
        }
    }

    @Test
    void aHealthySiteIsReportedInGerman() throws Exception {
        String console = analyze(Topology.Faults.NONE);
        assertThat(console).as(err.toString()).contains("Verbindungstest erfolgreich", "Postfachspeicher (6001) anpingen",
                "virtuelle Verbindung nach", "Adressen: 127.0.0.20 (DNS-Server 127.0.0.10:38053)");
        assertGerman(console);
    }

    @Test
    void aPortForwardToTheWrongHostIsNamedInGermanWithoutAClassName() throws Exception {
        String console = analyze(new Topology.Faults(null, List.of(new Topology.RuleChange(443, RuleVariant.WRONG_HOST, null)), null, null));
        assertThat(console).as(err.toString()).contains("Verbindungstest fehlgeschlagen", "tcp.closed-on-connect",
                "Portweiterleitung an die falsche interne Adresse").doesNotContain("tls.handshake-failed");
        assertGerman(console);
    }
}
