package dev.anywhere.directory.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.DirectoryText;
import dev.anywhere.directory.model.AutodiscoverScp;
import dev.anywhere.directory.model.ExchangeServer;
import dev.anywhere.directory.model.Mailbox;
import dev.anywhere.directory.model.OutlookProvider;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Maps directory entries to the model and back, attribute by attribute, keeping raw values exactly (integers as the
 * decimal strings AD stores, URLs as written). Absent attributes become empty optionals or the documented defaults.
 *
 * @see dev.anywhere.directory.model.RpcHttpVirtualDirectory the virtual directory's encodings
 * @see dev.anywhere.directory.model.OutlookProvider the providers' attributes
 * @see MapiProtocolSettings the per-mailbox switches
 */
final class SiteEntries {

    static final String[] VDIR_ATTRIBUTES = {AdNames.RPC_HTTP_FLAGS, AdNames.EXTERNAL_HOST_NAME,
        AdNames.INTERNAL_HOST_NAME, AdNames.EXTERNAL_AUTHENTICATION_METHODS, AdNames.INTERNAL_AUTHENTICATION_METHODS};
    static final String[] PROVIDER_ATTRIBUTES = {AdNames.CN, AdNames.AUTODISCOVER_CERT_PRINCIPAL_NAME,
        AdNames.AUTODISCOVER_SERVER, AdNames.AUTODISCOVER_TTL, AdNames.AUTODISCOVER_FLAGS};
    static final String[] USER_ATTRIBUTES = {AdNames.CN, AdNames.SAM_ACCOUNT_NAME, AdNames.USER_PRINCIPAL_NAME,
        AdNames.DISPLAY_NAME, AdNames.MAIL, AdNames.PROXY_ADDRESSES, AdNames.LEGACY_EXCHANGE_DN,
        AdNames.HOME_SERVER_NAME, AdNames.PROTOCOL_SETTINGS, AdNames.TARGET_ADDRESS};
    static final String[] SERVER_ATTRIBUTES = {AdNames.CN, AdNames.DNS_HOST_NAME, AdNames.NETWORK_ADDRESS};
    static final String[] SCP_ATTRIBUTES = {AdNames.CN, AdNames.KEYWORDS, AdNames.SERVICE_BINDING_INFORMATION};

    private static final String SMTP = "smtp:";

    private SiteEntries() {
    }

    // ---- msExchRpcHttpVirtualDirectory ----

    /** Reads the vdir; {@code server} is the owning server's CN, three levels up. */
    static RpcHttpVirtualDirectory toVirtualDirectory(Entry e) {
        String server = rdnValueAt(e, 3);
        return new RpcHttpVirtualDirectory(server,
                intValue(e, AdNames.RPC_HTTP_FLAGS, 0),
                uriValue(e, AdNames.EXTERNAL_HOST_NAME),
                uriValue(e, AdNames.INTERNAL_HOST_NAME),
                intValue(e, AdNames.EXTERNAL_AUTHENTICATION_METHODS, 0),
                intValue(e, AdNames.INTERNAL_AUTHENTICATION_METHODS, 0));
    }

    /** Every vdir attribute; an attribute without values means "remove it" on replace. */
    static List<Attribute> virtualDirectoryAttributes(RpcHttpVirtualDirectory v) {
        return List.of(
                new Attribute(AdNames.RPC_HTTP_FLAGS, Integer.toString(v.rawFlags())),
                optional(AdNames.EXTERNAL_HOST_NAME, v.externalUrl().map(URI::toString)),
                optional(AdNames.INTERNAL_HOST_NAME, v.internalUrl().map(URI::toString)),
                new Attribute(AdNames.EXTERNAL_AUTHENTICATION_METHODS, Integer.toString(v.rawExternalAuthenticationMethods())),
                new Attribute(AdNames.INTERNAL_AUTHENTICATION_METHODS, Integer.toString(v.rawIisAuthenticationMethods())));
    }

    // ---- msExchAutoDiscoverConfig ----

