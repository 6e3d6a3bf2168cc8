package dev.anywhere.server.nspi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.directory.addressbook.AddressBook;
import dev.anywhere.directory.addressbook.Recipient;
import dev.anywhere.rpc.testing.Peers;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.testing.SecuredRpcSite;
import dev.anywhere.server.testing.TestCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * impacket 0.10's unmodified {@code exchanger.py} against the address book through the gateway and RPC over HTTP
 * at PKT_PRIVACY, answered from the seeded directory (story users, 300 generated mailboxes, a hidden one, two address
 * lists): {@code nspi list-tables -count}, {@code dump-tables -name GAL} with every lookup type (each row checked
 * against the directory), {@code guid-known}, {@code dnt-lookup}. exchanger always asks the proxy for port 6004 on
 * port 443, so the gateway listens on 443 of its own loopback address (root; run under
 * {@code flock /tmp/anywhere-ports.lock}) and translates 6004 to the endpoints' port. Skipped without impacket
 * unless {@code CI=true}, where that is a failure.
 */
class NspiExchangerInteropTest {

    static final String EXCHANGER = "/usr/share/doc/python3-impacket/examples/exchanger.py";
    static final String GATEWAY_ADDRESS = "127.0.93.44";
    static final String PASSWORD = "Secret-1";
    static final String DELIMITER = "=======================";

    @TempDir
    static Path dir;

    static SecuredRpcSite site;

    @BeforeAll
    static void start() throws Exception {
        Peers.requireImpacket("impacket.dcerpc.v5.nspi");
        Peers.requireExecutable(Path.of(EXCHANGER), "python3-impacket examples");
        TestCertificate certificate = TestCertificate.create("oa.frankysweb.org", "127.0.0.1");
        site = SecuredRpcSite.in(dir).withAddressBook(PASSWORD).schemes(HttpAuthScheme.NTLM)
                .validPorts(port -> List.of(6004)).translating(6004)
                .listen(GATEWAY_ADDRESS, 443).tls(certificate.serverContext()).start();
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    static String exchanger(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Peers.PYTHON, EXCHANGER,
                "FRANKYSWEB/franky:" + PASSWORD + "@" + GATEWAY_ADDRESS, "nspi"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done && p.exitValue() == 0 && !out.contains("Traceback")).as("exchanger %s failed:%n%s",
                String.join(" ", args), out).isTrue();
        return out;
    }

