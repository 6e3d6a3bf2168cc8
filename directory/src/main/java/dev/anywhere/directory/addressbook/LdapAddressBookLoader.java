package dev.anywhere.directory.addressbook;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.util.StaticUtils;
import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.DirectoryText;
import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.ldap.AdNames;
import dev.anywhere.directory.ldap.DirectorySchema;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.ReplicatedSiteDirectory;
import dev.anywhere.directory.ldap.SiteLayout;
import dev.anywhere.rpc.wire.Guids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the address book from the directory in three searches: every mail-enabled user and group (a group with
 * {@code mail} is a distribution list, its {@code member} DNs resolved to the recipients read in the same search), every
 * {@code addressBookContainer} under the organisation's {@code CN=Address Lists Container}, and the servers. Address
 * list membership is each container's {@code purportedSearch} evaluated against the loaded recipients (Exchange keeps
 * the result in {@code showInAddressBook}; evaluating the filter here needs no back-links in the directory). Filters
 * can only test the attributes this loader reads ({@link #RECIPIENT_ATTRIBUTES}).
 *
 * <p>Blocking: runs on {@link AddressBookService}'s executor, never on an event loop.
 */
public final class LdapAddressBookLoader implements AddressBookService.Loader {

    private static final Logger LOG = LoggerFactory.getLogger(LdapAddressBookLoader.class);

    static final String[] RECIPIENT_ATTRIBUTES = {AdNames.OBJECT_CLASS, AdNames.CN, AdNames.SAM_ACCOUNT_NAME,
        AdNames.DISPLAY_NAME, AdNames.MAIL, AdNames.PROXY_ADDRESSES, AdNames.LEGACY_EXCHANGE_DN, AdNames.HOME_SERVER_NAME,
        AdNames.HOME_MDB, AdNames.OBJECT_GUID, AdNames.OBJECT_SID, AdNames.MAILBOX_GUID, AdNames.HIDE_FROM_ADDRESS_LISTS,
        AdNames.MAIL_NICKNAME, AdNames.TARGET_ADDRESS, AdNames.OU, AdNames.TITLE, AdNames.ENTRY_UUID,
        AdNames.CREATE_TIMESTAMP, AdNames.MODIFY_TIMESTAMP, AdNames.MEMBER};
    private static final String[] LIST_ATTRIBUTES = {AdNames.OBJECT_CLASS, AdNames.CN, AdNames.DISPLAY_NAME,
        AdNames.PURPORTED_SEARCH, AdNames.OBJECT_GUID, AdNames.ENTRY_UUID};

    private final Supplier<LdapSiteDirectory> replica;
    private final Schema schema = DirectorySchema.unboundIdSchema();

    public LdapAddressBookLoader(LdapSiteDirectory directory) {
        this.replica = () -> directory;
    }

    /** A loader for any directory: a replicated one is read through the replica in use at each load. */
    public static LdapAddressBookLoader of(SiteDirectory directory) {
        if (directory instanceof ReplicatedSiteDirectory replicated) {
            return new LdapAddressBookLoader(replicated::current);
        }
        if (directory instanceof LdapSiteDirectory ldap) {
            return new LdapAddressBookLoader(ldap);
        }
        throw new IllegalArgumentException("directory: " + directory.getClass().getSimpleName()
                + " (expected: an LDAP directory, one or replicated)");
    }

    private LdapAddressBookLoader(Supplier<LdapSiteDirectory> replica) {
        this.replica = replica;
    }

    @Override
    public AddressBook load(MidAllocator mids) {
        LdapSiteDirectory directory = replica.get();
        SiteLayout layout = directory.layout();
        Instant now = Instant.now();
        List<SearchResultEntry> entries = search(directory, layout.domainDn(), Filter.createANDFilter(Filter.createORFilter(
                Filter.createEqualityFilter(AdNames.OBJECT_CLASS, AdNames.USER),
                Filter.createEqualityFilter(AdNames.OBJECT_CLASS, AdNames.GROUP)),
                Filter.createPresenceFilter(AdNames.MAIL)), RECIPIENT_ATTRIBUTES);
        List<Recipient> recipients = new ArrayList<>(entries.size());
        Map<String, Recipient> byDn = new HashMap<>();
        for (SearchResultEntry e : entries) {
            Recipient r = toRecipient(e, layout, mids);
            recipients.add(r);
            byDn.put(normalized(e.getDN()), r);
        }
        List<Entry> visibleEntries = new ArrayList<>();
        List<Recipient> visible = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Recipient r = recipients.get(i);
            if (r.distributionList()) {
                r = r.withMembers(members(entries.get(i), byDn));
                recipients.set(i, r);
            }
            if (!r.hidden()) {
                visible.add(r);
                visibleEntries.add(entries.get(i));
            }
        }
        recipients.sort(AddressBook.DISPLAY_ORDER);

        List<AddressList> lists = new ArrayList<>();
        List<SearchResultEntry> containers = search(directory, layout.addressListsContainerDn(),
                Filter.createEqualityFilter(AdNames.OBJECT_CLASS, AdNames.ADDRESS_BOOK_CONTAINER), LIST_ATTRIBUTES);
        String globalParent = normalized(layout.globalAddressListsDn());
        boolean haveGal = false;
        for (SearchResultEntry c : containers) {
            boolean global = !haveGal && parentOf(c.getDN()).equals(globalParent);
            haveGal |= global;
            UUID guid = guid(c, AdNames.OBJECT_GUID);
            List<Recipient> members = members(c, visibleEntries, visible);
            lists.add(new AddressList(global ? AddressBook.GAL_MID : mids.midFor(guid), c.getDN(), guid,
                    Optional.ofNullable(c.getAttributeValue(AdNames.DISPLAY_NAME)).orElse(cn(c)), global,
                    members.stream().sorted(AddressBook.DISPLAY_ORDER).map(Recipient::mid).toList()));
        }
        if (!haveGal) { // a directory without address-list objects still has a GAL: every visible recipient
            lists.add(new AddressList(AddressBook.GAL_MID, "", new UUID(0, 0), "Default Global Address List", true,
                    visible.stream().sorted(AddressBook.DISPLAY_ORDER).map(Recipient::mid).toList()));
        }
        lists.sort((a, b) -> a.global() != b.global() ? (a.global() ? -1 : 1)
                : a.displayName().compareToIgnoreCase(b.displayName()));
        return new AddressBook(recipients, lists, directory.servers(), now);
    }

    private List<Recipient> members(Entry container, List<Entry> entries, List<Recipient> visible) {
        String filterText = container.getAttributeValue(AdNames.PURPORTED_SEARCH);
        if (filterText == null) {
            return List.of();
        }
        try {
            Filter filter = Filter.create(filterText);
            List<Recipient> out = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                if (filter.matchesEntry(entries.get(i), schema)) {
                    out.add(visible.get(i));
                }
            }
            return out;
        } catch (LDAPException e) {
            // One bad list must not take the address book down; it is empty until its filter is fixed.
            LOG.warn("address list {}: purportedSearch {} is not an LDAP filter the loader can evaluate; the list is empty",
                    container.getDN(), filterText);
            return List.of();
        }
    }

    /** A distribution list's members that are visible recipients, in display-name order; other DNs are skipped. */
    private static List<Integer> members(Entry group, Map<String, Recipient> byDn) {
        List<Recipient> out = new ArrayList<>();
        for (String dn : values(group, AdNames.MEMBER)) {
            Recipient member = byDn.get(normalized(dn));
            if (member != null && !member.hidden() && !out.contains(member)) {
                out.add(member);
            }
        }
        return out.stream().sorted(AddressBook.DISPLAY_ORDER).map(Recipient::mid).toList();
    }

    private static Recipient toRecipient(Entry e, SiteLayout layout, MidAllocator mids) {
        UUID guid = guid(e, AdNames.OBJECT_GUID);
        String mail = e.getAttributeValue(AdNames.MAIL);
        List<String> proxies = List.of(values(e, AdNames.PROXY_ADDRESSES));
        String primary = proxies.stream().filter(p -> p.startsWith("SMTP:")).map(p -> p.substring(5)).findFirst()
                .orElse(mail);
        Optional<String> homeServerDn = Optional.ofNullable(e.getAttributeValue(AdNames.HOME_SERVER_NAME));
        Optional<String> homeServer = homeServerDn.map(SiteLayout::lastCn);
        Optional<String> alias = Optional.ofNullable(e.getAttributeValue(AdNames.MAIL_NICKNAME))
                .or(() -> Optional.ofNullable(e.getAttributeValue(AdNames.SAM_ACCOUNT_NAME)));
        Optional<String> target = Optional.ofNullable(e.getAttributeValue(AdNames.TARGET_ADDRESS))
                .map(t -> t.regionMatches(true, 0, "smtp:", 0, 5) ? t.substring(5) : t);
        Optional<String> homeMdb = Optional.ofNullable(e.getAttributeValue(AdNames.HOME_MDB));
        return new Recipient(mids.midFor(guid), e.getDN(), guid,
                Optional.ofNullable(e.getAttributeValue(AdNames.DISPLAY_NAME)).orElse(cn(e)),
                alias.orElse(cn(e)), primary, proxies,
                Optional.ofNullable(e.getAttributeValue(AdNames.LEGACY_EXCHANGE_DN)).orElse(""),
                bytes(e, AdNames.OBJECT_SID).flatMap(b -> parse(e, AdNames.OBJECT_SID, () -> Sid.fromBytes(b))),
                bytes(e, AdNames.MAILBOX_GUID).flatMap(b -> parse(e, AdNames.MAILBOX_GUID, () -> Guids.fromBytes(b))),
                homeServer, homeServerDn, homeMdb,
                homeMdb.isPresent() ? homeServer.map(layout::legacyDatabaseDn) : Optional.empty(),
                target,
                "TRUE".equalsIgnoreCase(e.getAttributeValue(AdNames.HIDE_FROM_ADDRESS_LISTS)),
                Optional.ofNullable(e.getAttributeValue(AdNames.TITLE)),
                Optional.ofNullable(e.getAttributeValue(AdNames.OU)),
                time(e, AdNames.CREATE_TIMESTAMP), time(e, AdNames.MODIFY_TIMESTAMP),
                e.hasObjectClass(AdNames.GROUP), List.of());
    }

    /** objectGUID (16 bytes, Microsoft order), else the RFC 4530 entryUUID every LDAP server generates. */
    private static UUID guid(Entry e, String attribute) {
        Optional<UUID> stored = bytes(e, attribute).flatMap(b -> parse(e, attribute, () -> Guids.fromBytes(b)));
        if (stored.isPresent()) {
            return stored.get();
        }
        String entryUuid = e.getAttributeValue(AdNames.ENTRY_UUID);
        if (entryUuid != null) {
            try {
                return UUID.fromString(entryUuid);
            } catch (IllegalArgumentException ex) {
                // fall through: a name-based GUID still keeps the entry apart from every other
            }
        }
        return UUID.nameUUIDFromBytes(e.getDN().toLowerCase(Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static <T> Optional<T> parse(Entry e, String attribute, java.util.function.Supplier<T> parser) {
        try {
            return Optional.of(parser.get());
        } catch (IllegalArgumentException ex) {
            LOG.warn("{} of {}: {}; served as missing", attribute, e.getDN(), ex.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<byte[]> bytes(Entry e, String attribute) {
        return Optional.ofNullable(e.getAttributeValueBytes(attribute));
    }

    private static Optional<Instant> time(Entry e, String attribute) {
        String v = e.getAttributeValue(attribute);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(StaticUtils.decodeGeneralizedTime(v).toInstant());
        } catch (java.text.ParseException ex) {
            return Optional.empty();
        }
    }

    private static String[] values(Entry e, String name) {
        String[] v = e.getAttributeValues(name);
        return v == null ? new String[0] : v;
    }

    private static String cn(Entry e) {
        String cn = e.getAttributeValue(AdNames.CN);
        return cn != null ? cn : e.getDN();
    }

    private static String parentOf(String dn) {
        try {
            com.unboundid.ldap.sdk.DN parent = new com.unboundid.ldap.sdk.DN(dn).getParent();
            return parent == null ? "" : parent.toNormalizedString();
        } catch (LDAPException e) {
            return "";
        }
    }

    private static String normalized(String dn) {
        try {
            return new com.unboundid.ldap.sdk.DN(dn).toNormalizedString();
        } catch (LDAPException e) {
            return dn;
        }
    }

    private static List<SearchResultEntry> search(LdapSiteDirectory directory, String base, Filter filter,
            String... attributes) {
        try {
            return directory.ldap().search(base, SearchScope.SUB, filter, attributes).getSearchEntries();
        } catch (LDAPException e) {
            if (e.getResultCode() == com.unboundid.ldap.sdk.ResultCode.NO_SUCH_OBJECT) {
                return List.of();
            }
            throw new DirectoryException(DirectoryText.of(DirectoryText.Key.ADDRESS_BOOK_SEARCH, "base", base, "code", e.getResultCode()), true, e);
        }
    }
}
