package dev.anywhere.autodiscover.pox;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code Account} element: what to do next ({@code Action}) and, for settings, the protocols in server order.
 *
 * @param accountType {@code AccountType}, {@code email} for Outlook
 * @param action {@code Action}
 * @param redirectAddr {@code RedirectAddr} ([MS-OXDSCLI] 2.2.4.1.1.2.8), present exactly when the action is
 *        {@link Action#REDIRECT_ADDR}
 * @param redirectUrl {@code RedirectUrl} ([MS-OXDSCLI] 2.2.4.1.1.2.9), present exactly when the action is
 *        {@link Action#REDIRECT_URL}
 * @param microsoftOnline {@code MicrosoftOnline} as written ({@code False}/{@code True}), if present
 * @param protocols the {@code Protocol} elements in document order (EXCH, EXPR, WEB … as Exchange orders them)
 * @see [MS-OXDSCLI] 2.2.4.1.1.2 Account
 */
public record Account(String accountType, Action action, Optional<String> redirectAddr, Optional<String> redirectUrl,
        Optional<String> microsoftOnline, List<Protocol> protocols) {

    public static final String EMAIL = "email";

    public Account {
        Objects.requireNonNull(accountType, "accountType");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(redirectAddr, "redirectAddr");
        Objects.requireNonNull(redirectUrl, "redirectUrl");
        Objects.requireNonNull(microsoftOnline, "microsoftOnline");
        protocols = List.copyOf(protocols);
        if (action == Action.REDIRECT_ADDR && redirectAddr.isEmpty()) {
            throw new IllegalArgumentException("RedirectAddr: absent (expected: present with Action redirectAddr)");
        }
        if (action == Action.REDIRECT_URL && redirectUrl.isEmpty()) {
            throw new IllegalArgumentException("RedirectUrl: absent (expected: present with Action redirectUrl)");
        }
    }

    /** An {@code email} account with settings. */
    public static Account settings(List<Protocol> protocols) {
        return new Account(EMAIL, Action.SETTINGS, Optional.empty(), Optional.empty(), Optional.empty(), protocols);
    }

    /** Redirect to another SMTP address. */
    public static Account redirectAddr(String address) {
        return new Account(EMAIL, Action.REDIRECT_ADDR, Optional.of(address), Optional.empty(), Optional.empty(),
                List.of());
    }

    /** Redirect to another Autodiscover URL. */
    public static Account redirectUrl(String url) {
        return new Account(EMAIL, Action.REDIRECT_URL, Optional.empty(), Optional.of(url), Optional.empty(),
                List.of());
    }

    /** The first protocol of {@code type}, if any. */
    public Optional<Protocol> protocol(ProtocolType type) {
        return protocols.stream().filter(p -> p.type() == type).findFirst();
    }
}
