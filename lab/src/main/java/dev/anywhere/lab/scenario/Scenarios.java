package dev.anywhere.lab.scenario;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.CollectionType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The lab's scenarios, read from {@code scenarios.json} beside this class: each trap of the Outlook Anywhere story as
 * data ({@link Scenario}), in the order {@code anywhere lab scenarios} lists them.
 */
public final class Scenarios {

    static final String RESOURCE = "scenarios.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final List<Scenario> ALL = load();

    private Scenarios() {
    }

    /** Every scenario, healthy first. */
    public static List<Scenario> all() {
        return ALL;
    }

    /** The scenario called {@code name}. */
    public static Optional<Scenario> byName(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The names, for messages. */
    public static List<String> names() {
        return ALL.stream().map(Scenario::name).toList();
    }

    /** The scenarios as the Markdown table docs/lab.md carries (a test keeps the two in sync). */
    public static String markdownTable() {
        StringBuilder b = new StringBuilder("| scenario | what is broken | the analyzer says |\n|---|---|---|\n");
        for (Scenario s : ALL) {
            b.append("| `").append(s.name()).append("` | ").append(s.broken()).append(" | ")
                    .append(s.primary().map(p -> "`" + p + "`" + (s.findings().size() > 1 ? " (also " + String.join(", ",
                            s.findings().stream().filter(f -> !f.equals(p)).map(f -> "`" + f + "`").toList()) + ")" : ""))
                            .orElse("nothing: all green"))
                    .append(" |\n");
        }
        return b.toString();
    }

    private static List<Scenario> load() {
        try (InputStream in = Scenarios.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("scenarios: resource " + RESOURCE + " missing (expected: beside " + Scenarios.class.getName() + ")");
            }
            CollectionType type = JSON.getTypeFactory().constructCollectionType(List.class, Scenario.class);
            List<Scenario> all = List.copyOf(JSON.readValue(in, type));
            Set<String> names = new HashSet<>();
            for (Scenario s : all) {
                if (!names.add(s.name())) {
                    throw new IllegalStateException("scenario " + s.name() + ": defined twice (expected: unique names)");
                }
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException("scenarios: " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
