package dev.anywhere.directory.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import dev.anywhere.directory.DirectoryText;
import dev.anywhere.directory.addressbook.Sid;
import dev.anywhere.rpc.wire.Guids;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The address book part of the seeded site: the address-list containers (the Default Global Address List, "All
 * Users", "Sales"), the identifiers AD and Exchange give every recipient (objectGUID, objectSid, msExchMailboxGuid,
 * homeMDB, mailNickname), a hidden discovery mailbox, generated colleagues so that address-book paging and
 * positioning have hundreds of rows to work on, and a distribution list ({@value #DISTRIBUTION_LIST}) whose members
 * include the hidden mailbox. Everything is derived from the DN and the index, so two seeds of the
 * same site are identical.
 */
public final class AddressBookSeed {

    /** Generated mailboxes in a seeded site, besides the story's users. */
    public static final int GENERATED_RECIPIENTS = 300;
    /** The mailbox database every seeded mailbox lives in. */
    public static final String DATABASE = "Mailbox Database 01";
    /** The Exchange 2010 discovery mailbox: a real mailbox that is hidden from every address list. */
    public static final String HIDDEN_ALIAS = "DiscoverySearchMailbox";
    /** The seeded distribution list's display name. */
    public static final String DISTRIBUTION_LIST = "Sales Team";
    /** Its alias: the story's franky, hanna and max, the first generated Sales colleagues, and the hidden mailbox. */
    public static final String DISTRIBUTION_LIST_ALIAS = "sales-team";
    /** Generated Sales colleagues (indices 0, 6, 12, …) in the distribution list. */
    static final int DISTRIBUTION_LIST_GENERATED = 3;

    private static final String[] FIRST = {"Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannes", "Ida",
        "Jonas", "Katrin", "Lukas", "Marie", "Niklas", "Olga", "Paul", "Ronja", "Stefan", "Tanja", "Uwe", "Vera",
        "Wolfgang", "Yvonne", "Zoe", "Jürgen", "Sören"};
    private static final String[] LAST = {"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
        "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
        "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause",
        "Meier", "Lehmann"};
    private static final String[] DEPARTMENTS = {"Sales", "IT", "Finance", "Marketing", "Purchasing", "Support"};
    private static final String[] TITLES = {"Consultant", "Engineer", "Manager", "Assistant", "Specialist"};

    private AddressBookSeed() {
    }

    /** The address lists and the hidden mailbox, the story users' identifiers, then the generated recipients. */
    static void seed(LdapSiteDirectory directory, List<String> storyUsers, int generated) {
        SiteLayout layout = directory.layout();
        LDAPInterface ldap = directory.ldap();
        try {
            for (Entry e : containers(layout)) {
                addIfAbsent(ldap, e);
            }
            for (int i = 0; i < storyUsers.size(); i++) {
                String sam = storyUsers.get(i);
                String dn = directory.userDn(sam).orElseThrow();
                Entry user = ldap.getEntry(dn, AdNames.MAIL, AdNames.HOME_SERVER_NAME);
                if (user == null || user.getAttributeValue(AdNames.MAIL) == null) {
                    continue; // the service account has no mailbox
                }
                List<Modification> mods = new ArrayList<>();
                for (Attribute a : identity(layout, dn, sam, rid(sam, i), user.hasAttribute(AdNames.HOME_SERVER_NAME))) {
                    mods.add(new Modification(ModificationType.REPLACE, a.getName(), a.getRawValues()));
                }
                ldap.modify(dn, mods);
            }
            Entry hidden = hiddenMailbox(layout);
            addIfAbsent(ldap, hidden);
            List<Entry> colleagues = generatedRecipients(layout, 0, generated);
            for (Entry e : colleagues) {
                addIfAbsent(ldap, e);
            }
            List<String> members = new ArrayList<>();
            for (String sam : List.of("franky", "hanna", "max")) {
                directory.userDn(sam).ifPresent(members::add);
            }
            for (int i = 0; i < Math.min(generated, DISTRIBUTION_LIST_GENERATED * DEPARTMENTS.length); i += DEPARTMENTS.length) {
                members.add(colleagues.get(i).getDN()); // DEPARTMENTS[0] is Sales
            }
            members.add(hidden.getDN());
            addIfAbsent(ldap, distributionList(layout, members));
        } catch (LDAPException e) {
            throw LdapErrors.wrap(e, DirectoryText.Key.SEED);
        }
    }

    /** {@code CN=Address Lists Container} and its lists: the GAL and two address lists. */
    public static List<Entry> containers(SiteLayout layout) {
        List<Entry> out = new ArrayList<>();
        for (String dn : List.of(layout.addressListsContainerDn(), layout.globalAddressListsDn(), layout.allAddressListsDn())) {
            Entry c = new Entry(dn);
            c.addAttribute(AdNames.OBJECT_CLASS, "top", AdNames.CONTAINER);
            c.addAttribute(AdNames.CN, rdnValue(dn));
            out.add(c);
        }
        out.add(list("CN=Default Global Address List," + layout.globalAddressListsDn(), "Default Global Address List",
                "(&(mail=*)(|(objectClass=user)(objectClass=group)))"));
        out.add(list("CN=All Users," + layout.allAddressListsDn(), "All Users", "(&(objectClass=user)(homeMDB=*))"));
        out.add(list("CN=Sales," + layout.allAddressListsDn(), "Sales", "(&(objectClass=user)(ou=Sales))"));
        return out;
    }

    /** Mailboxes {@code from .. from+count-1}: deterministic names, addresses and identifiers. */
    public static List<Entry> generatedRecipients(SiteLayout layout, int from, int count) {
        List<Entry> out = new ArrayList<>(count);
        Set<String> aliases = new HashSet<>();
        for (int i = from; i < from + count; i++) {
            String first = FIRST[i % FIRST.length];
            String last = LAST[(i / FIRST.length + i) % LAST.length];
            String base = ascii(first.charAt(0) + "." + last);
            String alias = base + (i / (FIRST.length * LAST.length) == 0 ? "" : Integer.toString(i));
            if (!aliases.add(alias)) {
                alias = base + i;
                aliases.add(alias);
            }
            String display = first + " " + last + (alias.equals(base) ? "" : " (" + i + ")");
            Entry e = user(layout, alias, display, last);
            e.addAttribute(AdNames.OU, DEPARTMENTS[i % DEPARTMENTS.length]);
            e.addAttribute(AdNames.TITLE, TITLES[(i / 7) % TITLES.length]);
            identity(layout, e.getDN(), alias, 2000L + i, true).forEach(e::addAttribute);
            out.add(e);
        }
        return out;
    }

    /**
     * The mail-enabled group {@value #DISTRIBUTION_LIST}: a distribution list as Exchange 2010 makes one (mail,
     * proxyAddresses, legacyExchangeDN, mailNickname, objectGUID, objectSid) with {@code members} as its {@code member}.
     */
    static Entry distributionList(SiteLayout layout, List<String> members) {
        String smtp = DISTRIBUTION_LIST_ALIAS + "@" + layout.site().smtpDomain();
        Entry e = new Entry(layout.userDn(DISTRIBUTION_LIST));
        e.addAttribute(AdNames.OBJECT_CLASS, "top", AdNames.GROUP);
        e.addAttribute(AdNames.CN, DISTRIBUTION_LIST);
        e.addAttribute(AdNames.SAM_ACCOUNT_NAME, DISTRIBUTION_LIST_ALIAS);
        e.addAttribute(AdNames.DISPLAY_NAME, DISTRIBUTION_LIST);
        e.addAttribute(AdNames.MAIL, smtp);
        e.addAttribute(AdNames.PROXY_ADDRESSES, "SMTP:" + smtp);
        e.addAttribute(AdNames.LEGACY_EXCHANGE_DN, layout.legacyRecipientDn(DISTRIBUTION_LIST_ALIAS));
        e.addAttribute(AdNames.MEMBER, members);
        identity(layout, e.getDN(), DISTRIBUTION_LIST_ALIAS, 1300, false).forEach(e::addAttribute);
        return e;
    }

    static Entry hiddenMailbox(SiteLayout layout) {
        String name = HIDDEN_ALIAS + " {D919BA05-46A6-415f-80AD-7E09334BB852}";
        Entry e = user(layout, HIDDEN_ALIAS, "Discovery Search Mailbox", "MsExchDiscovery");
        e.setDN(layout.userDn(name));
        e.setAttribute(AdNames.CN, name);
        e.addAttribute(AdNames.HIDE_FROM_ADDRESS_LISTS, "TRUE");
        identity(layout, e.getDN(), HIDDEN_ALIAS, 1150, true).forEach(e::addAttribute);
        return e;
    }

    /** The domain's SID, derived from its DNS name (S-1-5-21-a-b-c as a domain controller makes one up). */
    public static Sid domainSid(SiteLayout layout) {
        UUID h = UUID.nameUUIDFromBytes(layout.site().dnsDomain().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        long a = h.getMostSignificantBits() >>> 32;
        long b = h.getMostSignificantBits() & 0xFFFF_FFFFL;
        long c = h.getLeastSignificantBits() >>> 32;
        return Sid.parse("S-1-5-21-" + a + "-" + b + "-" + c);
    }

    /** The deterministic objectGUID of the object at {@code dn}. */
    public static UUID objectGuid(String dn) {
        return UUID.nameUUIDFromBytes(("objectGUID:" + dn.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
    }

    private static List<Attribute> identity(SiteLayout layout, String dn, String alias, long rid, boolean mailbox) {
        List<Attribute> out = new ArrayList<>();
        out.add(new Attribute(AdNames.OBJECT_GUID, Guids.toBytes(objectGuid(dn))));
        out.add(new Attribute(AdNames.OBJECT_SID, domainSid(layout).withRid(rid).toBytes()));
        out.add(new Attribute(AdNames.MAIL_NICKNAME, alias));
        if (mailbox) {
            UUID mailboxGuid = UUID.nameUUIDFromBytes(("msExchMailboxGuid:" + dn.toLowerCase(Locale.ROOT))
                    .getBytes(StandardCharsets.UTF_8));
            out.add(new Attribute(AdNames.MAILBOX_GUID, Guids.toBytes(mailboxGuid)));
            out.add(new Attribute(AdNames.HOME_MDB, layout.mailboxDatabaseDn(DATABASE)));
        }
        return out;
    }

    private static Entry user(SiteLayout layout, String alias, String displayName, String surname) {
        String smtp = alias.toLowerCase(Locale.ROOT) + "@" + layout.site().smtpDomain();
        Entry e = new Entry(layout.userDn(displayName));
        e.addAttribute(AdNames.OBJECT_CLASS, "top", "person", "organizationalPerson", AdNames.USER);
        e.addAttribute(AdNames.CN, displayName);
        e.addAttribute(AdNames.SN, surname);
        e.addAttribute(AdNames.SAM_ACCOUNT_NAME, alias.length() > 20 ? alias.substring(0, 20) : alias);
        e.addAttribute(AdNames.USER_PRINCIPAL_NAME, alias.toLowerCase(Locale.ROOT) + "@" + layout.site().dnsDomain());
        e.addAttribute(AdNames.DISPLAY_NAME, displayName);
        e.addAttribute(AdNames.MAIL, smtp);
        e.addAttribute(AdNames.PROXY_ADDRESSES, "SMTP:" + smtp);
        e.addAttribute(AdNames.LEGACY_EXCHANGE_DN, layout.legacyRecipientDn(alias.toLowerCase(Locale.ROOT)));
        e.addAttribute(AdNames.HOME_SERVER_NAME, layout.legacyServerDn("EX1"));
        return e;
    }

    private static Entry list(String dn, String displayName, String filter) {
        Entry e = new Entry(dn);
        e.addAttribute(AdNames.OBJECT_CLASS, "top", AdNames.ADDRESS_BOOK_CONTAINER);
        e.addAttribute(AdNames.CN, rdnValue(dn));
        e.addAttribute(AdNames.DISPLAY_NAME, displayName);
        e.addAttribute(AdNames.PURPORTED_SEARCH, filter);
        e.addAttribute(new Attribute(AdNames.OBJECT_GUID, Guids.toBytes(objectGuid(dn))));
        return e;
    }

    /** The story users' relative IDs: Administrator is 500 as in every domain; the others follow 1100. */
    private static long rid(String sam, int index) {
        return sam.equalsIgnoreCase("Administrator") ? 500 : 1100 + index;
    }

    /** {@code J.Müller} → {@code j.mueller}: aliases and addresses stay ASCII, as Exchange makes them. */
    private static String ascii(String s) {
        String t = s.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("Ä", "Ae").replace("Ö", "Oe")
                .replace("Ü", "Ue").replace("ß", "ss");
        return Normalizer.normalize(t, Normalizer.Form.NFD).replaceAll("[^\\p{ASCII}]", "").toLowerCase(Locale.ROOT);
    }

    private static String rdnValue(String dn) {
        try {
            return new com.unboundid.ldap.sdk.DN(dn).getRDN().getAttributeValues()[0];
        } catch (LDAPException e) {
            throw new IllegalArgumentException("dn: " + dn + " (expected: a DN)", e);
        }
    }

    private static void addIfAbsent(LDAPInterface ldap, Entry entry) throws LDAPException {
        try {
            ldap.add(entry);
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                throw e;
            }
        }
    }
}
