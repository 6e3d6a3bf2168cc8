package dev.anywhere.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.anywhere.analyzer.text.TextAudit;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The topology's errors in the reader's language: the bundle complete in both, German without English words, and real
 * bad topologies said word for word in English (as before) and in German, their locations ("zone X on Y record Z")
 * translated, names and values as written.
 */
class TopologyTextTest {

    @Test
    void everyKeyHasAGermanTextWithoutEnglishWords() {
        assertThat(TextAudit.bundleProblems(TopologyText.bundle("en"), TopologyText.bundle("de"))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "SRV value|\"value\" : \"0 100 389 dc1\"|\"value\" : \"389 dc1\""
                + "|zone frankysweb.local on dc1 record _ldap._tcp: SRV value 389 dc1 (expected: \"priority weight port target\")"
                + "|Zone frankysweb.local auf dc1 Eintrag _ldap._tcp: SRV-Wert 389 dc1 (erwartet: „Priorität Gewichtung Port Ziel“)",
        "misspelt service|\"epm-http\" : 593|\"epm-htp\" : 593"
                + "|topology edited: hosts[3].ports: epm-htp (expected: one of dns, ldap, https, http, admin, store, referral, nspi, epm-http)"
                + "|Topologie edited: hosts[3].ports: epm-htp (erwartet: eines von dns, ldap, https, http, admin, store, referral, nspi, epm-http)",
        "port out of range|\"epm-http\" : 593|\"epm-http\" : 70000"
                + "|host ex1 port epm-http: 70000 (expected: 1..65535)"
                + "|Host ex1 Port epm-http: 70000 (erwartet: 1..65535)",
        "rule to no host|\"to\" : \"ex1:443\"|\"to\" : \"ex2:443\""
                + "|router rule 443: target host ex2 (expected: one of [provider-dns, router, dc1, ex1, middlebox])"
                + "|Router-Regel 443: Zielhost ex2 (erwartet: einer von [provider-dns, router, dc1, ex1, middlebox])",
        "port policy offset|\"offset\" : 10000|\"offset\" : 80"
                + "|topology edited: port policy offset: 80 (expected: 1024..64000)"
                + "|Topologie edited: Versatz der Port-Regel: 80 (erwartet: 1024..64000)",
    })
    void badTopologyFilesInBothLanguages(String what, String find, String replace, String english, String german) {
        String json = Topology.frankysweb().toJson();
        assertThat(json).contains(find);
        TopologyException e = thrown(() -> Topology.parse(json.replace(find, replace), "edited"));
        assertThat(e).hasMessage(english);
        assertThat(e.text("en")).isEqualTo(english);
        assertThat(e.text("de")).isEqualTo(german);
    }

    @Test
    void faultsAndTheirLocationsInGerman() {
        Topology t = Topology.frankysweb();
        TopologyException noZone = thrown(() -> t.withFaults(new Topology.Faults(
                List.of(new Topology.DnsChange("example.org", "oa", DnsAction.REMOVE, null)), List.of(), List.of(), null)).validate());
        assertThat(noZone.text("de")).isEqualTo("Störung DNS example.org oa: keine solche Zone (erwartet: der Ursprung einer Zone der Topologie)");
        TopologyException noRule = thrown(() -> t.withFaults(new Topology.Faults(List.of(),
                List.of(new Topology.RuleChange(8443, RuleVariant.ABSENT, null)), List.of(), null)).validate());
        assertThat(noRule.text("de")).isEqualTo("Störung Router 8443: keine Regel für diesen Port (erwartet: einer von [443, 80])");
        TopologyException middlebox = thrown(() -> new Topology(t.name(), t.portPolicy(),
                t.hosts().stream().filter(h -> !h.name().equals("middlebox")).toList(), t.zones(), t.router(), t.certificates(),
                t.users(), Middlebox.NONE, new Topology.Faults(List.of(), List.of(), List.of(), Middlebox.NGINX_RPC)).validate());
        assertThat(middlebox.text("de")).isEqualTo("Störung Middlebox: nginx-rpc ohne einen Host 'middlebox' (erwartet: ein Host namens "
                + "middlebox mit einem Port https)");
    }

    /** The JSON parser's own sentence is its words: quoted in German, as before in English. */
    @Test
    void malformedJsonQuotesTheParser() {
        TopologyException e = thrown(() -> Topology.parse("{\"hosts\": [ }", "broken.json"));
        Object detail = e.text().values().get("detail");
        assertThat(e).hasMessage("topology broken.json: " + detail + " at line 1");
        assertThat(e.text("de")).isEqualTo("Topologie broken.json: kein gültiges JSON in Zeile 1: „" + detail + "“");
        assertThat(TextAudit.englishWords(e.text("de"))).isEmpty();
        TopologyException empty = thrown(() -> Topology.parse("null", "empty.json"));
        assertThat(empty.text("de")).isEqualTo("Topologie empty.json: leer (erwartet: ein JSON-Objekt)");
        assertThat(empty).hasMessage("topology empty.json: empty (expected: a JSON object)");
    }

    /** A value the topology lacks is "null", as the English sentence always said, never a placeholder left unfilled. */
    @Test
    void aMissingValueIsNull() {
        assertThat(TopologyText.of("host.name", "name", null).text("de")).isEqualTo("Hostname: null (erwartet: Kleinbuchstaben, Ziffern, '-')");
    }

    private static TopologyException thrown(ThrowingCallable call) {
        TopologyException e = catchThrowableOfType(TopologyException.class, call);
        assertThat(e).as("a TopologyException").isNotNull();
        return e;
    }
}
