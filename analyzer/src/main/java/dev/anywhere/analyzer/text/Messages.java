package dev.anywhere.analyzer.text;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The analyzer's words besides the finding catalogue: check titles, summaries, evidence labels, report headings, the
 * causes of failures. Java's ResourceBundle convention: {@code messages.properties} (English, the base) and
 * {@code messages_de.properties} beside this class, UTF-8, {@code {name}} placeholders ({@link Placeholders}). Keys
 * are dotted by where the text appears ({@code check.rpc-proxy.dns.title}, {@code summary.rpc-proxy.tcp.refused},
 * {@code cause.closed}); {@code MessagesTest} fails when a language lacks a key or a German text is still English.
 */
public final class Messages {

    /** The bundle's base name. */
    public static final String BUNDLE = "dev.anywhere.analyzer.text.messages";
    /** The languages every key must have. */
    public static final List<String> LANGUAGES = List.of("en", "de");

    /** What gives a Java type away in a message: a class name or a package prefix. */
    public static final Pattern CLASS_NAME = Pattern.compile("[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Exception|Error)\\b|\\bjava\\.|\\bjavax\\.|\\bio\\.netty|\\bsun\\.");

    private final ResourceBundle bundle;
    private final String language;

    private Messages(ResourceBundle bundle, String language) {
        this.bundle = bundle;
        this.language = language;
    }

    /** The messages in {@code language} (en or de). */
    public static Messages of(String language) {
        String lang = language(language);
        // No fallback to the JVM's default locale: --lang en on a German desktop stays English.
        ResourceBundle b = ResourceBundle.getBundle(BUNDLE, Locale.forLanguageTag(lang),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        return new Messages(b, lang);
    }

    public String language() {
        return language;
    }

    /** {@code language} checked and in lower case: en or de, the languages of the bundles and the finding catalogue. */
    public static String language(String language) {
        String lang = language.toLowerCase(Locale.ROOT);
        if (!LANGUAGES.contains(lang)) {
            throw new IllegalArgumentException("language: '" + language + "' (expected: en or de)");
        }
        return lang;
    }

    /** The text for {@code key}; a key the bundle lacks is a programming error and says so. */
    public String get(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalArgumentException("message: unknown key '" + key + "' (expected: a key of messages.properties)");
        }
    }

    /** The text for {@code key} with its placeholders filled from {@code values}. */
    public String get(String key, Map<String, ?> values) {
        return Placeholders.fill(get(key), values);
    }

    /** Every key of this language (its own and the base's). */
    public Set<String> keys() {
        return Collections.unmodifiableSet(new TreeSet<>(bundle.keySet()));
    }

    /**
     * A failure as a sentence in this language: what happened, never the exception's class name. The JDK's and
     * Netty's own messages are English and often name classes, so they are used only when clean and in English.
     */
    public String cause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String key = causeKey(t);
            if (key != null) {
                return get(key);
            }
        }
        String message = failure.getMessage();
        if (language.equals("en") && message != null && !message.isBlank() && !CLASS_NAME.matcher(message).find()) {
            return message;
        }
        return get("cause.unexpected");
    }

    /**
     * An Autodiscover attempt's reason in this language ({@code autodiscover.reason.<id>}); nested reasons (causes,
     * optional parts) in the same language, every other value as it is (host names, URLs, status codes).
     */
    public String reason(dev.anywhere.autodiscover.discovery.AttemptReason reason) {
        Map<String, Object> filled = new java.util.HashMap<>();
        reason.values().forEach((k, v) -> filled.put(k, v instanceof dev.anywhere.autodiscover.discovery.AttemptReason r ? reason(r) : v));
        return get("autodiscover.reason." + reason.key().id(), filled);
    }

    /** Whether the failure is the peer closing the connection without an answer (at any depth of its causes). */
    public static boolean closedWithoutAnswer(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if ("cause.closed".equals(causeKey(t))) {
                return true;
            }
        }
        return false;
    }

    private static String causeKey(Throwable t) {
        String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        if (t instanceof UnknownHostException) {
            return "cause.unknown-host";
        }
        if (t instanceof SocketTimeoutException || t instanceof TimeoutException || message.contains("timed out")) {
            return "cause.timeout";
        }
        if (t instanceof ConnectException) {
            return "cause.refused";
        }
        if (t instanceof NoRouteToHostException) {
            return "cause.unreachable";
        }
        if (t instanceof ClosedChannelException || t instanceof EOFException || message.contains("connection reset")
                || message.contains("remote host terminated") || message.contains("closed")) {
            return "cause.closed";
        }
        if (t instanceof SSLException) {
            return "cause.tls";
        }
        return null;
    }
}
