package dev.anywhere.analyzer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** A JSON report read back renders as the report it was written from; what is not such a report says what is wrong. */
class JsonReportReaderTest {

    @Test
    void aReportReadBackWritesTheSameInEveryFormat() throws Exception {
        for (String lang : new String[] {"en", "de"}) {
            Report original = ReportWritersTest.sample(lang);
            Report read = JsonReportReader.read(JsonReportWriter.toJson(original));
            for (String format : new String[] {"json", "html", "junit", "text"}) {
                StringWriter a = new StringWriter();
                StringWriter b = new StringWriter();
                ReportWriter.forFormat(format).write(original, a);
                ReportWriter.forFormat(format).write(read, b);
                assertThat(b.toString()).as(lang + " " + format).isEqualTo(a.toString());
            }
        }
    }

    @Test
    void anythingElseIsRefusedNamingWhatIsWrong() {
        ObjectNode json = JsonReportWriter.toJson(ReportWritersTest.sample("en"));
        ObjectNode newer = json.deepCopy().put("schemaVersion", 2);
        assertThatThrownBy(() -> JsonReportReader.read(newer)).hasMessage("report: schemaVersion 2 (expected: 1)");
        ObjectNode noTarget = json.deepCopy();
        noTarget.remove("target");
        assertThatThrownBy(() -> JsonReportReader.read(noTarget)).hasMessage("report: 'target' missing or not a string");
        assertThatThrownBy(() -> JsonReportReader.read(new ObjectMapper().createObjectNode()))
                .hasMessage("report: schemaVersion missing (expected: 1)");
    }
}
