package dev.anywhere.analyzer.text;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A heuristic for English left in German text: English function words and the words of the analyzer's English
 * sentences that German never uses. Quoted parts („…“, '…') and protocol tokens are not looked at: a German text may
 * quote Outlook's English dialog or name an HTTP header.
 */
public final class GermanText {

    /** Words that mark an English sentence and are not German words (not "in", "an", "so", "was", "will"). */
    static final Set<String> ENGLISH = Set.of("the", "and", "is", "are", "has", "have", "not", "with", "without", "of", "to", "from",
            "for", "by", "this", "that", "which", "answers", "answered", "answer", "connection", "record", "failed", "skipped", "found",
            "cannot", "does", "after", "only", "no", "or", "its", "there", "when", "returned", "within", "refused", "timed", "passed",
            "warnings", "nothing", "never", "none", "check", "testing", "ping", "resolve", "send", "look", "keep");

    private static final Pattern QUOTED = Pattern.compile("„[^“]*“|'[^']*'|\"[^\"]*\"|`[^`]*`");
    private static final Pattern WORD = Pattern.compile("[A-Za-zÄÖÜäöüß]+");

    private GermanText() {
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
}
