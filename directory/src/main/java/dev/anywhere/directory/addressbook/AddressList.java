package dev.anywhere.directory.addressbook;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A container of the address book hierarchy: the global address list or one of the address lists.
 *
 * @param mid the container ID NSPI uses ({@link AddressBook#GAL_MID} for the global address list)
 * @param dn the {@code addressBookContainer}'s DN
 * @param objectGuid its GUID (PR_ENTRYID of the hierarchy row carries it)
 * @param displayName {@code displayName}, else its CN
 * @param global true for the global address list
 * @param members MIds of the visible recipients its {@code purportedSearch} selects, in display-name order
 */
public record AddressList(int mid, String dn, UUID objectGuid, String displayName, boolean global, List<Integer> members) {

    public AddressList {
        Objects.requireNonNull(dn, "dn");
        Objects.requireNonNull(objectGuid, "objectGuid");
        Objects.requireNonNull(displayName, "displayName");
        members = List.copyOf(members);
    }
}
