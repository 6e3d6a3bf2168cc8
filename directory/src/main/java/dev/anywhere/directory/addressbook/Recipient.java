package dev.anywhere.directory.addressbook;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One mail-enabled object of the address book, with what NSPI serves and EMSMDB needs to log on: a mailbox, a mail
 * user, or a distribution list (a mail-enabled {@code group}) with its members.
 *
 * @param mid the minimal entry ID: small, {@code >= 0x10}, stable for the life of the process ([MS-OXNSPI] 2.2.9.1)
 * @param dn the directory DN
 * @param objectGuid {@code objectGUID} (or the server's {@code entryUUID} where absent)
 * @param displayName {@code displayName}
 * @param alias {@code mailNickname}, else {@code sAMAccountName}
 * @param primarySmtpAddress the {@code SMTP:} proxy address, else {@code mail}
 * @param proxyAddresses {@code proxyAddresses} as stored, prefixes included ({@code SMTP:}, {@code smtp:}, {@code X500:})
 * @param legacyExchangeDn {@code legacyExchangeDN}
 * @param objectSid {@code objectSid}
 * @param mailboxGuid {@code msExchMailboxGuid}; empty for mail users without a mailbox here
 * @param homeServer short name of {@code msExchHomeServerName}'s server
 * @param homeServerLegacyDn {@code msExchHomeServerName}
 * @param homeDatabaseDn {@code homeMDB}
 * @param homeDatabaseLegacyDn the database's legacy DN (the home server's, then {@code /cn=Microsoft Private MDB})
 * @param targetAddress a mail user's external address ({@code targetAddress} without its prefix)
 * @param hidden {@code msExchHideFromAddressLists}: in no table, not found by ambiguous name resolution
 * @param title {@code title}
 * @param department {@code ou}
 * @param created {@code createTimestamp}
 * @param changed {@code modifyTimestamp}
 * @param distributionList a mail-enabled group (DT_DISTLIST) rather than a user
 * @param members a distribution list's {@code member} values that are recipients visible in the address book, as MIds
 *     in display-name order (hidden members and members that are no recipients are left out); empty for users
 */
public record Recipient(int mid, String dn, UUID objectGuid, String displayName, String alias,
        String primarySmtpAddress, List<String> proxyAddresses, String legacyExchangeDn, Optional<Sid> objectSid,
        Optional<UUID> mailboxGuid, Optional<String> homeServer, Optional<String> homeServerLegacyDn,
        Optional<String> homeDatabaseDn, Optional<String> homeDatabaseLegacyDn, Optional<String> targetAddress,
        boolean hidden, Optional<String> title, Optional<String> department, Optional<Instant> created,
        Optional<Instant> changed, boolean distributionList, List<Integer> members) {

    public Recipient {
        Objects.requireNonNull(dn, "dn");
        Objects.requireNonNull(objectGuid, "objectGuid");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(primarySmtpAddress, "primarySmtpAddress");
        proxyAddresses = List.copyOf(proxyAddresses);
        Objects.requireNonNull(legacyExchangeDn, "legacyExchangeDn");
        Objects.requireNonNull(objectSid, "objectSid");
        Objects.requireNonNull(mailboxGuid, "mailboxGuid");
        Objects.requireNonNull(homeServer, "homeServer");
        Objects.requireNonNull(homeServerLegacyDn, "homeServerLegacyDn");
        Objects.requireNonNull(homeDatabaseDn, "homeDatabaseDn");
        Objects.requireNonNull(homeDatabaseLegacyDn, "homeDatabaseLegacyDn");
        Objects.requireNonNull(targetAddress, "targetAddress");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(department, "department");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(changed, "changed");
        members = List.copyOf(members);
        if (!distributionList && !members.isEmpty()) {
            throw new IllegalArgumentException("members of " + dn + ": " + members.size() + " (expected: none, not a"
                    + " distribution list)");
        }
    }

    /** This distribution list with {@code mids} as its members (MIds in display-name order). */
    public Recipient withMembers(List<Integer> mids) {
        return new Recipient(mid, dn, objectGuid, displayName, alias, primarySmtpAddress, proxyAddresses, legacyExchangeDn,
                objectSid, mailboxGuid, homeServer, homeServerLegacyDn, homeDatabaseDn, homeDatabaseLegacyDn, targetAddress,
                hidden, title, department, created, changed, distributionList, mids);
    }

    /** True for a mailbox on one of our servers; false for a mail user that points elsewhere. */
    public boolean hasMailbox() {
        return homeServer.isPresent() && targetAddress.isEmpty();
    }

    /** Every SMTP address (primary first), without prefixes. */
    public List<String> smtpAddresses() {
        List<String> out = new java.util.ArrayList<>();
        out.add(primarySmtpAddress);
        for (String p : proxyAddresses) {
            if (p.regionMatches(true, 0, "smtp:", 0, 5) && !p.substring(5).equalsIgnoreCase(primarySmtpAddress)) {
                out.add(p.substring(5));
            }
        }
        return List.copyOf(out);
    }
}
