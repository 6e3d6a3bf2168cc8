package dev.anywhere.autodiscover.pox;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Action} element's value: settings follow, or the client must retry with another address or URL.
 *
 * @see [MS-OXDSCLI] 2.2.4.1.1.2 Account (Action)
 */
public enum Action {
    /** {@code Protocol} elements follow. */
    SETTINGS("settings"),
    /** Retry with the SMTP address in {@code RedirectAddr}. */
    REDIRECT_ADDR("redirectAddr"),
    /** Retry by POSTing to the URL in {@code RedirectUrl}. */
    REDIRECT_URL("redirectUrl");

    private final String wireName;

    Action(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses the element text case-insensitively. */
    public static Optional<Action> parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Action a : values()) {
            if (a.wireName.toLowerCase(Locale.ROOT).equals(t)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
