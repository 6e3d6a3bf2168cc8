package dev.anywhere.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.analyzer.text.Placeholders;
import dev.anywhere.analyzer.text.TextAudit;
import dev.anywhere.bench.load.LogonBench;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bench module's bundle: both languages have every key, German is translated and adds no placeholder; each text
 * report rendered in German has no English word outside quotes, no sentence of the English bundle and no class name,
 * and the English one is word for word what docs/performance.md quotes.
 */
class BenchTextTest {

    private static final BenchText EN = BenchText.of("en");
    private static final BenchText DE = BenchText.of("de");

    @Test
    void everyKeyHasATextInBothLanguagesAndGermanIsTranslated() {
        assertThat(DE.keys()).isEqualTo(EN.keys());
        for (String key : EN.keys()) {
            String en = raw(EN, key);
            String de = raw(DE, key);
            assertThat(de).as("German text of %s equals the English", key).isNotEqualTo(en);
            assertThat(new HashSet<>(Placeholders.names(en))).as("placeholders of %s", key).containsAll(Placeholders.names(de));
            assertThat(TextAudit.englishWords(de)).as(key + ": " + de).isEmpty();
            assertThat(Messages.CLASS_NAME.matcher(en + de).find()).as(key).isFalse();
        }
    }

    @Test
    void theBundleHasNoProblemTheProjectsAuditKnows() {
        java.util.ResourceBundle.Control control = java.util.ResourceBundle.Control.getNoFallbackControl(
                java.util.ResourceBundle.Control.FORMAT_PROPERTIES);
        assertThat(TextAudit.bundleProblems(java.util.ResourceBundle.getBundle(BenchText.BUNDLE, java.util.Locale.ROOT, control),
                java.util.ResourceBundle.getBundle(BenchText.BUNDLE, java.util.Locale.GERMAN, control))).isEmpty();
    }

    @Test
    void theLogonReportInEnglishIsAsDocumented() {
        assertThat(LogonBench.text(logonReport(), EN)).isEqualTo("""
                mailbox logons through the gateway: 63.4/s [52.3-102.9] over 3 rounds (all rounds (none undisturbed)), 1200 logons, 1 failed
                CPU ms per logon, client    4.6 [2.9-7.1]
                CPU ms per logon, gateway   4.6 [2.9-7.1]
                CPU ms per logon, endpoints 4.6 [2.9-7.1]
                CPU ms per logon, directory 4.6 [2.9-7.1]
                logon time p50 49.0 ms, p99 232.0 ms
                round 1: 52.3 logons/s, DISTURBED (other processes 1.2 CPUs)
                round 2: 63.4 logons/s, undisturbed (other processes 0.1 CPUs)
                first failure: CONN/A3 not within 3000 ms
                """);
    }

    @Test
    void theLogonReportInGermanHasNoEnglish() {
        String german = LogonBench.text(logonReport(), DE);
        assertThat(german).startsWith("Postfachanmeldungen durch das Gateway: 63.4/s [52.3-102.9] in 3 Runden (alle Runden (keine ungestört)), "
                + "1200 Anmeldungen, 1 gescheitert\n").contains("Runde 1: 52.3 Anmeldungen/s, GESTÖRT (andere Prozesse 1.2 CPUs)\n");
        assertThat(audit(german)).isEmpty();
    }

    /** The problems of German {@code text}, line by line: English words, sentences of the English bundle, class names. */
    static List<String> audit(String text) {
        List<String> fragments = new ArrayList<>();
        for (String key : EN.keys()) {
            for (String part : raw(EN, key).split("\\{[a-zA-Z0-9]+}")) {
                String p = part.strip();
                if (p.split("\\s+").length >= 3 && !TextAudit.englishWords(p).isEmpty()) {
                    fragments.add(p);
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (String line : text.lines().toList()) {
            TextAudit.englishWords(line).forEach(w -> problems.add("English word '" + w + "': " + line));
            fragments.stream().filter(line::contains).forEach(f -> problems.add("English text '" + f + "': " + line));
            // Exchange's symbolic event names (2001 TransientException) in the soak's event counts are its, not Java classes.
            String withoutEventNames = line;
            for (var id : dev.anywhere.server.events.EventId.values()) {
                withoutEventNames = withoutEventNames.replace(id.id() + " " + id.symbolicName(), String.valueOf(id.id()));
            }
            if (Messages.CLASS_NAME.matcher(withoutEventNames).find()) {
                problems.add("a class name: " + line);
            }
        }
        return problems;
    }

    /** The text of {@code key} with its placeholders as they are (a name filled with itself). */
    private static String raw(BenchText text, String key) {
        return text.get(key);
    }

    static ObjectNode logonReport() {
        ObjectNode r = new ObjectMapper().createObjectNode();
        ObjectNode stats = r.putObject("stats");
        stats.putObject("logons_per_s").put("median", 63.4).put("min", 52.3).put("max", 102.9).put("rounds", 3)
                .put("basis", "all rounds (none undisturbed)");
        for (String p : List.of("client", "gateway", "endpoints", "directory")) {
            stats.putObject("cpu_ms_per_logon_" + p).put("median", 4.6).put("min", 2.9).put("max", 7.1);
        }
        stats.putObject("logon_ms_p50").put("median", 49.0);
        stats.putObject("logon_ms_p99").put("median", 232.0);
        ArrayNode rounds = r.putArray("rounds");
        rounds.addObject().put("round", 1).put("logons_per_s", 52.3).put("disturbed", true).put("other_cpus", 1.2);
        rounds.addObject().put("round", 2).put("logons_per_s", 63.4).put("disturbed", false).put("other_cpus", 0.1);
        r.put("logons", 1200).put("failures", 1).put("first_failure", "CONN/A3 not within 3000 ms");
        return r;
    }
}
