package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import dev.anywhere.analyzer.profile.OutlookProfile;
import dev.anywhere.analyzer.profile.ProfileStore;
import dev.anywhere.directory.ldap.AdNames;
import dev.anywhere.lab.scenario.ScenarioRun;
import dev.anywhere.lab.site.LabSite;
import dev.anywhere.lab.topology.Passwords;
import dev.anywhere.lab.topology.PortMap;
import dev.anywhere.lab.topology.PortPolicy;
import dev.anywhere.lab.topology.Topology;
import dev.anywhere.rpc.ntlm.NtHash;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code anywhere profile connect} against the lab: a profile made by {@code profile create} from the lab's
 * Autodiscover, then Outlook's sequence through the router and the gateway to EX1 (on an address of its own, ports
 * shifted). Run under {@code flock /tmp/anywhere-ports.lock} with the other cli tests.
 */
class ProfileConnectCommandTest {

    static final PortPolicy POLICY = PortPolicy.shifted(41000);
    static final String PASSWORD = "Profile-Lab-Pass-1";

    @TempDir
    static Path tmp;
    static LabSite site;
    static PortMap ports;
    static Path passwordFile;

    private String out;
    private String err;

    @BeforeAll
    static void start() throws Exception {
        Topology t = Topology.frankysweb().withPortPolicy(POLICY).withHostAddress("ex1", "127.0.141.251").withFaultsApplied();
        ports = PortMap.of(t.portPolicy());
        site = LabSite.start(new LabSite.Plan(t, ports, tmp.resolve("site"), Passwords.same(PASSWORD), Duration.ofMinutes(15)), s -> { });
        LabCommand.enableOutlookAnywhere(site);
        assertThat(LabCommand.awaitEnabled(site)).isTrue();
        passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n");
        ProfileConnectCommandTest t0 = new ProfileConnectCommandTest();
        assertThat(t0.run("profile", "create", ScenarioRun.MAILBOX, "--profile-dir", tmp.resolve("profiles").toString()))
                .as(t0.out + t0.err).isZero();
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    /** The command with the lab's client options (DNS, trust, ports, account) and {@code args}. */
    int run(String... args) {
        var dns = site.providerDns().orElseThrow().address();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--user", ScenarioRun.LOGON, "--password-file", passwordFile.toString(),
                "--dns-server", dns.getAddress().getHostAddress() + ":" + dns.getPort(), "--trust", site.trustBundle().toString(),
                "--https-port", String.valueOf(ports.port(443)), "--http-port", String.valueOf(ports.port(80)), "--timeout", "5s"));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = Anywhere.commandLine();
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int code = cl.execute(all.toArray(String[]::new));
        out = o.toString();
        err = e.toString();
        System.out.println("$ anywhere " + String.join(" ", args) + "\n" + out + err + "(exit " + code + ")"); // the docs' examples
        return code;
    }

    /** {@code profile connect} on a copy of the created profile changed by {@code change}. */
    int connect(java.util.function.UnaryOperator<OutlookProfile> change, String... args) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "profiles");
        OutlookProfile p = new ProfileStore(tmp.resolve("profiles")).load(ScenarioRun.MAILBOX).orElseThrow();
        new ProfileStore(dir).save(change.apply(p));
        List<String> all = new ArrayList<>(List.of("profile", "connect", ScenarioRun.MAILBOX, "--profile-dir", dir.toString()));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    @Test
    void onTheHealthyLabEveryStepPasses() throws Exception {
        assertThat(connect(p -> p)).as(out + err).isZero();
        assertThat(out).contains("Connection: RPC over HTTP (EXPR) to oa.frankysweb.org",
                "(DCE/RPC with NTLM at privacy, every server signature verified)",
                "ok    Referral (RfrGetNewDSA)", ": the address book is on ex1.frankysweb.local",
                "ok    Address book (the user's entry)", "franky@frankysweb.org", "/cn=Configuration/cn=Servers/cn=EX1",
                "ok    Home server (RfrGetFQDNFromServerDN)", "ex1.frankysweb.local:6002: the mailbox is on ex1.frankysweb.local",
                "ok    Mailbox logon (EcDoConnectEx, RopLogon)", "ex1.frankysweb.local:6001: logged on to mailbox",
                "Every step passed: Outlook reaches its mailbox through oa.frankysweb.org.");
        assertThat(out + err).doesNotContain(PASSWORD);

        assertThat(connect(p -> p, "--format", "json")).isZero();
        JsonNode json = new ObjectMapper().readTree(out);
        assertThat(json.path("transport").asText()).isEqualTo("EXPR");
        assertThat(json.path("rpcAuth").asText()).isEqualTo("privacy");
        assertThat(json.path("passed").asBoolean()).isTrue();
        List<String> ids = new ArrayList<>();
        json.path("steps").forEach(s -> {
            ids.add(s.path("step").asText());
            assertThat(s.path("passed").asBoolean()).as(s.toString()).isTrue();
        });
        assertThat(ids).containsExactly("referral", "address-book", "home-server", "mailbox-logon");
        assertThat(json.path("steps").get(3).path("values").path("mailboxGuid").asText()).hasSize(36);
    }

    @Test
    void aProfileThatDoesNotEncryptIsRefusedAtTheMailboxLogonInBothLanguages() throws Exception {
        String dir = Files.createTempDirectory(tmp, "profiles").toString();
        assertThat(run("profile", "create", ScenarioRun.MAILBOX, "--profile-dir", dir, "--no-encrypt-rpc")).as(out + err).isZero();
        assertThat(out).containsPattern("RPC encryption +: off \\(signed only, PKT_INTEGRITY\\)");
        assertThat(run("profile", "connect", ScenarioRun.MAILBOX, "--profile-dir", dir)).as(out + err).isEqualTo(Anywhere.FINDINGS);
        assertThat(out).contains("(DCE/RPC with NTLM at integrity, every server signature verified)",
                "FAIL  Mailbox logon (EcDoConnectEx, RopLogon)", "ex1.frankysweb.local:6001: the server requires RPC encryption and "
                + "this profile does not encrypt", "(connect: ecNotEncrypted (0x00000970))",
                "Outlook stops at: Mailbox logon (EcDoConnectEx, RopLogon).");
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(connect(p -> p.withEncryptRpc(false))).isEqualTo(Anywhere.FINDINGS);
        } finally {
            Locale.setDefault(before);
        }
        assertThat(out).contains("Verbindung: RPC über HTTP (EXPR) zu oa.frankysweb.org", "gut     Verweisdienst (RfrGetNewDSA)",
                "FEHLER  Postfachanmeldung (EcDoConnectEx, RopLogon)",
                "der Server verlangt RPC-Verschlüsselung", "Outlook scheitert bei: Postfachanmeldung (EcDoConnectEx, RopLogon).");
    }

    @Test
    void whenTheRpcServerRefusesWhatTheProxyAcceptsTheReferralStepSaysSo() throws Exception {
        // HTTP Basic is checked by an LDAP bind (userPassword); DCE/RPC NTLM with the NT hash (sambaNTPassword): make them differ.
        String dn = site.directory().userDn("franky").orElseThrow();
        site.directory().ldap().modify(dn, new Modification(ModificationType.REPLACE, AdNames.NT_PASSWORD, NtHash.hexOf("Other-Pass-1")));
        try {
            assertThat(connect(p -> new OutlookProfile(p.email(), p.exchServer(), p.proxyServer(), p.principal(), Optional.of("basic"),
                    p.flags(), p.ttlHours(), p.policy(), p.created(), p.lastRefresh(), p.lastRefreshSucceeded(), p.nextRefresh(),
                    p.userDn(), true))).as(out + err).isEqualTo(Anywhere.FINDINGS);
        } finally {
            site.directory().ldap().modify(dn, new Modification(ModificationType.REPLACE, AdNames.NT_PASSWORD, NtHash.hexOf(PASSWORD)));
        }
        assertThat(out).contains("FAIL  Referral (RfrGetNewDSA)", "Outlook stops at: Referral (RfrGetNewDSA).")
                .containsPattern("the RPC server refused the DCE/RPC NTLM authentication although the proxy accepted the HTTP logon"
                        + "|the connection ended; right after a bind, the RPC server ends an association whose authentication it refused");
    }

    @Test
    void withoutAPasswordOnlyTheProxysPortIsTriedAndAnOldProfileNeedsARefresh() throws Exception {
        Path dir = Files.createTempDirectory(tmp, "profiles");
        OutlookProfile p = new ProfileStore(tmp.resolve("profiles")).load(ScenarioRun.MAILBOX).orElseThrow();
        new ProfileStore(dir).save(p);
        StringWriter o = new StringWriter();
        CommandLine cl = Anywhere.commandLine();
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        var dns = site.providerDns().orElseThrow().address();
        assertThat(cl.execute("profile", "connect", ScenarioRun.MAILBOX, "--profile-dir", dir.toString(), "--dns-server",
                dns.getAddress().getHostAddress() + ":" + dns.getPort(), "--https-port", String.valueOf(ports.port(443)))).isZero();
        assertThat(o.toString()).contains("ok: oa.frankysweb.org accepts connections");

        assertThat(connect(x -> new OutlookProfile(x.email(), x.exchServer(), x.proxyServer(), x.principal(), x.authScheme(), x.flags(),
                x.ttlHours(), x.policy(), x.created(), x.lastRefresh(), x.lastRefreshSucceeded(), x.nextRefresh()))).isEqualTo(2);
        assertThat(err).contains("the profile of franky@frankysweb.org has no legacyExchangeDN (stored before profiles kept it): "
                + "'anywhere profile refresh franky@frankysweb.org --force' adds it");
    }
}
