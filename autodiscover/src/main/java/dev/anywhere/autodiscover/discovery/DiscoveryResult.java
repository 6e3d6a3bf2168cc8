package dev.anywhere.autodiscover.discovery;

import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one discovery run.
 *
 * @param emailAddress the address settings were found for (differs from the input after {@code RedirectAddr})
 * @param response the accepted settings response
 * @param acceptedUrl the URL that answered with it
 * @param why why discovery failed, when it did ({@link #failure()} in English)
 * @param redirects how many redirections were followed
 * @param attempts every step in order
 */
public record DiscoveryResult(String emailAddress, Optional<AutodiscoverResponse> response,
        Optional<String> acceptedUrl, Optional<AttemptReason> why, int redirects, List<Attempt> attempts) {

    public DiscoveryResult {
        Objects.requireNonNull(emailAddress, "emailAddress");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(acceptedUrl, "acceptedUrl");
        Objects.requireNonNull(why, "why");
        attempts = List.copyOf(attempts);
    }

    /** Why discovery failed, in one English line. */
    public Optional<String> failure() {
        return why.map(AttemptReason::line);
    }

    public boolean succeeded() {
        return response.isPresent();
    }
}
