package dev.anywhere.server.emsmdb;

import dev.anywhere.directory.addressbook.AddressBook;
import dev.anywhere.directory.addressbook.Recipient;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The store endpoint's mailboxes from the address-book snapshot the address book endpoint serves (refreshed off the
 * event loop by {@code AddressBookService}; {@code service::current} never blocks). Only recipients with a mailbox
 * on one of our servers and a {@code msExchMailboxGuid} can log on.
 *
 * <p>The owner's account is the recipient's alias ({@code mailNickname}, else {@code sAMAccountName}): the snapshot
 * carries no separate logon name, so a mailbox whose alias differs from its sAMAccountName is refused with
 * ecAccessDenied.
 */
public final class AddressBookMailboxes implements MailboxDirectory {
    private final Supplier<AddressBook> book;

    public AddressBookMailboxes(Supplier<AddressBook> book) {
        this.book = Objects.requireNonNull(book, "book");
    }

    @Override
    public Optional<MailboxIdentity> byLegacyDn(String legacyDn) {
        return book.get().byLegacyDn(legacyDn).filter(Recipient::hasMailbox).flatMap(AddressBookMailboxes::identity);
    }

    private static Optional<MailboxIdentity> identity(Recipient r) {
        return r.mailboxGuid().map(guid -> new MailboxIdentity(r.legacyExchangeDn(), r.alias(), r.displayName(), guid,
                r.homeServer().orElseThrow(), r.homeServerLegacyDn().orElse("")));
    }
}
