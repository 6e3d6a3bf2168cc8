package dev.anywhere.autodiscover.discovery;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of discovery, as the analyzer renders it.
 *
 * @param method how the candidate was found
 * @param url the URL tried (for SCP: the LDAP URL; for SRV: the DNS name queried)
 * @param dnsAnswer what name resolution returned (addresses, SRV records, or the override used)
 * @param connectedTo the socket address connected to, if any
 * @param tcpConnectMillis time to establish TCP, if a connection was attempted and succeeded
 * @param tls TLS facts for https URLs
 * @param http the HTTP exchanges of this attempt (an unauthenticated request, then any authenticated retries)
 * @param elapsedMillis total time of the attempt
 * @param outcome accepted, skipped or failed
 * @param why why, as a keyed sentence ({@link #reason()} is its English line, {@code what: actual (expected: …)} for
 *        failures; a caller with a message bundle says it in its own language)
 */
public record Attempt(DiscoveryMethod method, String url, Optional<String> dnsAnswer, Optional<String> connectedTo,
        Optional<Long> tcpConnectMillis, Optional<TlsInfo> tls, List<HttpTranscript> http, long elapsedMillis,
        Outcome outcome, AttemptReason why) {

    public Attempt {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(dnsAnswer, "dnsAnswer");
        Objects.requireNonNull(connectedTo, "connectedTo");
        Objects.requireNonNull(tcpConnectMillis, "tcpConnectMillis");
        Objects.requireNonNull(tls, "tls");
        http = List.copyOf(http);
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(why, "why");
    }

    /** Why, in one English line. */
    public String reason() {
        return why.line();
    }

    /** The last HTTP status seen, 0 if none. */
    public int lastStatus() {
        return http.isEmpty() ? 0 : http.get(http.size() - 1).status();
    }
}
