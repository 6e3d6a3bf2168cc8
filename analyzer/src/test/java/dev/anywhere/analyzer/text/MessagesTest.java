package dev.anywhere.analyzer.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.analyzer.finding.FindingCatalogue;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every text of the analyzer in both languages: the message bundles and the finding catalogue. Fails on a missing key,
 * a German text that is still English, and a Java class name in any text.
 */
class MessagesTest {

    /** German texts that may equal the English ones: protocol tokens and names only, no words of either language. */
    static final Set<String> SAME_IN_BOTH = Set.of("autodiscover.reason.address", "rpch.hop-line");

    static Properties bundle(String suffix) {
        String path = "/" + Messages.BUNDLE.replace('.', '/') + suffix + ".properties";
        try (InputStream in = MessagesTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void bothLanguagesHaveEveryKey() {
        Properties en = bundle("");
        Properties de = bundle("_de");
        assertThat(new TreeSet<>(de.stringPropertyNames())).as("keys of messages_de.properties")
                .isEqualTo(new TreeSet<>(en.stringPropertyNames()));
    }

    @Test
    void germanTextsAreTranslatedAndUseNoPlaceholderTheEnglishLacks() {
        Properties en = bundle("");
        Properties de = bundle("_de");
        List<String> problems = new ArrayList<>();
        for (String key : en.stringPropertyNames()) {
            String e = en.getProperty(key);
            String d = de.getProperty(key, "");
            if (d.equals(e) && !SAME_IN_BOTH.contains(key)) {
                problems.add(key + ": German equals English: " + e);
            }
            if (!new HashSet<>(Placeholders.names(e)).containsAll(Placeholders.names(d))) {
                problems.add(key + ": German placeholders " + Placeholders.names(d) + ", English " + Placeholders.names(e));
            }
            List<String> englishOnly = new ArrayList<>(Placeholders.names(e));
            englishOnly.removeAll(Placeholders.names(d));
            if (!englishOnly.isEmpty() && !englishOnly.equals(List.of("detail"))) {
                problems.add(key + ": German leaves out " + englishOnly + " (only {detail}, the tool's English line, may be left out)");
            }
            TextAudit.englishWords(d).forEach(w -> problems.add(key + ": English word '" + w + "' in German: " + d));
        }
        assertThat(problems).isEmpty();
    }

    /** The English texts the other way round: no German word (a text copied into the wrong file, a German word left in). */
    @Test
    void englishTextsHaveNoGermanWords() {
        Properties en = bundle("");
        List<String> problems = new ArrayList<>();
        for (String key : en.stringPropertyNames()) {
            TextAudit.germanWords(en.getProperty(key)).forEach(w -> problems.add(key + ": German word '" + w + "': " + en.getProperty(key)));
        }
        FindingCatalogue.load("en").entries().values().forEach(e -> {
            FindingCatalogue.Text t = e.texts().get("en");
            for (String s : List.of(t.title(), t.cause(), t.fix())) {
                TextAudit.germanWords(s).forEach(w -> problems.add(e.id() + ": German word '" + w + "': " + s));
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyFindingIsTranslatedAndNamesNoJavaClass() {
        FindingCatalogue c = FindingCatalogue.load("en");
        List<String> problems = new ArrayList<>();
        for (FindingCatalogue.Entry e : c.entries().values()) {
            FindingCatalogue.Text en = e.texts().get("en");
            FindingCatalogue.Text de = e.texts().get("de");
            String[][] pairs = {{"title", en.title(), de.title()}, {"cause", en.cause(), de.cause()}, {"fix", en.fix(), de.fix()}};
            for (String[] p : pairs) {
                boolean onlyPlaceholders = p[1].replaceAll("\\{[a-zA-Z]+}", "").isBlank();
                // A command line alone (anywhere oa set …) is the same in every language.
                if (p[1].equals(p[2]) && !onlyPlaceholders && !p[1].startsWith("anywhere ")) {
                    problems.add(e.id() + " " + p[0] + ": German equals English");
                }
                TextAudit.englishWords(p[2]).forEach(w -> problems.add(e.id() + " " + p[0] + ": English word '" + w + "' in German: " + p[2]));
                for (String t : new String[] {p[1], p[2]}) {
                    if (Messages.CLASS_NAME.matcher(t).find()) {
                        problems.add(e.id() + " " + p[0] + ": a Java class name: " + t);
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** Every check of the tree, rendered in both languages: titles filled, German and English apart, no English in German. */
    @Test
    void everyCheckTitleIsRenderedInBothLanguages() {
        Map<String, String> en = titles(tree("en"), new java.util.LinkedHashMap<>());
        Map<String, String> de = titles(tree("de"), new java.util.LinkedHashMap<>());
        assertThat(de.keySet()).isEqualTo(en.keySet());
        assertThat(en).hasSizeGreaterThan(15);
        List<String> problems = new ArrayList<>();
        en.forEach((id, title) -> {
            String german = de.get(id);
            if (title.contains("{") || german.contains("{")) {
                problems.add(id + ": a placeholder left: " + title + " / " + german);
            }
            if (german.equals(title)) {
                problems.add(id + ": German equals English: " + title);
            }
            TextAudit.englishWords(german).forEach(w -> problems.add(id + ": English word '" + w + "': " + german));
        });
        assertThat(problems).isEmpty();
    }

    /** Every finding, filled with a value for each of its placeholders, in both languages: nothing left unfilled. */
    @Test
    void everyFindingIsRenderedInBothLanguages() {
        for (String lang : Messages.LANGUAGES) {
            FindingCatalogue c = FindingCatalogue.load(lang);
            for (FindingCatalogue.Entry e : c.entries().values()) {
                FindingCatalogue.Text t = e.texts().get(lang);
                Map<String, Object> values = new java.util.HashMap<>();
                for (String text : List.of(t.title(), t.cause(), t.fix())) {
                    Placeholders.names(text).forEach(n -> values.put(n, "x"));
                }
                var f = c.finding(e.id(), values);
                assertThat(f.title() + f.cause() + f.fix()).as(lang + " " + e.id()).doesNotContain("{").doesNotContainPattern(Messages.CLASS_NAME);
            }
        }
    }

    private static dev.anywhere.analyzer.check.Check tree(String lang) {
        dev.anywhere.analyzer.AnalyzeOptions o = new dev.anywhere.analyzer.AnalyzeOptions("franky@frankysweb.org", java.util.Optional.of("F\\franky"),
                java.util.Optional.of("secret"), List.of(), java.util.Optional.empty(), List.of(), dev.anywhere.analyzer.report.Vantage.OUTSIDE,
                java.time.Duration.ofSeconds(1), lang, java.util.Optional.empty(), 443, 80, List.of(), false)
                .withIdleProbe(java.util.Optional.of(java.time.Duration.ofSeconds(5)));
        return new dev.anywhere.analyzer.Analyzer(o).tree(List.of());
    }

    private static Map<String, String> titles(dev.anywhere.analyzer.check.Check c, Map<String, String> into) {
        into.put(c.id(), c.title());
        c.children().forEach(k -> titles(k, into));
        return into;
    }

    @Test
    void noTextNamesAJavaClass() {
        for (Properties p : List.of(bundle(""), bundle("_de"))) {
            for (String key : p.stringPropertyNames()) {
                assertThat(p.getProperty(key)).as(key).doesNotContainPattern(Messages.CLASS_NAME);
            }
        }
    }

    @Test
    void aFailureBecomesASentenceNotAClassName() {
        Messages en = Messages.of("en");
        Messages de = Messages.of("de");
        // What a port forward to a host where nothing listens gives the TLS client: Netty's stackless closed channel.
        Throwable netty = new ClosedChannelException();
        assertThat(en.cause(netty)).isEqualTo("the other side closed the connection without an answer");
        assertThat(de.cause(netty)).isEqualTo("die Gegenseite hat die Verbindung ohne Antwort geschlossen");
        assertThat(de.cause(new java.io.IOException("wrapped", new ConnectException("Connection refused"))))
                .isEqualTo("die Verbindung wurde abgelehnt");
        assertThat(en.cause(new IllegalStateException("io.netty.handler.ssl.NotSslRecordException: not an SSL/TLS record")))
                .isEqualTo("an unexpected failure");
        assertThat(en.cause(new IllegalStateException("the profile store is read-only"))).isEqualTo("the profile store is read-only");
        assertThat(de.cause(new IllegalStateException("the profile store is read-only"))).isEqualTo("ein unerwarteter Fehler");
    }

    @Test
    void placeholdersAreNamedAndAMissingValueStaysVisible() {
        Messages de = Messages.of("de");
        assertThat(de.get("summary.tcp.connected", Map.of("address", "127.0.0.20:443", "ms", 3)))
                .isEqualTo("mit 127.0.0.20:443 nach 3 ms verbunden");
        assertThat(de.get("summary.tcp.connected", Map.of("ms", 3))).isEqualTo("mit {address} nach 3 ms verbunden");
    }

    @Test
    void unknownKeysAndLanguagesAreRefused() {
        assertThatThrownBy(() -> Messages.of("en").get("summary.nope"))
                .hasMessage("message: unknown key 'summary.nope' (expected: a key of messages.properties)");
        assertThatThrownBy(() -> Messages.of("fr")).hasMessage("language: 'fr' (expected: en or de)");
    }

    @Test
    void englishStaysEnglishOnAGermanDesktop() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            assertThat(Messages.of("en").get("report.banner.failed")).isEqualTo("Connectivity test failed");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
