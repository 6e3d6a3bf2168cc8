package dev.anywhere.server.autodiscover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.autodiscover.pox.Account;
import dev.anywhere.autodiscover.pox.AuthPackage;
import dev.anywhere.autodiscover.pox.AutodiscoverError;
import dev.anywhere.autodiscover.pox.AutodiscoverRequest;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.autodiscover.pox.ErrorCode;
import dev.anywhere.autodiscover.pox.PoxCodec;
import dev.anywhere.autodiscover.pox.PoxNamespaces;
import dev.anywhere.autodiscover.pox.Protocol;
import dev.anywhere.autodiscover.pox.ProtocolType;
import dev.anywhere.autodiscover.pox.User;
import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.embedded.DirectoryServer;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.Mailbox;
import dev.anywhere.directory.model.OutlookProvider;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Golden answers of the Outlook provider for each directory state, against the embedded directory seeded with the
 * frankysweb site. Every answer is written with {@link PoxCodec}, read back, and must equal the expected model, which
 * lists exactly the elements Exchange writes for that state.
 */
class AutodiscoverServiceTest {

    private static final String PASSWORD = "Ads-Secret-1";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:23:54.172780Z"), ZoneOffset.UTC);
    private static final String FRANKY_DN =
            "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=franky";
    private static final String EX1_DN =
            "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=EX1";

    private static Path dir;
    private static DirectoryServer server;
    private static LdapSiteDirectory directory;

    private AutodiscoverService service;

    @BeforeAll
    static void startDirectory() throws Exception {
        dir = Files.createTempDirectory("ads-service");
        server = DirectoryServer.start(dir, InetAddress.getLoopbackAddress(), 0, SiteSeed.frankysweb(PASSWORD));
        directory = server.directory().connect(PASSWORD);
    }

    @AfterAll
    static void stopDirectory() {
        directory.close();
        server.close();
    }

    @BeforeEach
    void resetSite() {
        directory.putRpcVirtualDirectory(seededVdir());
        for (String p : List.of("EXCH", "EXPR", "WEB")) {
            directory.putProvider(OutlookProvider.defaults(p));
        }
        Mailbox franky = directory.mailboxByLogonName("FRANKYSWEB\\franky").orElseThrow();
        directory.putMailbox(withMapi(franky, true, false));
        service = new AutodiscoverService(directory, AutodiscoverSettings.defaults("EX1").withCacheTtl(java.time.Duration.ZERO), CLOCK);
    }

    private static RpcHttpVirtualDirectory seededVdir() {
        return new RpcHttpVirtualDirectory("EX1", 0, Optional.of(URI.create("https://oa.frankysweb.org/rpc")),
                Optional.of(URI.create("https://ex1.frankysweb.local/rpc")), 2, 0);
    }

    private static Mailbox withMapi(Mailbox m, boolean enabled, boolean block) {
        return new Mailbox(m.samAccountName(), m.userPrincipalName(), m.displayName(), m.primarySmtpAddress(),
                m.proxyAddresses(), m.legacyExchangeDn(), m.homeServer(), enabled, block, m.targetAddress());
    }

    // ------------------------------------------------------------------ helpers

    private AutodiscoverResponse ask(String email) {
        return ask(AutodiscoverRequest.forEmail(email), "FRANKYSWEB\\franky", AutodiscoverService.Headers.NONE);
    }

