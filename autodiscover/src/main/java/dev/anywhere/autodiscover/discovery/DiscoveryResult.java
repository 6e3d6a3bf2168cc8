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
 * @param failure why discovery failed, when it did
 * @param redirects how many redirections were followed
 * @param attempts every step in order
 */
public record DiscoveryResult(String emailAddress, Optional<AutodiscoverResponse> response,
        Optional<String> acceptedUrl, Optional<String> failure, int redirects, List<Attempt> attempts) {

    public DiscoveryResult {
        Objects.requireNonNull(emailAddress, "emailAddress");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(acceptedUrl, "acceptedUrl");
        Objects.requireNonNull(failure, "failure");
        attempts = List.copyOf(attempts);
    }

    public boolean succeeded() {
        return response.isPresent();
    }
}
