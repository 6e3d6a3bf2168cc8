package dev.anywhere.analyzer.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.rpc.rfr.RfrCalls;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The referral service's return codes as results in words, and the home server's DN from the home database's. */
class ReferralTest {

    @Test
    void everyCodeIsAnOutcomeInWords() {
        Referral.Answer found = new Referral.Answer(Optional.of("ex1.frankysweb.local"), 0);
        assertThat(found.found()).isTrue();
        assertThat(found.outcome()).isEqualTo(Referral.Outcome.FOUND);
        assertThat(found.describe()).isEqualTo("ex1.frankysweb.local");
        assertThat(new Referral.Answer(Optional.empty(), RfrCalls.NOT_FOUND).describe())
                .isEqualTo("NotFound(0x8004010f): no Exchange server has that DN");
        assertThat(new Referral.Answer(Optional.empty(), RfrCalls.INVALID_PARAMETER).describe())
                .isEqualTo("InvalidParameter(0x80070057): not a server DN (/o=…/ou=…/cn=Configuration/cn=Servers/cn=NAME)");
        assertThat(new Referral.Answer(Optional.empty(), RfrCalls.LOGON_FAILED).outcome()).isEqualTo(Referral.Outcome.LOGON_FAILED);
        assertThat(new Referral.Answer(Optional.empty(), RfrCalls.NO_ACCESS).describe())
                .isEqualTo("AccessDenied(0x80070005): the referral service denied access");
        Referral.Answer other = new Referral.Answer(Optional.empty(), 0x80040115);
        assertThat(other.found()).isFalse();
        assertThat(other.describe()).isEqualTo("Failed(0x80040115): the referral service failed");
        // the meaning in the report's language; the status name and the code as the protocol names them
        assertThat(new Referral.Answer(Optional.empty(), RfrCalls.NO_ACCESS).describe(Messages.of("de")))
                .isEqualTo("AccessDenied(0x80070005): der Verweisdienst hat den Zugriff verweigert");
        assertThat(found.describe(Messages.of("de"))).isEqualTo("ex1.frankysweb.local");
    }

    @Test
    void theHomeServerDnIsTheDatabaseDnUpToTheServer() {
        String server = "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=EX1";
        AddressBookClient.Entry e = new AddressBookClient.Entry("Franky", "franky@frankysweb.org", "franky", "/o=x/cn=franky");
        assertThat(new AddressBookClient.Mailbox(16, e, Optional.of(server + "/cn=Microsoft Private MDB")).homeServerDn())
                .contains(server);
        assertThat(new AddressBookClient.Mailbox(16, e, Optional.of(server.toUpperCase())).homeServerDn()).contains(server.toUpperCase());
        assertThat(new AddressBookClient.Mailbox(16, e, Optional.of("/o=x/cn=Servers/cn=")).homeServerDn()).isEmpty();
        assertThat(new AddressBookClient.Mailbox(16, e, Optional.of("/o=x/cn=Recipients/cn=db")).homeServerDn()).isEmpty();
        assertThat(new AddressBookClient.Mailbox(16, e, Optional.empty()).homeServerDn()).isEmpty();
    }
}
