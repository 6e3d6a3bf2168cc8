package dev.anywhere.autodiscover.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.DN;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SCP lookup against an UnboundID in-memory directory shaped like Active Directory's configuration partition, then
 * POSTs to the loopback site of {@link LoopbackSiteTestBase}.
 */
@Timeout(60)
class ScpDiscoveryTest extends LoopbackSiteTestBase {

    static final String CONFIG_NC = "CN=Configuration,DC=frankysweb,DC=local";
    static final String SERVERS = "CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),"
            + "CN=Administrative Groups,CN=FRANKYSWEB,CN=Microsoft Exchange,CN=Services," + CONFIG_NC;

    InMemoryDirectoryServer ldap;

    @BeforeEach
    void startDirectory() throws Exception {
        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig(CONFIG_NC);
        cfg.setSchema(null); // serviceConnectionPoint is AD schema, not in UnboundID's default schema
        cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0,
                null));
        cfg.setCustomRootDSEAttributes(List.of(new Attribute("configurationNamingContext", CONFIG_NC)));
        ldap = new InMemoryDirectoryServer(cfg);
        ensure(new DN(SERVERS));
        // other site first in the directory, so ordering is the lookup's doing
        scp("EX-MUNICH", url("c." + DOMAIN), ScpLookup.URL_SCP_GUID.toLowerCase(), "Site=Munich");
        scp("EX-ANY", url("b." + DOMAIN), ScpLookup.URL_SCP_GUID);
        scp("EX-HOME", url("missing." + DOMAIN), ScpLookup.URL_SCP_GUID, "Site=Default-First-Site-Name");
        scp("POINTER", "LDAP://dc9.other.test/DC=other,DC=test", ScpLookup.POINTER_SCP_GUID, "Domain=other.test");
        ldap.startListening();
    }

    /** Adds {@code dn} and any missing parents down from the configuration naming context, as containers. */
    private void ensure(DN dn) throws Exception {
        if (ldap.getEntry(dn.toString()) != null) {
            return;
        }
        if (!dn.equals(new DN(CONFIG_NC))) {
            ensure(dn.getParent());
        }
        ldap.add(new Entry(dn, new Attribute("objectClass", "top", "container")));
    }

    private void scp(String server, String binding, String... keywords) throws Exception {
        String autodiscover = "CN=Autodiscover,CN=Protocols,CN=" + server + "," + SERVERS;
        ensure(new DN(autodiscover));
        ldap.add(new Entry("CN=" + server + "," + autodiscover,
                new Attribute("objectClass", "top", "leaf", "connectionPoint", "serviceConnectionPoint"),
                new Attribute("keywords", keywords), new Attribute("serviceBindingInformation", binding)));
    }

    @AfterEach
    void stopDirectory() {
        ldap.shutDown(true);
    }

    @Test
    void scpWinsInSiteThenUnscopedThenOtherSites() {
        httpsHosts.put("b." + DOMAIN, basicProtected(settings("oa." + DOMAIN)));
        httpsHosts.put("c." + DOMAIN, r -> settings("wrong"));
        httpsHosts.put(DOMAIN, r -> settings("wrong"));
        DiscoveryResult r = client.discover(options()
                .scp(ScpSettings.anonymous("127.0.0.1", ldap.getListenPort(), "Default-First-Site-Name")).build());
        assertThat(r.succeeded()).as(r.toString()).isTrue();
        Attempt lookup = r.attempts().get(0);
        assertThat(lookup.method()).isEqualTo(DiscoveryMethod.SCP);
        assertThat(lookup.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(lookup.reason()).isEqualTo("3 URL SCP(s) under " + CONFIG_NC + " at ldap://127.0.0.1:"
                + ldap.getListenPort() + ": 1 in site Default-First-Site-Name, 1 unscoped, 1 other site(s); "
                + "1 pointer SCP(s) not used");
        assertThat(r.attempts().get(1).url()).isEqualTo(url("missing." + DOMAIN));
        assertThat(r.attempts().get(1).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.attempts().get(2).url()).isEqualTo(url("b." + DOMAIN));
        assertThat(accepted(r).method()).isEqualTo(DiscoveryMethod.SCP);
        assertThat(https.requestsFor("c." + DOMAIN)).isEmpty();
        assertThat(https.requestsFor(DOMAIN)).isEmpty();
    }

    @Test
    void pointerForTheUsersDomainRestartsInTheOtherDirectory() throws Exception {
        String otherNc = "CN=Configuration,DC=resource,DC=test";
        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig(otherNc);
        cfg.setSchema(null);
        cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0,
                null));
        cfg.setCustomRootDSEAttributes(List.of(new Attribute("configurationNamingContext", otherNc)));
        InMemoryDirectoryServer other = new InMemoryDirectoryServer(cfg);
        try {
            other.add(new Entry(otherNc, new Attribute("objectClass", "top", "container")));
            other.add(new Entry("CN=EX9," + otherNc,
                    new Attribute("objectClass", "top", "serviceConnectionPoint"),
                    new Attribute("keywords", ScpLookup.URL_SCP_GUID),
                    new Attribute("serviceBindingInformation", url("a." + DOMAIN))));
            other.startListening();
            scp("POINTER-HOME", "LDAP://127.0.0.1:" + other.getListenPort() + "/DC=resource,DC=test",
                    ScpLookup.POINTER_SCP_GUID, "Domain=" + DOMAIN);
            httpsHosts.put("a." + DOMAIN, basicProtected(settings("oa." + DOMAIN)));
            httpsHosts.put("b." + DOMAIN, r -> settings("wrong"));
            DiscoveryResult r = client.discover(options()
                    .scp(ScpSettings.anonymous("127.0.0.1", ldap.getListenPort(), "Default-First-Site-Name")).build());
            assertThat(r.succeeded()).as(r.toString()).isTrue();
            assertThat(r.attempts().get(0).reason()).isEqualTo("pointer SCP for " + DOMAIN + " -> 1 URL SCP(s) under "
                    + otherNc + " at ldap://127.0.0.1:" + other.getListenPort()
                    + ": 0 in site Default-First-Site-Name, 1 unscoped, 0 other site(s)");
            assertThat(r.acceptedUrl()).contains(url("a." + DOMAIN));
            assertThat(https.requestsFor("b." + DOMAIN)).isEmpty();
        } finally {
            other.shutDown(true);
        }
    }

    @Test
    void excludeScpLookupSkipsTheDirectory() {
        httpsHosts.put(DOMAIN, r -> settings("oa." + DOMAIN));
        DiscoveryResult r = client.discover(options()
                .scp(ScpSettings.anonymous("127.0.0.1", ldap.getListenPort(), null)).excludeScpLookup().build());
        assertThat(r.attempts().get(0).reason()).isEqualTo("excluded (ExcludeScpLookup)");
        assertThat(accepted(r).method()).isEqualTo(DiscoveryMethod.HTTPS_ROOT_DOMAIN);
    }

    @Test
    void unreachableDirectoryFallsThrough() {
        httpsHosts.put(DOMAIN, r -> settings("oa." + DOMAIN));
        int port = ldap.getListenPort();
        ldap.shutDown(true);
        DiscoveryResult r = client.discover(options().scp(ScpSettings.anonymous("127.0.0.1", port, null)).build());
        assertThat(r.attempts().get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.attempts().get(0).reason()).startsWith("scp: ldap://127.0.0.1:" + port);
        assertThat(r.succeeded()).isTrue();
    }
}
