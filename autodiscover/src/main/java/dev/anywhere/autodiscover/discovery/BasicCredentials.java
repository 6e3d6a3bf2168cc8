package dev.anywhere.autodiscover.discovery;

import dev.anywhere.rpc.httpauth.HttpBasic;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP Basic (RFC 7617), sent only in answer to a {@code Basic} challenge; the encoding is the project's one,
 * {@link HttpBasic}.
 *
 * @param user the user name ({@code user@domain} or {@code DOMAIN\\user})
 * @param password the password; never printed
 */
public record BasicCredentials(String user, String password) implements Credentials {

    public BasicCredentials {
        new HttpBasic(user, password); // its null checks and RFC 7617's colon rule, before any request
    }

    @Override
    public Optional<String> answer(List<String> challenges) {
        boolean basicOffered = challenges.stream()
                .anyMatch(c -> c.trim().toLowerCase(Locale.ROOT).startsWith("basic"));
        if (!basicOffered) {
            return Optional.empty();
        }
        return Optional.of(new HttpBasic(user, password).authorization());
    }

    @Override
    public List<String> secrets() {
        String token = new HttpBasic(user, password).token();
        return password.isEmpty() ? List.of(token) : List.of(password, token);
    }

    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + ", password=[redacted]]";
    }
}
