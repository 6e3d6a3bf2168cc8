package dev.anywhere.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anywhere.analyzer.report.JsonReportWriter;
import dev.anywhere.analyzer.report.Report;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/**
 * The run history: every report the page produced, in SQLite (a file, the default) or PostgreSQL (a JDBC URL). The
 * schema is migrated by Flyway on open ({@code dev/anywhere/web/db/V*.sql}). Reports hold no passwords (the analyzer
 * redacts evidence as it records it), and nothing else of a run's form is stored. Every call blocks on the database:
 * callers run it on the server's database executor, never on an event loop.
 */
public final class History {

    /** One stored run as the history list shows it. */
    public record Entry(String id, String target, String vantage, Instant started, long elapsedMs, String status, String banner) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int QUERY_TIMEOUT_SECONDS = 10;

    private final String url;

    private History(String url) {
        this.url = url;
    }

    /** Opens the history at {@code jdbcUrl}, creating or upgrading its schema. */
    public static History open(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("database: '" + redactUrl(jdbcUrl) + "' (expected: jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB)");
        }
        Flyway.configure().dataSource(jdbcUrl, null, null).locations("classpath:dev/anywhere/web/db").load().migrate();
        return new History(jdbcUrl);
    }

    /** Stores {@code report} as run {@code id}. */
    public void save(String id, Report report) throws SQLException {
        JsonNode json = JsonReportWriter.toJson(report);
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("INSERT INTO run (id, target, target_lc, vantage, started, "
                + "started_ms, elapsed_ms, language, status, banner, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            s.setString(1, id);
            s.setString(2, report.target());
            s.setString(3, report.target().toLowerCase(Locale.ROOT));
            s.setString(4, json.path("vantage").asText());
            s.setString(5, report.started().toString());
            s.setLong(6, report.started().toEpochMilli());
            s.setLong(7, report.elapsedMillis());
            s.setString(8, report.language());
            s.setString(9, json.path("status").asText());
            s.setString(10, report.banner());
            s.setString(11, json.toString());
            s.executeUpdate();
        }
    }

    /**
     * Runs whose target contains {@code address} (case-insensitive; empty: any) and that started in
     * [{@code from}, {@code to}), newest first, at most {@code limit}.
     */
    public List<Entry> find(Optional<String> address, Optional<Instant> from, Optional<Instant> to, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, target, vantage, started, elapsed_ms, status, banner FROM run WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (address.isPresent()) {
            // LIKE with an escape character, so that % and _ typed by the visitor match themselves.
            sql.append(" AND target_lc LIKE ? ESCAPE '!'");
            args.add("%" + address.get().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        from.ifPresent(f -> {
            sql.append(" AND started_ms >= ?");
            args.add(f.toEpochMilli());
        });
        to.ifPresent(t -> {
            sql.append(" AND started_ms < ?");
            args.add(t.toEpochMilli());
        });
        sql.append(" ORDER BY started_ms DESC, id LIMIT ?");
        args.add(limit);
        List<Entry> entries = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    entries.add(new Entry(r.getString(1), r.getString(2), r.getString(3), Instant.parse(r.getString(4)), r.getLong(5),
                            r.getString(6), r.getString(7)));
                }
            }
        }
        return entries;
    }

    /** The JSON report of run {@code id}. */
    public Optional<JsonNode> report(String id) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("SELECT report FROM run WHERE id = ?")) {
            s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(JSON.readTree(r.getString(1)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** The URL without a password parameter, for messages and logs. */
    public static String redactUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
