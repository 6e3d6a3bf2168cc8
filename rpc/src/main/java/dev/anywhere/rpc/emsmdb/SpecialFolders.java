package dev.anywhere.rpc.emsmdb;

import dev.anywhere.rpc.wire.Guids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The identity a mailbox without a message store still needs at logon, derived from the mailbox GUID alone so
 * that every logon to the same mailbox sees the same values (Outlook caches them in its profile and OST): the 13
 * special folder IDs in RopLogon's order and the replica GUID.
 *
 * <p>The replica ID is 1 (the mailbox's own replica, as in [MS-OXCSTOR]'s examples); the global counters are 13
 * consecutive values starting from a per-mailbox base taken from a SHA-256 of the GUID, so two mailboxes never
 * share folder IDs by accident and a client that confuses them notices.
 *
 * @see [MS-OXCSTOR] 2.2.1.1 RopLogon ROP
 */
public final class SpecialFolders {
    /** The replica ID of the mailbox's own replica. */
    public static final int REPLICA_ID = 1;
    /** The order RopLogon lists them in. */
    public static final List<String> NAMES = List.of("Root", "Deferred Action", "Spooler Queue", "IPM Subtree",
            "Inbox", "Outbox", "Sent Items", "Deleted Items", "Common Views", "Schedule", "Finder", "Views", "Shortcuts");

    private SpecialFolders() {
    }

    /** The 13 folder IDs of the mailbox {@code mailboxGuid}. */
    public static List<FolderId> of(UUID mailboxGuid) {
        byte[] h = digest("folders", mailboxGuid);
        long base = 0;
        for (int i = 0; i < 5; i++) {
            base = base << 8 | (h[i] & 0xff);
        }
        base = (base << 8) + 1; // 48 bits, the low byte left for the 13 folders (1..13)
        List<FolderId> ids = new ArrayList<>(NAMES.size());
        for (int i = 0; i < NAMES.size(); i++) {
            ids.add(new FolderId(REPLICA_ID, base + i));
        }
        return List.copyOf(ids);
    }

    /** The replica GUID of the mailbox {@code mailboxGuid}: a version-4-shaped UUID from its SHA-256. */
    public static UUID replicaGuid(UUID mailboxGuid) {
        byte[] h = digest("replica", mailboxGuid);
        h[6] = (byte) (h[6] & 0x0f | 0x40);
        h[8] = (byte) (h[8] & 0x3f | 0x80);
        return Guids.fromBytes(java.util.Arrays.copyOf(h, 16));
    }

    private static byte[] digest(String purpose, UUID guid) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(purpose.getBytes(StandardCharsets.US_ASCII));
            sha.update(Guids.toBytes(guid));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
