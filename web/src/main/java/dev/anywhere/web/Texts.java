package dev.anywhere.web;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/** The server's words to the page, in English or German ({@code messages.properties}, {@code messages_de.properties}). */
final class Texts {

    private Texts() {
    }

    /** {@code de} for German, anything else English. */
    static String of(String language, String key, Object... args) {
        Locale locale = "de".equals(language) ? Locale.GERMAN : Locale.ROOT;
        ResourceBundle bundle = ResourceBundle.getBundle("dev.anywhere.web.messages", locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        return new MessageFormat(bundle.getString(key), locale).format(args);
    }
}
