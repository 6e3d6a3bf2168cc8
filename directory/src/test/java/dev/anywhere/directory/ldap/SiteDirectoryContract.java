package dev.anywhere.directory.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.anywhere.directory.ChangeMechanism;
import dev.anywhere.directory.ChangeSubscription;
import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.AutodiscoverScp;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.ExchangeServer;
import dev.anywhere.directory.model.Mailbox;
import dev.anywhere.directory.model.OutlookProvider;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.rpc.ntlm.NtHash;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every LDAP server playing DC1 must do with {@link LdapSiteDirectory}, run against the embedded server and
 * against slapd. Each subclass provides a freshly seeded directory per test (see {@link SiteSeed#frankysweb(String)}).
 */
public abstract class SiteDirectoryContract {

    protected static final String PASSWORD = "Fr4nky-Secret!";

    protected LdapSiteDirectory directory;
    protected SiteLayout layout;

    /** Settings bound as the service account of a freshly seeded site whose users all have {@link #PASSWORD}. */
    protected abstract LdapSettings serviceSettings();

    /** The mechanism the server is expected to offer. */
    protected abstract ChangeMechanism expectedMechanism();

    /** Starts a freshly seeded server. */
    protected abstract void startServer() throws Exception;

    /** Stops it. */
    protected abstract void stopServer() throws Exception;

    @BeforeEach
    void connect() throws Exception {
        startServer();
        directory = LdapSiteDirectory.connect(serviceSettings());
        layout = directory.layout();
    }

    @AfterEach
    void disconnect() throws Exception {
        try {
            if (directory != null) {
                directory.close();
            }
        } finally {
            stopServer();
        }
    }

    protected LDAPConnection rawConnection(String bindDn, String password) throws LDAPException {
        LdapSettings s = serviceSettings();
        LDAPConnection c = new LDAPConnection(s.host(), s.port());
        if (bindDn != null) {
            c.bind(bindDn, password);
        }
        return c;
    }

    protected LDAPConnection serviceConnection() throws LDAPException {
        return rawConnection(serviceSettings().bindDn(), PASSWORD);
    }

    @Test
    void seededServers() {
        assertThat(directory.servers()).containsExactly(new ExchangeServer("DC1", "dc1.frankysweb.local", false),
                new ExchangeServer("EX1", "ex1.frankysweb.local", true));
        assertThat(directory.server("ex1")).contains(new ExchangeServer("EX1", "ex1.frankysweb.local", true));
        assertThat(directory.server("EX9")).isEmpty();
    }

    @Test
    void seededVirtualDirectoryRawAttributes() throws LDAPException {
        try (LDAPConnection c = serviceConnection()) {
            Entry e = c.getEntry("CN=Rpc (Default Web Site),CN=HTTP,CN=Protocols,CN=EX1,CN=Servers,"
                    + "CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=First Organization,"
                    + "CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=frankysweb,DC=local");
            assertThat(e).isNotNull();
            assertThat(e.getObjectClassValues()).contains("msExchRpcHttpVirtualDirectory");
            assertThat(e.getAttributeValue("msExchExternalHostName")).isEqualTo("https://oa.frankysweb.org/rpc");
            assertThat(e.getAttributeValue("msExchInternalHostName")).isEqualTo("https://ex1.frankysweb.local/rpc");
            assertThat(e.getAttributeValue("msExchExternalAuthenticationMethods")).isEqualTo("2");
            assertThat(e.getAttributeValue("msExchInternalAuthenticationMethods")).isEqualTo("0");
            assertThat(e.getAttributeValue("msExchRpcHttpFlags")).isEqualTo("0");
        }
        RpcHttpVirtualDirectory v = directory.rpcVirtualDirectory("EX1").orElseThrow();
        assertThat(v.server()).isEqualTo("EX1");
        assertThat(v.externalHostname()).contains("oa.frankysweb.org");
        assertThat(v.externalClientAuthenticationMethod()).isEqualTo(ClientAuthenticationMethod.NTLM);
        assertThat(v.iisAuthenticationMethods()).isEqualTo(EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM,
                AuthenticationMethod.NEGOTIATE));
        assertThat(v.sslOffloading()).isFalse();
    }

    @Test
    void virtualDirectoryRoundTripKeepsRawValues() throws LDAPException {
        RpcHttpVirtualDirectory written = new RpcHttpVirtualDirectory("EX1", 1,
                Optional.of(URI.create("http://oa.frankysweb.org/rpc")), Optional.empty(), 3, 8193);
        directory.putRpcVirtualDirectory(written);
        assertThat(directory.rpcVirtualDirectory("ex1")).contains(written);
        try (LDAPConnection c = serviceConnection()) {
            Entry e = c.getEntry(layout.rpcVirtualDirectoryDn("EX1"));
            assertThat(e.getAttributeValue("msExchRpcHttpFlags")).isEqualTo("1");
            assertThat(e.getAttributeValue("msExchExternalHostName")).isEqualTo("http://oa.frankysweb.org/rpc");
            assertThat(e.hasAttribute("msExchInternalHostName")).isFalse();
            assertThat(e.getAttributeValue("msExchExternalAuthenticationMethods")).isEqualTo("3");
            assertThat(e.getAttributeValue("msExchInternalAuthenticationMethods")).isEqualTo("8193");
        }
        RpcHttpVirtualDirectory read = directory.rpcVirtualDirectory("EX1").orElseThrow();
        assertThat(read.sslOffloading()).isTrue();
        assertThat(read.externalClientsRequireSsl()).isFalse();
        assertThat(read.externalClientAuthenticationMethod()).isEqualTo(ClientAuthenticationMethod.MISCONFIGURED);
        assertThat(read.iisAuthenticationMethods()).containsExactlyInAnyOrder(AuthenticationMethod.BASIC,
                AuthenticationMethod.NEGOTIATE);
    }

    @Test
    void removeAndRecreateVirtualDirectory() {
        directory.removeRpcVirtualDirectory("EX1");
        assertThat(directory.rpcVirtualDirectory("EX1")).isEmpty();
        directory.removeRpcVirtualDirectory("EX1"); // idempotent
        RpcHttpVirtualDirectory enabled = new RpcHttpVirtualDirectory("EX1", 0,
                Optional.of(RpcHttpVirtualDirectory.urlFor("oa.frankysweb.org", true)), Optional.empty(), 8192, 0);
        directory.putRpcVirtualDirectory(enabled);
        assertThat(directory.rpcVirtualDirectory("EX1")).contains(enabled);
    }

    @Test
    void virtualDirectoryForUnknownServerIsPermanentError() {
        assertThatThrownBy(() -> directory.putRpcVirtualDirectory(new RpcHttpVirtualDirectory("EX9", 0,
                Optional.empty(), Optional.empty(), 2, 0)))
                .isInstanceOfSatisfying(DirectoryException.class, e -> assertThat(e.transientFailure()).isFalse())
                .hasMessageStartingWith("server EX9: no object at CN=EX9,CN=Servers,")
                .hasMessageEndingWith("(expected: an msExchExchangeServer)");
    }

    @Test
    void providersRoundTrip() throws LDAPException {
        assertThat(directory.provider("EXPR")).contains(OutlookProvider.defaults("EXPR"));
        assertThat(directory.provider("WEB")).contains(OutlookProvider.defaults("WEB"));
        OutlookProvider expr = new OutlookProvider("EXPR", Optional.of("msstd:oa.frankysweb.org"), Optional.empty(), 2, 1);
        directory.putProvider(expr);
        assertThat(directory.provider("expr")).contains(expr);
        try (LDAPConnection c = serviceConnection()) {
            Entry e = c.getEntry("CN=EXPR,CN=Outlook,CN=AutoDiscover,CN=Client Access,CN=First Organization,"
                    + "CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=frankysweb,DC=local");
            assertThat(e.getObjectClassValues()).contains("msExchAutoDiscoverConfig");
            assertThat(e.getAttributeValue("msExchAutoDiscoverCertPrincipalName")).isEqualTo("msstd:oa.frankysweb.org");
            assertThat(e.getAttributeValue("msExchAutoDiscoverTTL")).isEqualTo("2");
            assertThat(e.getAttributeValue("msExchAutoDiscoverFlags")).isEqualTo("1");
            assertThat(e.hasAttribute("msExchAutoDiscoverServer")).isFalse();
        }
    }

    @Test
    void autodiscoverScp() throws LDAPException {
        assertThat(directory.autodiscoverScps()).containsExactly(new AutodiscoverScp("EX1",
                URI.create("https://ex1.frankysweb.local/autodiscover/autodiscover.xml"),
                List.of(AutodiscoverScp.URL_GUID, "Site=Default-First-Site-Name")));
        // What a domain-joined client does ([MS-OXDISCO] / reference §5.1): search the configuration NC by keyword.
        try (LDAPConnection franky = rawConnection(layout.userDn("Franky Weber"), PASSWORD)) {
            List<SearchResultEntry> scps = franky.search("CN=Configuration,DC=frankysweb,DC=local", SearchScope.SUB,
                    "(&(objectClass=serviceConnectionPoint)(keywords=77378F46-2C66-4AA9-A6A6-3E7A48B19596))",
                    "serviceBindingInformation", "keywords").getSearchEntries();
            assertThat(scps).hasSize(1);
            assertThat(scps.get(0).getDN()).isEqualToIgnoringCase("CN=EX1,CN=Autodiscover,CN=Protocols,CN=EX1,CN=Servers,"
                    + "CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=First Organization,"
                    + "CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=frankysweb,DC=local");
            assertThat(scps.get(0).getAttributeValue("serviceBindingInformation"))
                    .isEqualTo("https://ex1.frankysweb.local/autodiscover/autodiscover.xml");
            assertThat(scps.get(0).getAttributeValues("keywords")).contains("Site=Default-First-Site-Name");
        }
    }

    @Test
    void mailboxLookups() {
        Mailbox franky = directory.mailboxBySmtpAddress("Franky@FrankysWeb.org").orElseThrow();
        assertThat(franky.samAccountName()).isEqualTo("franky");
        assertThat(franky.displayName()).isEqualTo("Franky Weber");
        assertThat(franky.userPrincipalName()).isEqualTo("franky@frankysweb.local");
        assertThat(franky.primarySmtpAddress()).isEqualTo("franky@frankysweb.org");
        assertThat(franky.proxyAddresses()).containsExactly("franky@frankysweb.org");
        assertThat(franky.legacyExchangeDn())
                .isEqualTo("/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=franky");
        assertThat(franky.homeServer()).isEqualTo("EX1");
        assertThat(franky.mapiEnabled()).isTrue();
        assertThat(franky.blockRpcHttp()).isFalse();
        assertThat(franky.targetAddress()).isEmpty();
        assertThat(directory.mailboxByLegacyDn(franky.legacyExchangeDn().toUpperCase())).contains(franky);
        assertThat(directory.mailboxByLogonName("FRANKYSWEB\\franky")).contains(franky);
        assertThat(directory.mailboxByLogonName("franky@frankysweb.local")).contains(franky);
        assertThat(directory.mailboxByLogonName("Franky")).contains(franky);
        assertThat(directory.mailboxByLogonName("OTHER\\franky")).isEmpty();
        assertThat(directory.mailboxBySmtpAddress("nobody@frankysweb.org")).isEmpty();
        assertThat(directory.mailboxByLogonName("svc-anywhere")).isEmpty(); // not mail-enabled

        assertThat(directory.mailboxByLogonName("hanna").orElseThrow().blockRpcHttp()).isTrue();
        Mailbox max = directory.mailboxBySmtpAddress("max@frankysweb.org").orElseThrow();
        assertThat(max.targetAddress()).contains("max@contoso.com");
        assertThat(max.homeServer()).isEmpty();
    }

    @Test
    void mailboxRawAttributesAndRewrite() throws LDAPException {
        Mailbox franky = directory.mailboxByLogonName("franky").orElseThrow();
        Mailbox blocked = new Mailbox(franky.samAccountName(), franky.userPrincipalName(), franky.displayName(),
                franky.primarySmtpAddress(), List.of("franky@frankysweb.org", "f.weber@frankysweb.org"),
                franky.legacyExchangeDn(), "EX1", true, true, Optional.empty());
        directory.putMailbox(blocked);
        assertThat(directory.mailboxBySmtpAddress("F.Weber@frankysweb.org")).contains(blocked);
        try (LDAPConnection c = serviceConnection()) {
            Entry e = c.getEntry(layout.userDn("Franky Weber"));
            assertThat(e.getAttributeValues("proxyAddresses"))
                    .containsExactlyInAnyOrder("SMTP:franky@frankysweb.org", "smtp:f.weber@frankysweb.org");
            assertThat(e.getAttributeValue("msExchHomeServerName")).isEqualTo(
                    "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=EX1");
            assertThat(e.getAttributeValues("protocolSettings")).containsExactly("MAPI\u00a71\u00a70\u00a7\u00a7\u00a71\u00a7\u00a7\u00a7\u00a7\u00a70");
            assertThat(e.getAttributeValue("mail")).isEqualTo("franky@frankysweb.org");
            assertThat(c.getEntry(layout.userDn("Max Extern")).getAttributeValue("targetAddress"))
                    .isEqualTo("SMTP:max@contoso.com");
        }
    }

    @Test
    void passwordVerificationBySimpleBind() {
        Mailbox franky = directory.mailboxByLogonName("franky").orElseThrow();
        assertThat(directory.verifyPassword(franky, PASSWORD)).isTrue();
        assertThat(directory.verifyPassword(franky, PASSWORD + "x")).isFalse();
        assertThat(directory.verifyPassword(franky, "")).isFalse();
        directory.setPassword("franky", "N3w-Passw0rd");
        assertThat(directory.verifyPassword(franky, "N3w-Passw0rd")).isTrue();
        assertThat(directory.verifyPassword(franky, PASSWORD)).isFalse();
        assertThat(directory.ntHash(franky)).hasValueSatisfying(h -> assertThat(h).isEqualTo(NtHash.of("N3w-Passw0rd")));
    }

    @Test
    void passwordsAreStoredHashed() throws LDAPException {
        try (LDAPConnection c = serviceConnection()) {
            Entry e = c.getEntry(layout.userDn("Franky Weber"), "userPassword", "sambaNTPassword");
            assertThat(e.getAttributeValue("userPassword")).startsWith("{SSHA}").doesNotContain(PASSWORD);
            assertThat(e.getAttributeValue("sambaNTPassword")).isEqualTo(NtHash.hexOf(PASSWORD));
        }
    }

    @Test
    void ntHashOnlyForThePrivilegedBind() throws LDAPException {
        Mailbox franky = directory.mailboxByLogonName("franky").orElseThrow();
        assertThat(directory.ntHash(franky)).hasValueSatisfying(h -> assertThat(h).isEqualTo(NtHash.of(PASSWORD)));

        LdapSettings asFranky = LdapSettings.of(serviceSettings().url(), layout.userDn("Franky Weber"), PASSWORD,
                serviceSettings().site());
        try (LdapSiteDirectory frankysView = LdapSiteDirectory.connect(asFranky)) {
            assertThat(frankysView.mailboxByLogonName("hanna")).isPresent(); // ordinary reads work
            assertThat(frankysView.ntHash(franky)).isEmpty();
        }
        try (LDAPConnection hanna = rawConnection(layout.userDn("Hanna Heim"), PASSWORD)) {
            Entry e = hanna.getEntry(layout.userDn("Franky Weber"), "*", "userPassword", "sambaNTPassword");
            assertThat(e.getAttributeValue("sAMAccountName")).isEqualTo("franky");
            assertThat(e.hasAttribute("userPassword")).isFalse();
            assertThat(e.hasAttribute("sambaNTPassword")).isFalse();
            assertNoFilterOracle(hanna);
        }
        try (LDAPConnection anonymous = rawConnection(null, null)) {
            assertThat(anonymous.getRootDSE()).isNotNull();
            try {
                assertThat(anonymous.getEntry(layout.userDn("Franky Weber"))).isNull();
            } catch (LDAPException denied) {
                // embedded: refused; slapd: the entry does not exist for an anonymous bind
                assertThat(denied.getResultCode()).isIn(ResultCode.INSUFFICIENT_ACCESS_RIGHTS, ResultCode.NO_SUCH_OBJECT);
            }
            assertNoFilterOracle(anonymous);
        }
    }

    /** A filter on the hash must not tell whether it matched: the search fails or finds nothing. */
    private void assertNoFilterOracle(LDAPConnection c) {
        try {
            assertThat(c.search(layout.domainDn(), SearchScope.SUB, "(sambaNTPassword=" + NtHash.hexOf(PASSWORD) + ")")
                    .getEntryCount()).isZero();
        } catch (LDAPException denied) {
            assertThat(denied.getResultCode()).isIn(ResultCode.INSUFFICIENT_ACCESS_RIGHTS, ResultCode.NO_SUCH_OBJECT);
        }
    }

    @Test
    void ordinaryUsersCannotWrite() throws LDAPException {
        try (LDAPConnection c = rawConnection(layout.userDn("Franky Weber"), PASSWORD)) {
            assertThatThrownBy(() -> c.modify(layout.rpcVirtualDirectoryDn("EX1"),
                    new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.REPLACE,
                            "msExchExternalAuthenticationMethods", "1")))
                    .isInstanceOfSatisfying(LDAPException.class,
                            e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS));
        }
    }

    @Test
    void badServiceCredentialsArePermanent() {
        LdapSettings wrong = LdapSettings.of(serviceSettings().url(), serviceSettings().bindDn(), "wrong",
                serviceSettings().site());
        assertThatThrownBy(() -> LdapSiteDirectory.connect(wrong))
                .isInstanceOfSatisfying(DirectoryException.class, e -> assertThat(e.transientFailure()).isFalse())
                .hasMessageContaining("invalid credentials(49) (expected: success)")
                .hasMessageNotContaining("wrong");
    }

    @Test
    void watchFiresWithinASecondForConfigurationChanges() throws Exception {
        assertThat(directory.changeMechanism()).isEqualTo(expectedMechanism());
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch fired = new CountDownLatch(1);
        try (ChangeSubscription subscription = directory.watch(() -> {
            calls.incrementAndGet();
            fired.countDown();
        })) {
            assertThat(subscription.mechanism()).isEqualTo(expectedMechanism());
            Thread.sleep(300); // watch() returned with the feed live: nothing fires without a change
            assertThat(calls.get()).isZero();
            long start = System.nanoTime();
            try (LDAPConnection other = serviceConnection()) {
                other.modify(layout.rpcVirtualDirectoryDn("EX1"), new com.unboundid.ldap.sdk.Modification(
                        com.unboundid.ldap.sdk.ModificationType.REPLACE, "msExchExternalAuthenticationMethods", "8192"));
            }
            assertThat(fired.await(2, TimeUnit.SECONDS)).as("listener fired").isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1500);
        }
    }

    @Test
    void connectToNothingIsTransient() throws Exception {
        int freePort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            freePort = s.getLocalPort();
        }
        LdapSettings nowhere = LdapSettings.of(URI.create("ldap://127.0.0.1:" + freePort), "cn=x", "y",
                serviceSettings().site()).withTimeout(java.time.Duration.ofSeconds(2));
        LdapSiteDirectory lazy = LdapSiteDirectory.open(nowhere);
        assertThatThrownBy(lazy::servers).isInstanceOfSatisfying(DirectoryException.class,
                e -> assertThat(e.transientFailure()).isTrue());
        lazy.close();
    }
}
