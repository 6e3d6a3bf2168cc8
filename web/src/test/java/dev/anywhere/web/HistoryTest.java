package dev.anywhere.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.check.Evidence;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.finding.Severity;
import dev.anywhere.analyzer.report.JsonReportReader;
import dev.anywhere.analyzer.report.JsonReportWriter;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.analyzer.report.ReportDiff;
import dev.anywhere.analyzer.report.Vantage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run history on SQLite (the default) and on PostgreSQL started by the test: the same behaviour on both. */
class HistoryTest {

    @TempDir
    Path tmp;

    static Report report(String target, Vantage vantage, Instant started, CheckStatus status, String findingId) {
        List<Finding> findings = status == CheckStatus.PASSED ? List.of()
                : List.of(new Finding(findingId, Severity.ERROR, "title", "cause", "fix", List.of("[MS-RPCH] 3.2.1")));
        CheckResult auth = new CheckResult("rpc-proxy.auth", "Check the authentication methods", status, "offered: Basic", 12,
                List.of(new Evidence("HTTP transcript", "Authorization: Basic dXNlcjpwdw==")), findings, List.of());
        CheckResult root = new CheckResult("outlook-anywhere", "Testing Outlook Anywhere for " + target, CheckStatus.PASSED, "", 40,
                List.of(), List.of(), List.of(auth));
        return new Report(target, vantage, started, 40, "en", root);
    }

    private void behavesAsAHistory(History h) throws Exception {
        Instant day1 = Instant.parse("2026-12-01T10:00:00Z");
        Instant day2 = Instant.parse("2026-12-02T10:00:00Z");
        h.save("a", report("franky@frankysweb.org", Vantage.INSIDE, day1, CheckStatus.PASSED, ""));
        h.save("b", report("franky@frankysweb.org", Vantage.OUTSIDE, day2, CheckStatus.FAILED, "auth.required-missing"));
        h.save("c", report("other_50%@example.org", Vantage.OUTSIDE, day2.plusSeconds(60), CheckStatus.PASSED, ""));

        assertThat(h.find(Optional.empty(), Optional.empty(), Optional.empty(), 10)).extracting(History.Entry::id).containsExactly("c", "b", "a");
        assertThat(h.find(Optional.of("FRANKY"), Optional.empty(), Optional.empty(), 10)).extracting(History.Entry::id).containsExactly("b", "a");
        // % and _ are matched literally, not as wildcards.
        assertThat(h.find(Optional.of("_50%"), Optional.empty(), Optional.empty(), 10)).extracting(History.Entry::id).containsExactly("c");
        assertThat(h.find(Optional.of("othe__50"), Optional.empty(), Optional.empty(), 10)).isEmpty();
        assertThat(h.find(Optional.empty(), Optional.of(Instant.parse("2026-12-02T00:00:00Z")), Optional.of(Instant.parse("2026-12-03T00:00:00Z")),
                10)).extracting(History.Entry::id).containsExactly("c", "b");
        assertThat(h.find(Optional.empty(), Optional.empty(), Optional.of(Instant.parse("2026-12-02T00:00:00Z")), 10))
                .extracting(History.Entry::id).containsExactly("a");
        assertThat(h.find(Optional.empty(), Optional.empty(), Optional.empty(), 1)).hasSize(1);
        History.Entry b = h.find(Optional.of("franky"), Optional.of(day2), Optional.empty(), 10).get(0);
        assertThat(b).isEqualTo(new History.Entry("b", "franky@frankysweb.org", "outside", day2, 40, "failed", "Connectivity test failed"));

        JsonNode stored = h.report("b").orElseThrow();
        // Compared as text: the parsed numbers are ints where the written ones were longs.
        assertThat(stored.toString()).isEqualTo(JsonReportWriter.toJson(report("franky@frankysweb.org", Vantage.OUTSIDE, day2,
                CheckStatus.FAILED, "auth.required-missing")).toString());
        assertThat(JsonReportWriter.toJson(JsonReportReader.read(stored)).toString()).isEqualTo(stored.toString());
        assertThat(stored.toString()).doesNotContain("dXNlcjpwdw==");
        assertThat(h.report("nope")).isEmpty();
        assertThat(ReportDiff.of(h.report("a").orElseThrow(), stored)).containsExactly(
                new ReportDiff.Difference("outlook-anywhere", "passed - ", "failed - "),
                new ReportDiff.Difference("rpc-proxy.auth", "passed - offered: Basic", "failed - offered: Basic [auth.required-missing]"));
    }

    @Test
    void sqliteKeepsFindsAndComparesRuns() throws Exception {
        behavesAsAHistory(History.open("jdbc:sqlite:" + tmp.resolve("h.db")));
    }

    @Test
    void postgresqlKeepsFindsAndComparesRunsTheSameWay() throws Exception {
        try (Postgres pg = Postgres.start()) {
            behavesAsAHistory(History.open(pg.url()));
            // Opening again finds the schema migrated and leaves it.
            History.open(pg.url());
            try (Connection c = DriverManager.getConnection(pg.url()); ResultSet r = c.createStatement()
                    .executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void aDatabaseThatIsNeitherSqliteNorPostgresqlIsRefusedWithoutItsPassword() {
        assertThatThrownBy(() -> History.open("jdbc:mysql://db/x?user=u&password=secret"))
                .hasMessage("database: 'jdbc:mysql://db/x?user=u&password=***' (expected: jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB)");
    }
}
