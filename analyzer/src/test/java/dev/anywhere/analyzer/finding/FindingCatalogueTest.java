package dev.anywhere.analyzer.finding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FindingCatalogueTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");

    private static Set<String> placeholders(FindingCatalogue.Text t) {
        Set<String> names = new TreeSet<>();
        for (String s : new String[] {t.title(), t.cause(), t.fix()}) {
            Matcher m = PLACEHOLDER.matcher(s);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void everyEntryIsCompleteInEveryLanguageWithTheSamePlaceholders() {
        FindingCatalogue c = FindingCatalogue.load("en");
        assertThat(c.entries()).hasSizeGreaterThanOrEqualTo(45);
        for (FindingCatalogue.Entry e : c.entries().values()) {
            assertThat(e.id()).matches("[a-z0-9]+\\.[a-z0-9-]+");
            FindingCatalogue.Text en = e.texts().get("en");
            FindingCatalogue.Text de = e.texts().get("de");
            for (FindingCatalogue.Text t : new FindingCatalogue.Text[] {en, de}) {
                assertThat(t.title()).as(e.id()).isNotBlank();
                assertThat(t.cause()).as(e.id()).isNotBlank();
                assertThat(t.fix()).as(e.id()).isNotBlank();
            }
            assertThat(placeholders(de)).as(e.id() + " placeholders").isEqualTo(placeholders(en));
            assertThat(de.title()).as(e.id() + " is translated").isNotEqualTo(en.title());
        }
    }

    @Test
    void placeholdersAreFilledAndMissingOnesStayVisible() {
        Finding f = FindingCatalogue.load("de").finding("dns.host-not-found", Map.of("host", "oa.frankysweb.org", "resolver", "127.0.0.10"));
        assertThat(f.title()).isEqualTo("oa.frankysweb.org lässt sich im DNS nicht auflösen");
        assertThat(f.cause()).contains("127.0.0.10").contains("({rcode})");
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
    }

    @Test
    void unknownIdsAndLanguagesAreRefused() {
        assertThatThrownBy(() -> FindingCatalogue.load("en").finding("dns.nope"))
                .hasMessage("finding: unknown id 'dns.nope' (expected: an id of findings.json)");
        assertThatThrownBy(() -> FindingCatalogue.load("fr")).hasMessage("language: 'fr' (expected: en or de)");
    }

    /** docs/findings.md is generated from the catalogue; it must list every id. */
    @Test
    void theDocumentationListsEveryFinding() throws Exception {
        java.nio.file.Path doc = java.nio.file.Path.of("..", "docs", "findings.md");
        String text = java.nio.file.Files.readString(doc);
        for (String id : FindingCatalogue.load("en").entries().keySet()) {
            assertThat(text).as("docs/findings.md lists " + id).contains("`" + id + "`");
        }
    }

    /** The analyzer reads the catalogue beside its first steps; what it reads is the same catalogue, refusals included. */
    @Test
    void theCatalogueReadInTheBackgroundIsTheSameCatalogue() {
        FindingCatalogue background = FindingCatalogue.loadInBackground("de");
        FindingCatalogue now = FindingCatalogue.load("de");
        assertThat(background.language()).isEqualTo("de");
        assertThat(background.entries()).isEqualTo(now.entries());
        Map<String, Object> v = Map.of("host", "oa.frankysweb.org", "resolver", "127.0.0.10", "rcode", "NXDOMAIN");
        assertThat(background.finding("dns.host-not-found", v)).isEqualTo(now.finding("dns.host-not-found", v));
        assertThatThrownBy(() -> background.finding("dns.nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("finding: unknown id 'dns.nope' (expected: an id of findings.json)");
    }
}
