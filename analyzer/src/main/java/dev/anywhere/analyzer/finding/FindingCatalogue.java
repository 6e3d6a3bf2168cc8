package dev.anywhere.analyzer.finding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.analyzer.text.Placeholders;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Every finding the analyzer can report, in English and German, loaded from {@code findings.json}. Texts carry
 * {@code {name}} placeholders filled from what the check saw; a placeholder without a value stays visible rather than
 * vanishing, so a missing value is noticed in review.
 */
public final class FindingCatalogue {

    /** The languages every entry must have. */
    public static final Set<String> LANGUAGES = Set.of("en", "de");

    /** One catalogue entry in all languages. */
    public record Entry(String id, Severity severity, List<String> references, Map<String, Text> texts) {
    }

    /** The words of an entry in one language. */
    public record Text(String title, String cause, String fix) {
    }

    private final CompletableFuture<Map<String, Entry>> entries;
    private final String language;

    private FindingCatalogue(CompletableFuture<Map<String, Entry>> entries, String language) {
        this.entries = entries;
        this.language = language;
    }

    /** The built-in catalogue in {@code language} (en or de). */
    public static FindingCatalogue load(String language) {
        return new FindingCatalogue(CompletableFuture.completedFuture(read()), Messages.language(language));
    }

    /**
     * The built-in catalogue, read on a thread of its own: a cold JVM spends about a tenth of a second on Jackson and
     * the file, which the analyzer's first steps (DNS, TCP, TLS to Autodiscover) never need. The first use waits for
     * it; an error reading it surfaces there, as from {@link #load}.
     */
    public static FindingCatalogue loadInBackground(String language) {
        String lang = Messages.language(language);
        CompletableFuture<Map<String, Entry>> entries = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                entries.complete(read());
            } catch (RuntimeException | Error e) {
                entries.completeExceptionally(e);
            }
        }, "finding-catalogue");
        reader.setDaemon(true);
        reader.start();
        return new FindingCatalogue(entries, lang);
    }

    private static Map<String, Entry> read() {
        try (InputStream in = FindingCatalogue.class.getResourceAsStream("findings.json")) {
            if (in == null) {
                throw new IllegalStateException("findings.json is missing from the analyzer jar");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("findings.json: " + e.getMessage(), e);
        }
    }

    static Map<String, Entry> parse(JsonNode root) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (JsonNode n : root.path("findings")) {
            String id = n.path("id").asText();
            Map<String, Text> texts = new LinkedHashMap<>();
            for (String lang : LANGUAGES) {
                JsonNode t = n.path(lang);
                texts.put(lang, new Text(t.path("title").asText(), t.path("cause").asText(), t.path("fix").asText()));
            }
            List<String> refs = new ArrayList<>();
            n.path("references").forEach(r -> refs.add(r.asText()));
            if (entries.put(id, new Entry(id, Severity.valueOf(n.path("severity").asText()), refs, texts)) != null) {
                throw new IllegalStateException("findings.json: duplicate id " + id);
            }
        }
        return entries;
    }

    public String language() {
        return language;
    }

    public Map<String, Entry> entries() {
        try {
            return entries.join();
        } catch (CompletionException e) {
            // The reader's own exception, as load() would have thrown it.
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** The finding {@code id} with its placeholders filled from {@code values}. */
    public Finding finding(String id, Map<String, ?> values) {
        Entry e = entries().get(id);
        if (e == null) {
            throw new IllegalArgumentException("finding: unknown id '" + id + "' (expected: an id of findings.json)");
        }
        Text t = e.texts().get(language);
        return new Finding(id, e.severity(), fill(t.title(), values), fill(t.cause(), values), fill(t.fix(), values), e.references());
    }

    public Finding finding(String id) {
        return finding(id, Map.of());
    }

    static String fill(String text, Map<String, ?> values) {
        return Placeholders.fill(text, values);
    }
}