    /** Answers, and checks the answer survives the wire: written by PoxCodec, read back equal. */
    private AutodiscoverResponse ask(AutodiscoverRequest r, String account, AutodiscoverService.Headers h) {
        AutodiscoverResponse response = service.respond(r, account, h);
        try {
            assertThat(PoxCodec.readResponse(PoxCodec.writeResponse(response))).isEqualTo(response);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return response;
    }

    private static Protocol exch() {
        return Protocol.builder(ProtocolType.EXCH).server("ex1.frankysweb.local").serverDn(EX1_DN)
                .serverVersion("7383807B").ad("dc1.frankysweb.local").serverExclusiveConnect(false).build();
    }

    private static Protocol.Builder expr(boolean ssl, AuthPackage auth) {
        return Protocol.builder(ProtocolType.EXPR).server("oa.frankysweb.org").ssl(ssl).authPackage(auth)
                .serverExclusiveConnect(true);
    }

    private static final Protocol WEB = Protocol.builder(ProtocolType.WEB).build();

    private static AutodiscoverResponse settings(User user, Protocol... protocols) {
        return AutodiscoverResponse.settings(user, Account.settings(List.of(protocols)));
    }

    private static final User FRANKY = User.of("Franky Weber", FRANKY_DN, "franky@frankysweb.org");

    private static AutodiscoverResponse error(int code) {
        return AutodiscoverResponse.error(AutodiscoverError.of(ErrorCode.valueOf(code), "10:23:54.1727800",
                Integer.toUnsignedString("ex1".hashCode())));
    }

    private void vdir(ClientAuthenticationMethod client, AuthenticationMethod... iis) {
        directory.putRpcVirtualDirectory(seededVdir().withExternalClientAuthenticationMethod(client)
                .withIisAuthenticationMethods(EnumSet.of(iis[0], iis)));
    }

    private static AutodiscoverService.Headers canHandle(String token) {
        return new AutodiscoverService.Headers(Optional.of(token), Optional.empty(), Optional.empty());
    }

    // ------------------------------------------------------------------ golden documents

    @Test
    void seededSiteNtlmGoldenDocument() {
        AutodiscoverResponse r = ask("franky@frankysweb.org");
        assertThat(r).isEqualTo(settings(FRANKY, exch(), expr(true, AuthPackage.NTLM).build(), WEB));
        assertThat(PoxCodec.writeResponseString(r)).isEqualTo("""
                <?xml version="1.0" encoding="utf-8"?>
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
                  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
                    <User>
                      <DisplayName>Franky Weber</DisplayName>
                      <LegacyDN>/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=franky</LegacyDN>
                      <AutoDiscoverSMTPAddress>franky@frankysweb.org</AutoDiscoverSMTPAddress>
                    </User>
                    <Account>
                      <AccountType>email</AccountType>
                      <Action>settings</Action>
                      <Protocol>
                        <Type>EXCH</Type>
                        <Server>ex1.frankysweb.local</Server>
                        <ServerDN>/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=EX1</ServerDN>
                        <ServerVersion>7383807B</ServerVersion>
                        <AD>dc1.frankysweb.local</AD>
                        <ServerExclusiveConnect>off</ServerExclusiveConnect>
                      </Protocol>
                      <Protocol>
                        <Type>EXPR</Type>
                        <Server>oa.frankysweb.org</Server>
                        <SSL>On</SSL>
                        <AuthPackage>Ntlm</AuthPackage>
                        <ServerExclusiveConnect>on</ServerExclusiveConnect>
                      </Protocol>
                      <Protocol>
                        <Type>WEB</Type>
                      </Protocol>
                    </Account>
                  </Response>
                </Autodiscover>
                """);
    }

    @Test
    void unknownAddressGoldenDocument() {
        AutodiscoverResponse r = ask("nobody@frankysweb.org");
        assertThat(r).isEqualTo(error(500));
        assertThat(PoxCodec.writeResponseString(r)).isEqualTo("""
                <?xml version="1.0" encoding="utf-8"?>
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
                  <Response>
                    <Error Time="10:23:54.1727800" Id="%s">
                      <ErrorCode>500</ErrorCode>
                      <Message>The email address can't be found.</Message>
                      <DebugData />
                    </Error>
                  </Response>
                </Autodiscover>
                """.formatted(Integer.toUnsignedString("ex1".hashCode())));
    }

    @Test
    void mailUserInOtherDomainGetsRedirectAddrGoldenDocument() {
        AutodiscoverResponse r = ask("max@frankysweb.org");
        assertThat(r).isEqualTo(AutodiscoverResponse.redirect(Account.redirectAddr("max@contoso.com")));
        assertThat(PoxCodec.writeResponseString(r)).isEqualTo("""
                <?xml version="1.0" encoding="utf-8"?>
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
                  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
                    <Account>
                      <AccountType>email</AccountType>
                      <Action>redirectAddr</Action>
                      <RedirectAddr>max@contoso.com</RedirectAddr>
                    </Account>
                  </Response>
                </Autodiscover>
                """);
    }

    // ------------------------------------------------------------------ per directory state

    @Test
    void outlookAnywhereOffGivesExchAndWebOnly() {
        directory.removeRpcVirtualDirectory("EX1");
        assertThat(ask("franky@frankysweb.org")).isEqualTo(settings(FRANKY, exch(), WEB));
    }

    @Test
    void basicClientAuthentication() {
        vdir(ClientAuthenticationMethod.BASIC, AuthenticationMethod.BASIC);
        assertThat(ask("franky@frankysweb.org")).isEqualTo(settings(FRANKY, exch(), expr(true, AuthPackage.BASIC).build(), WEB));
    }

    @Test
    void negotiateForClientsThatHandleIt() {
        vdir(ClientAuthenticationMethod.NEGOTIATE, AuthenticationMethod.NEGOTIATE, AuthenticationMethod.NTLM);
        AutodiscoverRequest req = AutodiscoverRequest.forEmail("franky@frankysweb.org");
        assertThat(ask(req, "FRANKYSWEB\\franky", canHandle("Negotiate")))
                .isEqualTo(settings(FRANKY, exch(), expr(true, AuthPackage.NEGOTIATE).build(), WEB));
        // Windows 7 with Outlook 2010 build 5133+ can handle Negotiate without the header
        AutodiscoverService.Headers outlook2010 = new AutodiscoverService.Headers(Optional.empty(),
                Optional.of("Microsoft Office/14.0 (Windows NT 6.1; Microsoft Outlook 14.0.7015; Pro)"), Optional.empty());
        assertThat(ask(req, "FRANKYSWEB\\franky", outlook2010).account().orElseThrow().protocol(ProtocolType.EXPR)
                .orElseThrow().authPackage()).contains(AuthPackage.NEGOTIATE);
        AutodiscoverService.Headers outlook2007OnXp = new AutodiscoverService.Headers(Optional.empty(),
                Optional.of("Microsoft Office/12.0 (Windows NT 5.1; Microsoft Office Outlook 12.0.6550; Pro)"), Optional.empty());
        assertThat(ask(req, "FRANKYSWEB\\franky", outlook2007OnXp).account().orElseThrow().protocol(ProtocolType.EXPR)
                .orElseThrow().authPackage()).contains(AuthPackage.NTLM);
    }

    @Test
    void negotiateIsDowngradedForClientsThatCannotHandleIt() {
        vdir(ClientAuthenticationMethod.NEGOTIATE, AuthenticationMethod.NEGOTIATE, AuthenticationMethod.NTLM);
        assertThat(ask("franky@frankysweb.org")).isEqualTo(settings(FRANKY, exch(), expr(true, AuthPackage.NTLM).build(), WEB));
        // IIS with Basic only: Basic, because clients must use TLS
        vdir(ClientAuthenticationMethod.NEGOTIATE, AuthenticationMethod.BASIC);
        assertThat(ask("franky@frankysweb.org")).isEqualTo(settings(FRANKY, exch(), expr(true, AuthPackage.BASIC).build(), WEB));
        // misconfigured client method: no AuthPackage at all
        directory.putRpcVirtualDirectory(new RpcHttpVirtualDirectory("EX1", 0, Optional.of(URI.create("https://oa.frankysweb.org/rpc")),
                Optional.empty(), 3, 0));
        Protocol expr = ask("franky@frankysweb.org").account().orElseThrow().protocol(ProtocolType.EXPR).orElseThrow();
        assertThat(expr.authPackage()).isEmpty();
    }

    /** A mailbox on a mailbox server without the Client Access role gets the settings of a Client Access server. */
    @Test
    void aMailboxServerWithoutClientAccessIsReachedThroughOne() {
        Mailbox franky = directory.mailboxByLogonName("FRANKYSWEB\\franky").orElseThrow();
        directory.putServer(new dev.anywhere.directory.model.ExchangeServer("EX2", "ex2.frankysweb.local", true));
        try {
            directory.putMailbox(new Mailbox(franky.samAccountName(), franky.userPrincipalName(), franky.displayName(),
                    franky.primarySmtpAddress(), franky.proxyAddresses(), franky.legacyExchangeDn(), "EX2", true, false,
                    franky.targetAddress()));
            // EX2 has no RPC virtual directory: EXCH and EXPR name EX1, the database's RpcClientAccessServer
            assertThat(ask("franky@frankysweb.org")).isEqualTo(settings(FRANKY, exch(), expr(true, AuthPackage.NTLM).build(), WEB));
        } finally {
            directory.putMailbox(franky);
        }
    }

    @Test
    void sslOffloadingWithHttpUrlGivesSslOffAndCertPrincipalNameNone() {
        directory.putProvider(new OutlookProvider("EXPR", Optional.of("msstd:oa.frankysweb.org"), Optional.empty(), 1, 0));
        directory.putRpcVirtualDirectory(seededVdir().withExternalClientsRequireSsl(false).withSslOffloading(true));
        assertThat(ask("franky@frankysweb.org")).isEqualTo(settings(FRANKY, exch(),
                expr(false, AuthPackage.NTLM).certPrincipalName("None").build(), WEB));
        // Offloading with clients still on https: SSL follows the URL's scheme, not the offloading flag
        directory.putRpcVirtualDirectory(seededVdir().withSslOffloading(true));
        assertThat(ask("franky@frankysweb.org")).isEqualTo(settings(FRANKY, exch(),
                expr(true, AuthPackage.NTLM).certPrincipalName("msstd:oa.frankysweb.org").build(), WEB));
    }

    @Test
    void providerCertPrincipalNameAndTtl() {
        directory.putProvider(new OutlookProvider("EXPR", Optional.of("msstd:oa.frankysweb.org"), Optional.empty(), 2, 0));
        directory.putProvider(new OutlookProvider("EXCH", Optional.empty(), Optional.empty(), 1, 0));
        Protocol expr = expr(true, AuthPackage.NTLM).ttl(2).certPrincipalName("msstd:oa.frankysweb.org").build();
        assertThat(ask("franky@frankysweb.org")).isEqualTo(settings(FRANKY, exch(), expr, WEB));
        assertThat(PoxCodec.writeResponseString(ask("franky@frankysweb.org")))
                .contains("<TTL>2</TTL>", "<CertPrincipalName>msstd:oa.frankysweb.org</CertPrincipalName>")
                .containsOnlyOnce("<TTL>");
    }

    @Test
    void externalHostnameAbsentFallsBackToInternalHostname() {
        directory.putRpcVirtualDirectory(new RpcHttpVirtualDirectory("EX1", 0, Optional.empty(),
                Optional.of(URI.create("https://ex1.frankysweb.local/rpc")), 2, 0));
        Protocol expr = ask("franky@frankysweb.org").account().orElseThrow().protocol(ProtocolType.EXPR).orElseThrow();
        assertThat(expr.server()).contains("ex1.frankysweb.local");
        directory.putRpcVirtualDirectory(new RpcHttpVirtualDirectory("EX1", 0, Optional.empty(), Optional.empty(), 2, 0));
        assertThat(ask("franky@frankysweb.org")).isEqualTo(settings(FRANKY, exch(), WEB));
    }

    @Test
    void mailboxBlockedFromRpcOverHttpGetsNoExpr() {
        AutodiscoverResponse r = ask(AutodiscoverRequest.forEmail("hanna@frankysweb.org"), "FRANKYSWEB\\hanna",
                AutodiscoverService.Headers.NONE);
        User hanna = User.of("Hanna Heim", FRANKY_DN.replace("franky", "hanna"), "hanna@frankysweb.org");
        assertThat(r).isEqualTo(settings(hanna, exch(), WEB));
    }

    @Test
    void mapiDisabledGetsNoOutlookProtocols() {
        directory.putMailbox(withMapi(directory.mailboxByLogonName("franky").orElseThrow(), false, false));
        assertThat(ask("franky@frankysweb.org")).isEqualTo(settings(FRANKY, WEB));
    }

    @Test
    void legacyDnWinsOverEmailAddress() {
        AutodiscoverRequest both = new AutodiscoverRequest(Optional.of("hanna@frankysweb.org"), Optional.of(FRANKY_DN),
                PoxNamespaces.OUTLOOK_RESPONSE);
        assertThat(ask(both, "FRANKYSWEB\\hanna", AutodiscoverService.Headers.NONE).user()).contains(FRANKY);
        // an unknown LegacyDN falls back to the address, as Exchange does
        AutodiscoverRequest unknownDn = new AutodiscoverRequest(Optional.of("franky@frankysweb.org"),
                Optional.of("/o=First Organization/cn=nobody"), PoxNamespaces.OUTLOOK_RESPONSE);
        assertThat(ask(unknownDn, "FRANKYSWEB\\franky", AutodiscoverService.Headers.NONE).user()).contains(FRANKY);
    }

    @Test
    void unknownSchemaGets601() {
        AutodiscoverRequest mobile = new AutodiscoverRequest(Optional.of("franky@frankysweb.org"), Optional.empty(),
                PoxNamespaces.MOBILESYNC_RESPONSE);
        assertThat(ask(mobile, "FRANKYSWEB\\franky", AutodiscoverService.Headers.NONE)).isEqualTo(error(601));
    }

    @Test
    void notAMailboxGets501() {
        directory.putMailbox(new Mailbox("room1", "room1@frankysweb.local", "Room One", "room1@frankysweb.org",
                List.of("room1@frankysweb.org"), "/o=First Organization/cn=Recipients/cn=room1", "", true, false, Optional.empty()));
        assertThat(ask("room1@frankysweb.org")).isEqualTo(error(501));
    }

    @Test
    void mailUserTargetingItselfGets602() {
        directory.putMailbox(new Mailbox("loop", "loop@frankysweb.local", "Loop User", "loop@frankysweb.org",
                List.of("loop@frankysweb.org"), "/o=First Organization/cn=Recipients/cn=loop", "", true, false,
                Optional.of("loop@frankysweb.org")));
        assertThat(ask("loop@frankysweb.org")).isEqualTo(error(602));
    }

    @Test
    void redirectUrlConfiguredForTheHomeServer() {
        URI other = URI.create("https://autodiscover.branch.frankysweb.org/autodiscover/autodiscover.xml");
        service = new AutodiscoverService(directory, new AutodiscoverSettings("EX1", Map.of("EX1", other),
                AutodiscoverSettings.LookupScope.ORGANIZATION, java.time.Duration.ZERO), CLOCK);
        assertThat(ask("franky@frankysweb.org")).isEqualTo(AutodiscoverResponse.redirect(Account.redirectUrl(other.toString())));
    }

    @Test
    void otherUsersAddressesAnsweredLikeExchangeUnlessScopeIsCaller() {
        assertThat(ask("hanna@frankysweb.org").user().orElseThrow().autoDiscoverSmtpAddress()).contains("hanna@frankysweb.org");
        service = new AutodiscoverService(directory, new AutodiscoverSettings("EX1", Map.of(),
                AutodiscoverSettings.LookupScope.CALLER, java.time.Duration.ZERO), CLOCK);
        assertThat(ask("hanna@frankysweb.org")).isEqualTo(error(500));
        assertThat(ask("franky@frankysweb.org").isError()).isFalse();
        // a caller without a mailbox (the service account) finds nothing under CALLER
        assertThat(ask(AutodiscoverRequest.forEmail("franky@frankysweb.org"), "FRANKYSWEB\\svc-anywhere",
                AutodiscoverService.Headers.NONE)).isEqualTo(error(500));
    }

    @Test
    void directoryFailureGets603() {
        SiteDirectory broken = (SiteDirectory) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SiteDirectory.class}, (p, m, a) -> {
                    throw new DirectoryException("ldap://127.0.100.250:389: connection refused", true, null);
                });
        service = new AutodiscoverService(broken, AutodiscoverSettings.defaults("EX1").withCacheTtl(java.time.Duration.ZERO), CLOCK);
        assertThat(ask("franky@frankysweb.org")).isEqualTo(error(603));
        service = new AutodiscoverService(null, AutodiscoverSettings.defaults("EX1").withCacheTtl(java.time.Duration.ZERO), CLOCK);
        assertThat(ask("franky@frankysweb.org")).isEqualTo(error(603));
    }

    @Test
    void directoryAnswersAreReusedForTheCacheTtl() {
        service = new AutodiscoverService(directory, AutodiscoverSettings.defaults("EX1"), CLOCK);
        assertThat(ask("franky@frankysweb.org").account().orElseThrow().protocol(ProtocolType.EXPR)).isPresent();
        directory.removeRpcVirtualDirectory("EX1");
        assertThat(ask("franky@frankysweb.org").account().orElseThrow().protocol(ProtocolType.EXPR)).isPresent();
        assertThat(new AutodiscoverService(directory, AutodiscoverSettings.defaults("EX1").withCacheTtl(java.time.Duration.ZERO), CLOCK)
                .respond(AutodiscoverRequest.forEmail("franky@frankysweb.org"), "FRANKYSWEB\\franky", AutodiscoverService.Headers.NONE)
                .account().orElseThrow().protocol(ProtocolType.EXPR)).isEmpty();
    }

    @Test
    void settingsFile() throws Exception {
        Path data = Files.createTempDirectory("ads-settings");
        assertThat(AutodiscoverSettings.load(data, "EX1")).isEqualTo(AutodiscoverSettings.defaults("EX1"));
        Files.writeString(data.resolve(AutodiscoverSettings.FILE), "redirectUrl.EX2 = https://autodiscover.branch.frankysweb.org"
                + "/Autodiscover/Autodiscover.xml\nlookupScope = caller\ncacheSeconds = 0\n");
        AutodiscoverSettings s = AutodiscoverSettings.load(data, "EX1");
        assertThat(s.redirectUrl("ex2")).contains(URI.create("https://autodiscover.branch.frankysweb.org/Autodiscover/Autodiscover.xml"));
        assertThat(s.scope()).isEqualTo(AutodiscoverSettings.LookupScope.CALLER);
        assertThat(s.cacheTtl()).isZero();
        Files.writeString(data.resolve(AutodiscoverSettings.FILE), "redirectUrl.EX2 = http://x/autodiscover/autodiscover.xml\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AutodiscoverSettings.load(data, "EX1"))
                .hasMessageContaining("redirectUrl.EX2: http://x/autodiscover/autodiscover.xml (expected: an https URL");
    }

    @Test
    void settingsFileErrorsNameFileAndKey() throws Exception {
        // AutodiscoverSettingsFuzzTest's inputs: each was an exception without the file (the URI's found by fuzzing;
        // Properties' for the escape and the constructor's for a negative cacheSeconds found by reading the code)
        Path data = Files.createTempDirectory("ads-settings");
        Path file = data.resolve(AutodiscoverSettings.FILE);
        Files.writeString(file, "redirectUrl.EX3 = https://e|3.frankysweb.org/Autodiscover/Autodiscover.xml\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AutodiscoverSettings.load(data, "EX1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": redirectUrl.EX3: https://e|3.frankysweb.org/Autodiscover/Autodiscover.xml: Illegal character in "
                        + "authority (expected: an https URL ending in /autodiscover/autodiscover.xml)");
        Files.writeString(file, "cacheSeconds = -1\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AutodiscoverSettings.load(data, "EX1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(file + ": cacheSeconds: -1 (expected: 0..3600)");
        Files.writeString(file, "cacheSeconds = 3601\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AutodiscoverSettings.load(data, "EX1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(file + ": cacheSeconds: 3601 (expected: 0..3600)");
        Files.writeString(file, "lookupScope = \\u00zz\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AutodiscoverSettings.load(data, "EX1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(file + ": Malformed \\uxxxx encoding.");
    }

    @Test
    void serverVersionPacking() {
        assertThat(AutodiscoverService.serverVersion(15, 0, 516)).isEqualTo("73C08204"); // the reference's 2013 RTM value
        assertThat(AutodiscoverService.SERVER_VERSION).isEqualTo("7383807B");
    }
}
