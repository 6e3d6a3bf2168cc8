package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.directory.embedded.DirectoryServer;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.OutlookProvider;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.server.events.Event;
import dev.anywhere.server.events.EventId;
import dev.anywhere.server.events.EventLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The cmdlet-like commands against a real embedded directory, including every invalid-input path. */
class AdministrationCommandsTest extends CommandTestBase {

    private static final String PASSWORD = "Cli-Secret-1";

    @TempDir
    static Path tmp;

    private static DirectoryServer server;
    private static LdapSiteDirectory directory;
    private static Path passwordFile;


    @BeforeAll
    static void startDirectory() throws Exception {
        SiteSeed all = SiteSeed.frankysweb(PASSWORD);
        server = DirectoryServer.start(tmp.resolve("dc1"), InetAddress.getLoopbackAddress(), 0, new SiteSeed(all.site(), all.passwords(), false));
        directory = LdapSiteDirectory.connect(LdapSettings.of(server.info().url(), all.serviceBindDn(), PASSWORD, SiteSeed.FRANKYSWEB));
        passwordFile = tmp.resolve("bind.password");
        Files.writeString(passwordFile, PASSWORD + "\n");
    }

    @AfterAll
    static void stopDirectory() {
        directory.close();
        server.close();
    }

    @BeforeEach
    void reset() {
        directory.removeRpcVirtualDirectory("EX1");
        directory.putProvider(OutlookProvider.defaults("EXPR"));
    }

