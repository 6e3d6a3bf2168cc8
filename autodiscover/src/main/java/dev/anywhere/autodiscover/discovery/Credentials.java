package dev.anywhere.autodiscover.discovery;

import java.util.List;
import java.util.Optional;

/**
 * How the client authenticates to Autodiscover. The client first sends no {@code Authorization}; on a 401 it offers
 * the server's {@code WWW-Authenticate} challenges to {@link #answer(List)} and retries on the same connection, up to
 * {@link #maxLegs()} times, so connection-bound schemes (NTLM) can plug in later. Several candidates are asked side by
 * side ({@link AutodiscoverClient}), so {@link #answer} is called from several threads at once: an implementation keeps
 * no state between legs here (an NTLM one would need a handshake per connection).
 */
public interface Credentials {

    /** The user name, shown in transcripts. */
    String user();

    /**
     * The {@code Authorization} value answering the challenges of a 401 (leg 1, 2, …), or empty to give up.
     *
     * @param challenges every {@code WWW-Authenticate} value of the 401
     */
    Optional<String> answer(List<String> challenges);

    /** How many authenticated requests one attempt may make (Basic: 1; NTLM: 2). */
    default int maxLegs() {
        return 1;
    }

    /** Strings that must never appear in a transcript (passwords, tokens). */
    List<String> secrets();
}
