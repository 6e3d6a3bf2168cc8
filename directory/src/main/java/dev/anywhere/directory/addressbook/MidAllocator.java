package dev.anywhere.directory.addressbook;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out minimal entry IDs by object GUID: the same object keeps its MId across snapshots for the life of the
 * process, so a client's table position and explicit tables stay valid while the address book refreshes. MIds are
 * never reused; an object deleted and re-created with a new GUID gets a new one.
 *
 * @see [MS-OXNSPI] 2.2.9.1 MinimalEntryID (valid within one NSPI session)
 */
public final class MidAllocator {
    private final ConcurrentHashMap<UUID, Integer> mids = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger(AddressBook.FIRST_MID);

    public int midFor(UUID objectGuid) {
        return mids.computeIfAbsent(objectGuid, g -> next.getAndIncrement());
    }
}
