package dev.anywhere.autodiscover.pox;

import java.util.Objects;
import java.util.Optional;

/**
 * An Autodiscover response: either settings/redirect ({@code User} + {@code Account}) in the Outlook 2006a schema, or
 * an {@code Error}.
 *
 * @param user {@code User}; absent in redirects and errors
 * @param account {@code Account}; absent in errors
 * @param error {@code Error}
 * @see [MS-OXDSCLI] 2.2.4 Autodiscover Response
 */
public record AutodiscoverResponse(Optional<User> user, Optional<Account> account, Optional<AutodiscoverError> error) {

    public AutodiscoverResponse {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(error, "error");
        if (account.isEmpty() && error.isEmpty()) {
            throw new IllegalArgumentException("Response: neither Account nor Error (expected: one of them)");
        }
    }

    public static AutodiscoverResponse settings(User user, Account account) {
        return new AutodiscoverResponse(Optional.of(user), Optional.of(account), Optional.empty());
    }

    public static AutodiscoverResponse redirect(Account account) {
        return new AutodiscoverResponse(Optional.empty(), Optional.of(account), Optional.empty());
    }

    public static AutodiscoverResponse error(AutodiscoverError error) {
        return new AutodiscoverResponse(Optional.empty(), Optional.empty(), Optional.of(error));
    }

    public boolean isError() {
        return error.isPresent();
    }

    /** The action of the account, empty for an error response. */
    public Optional<Action> action() {
        return account.map(Account::action);
    }
}
