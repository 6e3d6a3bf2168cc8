package dev.anywhere.directory.slapd;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import dev.anywhere.directory.addressbook.AddressBook;
import dev.anywhere.directory.addressbook.LdapAddressBookLoader;
import dev.anywhere.directory.addressbook.MidAllocator;
import dev.anywhere.directory.ldap.AddressBookSeed;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.testing.SlapdServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The address book read from OpenLDAP slapd as the service account, with more recipients than slapd answers anyone
 * but its rootdn by default (olcSizeLimit 500): the lab's DC1 must let the service account read them all.
 */
class SlapdAddressBookTest {

    private static final String PASSWORD = "Secret-1";

    @TempDir
    Path dir;

    @Test
    void theServiceAccountReadsMoreRecipientsThanSlapdsDefaultSizeLimit() throws Exception {
        SlapdServer.assumeAvailable();
        int generated = 600;
        try (SlapdServer slapd = SlapdServer.start(dir, SiteSeed.frankysweb(PASSWORD));
                LdapSiteDirectory dc1 = LdapSiteDirectory.connect(slapd.serviceSettings(PASSWORD))) {
            for (Entry e : AddressBookSeed.generatedRecipients(slapd.layout(), 0, generated)) {
                try {
                    dc1.ldap().add(e);
                } catch (LDAPException exists) {
                    assertThat(exists.getResultCode()).isEqualTo(ResultCode.ENTRY_ALREADY_EXISTS); // the seeded 300
                }
            }
            AddressBook book = new LdapAddressBookLoader(dc1).load(new MidAllocator());
            assertThat(book.members(book.globalAddressList())).hasSize(4 + generated + 1);
            // room for a GAL of 10,000 and more (back_mdb's default map of 10 MiB is too small for it)
            assertThat(java.nio.file.Files.readString(dir.resolve("config.ldif"))).contains("olcDbMaxSize: 1073741824");
        }
    }
}
