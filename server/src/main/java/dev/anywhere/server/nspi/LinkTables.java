package dev.anywhere.server.nspi;

import dev.anywhere.directory.addressbook.AddressBook;
import dev.anywhere.directory.addressbook.Recipient;
import dev.anywhere.rpc.nspi.PropTags;
import java.util.List;
import java.util.Optional;

/**
 * The link properties the address book can open as tables (NspiGetMatches without a filter): a distribution list's
 * members (PidTagAddressBookMember, AD's {@code member}) and the lists an object is a member of
 * (PidTagAddressBookIsMemberOfDistributionList, AD's {@code memberOf}). Both hold only visible recipients, in
 * display-name order; hidden members stay hidden.
 *
 * @see [MS-OXNSPI] 3.1.4.1.10 (constraints 9 to 14), [MS-OXOABK] 2.2.6.1 PidTagAddressBookMember
 */
final class LinkTables {

    /** The link properties the server knows (for NspiModLinkAtt's "a proptag the server recognizes"). */
    static final List<Integer> LINK_TAGS = List.of(PropTags.EMS_AB_MEMBER, PropTags.EMS_AB_IS_MEMBER_OF_DL,
            PropTags.EMS_AB_PUBLIC_DELEGATES);

    private LinkTables() {
    }

    /**
     * The MIds the link property {@code tag} (any type; its ID decides) of {@code r} holds, or empty when the server
     * cannot locate objects from that property's values (NotSupported).
     */
    static Optional<List<Integer>> values(AddressBook b, Recipient r, int tag) {
        int id = PropTags.id(tag);
        if (id == PropTags.id(PropTags.EMS_AB_MEMBER)) {
            return Optional.of(r.members()); // a mailbox has none: an empty table, not an error
        }
        if (id == PropTags.id(PropTags.EMS_AB_IS_MEMBER_OF_DL)) {
            return Optional.of(b.memberOf(r.mid()));
        }
        return Optional.empty();
    }

    /** Whether {@code tag}'s property (by ID) is one of {@code known}. */
    static boolean known(int tag, List<Integer> known) {
        int id = PropTags.id(tag);
        return known.stream().anyMatch(t -> PropTags.id(t) == id);
    }
}