    static OutlookProvider toProvider(Entry e) {
        return new OutlookProvider(rdnValueAt(e, 0),
                stringValue(e, AdNames.AUTODISCOVER_CERT_PRINCIPAL_NAME),
                stringValue(e, AdNames.AUTODISCOVER_SERVER),
                intValue(e, AdNames.AUTODISCOVER_TTL, OutlookProvider.DEFAULT_TTL_HOURS),
                intValue(e, AdNames.AUTODISCOVER_FLAGS, 0));
    }

    static List<Attribute> providerAttributes(OutlookProvider p) {
        return List.of(
                optional(AdNames.AUTODISCOVER_CERT_PRINCIPAL_NAME, p.certPrincipalName()),
                optional(AdNames.AUTODISCOVER_SERVER, p.server()),
                new Attribute(AdNames.AUTODISCOVER_TTL, Integer.toString(p.ttlHours())),
                new Attribute(AdNames.AUTODISCOVER_FLAGS, Integer.toString(p.rawFlags())));
    }

    // ---- servers ----

    static ExchangeServer toServer(Entry e, boolean exchange) {
        String name = rdnValueAt(e, 0);
        String fqdn = stringValue(e, AdNames.DNS_HOST_NAME).orElseGet(() -> Arrays
                .stream(values(e, AdNames.NETWORK_ADDRESS))
                .filter(a -> a.regionMatches(true, 0, "ncacn_ip_tcp:", 0, 13))
                .map(a -> a.substring(13)).findFirst().orElse(name.toLowerCase(Locale.ROOT)));
        return new ExchangeServer(name, fqdn, exchange);
    }

    static List<Attribute> serverAttributes(ExchangeServer s) {
        List<Attribute> out = new ArrayList<>();
        out.add(new Attribute(AdNames.DNS_HOST_NAME, s.fqdn()));
        if (s.exchange()) {
            out.add(new Attribute(AdNames.NETWORK_ADDRESS, "ncacn_ip_tcp:" + s.fqdn(), "netbios:" + s.name()));
        }
        return out;
    }

    // ---- serviceConnectionPoint ----

    static AutodiscoverScp toScp(Entry e) {
        String binding = stringValue(e, AdNames.SERVICE_BINDING_INFORMATION).orElse("");
        return new AutodiscoverScp(rdnValueAt(e, 0), URI.create(binding), List.of(values(e, AdNames.KEYWORDS)));
    }

    static List<Attribute> scpAttributes(AutodiscoverScp scp) {
        return List.of(new Attribute(AdNames.KEYWORDS, scp.keywords()),
                new Attribute(AdNames.SERVICE_BINDING_INFORMATION, scp.serviceBindingInformation().toString()));
    }

    // ---- user ----

    /** Empty when the user is not mail-enabled (no {@code mail}), e.g. the service account. */
    static Optional<Mailbox> toMailbox(Entry e) {
        Optional<String> mail = stringValue(e, AdNames.MAIL);
        if (mail.isEmpty()) {
            return Optional.empty();
        }
        String primary = mail.get();
        List<String> addresses = new ArrayList<>();
        for (String proxy : values(e, AdNames.PROXY_ADDRESSES)) {
            if (proxy.startsWith("SMTP:")) {
                primary = proxy.substring(SMTP.length());
            }
        }
        addresses.add(primary);
        for (String proxy : values(e, AdNames.PROXY_ADDRESSES)) {
            if (proxy.regionMatches(true, 0, SMTP, 0, SMTP.length())) {
                String address = proxy.substring(SMTP.length());
                if (addresses.stream().noneMatch(address::equalsIgnoreCase)) {
                    addresses.add(address);
                }
            }
        }
        List<String> protocolSettings = List.of(values(e, AdNames.PROTOCOL_SETTINGS));
        String sam = stringValue(e, AdNames.SAM_ACCOUNT_NAME).orElse(rdnValueAt(e, 0));
        String home = stringValue(e, AdNames.HOME_SERVER_NAME).map(SiteLayout::lastCn).orElse("");
        Optional<String> target = stringValue(e, AdNames.TARGET_ADDRESS)
                .map(t -> t.regionMatches(true, 0, SMTP, 0, SMTP.length()) ? t.substring(SMTP.length()) : t);
        return Optional.of(new Mailbox(sam,
                stringValue(e, AdNames.USER_PRINCIPAL_NAME).orElse(""),
                stringValue(e, AdNames.DISPLAY_NAME).orElse(rdnValueAt(e, 0)),
                primary, addresses,
                stringValue(e, AdNames.LEGACY_EXCHANGE_DN).orElse(""),
                home,
                MapiProtocolSettings.mapiEnabled(protocolSettings),
                MapiProtocolSettings.blockRpcHttp(protocolSettings),
                target));
    }

