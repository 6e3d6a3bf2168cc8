package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anywhere.analyzer.rpch.AddressBookClient;
import dev.anywhere.directory.addressbook.AddressBook;
import dev.anywhere.directory.addressbook.AddressBookService;
import dev.anywhere.directory.addressbook.Recipient;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.testing.SecuredRpcSite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code anywhere addressbook} through the real gateway (plain HTTP, NTLM) to real endpoints serving NSPI from the
 * seeded directory (story users, 300 generated mailboxes, a hidden one, the GAL, All Users and Sales), sealed at
 * PKT_PRIVACY. Binds loopback ports chosen by the system; run under {@code flock /tmp/anywhere-ports.lock} with the
 * other cli tests.
 */
class AddressBookCommandTest extends CommandTestBase {

    static final String PASSWORD = "Secret-1";
    static final String USER = "FRANKYSWEB\\franky";

    @TempDir
    static Path dir;

    static SecuredRpcSite site;
    static AddressBookService addressBook;

    private String password = PASSWORD;

    @BeforeAll
    static void start() throws Exception {
        site = SecuredRpcSite.in(dir).withAddressBook(PASSWORD).schemes(HttpAuthScheme.NTLM)
                .validPorts(port -> List.of(6004)).translating(6004).start();
        addressBook = site.addressBook();
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    @AfterEach
    void environment() {
        RpchConnectionOptions.environment = System::getenv;
        AddressBookCommand.progressNanos = 2_000_000_000L;
        AddressBookCommand.page = AddressBookClient.PAGE;
    }

    private int book(String... args) {
        RpchConnectionOptions.environment = Map.of("AB_PW", password)::get;
        int port = site.gateway().address().getPort();
        List<String> all = new ArrayList<>(List.of("addressbook", "oa.frankysweb.org:" + port, "--no-tls",
                "--resolve-proxy", "oa.frankysweb.org:" + port + ":127.0.0.1", "--server", "EX1", "--user", USER,
                "--password-env", "AB_PW"));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    @Test
    void listTablesShowsTheGalAndTheThreeListsWithTheirRows() {
        assertThat(book("--list-tables")).as(err).isZero();
        AddressBook b = addressBook.current();
        assertThat(b.addressLists()).extracting(l -> l.displayName()).contains("All Users", "Sales");
        for (var list : b.addressLists()) {
            assertThat(out).containsPattern("(?m)^" + java.util.regex.Pattern.quote(list.displayName()) + " +"
                    + (list.global() ? "0 \\(GAL\\)" : "\\d+") + " +" + list.members().size() + "$");
        }
        assertThat(out).startsWith("addressbook: oa.frankysweb.org:" + site.gateway().address().getPort()
                + " (http) -> EX1:6004, ntlm, rpc auth privacy as FRANKYSWEB\\franky" + System.lineSeparator())
                .contains(b.addressLists().size() + " tables").doesNotContain(PASSWORD);
        assertThat(err).isEmpty();
    }

    @Test
    void dumpGalListsEveryVisibleSeededMailboxInOrder() throws Exception {
        assertThat(book("--dump", "GAL", "--format", "json")).as(err).isZero();
        AddressBook b = addressBook.current();
        List<Recipient> gal = b.members(b.globalAddressList());
        assertThat(gal.size()).isGreaterThan(300);
        JsonNode json = new ObjectMapper().readTree(out);
        assertThat(json.get("count").asInt()).isEqualTo(gal.size());
        JsonNode entries = json.get("entries");
        assertThat(entries).hasSize(gal.size());
        for (int i = 0; i < gal.size(); i++) {
            Recipient r = gal.get(i);
            JsonNode e = entries.get(i);
            assertThat(e.get("displayName").asText()).isEqualTo(r.displayName());
            assertThat(e.get("smtpAddress").asText()).isEqualTo(r.primarySmtpAddress());
            assertThat(e.get("account").asText()).isEqualTo(r.alias());
            assertThat(e.get("legacyExchangeDn").asText()).isEqualTo(r.legacyExchangeDn());
        }
        assertThat(b.recipients()).anyMatch(Recipient::hidden);
        assertThat(out).doesNotContain("DiscoverySearchMailbox");
    }

    @Test
    void dumpAsTextIsATableWithTheRowCount() {
        assertThat(book("--dump", "sales")).as(err).isZero();
        AddressBook b = addressBook.current();
        var sales = b.addressLists().stream().filter(l -> l.displayName().equals("Sales")).findFirst().orElseThrow();
        assertThat(out).containsPattern("(?m)^Display name +SMTP address +Account +legacyExchangeDN$")
                .endsWith(sales.members().size() + " rows in Sales" + System.lineSeparator());
        for (Recipient r : b.members(sales)) {
            assertThat(out).containsPattern("(?m)^" + java.util.regex.Pattern.quote(r.displayName()) + " +"
                    + java.util.regex.Pattern.quote(r.primarySmtpAddress()) + " +" + java.util.regex.Pattern.quote(r.alias())
                    + " +" + java.util.regex.Pattern.quote(r.legacyExchangeDn()) + "$");
        }
    }

    @Test
    void aSlowDumpSaysItsProgressOnStderr() {
        AddressBookCommand.progressNanos = 0;
        AddressBookCommand.page = 100;
        assertThat(book("--dump", "GAL")).as(err).isZero();
        AddressBook b = addressBook.current();
        int total = b.members(b.globalAddressList()).size();
        assertThat(err).isEqualTo("addressbook: 100 of " + total + " rows" + System.lineSeparator() + "addressbook: 200 of "
                + total + " rows" + System.lineSeparator() + "addressbook: 300 of " + total + " rows" + System.lineSeparator());
        assertThat(out).endsWith(total + " rows in " + b.globalAddressList().displayName() + System.lineSeparator());
        AddressBookCommand.progressNanos = Long.MAX_VALUE;
        assertThat(book("--dump", "GAL")).isZero();
        assertThat(err).as("dumps faster than the threshold stay quiet").isEmpty();
    }

    @Test
    void resolveFindsFrankyAndNotTheHiddenMailbox() {
        assertThat(book("--resolve", "franky")).as(err).isZero();
        Recipient franky = addressBook.current().recipients().stream().filter(r -> r.alias().equals("franky")).findFirst()
                .orElseThrow();
        assertThat(out).contains(franky.primarySmtpAddress(), franky.legacyExchangeDn(),
                "franky: resolved to " + franky.displayName());
        Recipient hidden = addressBook.current().recipients().stream().filter(Recipient::hidden).findFirst().orElseThrow();
        assertThat(book("--resolve", hidden.alias())).isEqualTo(1);
        assertThat(out).endsWith(hidden.alias() + ": not found" + System.lineSeparator()).doesNotContain(hidden.legacyExchangeDn());
    }

    @Test
    void aWrongPasswordIsOneClearLine() {
        password = "not-the-password";
        assertThat(book("--list-tables")).isEqualTo(1);
        assertThat(err).isEqualTo("addressbook: http: IN channel request: 401 Unauthorized, credentials for FRANKYSWEB\\franky"
                + " refused (offers: NTLM)" + System.lineSeparator());
        assertThat(out + err).doesNotContain("not-the-password");
    }

    @Test
    void anUnknownTableIsNamed() {
        assertThat(book("--dump", "Marketing")).isEqualTo(1);
        assertThat(err).isEqualTo("addressbook: call: no table 'Marketing' in the hierarchy (expected: GAL or a name"
                + " --list-tables shows)" + System.lineSeparator());
    }

    @Test
    void usageErrors() {
        assertThat(run("addressbook", "oa.frankysweb.org", "--server", "EX1", "--user", USER)).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: expected exactly one of --list-tables, --dump NAME, --resolve NAME"
                + System.lineSeparator());
        assertThat(run("addressbook", "oa.frankysweb.org", "--server", "EX1", "--list-tables", "--dump", "GAL")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: expected exactly one of --list-tables, --dump NAME, --resolve NAME"
                + System.lineSeparator());
        assertThat(run("addressbook", "oa.frankysweb.org", "--server", "EX1", "--list-tables", "--format", "xml")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --format: 'xml' (expected: text or json)" + System.lineSeparator());
        assertThat(run("addressbook", "oa.frankysweb.org", "--server", "EX1", "--list-tables", "--rpc-auth", "none")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --rpc-auth none (expected: connect, integrity or privacy; the address book"
                + " refuses anonymous callers)" + System.lineSeparator());
        assertThat(run("addressbook", "oa.frankysweb.org", "--server", "EX1", "--list-tables")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: addressbook needs --user DOMAIN\\user" + System.lineSeparator());
        RpchConnectionOptions.environment = Map.<String, String>of()::get;
        assertThat(run("addressbook", "oa.frankysweb.org", "--server", "EX1", "--list-tables", "--user", USER,
                "--password-env", "NOPE")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: no password: set the environment variable NOPE (passwords are never taken on"
                + " the command line)" + System.lineSeparator());
        RpchConnectionOptions.environment = Map.of("AB_PW", PASSWORD)::get;
        assertThat(run("addressbook", "oa.frankysweb.org:0", "--server", "EX1", "--list-tables", "--user", USER,
                "--password-env", "AB_PW")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: ADDRESS: port '0' (expected: 1..65535)" + System.lineSeparator());
        assertThat(run("addressbook", "oa.frankysweb.org", "--server", "EX1", "--list-tables", "--user", USER,
                "--password-env", "AB_PW", "--resolve-proxy", "other:443:127.0.0.1")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --resolve-proxy: other:443 (expected: oa.frankysweb.org:443, the proxy it"
                + " overrides)" + System.lineSeparator());
    }

    @Test
    void theHelpIsEnglishOrGermanByLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.ENGLISH);
            assertThat(run("addressbook", "--help")).isZero();
            assertThat(out).contains("Show what Outlook's address book sees").contains("Resolve NAME as Outlook's Check Names")
                    .contains(RpcPingCommandTest.SERVER_EN);
            java.util.Locale.setDefault(java.util.Locale.GERMAN);
            assertThat(run("addressbook", "--help")).isZero();
            assertThat(out).contains("Zeigt, was das Adressbuch von Outlook sieht").contains("NAME auflösen")
                    .contains(RpcPingCommandTest.SERVER_DE);
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
