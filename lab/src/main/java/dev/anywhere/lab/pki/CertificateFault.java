package dev.anywhere.lab.pki;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A defect the lab CA builds into a server certificate on request, each one a failure Outlook and the Remote
 * Connectivity Analyzer report in the field.
 */
public enum CertificateFault {
    /** Issued and signed by its own key, issuer = subject: no path to the lab CA (RFC 5280 6.1). */
    SELF_SIGNED("cert-self-signed"),
    /** Validity ended one day ago (RFC 5280 4.1.2.5). */
    EXPIRED("cert-expired"),
    /** Validity starts one day from now (RFC 5280 4.1.2.5). */
    NOT_YET_VALID("cert-not-yet-valid"),
    /** No {@code autodiscover.<domain>} name: Autodiscover over HTTPS fails the host name check (RFC 6125). */
    NO_AUTODISCOVER_NAME("cert-no-autodiscover"),
    /** Only the internal name {@code ex1.frankysweb.local}: the public names fail the name check. */
    INTERNAL_NAMES_ONLY("cert-internal-names"),
    /** An RSA 1024-bit key. */
    WEAK_KEY("cert-weak-key"),
    /** Signed with SHA-1. */
    WEAK_SIGNATURE("cert-weak-signature"),
    /** Issued by an intermediate CA that the chain file (what the server sends) omits. */
    MISSING_INTERMEDIATE("cert-missing-intermediate");

    private final String scenario;

    CertificateFault(String scenario) {
        this.scenario = scenario;
    }

    /** The lab scenario name, e.g. {@code cert-expired}. Also the JSON form in topology files. */
    @JsonValue
    public String scenario() {
        return scenario;
    }
}