    /**
     * The user attributes for a mailbox (not objectClass, cn, sn); {@code existingProtocolSettings} are kept apart
     * from the MAPI value.
     */
    static List<Attribute> mailboxAttributes(Mailbox m, SiteLayout layout, List<String> existingProtocolSettings) {
        List<String> proxies = new ArrayList<>();
        proxies.add("SMTP:" + m.primarySmtpAddress());
        for (String address : m.proxyAddresses()) {
            if (!address.equalsIgnoreCase(m.primarySmtpAddress())) {
                proxies.add("smtp:" + address);
            }
        }
        return List.of(
                new Attribute(AdNames.SAM_ACCOUNT_NAME, m.samAccountName()),
                optional(AdNames.USER_PRINCIPAL_NAME, nonEmpty(m.userPrincipalName())),
                new Attribute(AdNames.DISPLAY_NAME, m.displayName()),
                new Attribute(AdNames.MAIL, m.primarySmtpAddress()),
                new Attribute(AdNames.PROXY_ADDRESSES, proxies),
                optional(AdNames.LEGACY_EXCHANGE_DN, nonEmpty(m.legacyExchangeDn())),
                optional(AdNames.HOME_SERVER_NAME, nonEmpty(m.homeServer()).map(layout::legacyServerDn)),
                new Attribute(AdNames.PROTOCOL_SETTINGS,
                        MapiProtocolSettings.with(existingProtocolSettings, m.mapiEnabled(), m.blockRpcHttp())),
                optional(AdNames.TARGET_ADDRESS, m.targetAddress().map(t -> "SMTP:" + t)));
    }

    // ---- helpers ----

    static Attribute optional(String name, Optional<String> value) {
        return value.map(v -> new Attribute(name, v)).orElseGet(() -> new Attribute(name));
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    static Optional<String> stringValue(Entry e, String name) {
        return Optional.ofNullable(e.getAttributeValue(name));
    }

    static String[] values(Entry e, String name) {
        String[] v = e.getAttributeValues(name);
        return v == null ? new String[0] : v;
    }

    static int intValue(Entry e, String name, int absent) {
        String v = e.getAttributeValue(name);
        if (v == null) {
            return absent;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException ex) {
            throw new DirectoryException(DirectoryText.of(DirectoryText.Key.NOT_AN_INTEGER, "attribute", name, "dn", e.getDN(), "value", v), false, ex);
        }
    }

    static Optional<URI> uriValue(Entry e, String name) {
        String v = e.getAttributeValue(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new URI(v.trim()));
        } catch (URISyntaxException ex) {
            throw new DirectoryException(DirectoryText.of(DirectoryText.Key.NOT_A_URL, "attribute", name, "dn", e.getDN(), "value", v), false, ex);
        }
    }

    /** The value of the RDN {@code levels} above the entry (0 = its own). */
    static String rdnValueAt(Entry e, int levels) {
        try {
            DN dn = e.getParsedDN();
            for (int i = 0; i < levels && dn != null; i++) {
                dn = dn.getParent();
            }
            RDN rdn = dn == null ? null : dn.getRDN();
            if (rdn == null) {
                throw new DirectoryException(DirectoryText.of(DirectoryText.Key.DN_TOO_SHORT, "dn", e.getDN(), "count", levels + 1), false, null);
            }
            return rdn.getAttributeValues()[0];
        } catch (LDAPException ex) {
            throw LdapErrors.wrap(ex, DirectoryText.Key.DN, "dn", e.getDN());
        }
    }

}
