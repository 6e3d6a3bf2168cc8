package dev.anywhere.lab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.analyzer.text.TextAudit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every scenario of the catalogue says what it breaks in English and in German ({@code broken}, {@code broken_de}). */
class ScenarioDescriptionsTest {

    @Test
    void everyScenarioIsDescribedInBothLanguages() {
        List<String> problems = new ArrayList<>();
        for (Scenario s : Scenarios.all()) {
            String en = s.broken("en");
            String de = s.brokenDe();
            if (de == null || de.isBlank()) {
                problems.add(s.name() + ": no broken_de");
                continue;
            }
            if (de.equals(en)) {
                problems.add(s.name() + ": broken_de equals broken");
            }
            TextAudit.englishWords(de).forEach(w -> problems.add(s.name() + ": English word '" + w + "' in broken_de: " + de));
            if (Messages.CLASS_NAME.matcher(en + de).find()) {
                problems.add(s.name() + ": a Java class name");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(Scenarios.byName("cert-expired").orElseThrow().broken("de")).isEqualTo("das Zertifikat von EX1 ist seit gestern abgelaufen");
        assertThat(Scenarios.byName("cert-expired").orElseThrow().broken("en")).isEqualTo("EX1's certificate expired yesterday");
    }

    /** A scenario built without a German text (tests build such) says it in English rather than nothing. */
    @Test
    void withoutAGermanTextTheEnglishOneIsShown() {
        Scenario s = new Scenario("x", "only English", null, List.of(), null, null, null);
        assertThat(s.broken("de")).isEqualTo("only English");
    }
}