    @Override
    protected int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!args[0].equals("events")) {
            all.addAll(List.of("--directory", server.info().url().toString(), "--bind-password-file", passwordFile.toString()));
        }
        return super.run(all.toArray(String[]::new));
    }

    @Test
    void enableWritesTheRawAttributesExchangeWould() {
        assertThat(run("oa", "enable", "--server", "ex1", "--external-hostname", "OA.frankysweb.org", "--client-auth", "ntlm")).isZero();
        assertThat(out).startsWith("Outlook Anywhere enabled for EX1: oa.frankysweb.org, clients use Ntlm, /rpc offers Basic, Ntlm, SSL offloading off.");
        RpcHttpVirtualDirectory v = directory.rpcVirtualDirectory("EX1").orElseThrow();
        assertThat(v.externalUrl()).hasValue(java.net.URI.create("https://oa.frankysweb.org/rpc"));
        assertThat(v.rawExternalAuthenticationMethods()).isEqualTo(2);
        assertThat(v.rawIisAuthenticationMethods()).isEqualTo(3);
        assertThat(v.rawFlags()).isZero();
    }

    @Test
    void enableWithDefaultAuthAndSslOffloading() {
        assertThat(run("oa", "enable", "--server", "EX1", "--external-hostname", "oa.frankysweb.org", "--default-auth", "basic",
                "--ssl-offloading")).isZero();
        RpcHttpVirtualDirectory v = directory.rpcVirtualDirectory("EX1").orElseThrow();
        assertThat(v.rawExternalAuthenticationMethods()).isEqualTo(1);
        assertThat(v.rawIisAuthenticationMethods()).isEqualTo(1);
        assertThat(v.rawFlags()).isEqualTo(1);
    }

    @Test
    void invalidInputGetsOneLineExitCode2AndChangesNothing() {
        assertThat(run("oa", "enable", "--server", "EX1", "--external-hostname", "not a host", "--client-auth", "ntlm")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --external-hostname: 'not a host' is not a host name (expected: a DNS name such as oa.frankysweb.org)\n");
        assertThat(run("oa", "enable", "--server", "EX1", "--external-hostname", "oa.frankysweb.org", "--client-auth", "digest")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --client-auth: unknown method 'digest' (expected: basic, ntlm or negotiate)\n");
        assertThat(run("oa", "enable", "--server", "EX1", "--external-hostname", "oa.frankysweb.org", "--client-auth", "ntlm",
                "--iis-auth", "basic,kerberos")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --iis-auth: unknown method 'kerberos' (expected: a list of basic, ntlm, negotiate)\n");
        assertThat(run("oa", "enable", "--server", "EX9", "--external-hostname", "oa.frankysweb.org", "--client-auth", "ntlm")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --server: unknown Exchange server 'EX9' (expected one of: EX1)\n");
        assertThat(run("oa", "enable", "--server", "DC1", "--external-hostname", "oa.frankysweb.org", "--client-auth", "ntlm")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --server: unknown Exchange server 'DC1' (expected one of: EX1)\n");
        assertThat(run("oa", "enable", "--server", "EX1", "--external-hostname", "oa.frankysweb.org", "--client-auth", "ntlm",
                "--default-auth", "basic")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --default-auth sets both the client and the IIS methods; do not combine it with "
                + "--client-auth or --iis-auth\n");
        assertThat(run("oa", "enable", "--server", "EX1", "--external-hostname", "oa.frankysweb.org")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --client-auth or --default-auth is required\n");
        assertThat(run("oa", "enable", "--server", "EX1", "--client-auth", "ntlm")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: Missing required option: '--external-hostname=HOST'\nTry 'anywhere oa enable --help'.\n");
        assertThat(directory.rpcVirtualDirectory("EX1")).isEmpty();
    }

    @Test
    void enableTwiceAndSetOrDisableWhileDisabledAreRefused() {
        assertThat(run("oa", "set", "--server", "EX1", "--ssl-offloading", "true")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: Outlook Anywhere is not enabled for EX1 (use 'anywhere oa enable' first)\n");
        assertThat(run("oa", "disable", "--server", "EX1")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: Outlook Anywhere is not enabled for EX1\n");
        run("oa", "enable", "--server", "EX1", "--external-hostname", "oa.frankysweb.org", "--client-auth", "ntlm");
        assertThat(run("oa", "enable", "--server", "EX1", "--external-hostname", "oa.frankysweb.org", "--client-auth", "ntlm")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: Outlook Anywhere is already enabled for EX1 (use 'anywhere oa set' to change it)\n");
        assertThat(run("oa", "set", "--server", "EX1")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: nothing to set (expected: --external-hostname, --client-auth, --iis-auth, --default-auth or --ssl-offloading)\n");
        assertThat(run("oa", "set", "--server", "EX1", "--ssl-offloading", "maybe")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --ssl-offloading: 'maybe' (expected: true or false)\n");
    }

    @Test
    void setChangesOnlyWhatItIsGiven() {
        run("oa", "enable", "--server", "EX1", "--external-hostname", "oa.frankysweb.org", "--client-auth", "ntlm");
        assertThat(run("oa", "set", "--server", "EX1", "--iis-auth", "ntlm,negotiate", "--external-hostname", "mail.frankysweb.org")).isZero();
        RpcHttpVirtualDirectory v = directory.rpcVirtualDirectory("EX1").orElseThrow();
        assertThat(v.iisAuthenticationMethods()).isEqualTo(Set.of(AuthenticationMethod.NTLM, AuthenticationMethod.NEGOTIATE));
        assertThat(v.externalHostname()).hasValue("mail.frankysweb.org");
        assertThat(v.externalClientAuthenticationMethod()).isEqualTo(ClientAuthenticationMethod.NTLM);
        assertThat(run("oa", "disable", "--server", "EX1")).isZero();
        assertThat(directory.rpcVirtualDirectory("EX1")).isEmpty();
    }

    @Test
    void getShowsDirectoryValuesBesideTheAppliedConfiguration() throws Exception {
        run("oa", "enable", "--server", "EX1", "--external-hostname", "oa.frankysweb.org", "--client-auth", "negotiate", "--iis-auth", "negotiate");
        Path ex1 = tmp.resolve("ex1-get");
        new dev.anywhere.server.config.AppliedConfigFile(ex1).write(dev.anywhere.server.config.RpcVdirConfig.disabled("EX1"), 4, Instant.now());
        assertThat(run("oa", "get", "--server", "EX1", "--data-dir", ex1.toString(), "--format", "json")).isZero();
        assertThat(out).contains("\"ClientAuthenticationMethod\" : \"Negotiate\"").contains("\"IISAuthenticationMethods\" : \"Negotiate\"")
                .contains("\"Applied\" : {").contains("\"Enabled\" : false").contains("\"Generation\" : 4");
        assertThat(run("oa", "get")).isZero();
        assertThat(out).contains("ExternalHostname           : oa.frankysweb.org");
        assertThat(run("oa", "get", "--format", "xml")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --format: 'xml' (expected: table or json)\n");
    }

    @Test
    void providerSetWritesTheProviderAndValidatesItsInput() {
        assertThat(run("provider", "set", "expr", "--cert-principal-name", "msstd:oa.frankysweb.org", "--ttl", "2", "--flags",
                "ServerExclusiveConnect")).isZero();
        OutlookProvider p = directory.provider("EXPR").orElseThrow();
        assertThat(p.certPrincipalName()).hasValue("msstd:oa.frankysweb.org");
        assertThat(p.ttlHours()).isEqualTo(2);
        assertThat(p.rawFlags()).isEqualTo(1);
        assertThat(run("provider", "get", "EXPR")).isZero();
        assertThat(out).isEqualTo("EXPR  CertPrincipalName=msstd:oa.frankysweb.org Server=(none) TTL=2 OutlookProviderFlags=ServerExclusiveConnect\n");
        assertThat(run("provider", "set", "EXPR", "--cert-principal-name", "oa.frankysweb.org")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --cert-principal-name: 'oa.frankysweb.org' (expected: msstd:<name in the certificate>, e.g. msstd:oa.frankysweb.org)\n");
        assertThat(run("provider", "set", "EXPR", "--ttl", "70000")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --ttl: 70000 (expected: -1..65536 hours)\n");
        assertThat(run("provider", "set", "EXPR", "--flags", "Sometimes")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --flags: 'Sometimes' (expected: None or ServerExclusiveConnect)\n");
        assertThat(run("provider", "set", "POP", "--ttl", "1")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: unknown provider 'POP' (expected: EXCH, EXPR or WEB)\n");
        assertThat(directory.provider("EXPR").orElseThrow()).isEqualTo(p);
    }

    @Test
    void aDirectoryThatIsDownIsAClearExit3() {
        List<String> args = List.of("oa", "get", "--directory", "ldap://127.0.0.1:1", "--bind-password-file", passwordFile.toString());
        StringWriter e = new StringWriter();
        CommandLine cl = Anywhere.commandLine();
        cl.setErr(new PrintWriter(e));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertThat(cl.execute(args.toArray(String[]::new))).isEqualTo(3);
        assertThat(e.toString()).startsWith("anywhere: directory ldap://127.0.0.1:1: ").doesNotContain(PASSWORD);
    }

    @Test
    void replicasAreCheckedOneByOne() {
        for (var c : List.of(
                List.of("ldap://127.0.0.1:1,ldap://127.0.0.1:1", "anywhere: --directory: 'ldap://127.0.0.1:1' given twice (expected: each replica once)\n"),
                List.of("ldap://127.0.0.1:1,ftp://dc2", "anywhere: --directory: 'ftp://dc2' (expected: ldap://host:port or ldaps://host:port)\n"))) {
            StringWriter e = new StringWriter();
            CommandLine cl = Anywhere.commandLine();
            cl.setErr(new PrintWriter(e));
            cl.setOut(new PrintWriter(new StringWriter()));
            assertThat(cl.execute("oa", "get", "--directory", c.get(0), "--bind-password-file", passwordFile.toString())).isEqualTo(2);
            assertThat(e.toString()).isEqualTo(c.get(1));
        }
    }

    @Test
    void eventsAreFilteredByIdAndTime() {
        Path ex1 = tmp.resolve("ex1-events");
        EventLog log = new EventLog(ex1);
        log.write(List.of(new Event(Instant.parse("2026-11-26T10:00:00Z"), EventId.SUCCESSFULLY_CHECKED, "first pass", Map.of()),
                Event.change(Instant.now(), EventId.UPDATED_AUTHENTICATION_SETTINGS, "Authentication", "Basic", "NTLM", "auth changed")));
        assertThat(run("events", "--data-dir", ex1.toString(), "--id", "3036")).isZero();
        assertThat(out).contains("3036 UpdatedAuthenticationSettings").doesNotContain("3037");
        assertThat(run("events", "--data-dir", ex1.toString(), "--since", "1h", "--format", "json")).isZero();
        assertThat(out).contains("\"id\" : 3036").doesNotContain("\"id\" : 3037").contains("\"old\" : \"Basic\"");
        assertThat(run("events", "--data-dir", ex1.toString(), "--since", "yesterday")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --since: 'yesterday' (expected: a duration such as 1h or a time such as 2026-11-26T10:00:00Z)\n");
    }

    @Test
    void directoryPasswordIsRequired() {
        StringWriter e = new StringWriter();
        CommandLine cl = Anywhere.commandLine();
        cl.setErr(new PrintWriter(e));
        assertThat(cl.execute("oa", "get", "--bind-password-env", "ANYWHERE_TEST_UNSET_VARIABLE")).isEqualTo(2);
        assertThat(e.toString()).startsWith("anywhere: no directory password: set ANYWHERE_TEST_UNSET_VARIABLE or use --bind-password-file");
        Optional.empty();
    }
}
