package dev.anywhere.server.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configurator's application log: one JSON object per line in {@code events.jsonl} of the data directory, each
 * also written to the process log. Like Exchange, a pass writes its events as one batch.
 *
 * <p>Lines that cannot be parsed (a torn write, a hand edit) are skipped when reading, never fatal.
 */
public final class EventLog {

    public static final String FILE_NAME = "events.jsonl";

    private static final Logger log = LoggerFactory.getLogger(EventLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public EventLog(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** Appends a pass's events in one write. */
    public synchronized void write(List<Event> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
                for (Event e : batch) {
                    out.write(toJson(e));
                    out.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("event log: cannot append to " + file, e);
        }
        for (Event e : batch) {
            String line = "event " + e.id().id() + " " + e.id().symbolicName() + ": " + e.message();
            switch (e.level()) {
                case ERROR -> log.error(line);
                case WARNING -> log.warn(line);
                default -> log.info(line);
            }
        }
    }

    public void write(Event event) {
        write(List.of(event));
    }

    /** Every readable event in order, filtered. */
    public List<Event> read(Predicate<Event> filter) {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Event> events = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Event e = parse(line);
                if (e != null && filter.test(e)) {
                    events.add(e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("event log: cannot read " + file, e);
        }
        return events;
    }

    public List<Event> readAll() {
        return read(e -> true);
    }

    static String toJson(Event e) {
        ObjectNode node = JSON.createObjectNode();
        node.put("time", e.time().toString());
        node.put("id", e.id().id());
        node.put("name", e.id().symbolicName());
        node.put("level", e.level().name());
        node.put("source", EventId.SOURCE);
        node.put("message", e.message());
        ObjectNode data = node.putObject("data");
        e.data().forEach(data::put);
        return node.toString();
    }

    static Event parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(line);
            EventId id = EventId.byId(node.path("id").asInt(-1)).orElse(null);
            if (id == null) {
                return null;
            }
            Map<String, String> data = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.path("data").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                data.put(f.getKey(), f.getValue().asText());
            }
            return new Event(Instant.parse(node.path("time").asText()), id, node.path("message").asText(), data);
        } catch (IOException | RuntimeException e) {
            log.debug("event log: skipping unreadable line", e);
            return null;
        }
    }
}
