package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.analyzer.text.Placeholders;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's bundle: complete in both languages, German really German, and chosen by --lang or the JVM's locale. */
class CliTextTest {

    private static final CliText EN = CliText.of("en");
    private static final CliText DE = CliText.of("de");

    /** Texts that are only commands, options and tokens, the same in every language. */
    private static final Set<String> SAME_IN_BOTH = Set.of("rpcping.start", "rpcping.route.call");

    @Test
    void everyKeyHasATextInBothLanguagesAndGermanIsNotTheEnglish() {
        assertThat(DE.keys()).isEqualTo(EN.keys());
        // A key missing in messages_de.properties falls back to the English text, which the inequality below catches.
        for (String key : EN.keys()) {
            String en = EN.get(key);
            String de = DE.get(key);
            assertThat(en).as(key).isNotBlank();
            assertThat(de).as(key).isNotBlank();
            if (!SAME_IN_BOTH.contains(key)) {
                assertThat(de).as("German text of %s equals the English", key).isNotEqualTo(en);
            }
            assertThat(new HashSet<>(Placeholders.names(en))).as("placeholders of %s", key)
                    .containsAll(Placeholders.names(de));
            assertThat(Messages.CLASS_NAME.matcher(en).find()).as("class name in %s", key).isFalse();
            assertThat(Messages.CLASS_NAME.matcher(de).find()).as("class name in %s (de)", key).isFalse();
        }
    }

    /** Every placeholder a text names is filled (a name with digits, like {p99}, once stayed as it was). */
    @Test
    void everyPlaceholderIsFilledInBothLanguages() {
        for (CliText text : new CliText[] {EN, DE}) {
            for (String key : text.keys()) {
                java.util.Map<String, Object> values = new java.util.HashMap<>();
                Placeholders.names(EN.get(key)).forEach(n -> values.put(n, "X"));
                assertThat(text.get(key, values)).as(key).doesNotContainPattern("\\{[a-zA-Z][a-zA-Z0-9]*}");
            }
        }
        assertThat(EN.get("rpcping.calls.many", java.util.Map.of("count", 2, "call", "inq_if_ids", "min", "1 ms", "median", "2 ms",
                "p99", "3 ms"))).isEqualTo("Completed 2 inq_if_ids calls: min 1 ms, median 2 ms, p99 3 ms");
    }

    @Test
    void analyzeSpeaksItsLangAndEnglishIsTheDefault() {
        StringWriter err = new StringWriter();
        CommandLine cl = Anywhere.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("analyze", "frankysweb.org", "--lang", "de")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("anywhere: Autodiscover braucht eine E-Mail-Adresse; für eine Domäne --rpc-proxy "
                + "angeben (manueller Modus)\n");
    }

    @Test
    void commandsWithoutLangFollowTheJvmLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(scenarios()).startsWith("SZENARIO").contains("Eines ausführen: anywhere lab --scenario NAME");
            Locale.setDefault(Locale.US);
            assertThat(scenarios()).startsWith("SCENARIO").contains("Run one: anywhere lab --scenario NAME");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void profileSpeaksTheJvmsLanguage(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            StringWriter err = new StringWriter();
            CommandLine cl = Anywhere.commandLine();
            cl.setErr(new PrintWriter(err));
            assertThat(cl.execute("profile", "show", "franky@frankysweb.org", "--profile-dir", dir.toString())).isEqualTo(2);
            assertThat(err.toString()).isEqualTo("anywhere: kein Profil für franky@frankysweb.org in " + dir
                    + " (eines anlegen mit 'anywhere profile create franky@frankysweb.org')\n");
        } finally {
            Locale.setDefault(before);
        }
    }

    private static String scenarios() {
        StringWriter out = new StringWriter();
        CommandLine cl = Anywhere.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("lab", "scenarios")).isEqualTo(0);
        return out.toString();
    }
}
