package dev.anywhere.directory.addressbook;

import dev.anywhere.directory.model.ExchangeServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An immutable snapshot of the directory's recipients, servers and address lists: what the address book (NSPI) and
 * the store (EMSMDB) look up while a call runs on an event loop, so that no lookup waits on LDAP.
 * {@link AddressBookService} builds a new one off the event loop and swaps it in whole.
 *
 * <p>Lookups by legacyExchangeDN and SMTP address are case-insensitive, as Exchange's are. Hidden recipients are found
 * by legacyExchangeDN, GUID and MId (a user must still reach his own mailbox) but are in no {@link AddressList} and in
 * no distribution list's {@link Recipient#members()}.
 */
public final class AddressBook {

    /** The global address list's container ID: MS-OXNSPI sends 0 for the GAL ([MS-OXNSPI] 3.1.4.1.1). */
    public static final int GAL_MID = 0;
    /** The first MId handed out; 0..15 are the spec's reserved values (MID_BEGINNING_OF_TABLE, MID_END_OF_TABLE…). */
    public static final int FIRST_MID = 0x10;

    private static final AddressBook EMPTY = new AddressBook(List.of(), List.of(), List.of(), Instant.EPOCH);

    private final List<Recipient> recipients;
    private final List<AddressList> addressLists;
    private final List<ExchangeServer> servers;
    private final Instant loadedAt;
    private final Map<Integer, Recipient> byMid = new HashMap<>();
    private final Map<String, Recipient> byLegacyDn = new HashMap<>();
    private final Map<String, Recipient> bySmtp = new HashMap<>();
    private final Map<UUID, Recipient> byGuid = new HashMap<>();
    private final Map<Integer, AddressList> listsByMid = new HashMap<>();
    private final Map<Integer, List<Integer>> memberOf = new HashMap<>();

    /**
     * @param recipients every recipient, hidden ones included
     * @param addressLists the GAL first, then the address lists, in hierarchy order
     * @param servers every server of the site
     * @param loadedAt when the directory was read
     */
    public AddressBook(List<Recipient> recipients, List<AddressList> addressLists, List<ExchangeServer> servers,
            Instant loadedAt) {
        this.recipients = List.copyOf(recipients);
        this.addressLists = List.copyOf(addressLists);
        this.servers = List.copyOf(servers);
        this.loadedAt = Objects.requireNonNull(loadedAt, "loadedAt");
        for (Recipient r : this.recipients) {
            byMid.put(r.mid(), r);
            byGuid.put(r.objectGuid(), r);
            if (!r.legacyExchangeDn().isEmpty()) {
                byLegacyDn.putIfAbsent(key(r.legacyExchangeDn()), r);
            }
            for (String address : r.smtpAddresses()) {
                bySmtp.putIfAbsent(key(address), r);
            }
        }
        for (AddressList l : this.addressLists) {
            listsByMid.put(l.mid(), l);
        }
        // The back-link of members (AD's memberOf), for visible distribution lists only, in display-name order.
        for (Recipient r : this.recipients) {
            if (r.distributionList() && !r.hidden()) {
                for (int member : r.members()) {
                    memberOf.computeIfAbsent(member, m -> new ArrayList<>()).add(r.mid());
                }
            }
        }
        memberOf.replaceAll((m, lists) -> List.copyOf(lists));
    }

    /** The snapshot before the directory was first read: no recipients, no lists. */
    public static AddressBook empty() {
        return EMPTY;
    }

    /** Every recipient, hidden ones included, in display-name order. */
    public List<Recipient> recipients() {
        return recipients;
    }

    /** The GAL first, then the address lists. */
    public List<AddressList> addressLists() {
        return addressLists;
    }

    /** The global address list; an empty one if the directory has none. */
    public AddressList globalAddressList() {
        return listsByMid.getOrDefault(GAL_MID, new AddressList(GAL_MID, "", new UUID(0, 0), "", true, List.of()));
    }

    public Optional<AddressList> addressList(int containerMid) {
        return Optional.ofNullable(listsByMid.get(containerMid));
    }

    public List<ExchangeServer> servers() {
        return servers;
    }

    /** A server by short name, case-insensitive. */
    public Optional<ExchangeServer> server(String name) {
        return servers.stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
    }

    public Optional<Recipient> byMid(int mid) {
        return Optional.ofNullable(byMid.get(mid));
    }

    public Optional<Recipient> byLegacyDn(String legacyDn) {
        return Optional.ofNullable(byLegacyDn.get(key(legacyDn)));
    }

    /** By any of the recipient's SMTP addresses (primary or proxy). */
    public Optional<Recipient> bySmtpAddress(String address) {
        return Optional.ofNullable(bySmtp.get(key(address)));
    }

    public Optional<Recipient> byObjectGuid(UUID guid) {
        return Optional.ofNullable(byGuid.get(guid));
    }

    /**
     * The visible distribution lists {@code mid} is a direct member of, as MIds in display-name order.
     *
     * @see Recipient#members()
     */
    public List<Integer> memberOf(int mid) {
        return memberOf.getOrDefault(mid, List.of());
    }

    /** When the directory was read for this snapshot. */
    public Instant loadedAt() {
        return loadedAt;
    }

    /** The recipients of a container in its order (the MIds of {@link AddressList#members()} resolved). */
    public List<Recipient> members(AddressList list) {
        List<Recipient> out = new ArrayList<>(list.members().size());
        for (int mid : list.members()) {
            out.add(byMid.get(mid));
        }
        return out;
    }

    /** The address-book order: display name, case-insensitive, then MId for equal names. */
    public static final Comparator<Recipient> DISPLAY_ORDER = Comparator
            .comparing((Recipient r) -> r.displayName().toLowerCase(Locale.ROOT)).thenComparingInt(Recipient::mid);

    private static String key(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
