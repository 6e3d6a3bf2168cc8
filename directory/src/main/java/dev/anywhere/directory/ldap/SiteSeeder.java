package dev.anywhere.directory.ldap;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.ResultCode;
import dev.anywhere.directory.model.AutodiscoverScp;
import dev.anywhere.directory.model.ExchangeServer;
import dev.anywhere.directory.model.Mailbox;
import dev.anywhere.directory.model.OutlookProvider;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes the default site into an empty directory: the skeleton containers with plain LDAP adds as the directory
 * administrator, then users, servers, providers, Outlook Anywhere and the SCP through {@link LdapSiteDirectory}, so
 * that seeding exercises exactly the writes the product makes. Works against the embedded server and slapd alike.
 *
 * <p>The seeded site (docs/architecture.md §1):
 * <ul>
 *   <li>DC1 ({@code dc1.frankysweb.local}, a domain controller in CN=Sites) and EX1 ({@code ex1.frankysweb.local});
 *   <li>EX1's {@code Rpc (Default Web Site)}: external {@code https://oa.frankysweb.org/rpc}, internal
 *       {@code https://ex1.frankysweb.local/rpc}, client auth Ntlm (2), IIS 0 (Basic+Ntlm+Negotiate), no SSL offloading;
 *   <li>providers EXCH, EXPR, WEB as PrepareAD leaves them; the EX1 Autodiscover SCP for Default-First-Site-Name;
 *   <li>users svc-anywhere (service, no mailbox), Administrator, franky (Franky Weber), hanna (Hanna Heim, blocked
 *       from RPC over HTTP), max (Max Extern, mail user with targetAddress max@contoso.com);
 *   <li>the address book ({@link AddressBookSeed}): the GAL and two address lists, a hidden discovery mailbox and
 *       {@value AddressBookSeed#GENERATED_RECIPIENTS} generated mailboxes.
 * </ul>
 */
public final class SiteSeeder {

    private SiteSeeder() {
    }

    /**
     * Creates the root and container skeleton with {@code admin} (any LDAP connection allowed to write; entries that
     * exist are left alone).
     */
    public static void createSkeleton(LDAPInterface admin, SiteLayout layout) throws LDAPException {
        Entry root = new Entry(layout.domainDn());
        root.addAttribute("objectClass", "top", "domain");
        root.addAttribute("dc", layout.domainComponent());
        addIfAbsent(admin, root);
        for (String dn : List.of(layout.usersDn(), layout.configurationDn(), layout.sitesDn(),
                "CN=" + SiteLayout.DEFAULT_SITE_NAME + "," + layout.sitesDn(), layout.siteServersDn(),
                layout.servicesDn(), layout.microsoftExchangeDn())) {
            addIfAbsent(admin, container(dn));
        }
        Entry org = new Entry(layout.organizationDn());
        org.addAttribute("objectClass", "top", AdNames.EXCHANGE_ORGANIZATION);
        org.addAttribute("cn", layout.site().organization());
        addIfAbsent(admin, org);
        for (String dn : List.of(layout.administrativeGroupsDn(), layout.administrativeGroupDn(),
                layout.exchangeServersDn(), layout.clientAccessDn(), layout.autodiscoverDn(), layout.outlookProvidersDn())) {
            addIfAbsent(admin, container(dn));
        }
    }

    /** Seeds everything above the skeleton through the directory (bound as a privileged account). */
    public static void seedSite(LdapSiteDirectory directory, SiteSeed seed) {
        SiteLayout layout = directory.layout();
        String dns = seed.site().dnsDomain();
        String smtp = seed.site().smtpDomain();
        directory.putServer(new ExchangeServer("DC1", "dc1." + dns, false));
        directory.putServer(new ExchangeServer("EX1", "ex1." + dns, true));
        for (String provider : List.of("EXCH", "EXPR", "WEB")) {
            directory.putProvider(OutlookProvider.defaults(provider));
        }
        if (seed.outlookAnywhere()) {
            directory.putRpcVirtualDirectory(new RpcHttpVirtualDirectory("EX1", 0,
                    Optional.of(RpcHttpVirtualDirectory.urlFor("oa." + smtp, true)),
                    Optional.of(RpcHttpVirtualDirectory.urlFor("ex1." + dns, true)), 2, 0));
        }
        directory.putAutodiscoverScp(AutodiscoverScp.url("EX1",
                URI.create("https://ex1." + dns + "/autodiscover/autodiscover.xml"), SiteLayout.DEFAULT_SITE_NAME));

        directory.putAccount(SiteSeed.SERVICE_ACCOUNT, SiteSeed.SERVICE_ACCOUNT, SiteSeed.SERVICE_ACCOUNT + "@" + dns);
        directory.putMailbox(mailbox(layout, "Administrator", "Administrator", "administrator", smtp, dns, true, false,
                Optional.empty()));
        directory.putMailbox(mailbox(layout, "franky", "Franky Weber", "franky", smtp, dns, true, false, Optional.empty()));
        directory.putMailbox(mailbox(layout, "hanna", "Hanna Heim", "hanna", smtp, dns, true, true, Optional.empty()));
        directory.putMailbox(mailbox(layout, "max", "Max Extern", "max", smtp, dns, false, false,
                Optional.of("max@contoso.com")));
        for (String user : SiteSeed.USERS) {
            seed.password(user).ifPresent(p -> directory.setPassword(user, p));
        }
        AddressBookSeed.seed(directory, SiteSeed.USERS, AddressBookSeed.GENERATED_RECIPIENTS);
    }

    private static Mailbox mailbox(SiteLayout layout, String sam, String displayName, String alias, String smtp,
            String dns, boolean hasMailbox, boolean blockRpcHttp, Optional<String> target) {
        String primary = alias + "@" + smtp;
        return new Mailbox(sam, sam.toLowerCase(Locale.ROOT) + "@" + dns, displayName, primary, List.of(primary),
                layout.legacyRecipientDn(alias), hasMailbox ? "EX1" : "", true, blockRpcHttp, target);
    }

    private static Entry container(String dn) throws LDAPException {
        Entry e = new Entry(dn);
        e.addAttribute("objectClass", "top", AdNames.CONTAINER);
        e.addAttribute("cn", e.getRDN().getAttributeValues()[0]);
        return e;
    }

    private static void addIfAbsent(LDAPInterface admin, Entry entry) throws LDAPException {
        try {
            admin.add(entry);
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                throw e;
            }
        }
    }
}
