package dev.anywhere.server.emsmdb;

import java.util.Objects;
import java.util.UUID;

/**
 * What a mailbox logon needs to know about a mailbox: no message store, only its identity.
 *
 * @param legacyExchangeDn {@code legacyExchangeDN}, what szUserDN and RopLogon's Essdn name
 * @param account the owner's logon name (sAMAccountName), compared with the authenticated caller's
 * @param displayName EcDoConnectEx's szDisplayName
 * @param mailboxGuid {@code msExchMailboxGuid}; the special folder IDs are derived from it
 * @param homeServer the short name of the server that holds the mailbox (EX1)
 * @param homeServerDn that server's {@code legacyExchangeDN}, what a redirect names
 */
public record MailboxIdentity(String legacyExchangeDn, String account, String displayName, UUID mailboxGuid,
        String homeServer, String homeServerDn) {

    public MailboxIdentity {
        Objects.requireNonNull(legacyExchangeDn, "legacyExchangeDn");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(mailboxGuid, "mailboxGuid");
        Objects.requireNonNull(homeServer, "homeServer");
        Objects.requireNonNull(homeServerDn, "homeServerDn");
    }
}
