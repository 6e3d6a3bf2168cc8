package dev.anywhere.directory.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SiteLayoutTest {

    private final SiteLayout layout = new SiteLayout(SiteSeed.FRANKYSWEB);

    @Test
    void activeDirectoryShapes() {
        String org = "CN=First Organization,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=frankysweb,DC=local";
        String ex1 = "CN=EX1,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups," + org;
        assertThat(layout.domainDn()).isEqualTo("DC=frankysweb,DC=local");
        assertThat(layout.configurationDn()).isEqualTo("CN=Configuration,DC=frankysweb,DC=local");
        assertThat(layout.organizationDn()).isEqualTo(org);
        assertThat(layout.exchangeServerDn("ex1")).isEqualTo(ex1);
        assertThat(layout.rpcVirtualDirectoryDn("EX1")).isEqualTo("CN=Rpc (Default Web Site),CN=HTTP,CN=Protocols," + ex1);
        assertThat(layout.autodiscoverScpDn("EX1")).isEqualTo("CN=EX1,CN=Autodiscover,CN=Protocols," + ex1);
        assertThat(layout.providerDn("expr")).isEqualTo("CN=EXPR,CN=Outlook,CN=AutoDiscover,CN=Client Access," + org);
        assertThat(layout.userDn("Franky Weber")).isEqualTo("CN=Franky Weber,CN=Users,DC=frankysweb,DC=local");
        assertThat(layout.domainControllerDn("dc1"))
                .isEqualTo("CN=DC1,CN=Servers,CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=frankysweb,DC=local");
        assertThat(layout.legacyServerDn("EX1")).isEqualTo(
                "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=EX1");
    }

    @Test
    void rdnValuesAreEscaped() {
        assertThat(SiteLayout.rdnValue("Weber, Franky")).isEqualTo("Weber\\, Franky");
        assertThat(SiteLayout.rdnValue("#1 ")).isEqualTo("\\#1\\ ");
        assertThat(SiteLayout.rdnValue("Rpc (Default Web Site)")).isEqualTo("Rpc (Default Web Site)");
    }
}
