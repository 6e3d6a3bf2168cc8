package dev.anywhere.directory.ldap;

import dev.anywhere.directory.SiteInfo;
import java.util.Locale;
import java.util.Objects;

/**
 * Where Active Directory and Exchange keep each object, as distinguished names for one site.
 *
 * <pre>
 * DC=frankysweb,DC=local                                                   domain naming context
 *   CN=Users                                                               users (svc-anywhere, Administrator, ...)
 *   CN=Configuration                                                       configuration naming context
 *     CN=Sites,CN=Default-First-Site-Name,CN=Servers,CN=DC1                domain controllers (server)
 *     CN=Services,CN=Microsoft Exchange,CN=First Organization
 *       CN=Client Access,CN=AutoDiscover,CN=Outlook,CN=EXCH|EXPR|WEB       Outlook providers
 *       CN=Administrative Groups,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Servers,CN=EX1
 *         CN=Protocols,CN=HTTP,CN=Rpc (Default Web Site)                   Outlook Anywhere
 *         CN=Protocols,CN=Autodiscover,CN=EX1                              Autodiscover SCP
 * </pre>
 *
 * (Listed from the top down; the DNs themselves read bottom-up.)
 *
 * @param site the site these names belong to
 * @see "directory/README.md (objects: DNs and classes)"
 */
public record SiteLayout(SiteInfo site) {

    /** Exchange 2007+'s fixed administrative group name. */
    public static final String ADMIN_GROUP = "Exchange Administrative Group (FYDIBOHF23SPDLT)";
    /** The AD site every server of the lab belongs to. */
    public static final String DEFAULT_SITE_NAME = "Default-First-Site-Name";

    public SiteLayout {
        Objects.requireNonNull(site, "site");
    }

    /** {@code DC=frankysweb,DC=local}. */
    public String domainDn() {
        StringBuilder dn = new StringBuilder();
        for (String label : site.dnsDomain().split("\\.")) {
            if (dn.length() > 0) {
                dn.append(',');
            }
            dn.append("DC=").append(label);
        }
        return dn.toString();
    }

    /** The first label of the DNS domain, the value of the root entry's {@code dc}. */
    public String domainComponent() {
        return site.dnsDomain().split("\\.")[0];
    }

    public String usersDn() {
        return "CN=Users," + domainDn();
    }

    public String configurationDn() {
        return "CN=Configuration," + domainDn();
    }

    public String sitesDn() {
        return "CN=Sites," + configurationDn();
    }

    public String siteServersDn() {
        return "CN=Servers,CN=" + DEFAULT_SITE_NAME + "," + sitesDn();
    }

    public String domainControllerDn(String name) {
        return "CN=" + rdnValue(name.toUpperCase(Locale.ROOT)) + "," + siteServersDn();
    }

    public String servicesDn() {
        return "CN=Services," + configurationDn();
    }

    public String microsoftExchangeDn() {
        return "CN=Microsoft Exchange," + servicesDn();
    }

    public String organizationDn() {
        return "CN=" + rdnValue(site.organization()) + "," + microsoftExchangeDn();
    }

    public String administrativeGroupsDn() {
        return "CN=Administrative Groups," + organizationDn();
    }

    public String administrativeGroupDn() {
        return "CN=" + rdnValue(ADMIN_GROUP) + "," + administrativeGroupsDn();
    }

    public String exchangeServersDn() {
        return "CN=Servers," + administrativeGroupDn();
    }

    public String exchangeServerDn(String name) {
        return "CN=" + rdnValue(name.toUpperCase(Locale.ROOT)) + "," + exchangeServersDn();
    }

    public String protocolsDn(String server) {
        return "CN=Protocols," + exchangeServerDn(server);
    }

    public String httpProtocolDn(String server) {
        return "CN=HTTP," + protocolsDn(server);
    }

