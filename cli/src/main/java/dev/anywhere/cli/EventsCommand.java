package dev.anywhere.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.server.configurator.Durations;
import dev.anywhere.server.events.Event;
import dev.anywhere.server.events.EventLog;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The configurator's application log. */
@Command(name = "events", mixinStandardHelpOptions = true, resourceBundle = "dev.anywhere.cli.events")
final class EventsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR")
    Path dataDir;

    @Option(names = "--id", paramLabel = "N")
    Integer id;

    @Option(names = "--since", paramLabel = "DURATION|TIME")
    String since;

    @Option(names = "--format", paramLabel = "table|json")
    String format = "table";

    @Override
    public Integer call() throws Exception {
        if (!format.equals("table") && !format.equals("json")) {
            throw UserError.usage(CliText.local("format-bad", "format", format, "expected", CliText.local("format.table-or-json")));
        }
        Instant from = since == null ? Instant.MIN : since(since);
        List<Event> events = new EventLog(dataDir).read(e -> (id == null || e.id().id() == id) && e.time().isAfter(from));
        var out = spec.commandLine().getOut();
        if (format.equals("json")) {
            ObjectMapper json = new ObjectMapper();
            ArrayNode arr = json.createArrayNode();
            for (Event e : events) {
                ObjectNode n = arr.addObject();
                n.put("time", e.time().toString()).put("id", e.id().id()).put("name", e.id().symbolicName())
                        .put("level", e.level().name()).put("message", e.message());
                e.data().forEach(n.putObject("data")::put);
            }
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
        } else {
            EventText texts = new EventText(CliText.ofLocale());
            for (Event e : events) {
                out.printf("%s  %-11s %4d %-30s %s%n", e.time(), e.level(), e.id().id(), e.id().symbolicName(), texts.message(e));
            }
            if (events.isEmpty()) {
                out.println(CliText.local(id != null || since != null ? "events.none-match" : "events.none-yet"));
            }
        }
        return Anywhere.OK;
    }

    static Instant since(String value) {
        try {
            return Instant.now().minus(Durations.parse(value));
        } catch (IllegalArgumentException notADuration) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw UserError.usage(CliText.local("events.since-bad", "value", value));
            }
        }
    }
}