    /** exchanger's rows: "name: value" lines between delimiters. */
    static List<Map<String, String>> rows(String out) {
        List<Map<String, String>> rows = new ArrayList<>();
        Map<String, String> row = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.equals(DELIMITER)) {
                if (!row.isEmpty()) {
                    rows.add(row);
                }
                row = new LinkedHashMap<>();
            } else {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    row.put(line.substring(0, colon), line.substring(colon + 2));
                }
            }
        }
        return rows;
    }

    static AddressBook book() {
        return site.addressBook().current();
    }

    @Test
    void listTablesShowsTheGalAndTheAddressListsWithTheirCounts() throws Exception {
        String out = exchanger("list-tables", "-count");
        AddressBook b = book();
        for (var list : b.addressLists()) {
            assertThat(out).contains(list.displayName() + "\nTotalRecs: " + list.members().size() + "\nGuid: "
                    + (list.global() ? "None" : list.objectGuid().toString()));
        }
    }

    @Test
    void dumpTablesGalMinimalMatchesTheDirectoryRowByRow() throws Exception {
        List<Map<String, String>> rows = rows(exchanger("dump-tables", "-name", "GAL", "-rows-per-request", "40"));
        AddressBook b = book();
        List<Recipient> gal = b.members(b.globalAddressList());
        assertThat(rows).hasSize(gal.size());
        for (int i = 0; i < gal.size(); i++) {
            Recipient r = gal.get(i);
            Map<String, String> row = rows.get(i);
            assertThat(row).as(r.displayName()).containsEntry("mailNickname", r.alias())
                    .containsEntry("mail", r.primarySmtpAddress())
                    .containsEntry("objectGUID", r.objectGuid().toString());
            assertThat(row.get("objectSid")).as(r.displayName()).isEqualTo(r.objectSid().orElseThrow().toString());
        }
        assertThat(rows).noneMatch(row -> row.getOrDefault("mailNickname", "").equals("DiscoverySearchMailbox"));
    }

    @Test
    void dumpTablesGalExtendedFullAndGuids() throws Exception {
        AddressBook b = book();
        List<Recipient> gal = b.members(b.globalAddressList());
        List<Map<String, String>> extended = rows(exchanger("dump-tables", "-name", "GAL", "-lookup-type", "EXTENDED"));
        assertThat(extended).hasSize(gal.size());
        Recipient franky = b.bySmtpAddress("franky@frankysweb.org").orElseThrow();
        assertThat(extended).anySatisfy(row -> assertThat(row)
                .containsEntry("PR_DISPLAY_NAME", franky.displayName())
                .containsEntry("proxyAddresses", "['SMTP:franky@frankysweb.org']")
                .containsEntry("PR_INSTANCE_KEY", Integer.toString(franky.mid()))
                .containsEntry("msExchMailboxGuid", franky.mailboxGuid().orElseThrow().toString()));

        List<Map<String, String>> full = rows(exchanger("dump-tables", "-name", "GAL", "-lookup-type", "FULL"));
        assertThat(full).hasSize(gal.size());

        String guids = exchanger("dump-tables", "-name", "GAL", "-lookup-type", "GUIDS");
        for (Recipient r : gal) {
            assertThat(guids).contains(r.objectGuid().toString());
        }
    }

    @Test
    void dumpTablesOfAnAddressListByName() throws Exception {
        AddressBook b = book();
        var sales = b.addressLists().stream().filter(l -> l.displayName().equals("Sales")).findFirst().orElseThrow();
        List<Map<String, String>> rows = rows(exchanger("dump-tables", "-name", "Sales"));
        assertThat(rows).extracting(r -> r.get("mail"))
                .containsExactlyElementsOf(b.members(sales).stream().map(Recipient::primarySmtpAddress).toList());
    }

    @Test
    void guidKnownFindsARecipientByItsObjectGuidButNotTheHiddenOne() throws Exception {
        Recipient hanna = book().bySmtpAddress("hanna@frankysweb.org").orElseThrow();
        String out = exchanger("guid-known", "-guid", hanna.objectGuid().toString());
        assertThat(out).contains("mail: hanna@frankysweb.org", "mailNickname: hanna");
        Recipient hidden = book().recipients().stream().filter(Recipient::hidden).findFirst().orElseThrow();
        List<String> command = List.of(Peers.PYTHON, EXCHANGER, "FRANKYSWEB/franky:" + PASSWORD + "@" + GATEWAY_ADDRESS,
                "nspi", "guid-known", "-guid", hidden.objectGuid().toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String refused = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(refused).contains("Object with specified GUID not found").doesNotContain("DiscoverySearchMailbox@");
    }

    @Test
    void dntLookupFindsEveryVisibleMidAndNoHiddenOne() throws Exception {
        AddressBook b = book();
        int highest = b.recipients().stream().mapToInt(Recipient::mid).max().orElseThrow();
        String out = exchanger("dnt-lookup", "-start-dnt", Integer.toString(highest + 20), "-stop-dnt", "0",
                "-rows-per-request", "100");
        for (Recipient r : b.members(b.globalAddressList())) {
            assertThat(out).contains("objectGUID: " + r.objectGuid());
        }
        Recipient hidden = b.recipients().stream().filter(Recipient::hidden).findFirst().orElseThrow();
        assertThat(out).doesNotContain(hidden.objectGuid().toString());
    }

    @Test
    void anRcaStyleCheckNameResolvesTheUserAndReadsItsLogonProperties() throws Exception {
        Recipient franky = book().bySmtpAddress("franky@frankysweb.org").orElseThrow();
        Path script = dir.resolve("impacket_check_name.py");
        try (var in = NspiExchangerInteropTest.class.getResourceAsStream("/nspi/impacket_check_name.py")) {
            java.nio.file.Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Process p = new ProcessBuilder(Peers.PYTHON, script.toString(), GATEWAY_ADDRESS, "FRANKYSWEB", "franky", PASSWORD,
                "franky@frankysweb.org", franky.legacyExchangeDn()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as("check name:%n%s", out).isTrue();
        assertThat(out).contains("\"resolve_mids\": [" + franky.mid() + "]",
                "\"0x3001001e\": \"Franky Weber\"", "\"0x3003001e\": \"" + franky.legacyExchangeDn() + "\"",
                "\"dn_mid\": " + franky.mid(),
                "\"0x3001001f\": \"Franky Weber\"",
                "\"0x8006001f\": \"" + franky.homeDatabaseLegacyDn().orElseThrow() + "\"",
                "\"unbind\": 1");
        assertThat(out).contains(Integer.toString(0x3001001E)); // GetPropList in the bind's code page: PtypString8
    }
}
