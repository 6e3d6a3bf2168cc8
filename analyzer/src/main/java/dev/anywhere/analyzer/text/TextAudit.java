package dev.anywhere.analyzer.text;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks rendered text for what must not reach a reader: English left in German text (a heuristic: English function
 * words and the words of the analyzer's English sentences that German never uses; quoted parts („…“, '…') and protocol
 * tokens are not looked at, so a German text may quote Outlook's English dialog or name an HTTP header), fragments of
 * the English bundle in German output, German left in English text (the same heuristic the other way round), unfilled
 * placeholders, and Java class names. Used by the tests of the bundles and of real runs.
 */
public final class TextAudit {

    /** Words that mark an English sentence and are not German words (not "in", "an", "so", "was", "will"). */
    static final Set<String> ENGLISH = Set.of("the", "and", "is", "are", "has", "have", "not", "with", "without", "of", "to", "from",
            "for", "by", "this", "that", "which", "answers", "answered", "answer", "connection", "record", "failed", "skipped", "found",
            "cannot", "does", "after", "only", "no", "or", "its", "there", "when", "returned", "within", "refused", "timed", "passed",
            "warnings", "nothing", "never", "none", "check", "testing", "ping", "resolve", "send", "look", "keep");

    /** Words that mark a German sentence and are not English words, and every word with an umlaut or ß. */
    static final Set<String> GERMAN = Set.of("der", "die", "das", "und", "nicht", "ist", "wird", "wurde", "keine", "kein", "keinen",
            "mit", "für", "von", "oder", "eine", "einen", "einer", "ein", "hat", "sich", "den", "dem", "des", "bei", "nach", "aus", "auch",
            "sind", "erwartet", "binnen", "aber", "zum", "zur", "ohne", "antwort", "verbindung", "anfrage", "gescheitert");

    /** A placeholder left unfilled: {@code {host}}. */
    static final Pattern UNFILLED = Pattern.compile("\\{[a-zA-Z]+}");

    private static final Pattern QUOTED = Pattern.compile("„[^“]*“|'[^']*'|\"[^\"]*\"|`[^`]*`");
    private static final Pattern WORD = Pattern.compile("[A-Za-zÄÖÜäöüß]+");

    private TextAudit() {
    }

    /**
     * The English words in {@code german}, outside quotes and placeholders. Parts of compounds (Keep-Alive,
     * Outlook-Anywhere-Test), paths and configuration lines (a directive with an underscore and its arguments) are
     * names, not sentences.
     */
    public static List<String> englishWords(String german) {
        String t = QUOTED.matcher(german).replaceAll(" ").replaceAll("\\{[a-zA-Z]+}", " ").replaceAll("https?://\\S+|--[a-z-]+", " ");
        List<String> found = new java.util.ArrayList<>();
        boolean directiveArgument = false;
        for (String token : t.split("\\s+")) {
            boolean name = token.contains("-") || token.contains("_") || token.contains("/") || token.contains(".") && !token.endsWith(".");
            if (!name && !directiveArgument) {
                WORD.matcher(token).results().map(m -> m.group()).filter(w -> ENGLISH.contains(w.toLowerCase(Locale.ROOT))).forEach(found::add);
            }
            directiveArgument = token.contains("_") && !token.endsWith(";") || directiveArgument && !token.endsWith(";");
        }
        return found;
    }

    /**
     * The problems of a bundle's two languages, for the tests of every bundle: a key only in one, a German text that is
     * blank or the English one (a key missing in German falls back to the English text), a placeholder German adds, an
     * English word in German, a German word in English, a class name in either.
     */
    public static List<String> bundleProblems(java.util.ResourceBundle en, java.util.ResourceBundle de) {
        List<String> problems = new java.util.ArrayList<>();
        if (!de.keySet().equals(en.keySet())) {
            problems.add("keys differ: " + en.keySet() + " / " + de.keySet());
        }
        for (String key : en.keySet()) {
            String e = en.getString(key);
            String d = de.getString(key);
            if (d.isBlank() || d.equals(e)) {
                problems.add(key + ": no German text of its own: " + d);
            }
            if (!new java.util.HashSet<>(Placeholders.names(e)).containsAll(Placeholders.names(d))) {
                problems.add(key + ": German adds a placeholder");
            }
            englishWords(d).forEach(w -> problems.add(key + ": English word '" + w + "': " + d));
            germanWords(e).forEach(w -> problems.add(key + ": German word '" + w + "': " + e));
            if (Messages.CLASS_NAME.matcher(e + d).find()) {
                problems.add(key + ": a class name");
            }
        }
        return problems;
    }

    /**
     * The German words in {@code english}, outside quotes and placeholders, by the same rules as {@link #englishWords}:
     * German function words and any word with an umlaut or ß.
     */
    public static List<String> germanWords(String english) {
        String t = QUOTED.matcher(english).replaceAll(" ").replaceAll("\\{[a-zA-Z]+}", " ").replaceAll("https?://\\S+|--[a-z-]+", " ");
        List<String> found = new java.util.ArrayList<>();
        for (String token : t.split("\\s+")) {
            boolean name = token.contains("-") || token.contains("_") || token.contains("/") || token.contains(".") && !token.endsWith(".");
            if (!name) {
                WORD.matcher(token).results().map(m -> m.group()).filter(w -> GERMAN.contains(w.toLowerCase(Locale.ROOT))
                        || w.chars().anyMatch(c -> "äöüÄÖÜß".indexOf(c) >= 0)).forEach(found::add);
            }
        }
        return found;
    }

    /**
     * Every problem of a result tree rendered in {@code language}: class names anywhere in titles, summaries, evidence
     * and finding texts, and placeholders left unfilled; in German also English words and fragments of the English
     * bundle's sentences, in English German words and fragments of the German bundle's, in everything but the evidence
     * that is a protocol transcript ({@link #rawEvidence}).
     */
    public static List<String> audit(dev.anywhere.analyzer.check.CheckResult node, String language) {
        List<String> problems = new java.util.ArrayList<>();
        audit(node, language, fragments(language.equals("de") ? "en" : "de"), problems);
        return problems;
    }

    private static void audit(dev.anywhere.analyzer.check.CheckResult node, String language, List<String> other, List<String> problems) {
        List<String> texts = new java.util.ArrayList<>(List.of(node.title(), node.summary()));
        Set<String> raw = rawEvidence(language);
        for (var e : node.evidence()) {
            texts.add(e.label());
            if (raw.contains(e.label())) {
                if (Messages.CLASS_NAME.matcher(e.text()).find()) {
                    problems.add(node.id() + ": a Java class name in " + e.label() + ": " + e.text());
                }
            } else {
                texts.addAll(e.text().lines().toList());
            }
        }
        node.findings().forEach(f -> texts.addAll(List.of(f.title(), f.cause(), f.fix())));
        for (String t : texts) {
            if (Messages.CLASS_NAME.matcher(t).find()) {
                problems.add(node.id() + ": a Java class name: " + t);
            }
            if (UNFILLED.matcher(t).find()) {
                problems.add(node.id() + ": a placeholder left unfilled: " + t);
            }
            if (language.equals("de")) {
                englishWords(t).forEach(w -> problems.add(node.id() + ": English word '" + w + "': " + t));
            } else {
                germanWords(t).forEach(w -> problems.add(node.id() + ": German word '" + w + "': " + t));
            }
            other.stream().filter(t::contains).forEach(f -> problems.add(node.id() + ": text of the other language '" + f + "': " + t));
        }
        node.children().forEach(c -> audit(c, language, other, problems));
    }

    /**
     * The evidence that is what was seen on the wire, by its label in {@code language}: HTTP and PDU transcripts, the
     * endpoint mapper's towers and the EMSMDB calls. Only class names are looked for there; every other evidence (the
     * certificate, the answers per connection, …) is the analyzer's own text and is audited line by line.
     */
    static Set<String> rawEvidence(String language) {
        Messages text = Messages.of(language);
        return Set.of(text.get("evidence.http-transcript"), text.get("evidence.pdu-transcript"), text.get("evidence.endpoint-mapper"), "EMSMDB");
    }

    /** The English bundle's and catalogue's sentences cut at their placeholders: the parts of three words or more. */
    static List<String> englishFragments() {
        return fragments("en");
    }

    /**
     * The sentences of the bundle and catalogue in {@code language} cut at their placeholders: the parts of three words
     * or more that the heuristic marks as that language.
     */
    static List<String> fragments(String language) {
        Messages m = Messages.of(language);
        List<String> texts = new java.util.ArrayList<>();
        m.keys().forEach(k -> texts.add(m.get(k)));
        dev.anywhere.analyzer.finding.FindingCatalogue.load(language).entries().values().forEach(e -> {
            var t = e.texts().get(language);
            texts.addAll(List.of(t.title(), t.cause(), t.fix()));
        });
        List<String> fragments = new java.util.ArrayList<>();
        for (String t : texts) {
            for (String part : t.split("\\{[a-zA-Z]+}")) {
                String p = part.strip();
                boolean marked = language.equals("en") ? !englishWords(p).isEmpty() : !germanWords(p).isEmpty();
                if (p.split("\\s+").length >= 3 && marked) {
                    fragments.add(p);
                }
            }
        }
        return fragments;
    }
}
