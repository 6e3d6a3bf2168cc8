package dev.anywhere.server.emsmdb;

import java.util.Optional;

/**
 * Looks up mailboxes for the store endpoint. Called on the event loop, so implementations answer from memory (an
 * address-book snapshot refreshed elsewhere) and never wait on the directory.
 */
@FunctionalInterface
public interface MailboxDirectory {

    /** The mailbox whose {@code legacyExchangeDN} is {@code legacyDn}, case-insensitive. */
    Optional<MailboxIdentity> byLegacyDn(String legacyDn);
}
