package dev.anywhere.analyzer.rpch;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import dev.anywhere.analyzer.text.Messages;

/**
 * A PDU-level record of one virtual connection for {@code -v}: HTTP request and status lines with headers, and one
 * line per PDU, each with milliseconds since the start, the channel and an arrow. Secrets never enter it:
 * {@code Authorization} values keep only the scheme and the NTLM message type, challenges only their size.
 * What was on the wire stays as it was; the client's own notes between the PDUs are texts of the analyzer's bundle,
 * English in {@link #lines()} (and {@code -v}), in a report's language through {@link #lines(Messages)}.
 * Thread-safe.
 */
public final class Transcript {

    private final long start = System.nanoTime();
    /** Each line's prefix (time, channel, arrow) and what follows it: wire content as a string, a note as a text. */
    private final List<Line> lines = new ArrayList<>();
    private final Consumer<String> live;
    private final boolean enabled;

    /** A transcript that only records. */
    public Transcript() {
        this(line -> { });
    }

    /** A transcript that also hands every line to {@code live} as it is recorded. */
    public Transcript(Consumer<String> live) {
        this(live, true);
    }

    private Transcript(Consumer<String> live, boolean enabled) {
        this.live = live;
        this.enabled = enabled;
    }

    /** A transcript that records nothing, for load generation: describing every PDU costs more than sending it. */
    public static Transcript off() {
        return new Transcript(line -> { }, false);
    }

    /** Whether lines are recorded; callers skip describing PDUs when not. */
    public boolean enabled() {
        return enabled;
    }

    /** Records {@code text} for {@code channel} ("IN", "OUT", "ECHO") in direction {@code out} (client → proxy). */
    public void add(String channel, boolean out, String text) {
        if (!enabled) {
            return;
        }
        record(new Line(String.format(Locale.ROOT, "%7.1f ms %-4s %s ", (System.nanoTime() - start) / 1e6, channel,
                out ? "→" : "←"), text));
    }

    /** Records the client's note that is not a message ("tcp connected to 127.0.0.1:443"), a text of the bundle. */
    public void note(String channel, RpchFailure.Text text) {
        if (!enabled) {
            return;
        }
        record(new Line(String.format(Locale.ROOT, "%7.1f ms %-4s   ", (System.nanoTime() - start) / 1e6, channel), text));
    }

    private void record(Line line) {
        synchronized (lines) {
            lines.add(line);
        }
        live.accept(line.render(ENGLISH));
    }

    /** The lines with the notes in English, as {@code -v} shows them. */
    public List<String> lines() {
        return lines(ENGLISH);
    }

    /** The lines with the notes in the language of {@code text}; wire content as it was. */
    public List<String> lines(Messages text) {
        synchronized (lines) {
            return lines.stream().map(l -> l.render(text)).toList();
        }
    }

    private static final Messages ENGLISH = Messages.of("en");

    private record Line(String prefix, Object content) {
        String render(Messages text) {
            return prefix + (content instanceof RpchFailure.Text t ? t.render(text) : content);
        }
    }

    /**
     * A header as the transcript shows it: credentials and NTLM blobs replaced by a description.
     * {@code Authorization: NTLM <NEGOTIATE, 40 bytes>}, {@code Authorization: Basic <redacted>}.
     */
    public static String redactHeader(String rawName, String value) {
        String n = rawName.toLowerCase(Locale.ROOT);
        String name = canonical(n);
        if (n.equals("authorization") || n.equals("www-authenticate") || n.equals("proxy-authorization")
                || n.equals("proxy-authenticate")) {
            int space = value.indexOf(' ');
            if (space < 0) {
                return name + ": " + value;
            }
            String scheme = value.substring(0, space);
            String token = value.substring(space + 1).trim();
            if (scheme.equalsIgnoreCase("NTLM") || scheme.equalsIgnoreCase("Negotiate")) {
                return name + ": " + scheme + " <" + ntlmType(token) + ">";
            }
            if (scheme.equalsIgnoreCase("Basic") && n.contains("authorization")) {
                return name + ": Basic <redacted>";
            }
            return name + ": " + value;
        }
        if (n.equals("cookie") || n.equals("set-cookie")) {
            return name + ": <redacted>";
        }
        return name + ": " + value;
    }

    /** {@code content-length} → {@code Content-Length}. */
    private static String canonical(String lower) {
        StringBuilder b = new StringBuilder(lower.length());
        boolean up = true;
        for (char c : lower.toCharArray()) {
            b.append(up ? Character.toUpperCase(c) : c);
            up = c == '-';
        }
        return b.toString().replace("Www-", "WWW-");
    }

    private static String ntlmType(String token) {
        try {
            byte[] b = Base64.getDecoder().decode(token);
            String type = b.length >= 12 ? switch (b[8]) {
                case 1 -> "NEGOTIATE";
                case 2 -> "CHALLENGE";
                case 3 -> "AUTHENTICATE";
                default -> "message";
            } : "message";
            return type + ", " + b.length + " bytes, redacted";
        } catch (IllegalArgumentException e) {
            return "redacted";
        }
    }
}
