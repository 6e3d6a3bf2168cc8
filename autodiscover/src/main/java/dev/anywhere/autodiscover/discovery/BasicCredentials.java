package dev.anywhere.autodiscover.discovery;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTP Basic (RFC 7617), sent only in answer to a {@code Basic} challenge.
 *
 * @param user the user name ({@code user@domain} or {@code DOMAIN\\user})
 * @param password the password; never printed
 */
public record BasicCredentials(String user, String password) implements Credentials {

    public BasicCredentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public Optional<String> answer(List<String> challenges) {
        boolean basicOffered = challenges.stream()
                .anyMatch(c -> c.trim().toLowerCase(Locale.ROOT).startsWith("basic"));
        if (!basicOffered) {
            return Optional.empty();
        }
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return Optional.of("Basic " + token);
    }

    @Override
    public List<String> secrets() {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return password.isEmpty() ? List.of(token) : List.of(password, token);
    }

    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + ", password=[redacted]]";
    }
}
