package dev.anywhere.analyzer.check;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a check saw, shown beside its result: a transcript, a certificate, a DNS answer. Text is redacted when the
 * evidence is created, so no writer can leak a secret: Authorization values, NTLM and Negotiate blobs and
 * passwords never survive.
 *
 * @param label what this is ("HTTP transcript", "certificate")
 * @param text the redacted content
 */
public record Evidence(String label, String text) {

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?im)^((?:proxy-)?authorization|www-authenticate)(:\\s*)(basic|ntlm|negotiate)\\s+\\S+");
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password[\"']?\\s*[:=]\\s*[\"']?)[^\\s\"'<&]+");
    private static final Pattern PASSWORD_ELEMENT = Pattern.compile("(?is)(<(?:\\w+:)?password>).*?(</(?:\\w+:)?password>)");

    public Evidence {
        Objects.requireNonNull(label, "label");
        text = redact(Objects.requireNonNull(text, "text"));
    }

    /** Replaces credentials and authentication blobs with {@code [redacted]}, keeping the scheme name. */
    public static String redact(String text) {
        String t = AUTHORIZATION.matcher(text).replaceAll("$1$2$3 [redacted]");
        t = PASSWORD_ELEMENT.matcher(t).replaceAll("$1[redacted]$2");
        return PASSWORD.matcher(t).replaceAll("$1[redacted]");
    }
}
