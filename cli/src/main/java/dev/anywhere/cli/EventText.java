package dev.anywhere.cli;

import dev.anywhere.analyzer.text.Placeholders;
import dev.anywhere.server.events.Event;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An event's text as {@code anywhere events} prints it: the bundle's {@code event.<id>[.<variant>]} filled from the
 * event's insertion strings ({@link Event#data()}), in the command line's language, as a German Exchange shows its
 * event log in German. events.jsonl keeps the English message the service wrote (and {@code --format json} shows it);
 * an event whose data lacks a value its text needs (written before the value was recorded) is shown with that message.
 * A directory failure quoted by 2001, 2002 and 3921 is said in this language when the data holds it as a key with
 * values ({@code error.key}, {@code reason.key}, …: {@link dev.anywhere.directory.DirectoryText#data}), else in the
 * service's English.
 */
final class EventText {

    /** The gateway's deadline reason for 3921, the one reason it words itself (others are the directory's). */
    private static final Pattern NO_ANSWER = Pattern.compile("no answer within (\\d+) ms");

    private final CliText text;

    EventText(CliText text) {
        this.text = text;
    }

    /** The text of {@code e} in this language. */
    String message(Event e) {
        Map<String, String> values = new HashMap<>(e.data());
        String key = key(e, values);
        // The directory's failure said in this language where the service recorded it as a key with values.
        for (String name : java.util.List.of("error", "reason")) {
            dev.anywhere.directory.DirectoryText.fromData(e.data(), name + ".")
                    .ifPresent(t -> values.put(name, DirectoryProblemText.say(t, text)));
        }
        if (!text.keys().contains(key)) {
            return e.message(); // a variant this version does not know (a newer writer's)
        }
        String template = text.get(key);
        boolean complete = Placeholders.names(template).stream().allMatch(values::containsKey);
        return complete ? Placeholders.fill(template, values) : e.message();
    }

    /** The key of {@code e}'s text; adds the values that a variant derives from the data. */
    static String key(Event e, Map<String, String> values) {
        Map<String, String> d = e.data();
        String base = "event." + e.id().id();
        return switch (e.id()) {
            case PROXY_NOT_INSTALLED -> base + "." + d.getOrDefault("roles", "gateway,endpoints").replace(',', '-');
            case UPDATED_RPC_VIRTUAL_DIRECTORY -> base + ("enabled".equals(d.get("new")) ? ".enabled" : ".disabled");
            case UPDATED_SSL_REQUIREMENT -> base + ("None".equals(d.get("new")) ? ".offloading-on" : ".offloading-off");
            case REVERTED_MANUAL_CHANGE -> base + switch (d.getOrDefault("items", "")) {
                case "deleted" -> ".deleted";
                case "unreadable" -> ".unreadable";
                case "digest" -> ".digest";
                default -> ".changed";
            };
            case CHANGE_FOLLOWING_STARTED -> base + "." + d.getOrDefault("mechanism", "POLLING");
            case DIRECTORY_REPLICA_SWITCHED -> base + ("true".equals(d.get("nearest")) ? ".back" : ".away");
            case LOGON_FAILED -> base + ("0".equals(d.get("delayMillis")) ? "" : ".held");
            case LOGON_DIRECTORY_UNREACHABLE -> {
                Matcher slow = NO_ANSWER.matcher(d.getOrDefault("reason", ""));
                if (slow.matches()) {
                    values.put("ms", slow.group(1));
                    yield base + ".slow";
                }
                yield base;
            }
            default -> base;
        };
    }
}
