package dev.anywhere.directory.addressbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.directory.embedded.EmbeddedDirectory;
import dev.anywhere.directory.ldap.AddressBookSeed;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LdapAddressBookLoaderTest {

    @TempDir
    static Path dataDir;

    private static EmbeddedDirectory embedded;
    private static LdapSiteDirectory directory;
    private static AddressBookService service;
    private static AddressBook book;

    @BeforeAll
    static void seedAndLoad() throws Exception {
        embedded = EmbeddedDirectory.start(dataDir, InetAddress.getLoopbackAddress(), 0, SiteSeed.frankysweb("Pa55-word!"));
        directory = embedded.connect("Pa55-word!");
        service = AddressBookService.start(new LdapAddressBookLoader(directory), Duration.ofSeconds(30), Duration.ZERO);
        book = service.refresh().get();
    }

    @AfterAll
    static void stop() {
        service.close();
        directory.close();
        embedded.close();
    }

    @Test
    void theGalHoldsTheStoryAndTheGeneratedMailboxesInDisplayNameOrderButNotTheHiddenOne() {
        AddressList gal = book.globalAddressList();
        assertThat(gal.mid()).isEqualTo(AddressBook.GAL_MID);
        assertThat(gal.displayName()).isEqualTo("Default Global Address List");
        List<Recipient> members = book.members(gal);
        assertThat(members).hasSize(4 + AddressBookSeed.GENERATED_RECIPIENTS + 1); // + the distribution list
        assertThat(members).extracting(Recipient::displayName).contains("Franky Weber", "Hanna Heim", "Max Extern",
                AddressBookSeed.DISTRIBUTION_LIST).doesNotContain("Discovery Search Mailbox");
        assertThat(members).isSortedAccordingTo(AddressBook.DISPLAY_ORDER);
    }

    @Test
    void addressListsSelectByTheirFilter() {
        assertThat(book.addressLists()).extracting(AddressList::displayName)
                .containsExactly("Default Global Address List", "All Users", "Sales");
        AddressList sales = book.addressLists().get(2);
        assertThat(sales.mid()).isGreaterThanOrEqualTo(AddressBook.FIRST_MID);
        assertThat(book.members(sales)).isNotEmpty().allSatisfy(r -> assertThat(r.department()).contains("Sales"));
        AddressList allUsers = book.addressLists().get(1);
        assertThat(book.members(allUsers)).extracting(Recipient::displayName).doesNotContain("Max Extern"); // no homeMDB
    }

    @Test
    void theDistributionListHoldsItsVisibleMembersInDisplayNameOrder() throws Exception {
        Recipient list = book.bySmtpAddress(AddressBookSeed.DISTRIBUTION_LIST_ALIAS + "@frankysweb.org").orElseThrow();
        assertThat(list.distributionList()).isTrue();
        assertThat(list.displayName()).isEqualTo(AddressBookSeed.DISTRIBUTION_LIST);
        assertThat(list.hasMailbox()).isFalse();
        assertThat(list.objectSid()).isPresent();
        List<Recipient> members = list.members().stream().map(m -> book.byMid(m).orElseThrow()).toList();
        assertThat(members).extracting(Recipient::alias).contains("franky", "hanna", "max").hasSize(6)
                .doesNotContain(AddressBookSeed.HIDDEN_ALIAS);
        Recipient hidden = book.recipients().stream().filter(Recipient::hidden).findFirst().orElseThrow();
        assertThat(directory.ldap().getEntry(list.dn(), "member").getAttributeValues("member"))
                .hasSize(7).contains(hidden.dn()); // in the directory the hidden mailbox is a member too
        assertThat(members).isSortedAccordingTo(AddressBook.DISPLAY_ORDER).noneMatch(Recipient::hidden);
        Recipient franky = book.bySmtpAddress("franky@frankysweb.org").orElseThrow();
        assertThat(book.memberOf(franky.mid())).containsExactly(list.mid());
        assertThat(franky.distributionList()).isFalse();
        assertThat(franky.members()).isEmpty();
        assertThat(book.members(book.addressLists().get(1))).doesNotContain(list); // All Users: mailboxes only
    }

    @Test
    void theHiddenMailboxIsFoundByLegacyDnAndGuid() {
        Recipient hidden = book.recipients().stream().filter(Recipient::hidden).findFirst().orElseThrow();
        assertThat(hidden.alias()).isEqualTo(AddressBookSeed.HIDDEN_ALIAS);
        assertThat(book.byLegacyDn(hidden.legacyExchangeDn().toUpperCase())).contains(hidden);
        assertThat(book.byObjectGuid(hidden.objectGuid())).contains(hidden);
    }

    @Test
    void frankyCarriesWhatLogonAndTheAddressBookNeed() {
        Recipient franky = book.bySmtpAddress("FRANKY@frankysweb.org").orElseThrow();
        assertThat(franky.legacyExchangeDn())
                .isEqualTo("/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=franky");
        assertThat(franky.mid()).isGreaterThanOrEqualTo(AddressBook.FIRST_MID);
        assertThat(book.byMid(franky.mid())).contains(franky);
        assertThat(franky.objectGuid()).isEqualTo(AddressBookSeed.objectGuid(franky.dn()));
        assertThat(franky.mailboxGuid()).isPresent();
        assertThat(franky.objectSid().orElseThrow().toString()).startsWith("S-1-5-21-").endsWith("-1102");
        assertThat(franky.homeServer()).contains("EX1");
        assertThat(franky.homeDatabaseLegacyDn()).contains("/o=First Organization/ou=Exchange Administrative Group "
                + "(FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=EX1/cn=Microsoft Private MDB");
        assertThat(franky.hasMailbox()).isTrue();
        Recipient max = book.bySmtpAddress("max@frankysweb.org").orElseThrow();
        assertThat(max.hasMailbox()).isFalse();
        assertThat(max.mailboxGuid()).isEmpty();
        assertThat(book.server("ex1")).isPresent();
    }

    @Test
    void midsStayTheSameAcrossRefreshes() throws Exception {
        AddressBook again = service.refresh().get();
        assertThat(again).isNotSameAs(book);
        for (Recipient r : book.recipients()) {
            assertThat(again.byObjectGuid(r.objectGuid()).orElseThrow().mid()).isEqualTo(r.mid());
        }
        assertThat(again.byObjectGuid(UUID.randomUUID())).isEmpty();
    }

    /** A directory that went away mid-service: the failed search is keyed (the LDAP SDK's result code as a value), transient. */
    @Test
    void aFailedSearchIsAKeyedTransientFailure(@TempDir Path other) {
        EmbeddedDirectory gone = EmbeddedDirectory.start(other, InetAddress.getLoopbackAddress(), 0, SiteSeed.frankysweb("Pa55-word!"));
        LdapSiteDirectory connected = gone.connect("Pa55-word!");
        try {
            gone.close();
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> new LdapAddressBookLoader(connected).load(new MidAllocator()));
            assertThat(t).isInstanceOf(dev.anywhere.directory.DirectoryException.class);
            dev.anywhere.directory.DirectoryException e = (dev.anywhere.directory.DirectoryException) t;
            assertThat(e.transientFailure()).isTrue();
            assertThat(e.text().orElseThrow().key()).isEqualTo(dev.anywhere.directory.DirectoryText.Key.ADDRESS_BOOK_SEARCH);
            assertThat(e.text().orElseThrow().values()).containsEntry("base", connected.layout().domainDn());
            assertThat(e).hasMessageStartingWith("address book: search " + connected.layout().domainDn() + ": ");
        } finally {
            connected.close();
        }
    }
}