    /** {@code CN=Rpc (Default Web Site),CN=HTTP,CN=Protocols,CN=EX1,CN=Servers,...}. */
    public String rpcVirtualDirectoryDn(String server) {
        return "CN=" + rdnValue("Rpc (Default Web Site)") + "," + httpProtocolDn(server);
    }

    public String autodiscoverProtocolDn(String server) {
        return "CN=Autodiscover," + protocolsDn(server);
    }

    /** {@code CN=EX1,CN=Autodiscover,CN=Protocols,CN=EX1,CN=Servers,...}: the server's Autodiscover SCP. */
    public String autodiscoverScpDn(String server) {
        return "CN=" + rdnValue(server.toUpperCase(Locale.ROOT)) + "," + autodiscoverProtocolDn(server);
    }

    public String clientAccessDn() {
        return "CN=Client Access," + organizationDn();
    }

    public String autodiscoverDn() {
        return "CN=AutoDiscover," + clientAccessDn();
    }

    public String outlookProvidersDn() {
        return "CN=Outlook," + autodiscoverDn();
    }

    /** {@code CN=EXPR,CN=Outlook,CN=AutoDiscover,CN=Client Access,CN=First Organization,...}. */
    public String providerDn(String name) {
        return "CN=" + rdnValue(name.toUpperCase(Locale.ROOT)) + "," + outlookProvidersDn();
    }

    /** {@code CN=Address Lists Container,CN=First Organization,...}. */
    public String addressListsContainerDn() {
        return "CN=Address Lists Container," + organizationDn();
    }

    /** Where the global address lists live ({@code CN=All Global Address Lists,...}). */
    public String globalAddressListsDn() {
        return "CN=All Global Address Lists," + addressListsContainerDn();
    }

    /** Where the other address lists live ({@code CN=All Address Lists,...}). */
    public String allAddressListsDn() {
        return "CN=All Address Lists," + addressListsContainerDn();
    }

    /** {@code CN=Mailbox Database 01,CN=Databases,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),...}. */
    public String mailboxDatabaseDn(String name) {
        return "CN=" + rdnValue(name) + ",CN=Databases," + administrativeGroupDn();
    }

    /** A database's legacy DN as Exchange 2010 names it: the home server's, then {@code /cn=Microsoft Private MDB}. */
    public String legacyDatabaseDn(String server) {
        return legacyServerDn(server) + "/cn=Microsoft Private MDB";
    }

    public String userDn(String commonName) {
        return "CN=" + rdnValue(commonName) + "," + usersDn();
    }

    /** The legacy DN of the organisation: {@code /o=First Organization}. */
    public String legacyOrganization() {
        return "/o=" + site.organization();
    }

    /** {@code /o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)}. */
    public String legacyAdministrativeGroup() {
        return legacyOrganization() + "/ou=" + ADMIN_GROUP;
    }

    /** What {@code msExchHomeServerName} holds: the server's legacy DN. */
    public String legacyServerDn(String server) {
        return legacyAdministrativeGroup() + "/cn=Configuration/cn=Servers/cn=" + server.toUpperCase(Locale.ROOT);
    }

    /** A recipient's {@code legacyExchangeDN}: {@code /o=.../ou=.../cn=Recipients/cn=alias}. */
    public String legacyRecipientDn(String alias) {
        return legacyAdministrativeGroup() + "/cn=Recipients/cn=" + alias;
    }

    /** {@code /o=Org/.../cn=EX1} → {@code EX1}: the last element of a legacy DN without its {@code cn=}. */
    public static String lastCn(String legacyDn) {
        int slash = legacyDn.lastIndexOf('/');
        String last = slash < 0 ? legacyDn : legacyDn.substring(slash + 1);
        return last.regionMatches(true, 0, "cn=", 0, 3) ? last.substring(3) : last;
    }

    /** Escapes an RDN value (RFC 4514 section 2.4); parentheses need no escaping. */
    static String rdnValue(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean edge = (i == 0 && (c == ' ' || c == '#')) || (i == value.length() - 1 && c == ' ');
            if (edge || c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' || c == ';' || c == '=') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
