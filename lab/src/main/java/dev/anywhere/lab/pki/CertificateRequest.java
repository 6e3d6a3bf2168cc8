package dev.anywhere.lab.pki;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a server certificate should say: subject common name, subject alternative DNS names (RFC 5280 4.2.1.6),
 * validity, key type, signature algorithm, and the faults to build in.
 *
 * @param commonName the subject CN, e.g. {@code oa.frankysweb.org}
 * @param dnsNames the SAN dNSName entries, lower-case; clients check only these (RFC 6125 6.4.4)
 * @param validity the validity period
 * @param keyType the key pair to generate
 * @param signatureAlgorithm the issuer's signature algorithm, checked against the issuer's key when issued; empty
 *     for the default of the issuer's key
 * @param faults the defects to build in; empty for a healthy certificate
 */
public record CertificateRequest(String commonName, List<String> dnsNames, Validity validity, KeyType keyType,
        Optional<SignatureAlgorithm> signatureAlgorithm, Set<CertificateFault> faults) {

    /** The name the lab publishes Outlook Anywhere under. */
    public static final String OA_NAME = "oa.frankysweb.org";
    /** The Autodiscover name of the lab's SMTP domain. */
    public static final String AUTODISCOVER_NAME = "autodiscover.frankysweb.org";
    /** EX1's internal name, the only one a certificate with {@link CertificateFault#INTERNAL_NAMES_ONLY} has. */
    public static final String INTERNAL_NAME = "ex1.frankysweb.local";
    /** Default validity of a server certificate, in days. */
    public static final int DEFAULT_DAYS = 365;

    // RFC 1034 3.5 preferred syntax, loosened for underscores; an optional leading "*." wildcard (RFC 6125 6.4.3)
    private static final String LABEL = "[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?";
    private static final Pattern DNS_NAME = Pattern.compile("(\\*\\.)?" + LABEL + "(\\." + LABEL + ")*");

    public CertificateRequest {
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
        dnsNames = dnsNames.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        for (String name : dnsNames) {
            if (name.length() > 253 || !DNS_NAME.matcher(name).matches()) {
                throw new dev.anywhere.rpc.input.InvalidValue("pki.dns-name", name, "SAN dNSName: " + name + " (expected: a host name, RFC 1034 3.5)");
            }
        }
        faults = faults.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(faults));
    }

    /** The lab's healthy default: CN {@code oa.frankysweb.org}, SANs oa and autodiscover, one year, RSA 2048. */
    public static CertificateRequest labDefault() {
        return builder(OA_NAME).dnsNames(OA_NAME, AUTODISCOVER_NAME).build();
    }

    /** The lab default with {@code faults} built in. */
    public static CertificateRequest labDefault(CertificateFault... faults) {
        return builder(OA_NAME).dnsNames(OA_NAME, AUTODISCOVER_NAME).faults(faults).build();
    }

    /** A request for {@code commonName}; the CN becomes the only SAN unless {@link Builder#dnsNames} is called. */
    public static Builder builder(String commonName) {
        return new Builder(commonName);
    }

    /** Builds a {@link CertificateRequest}; defaults: SAN = CN, {@value #DEFAULT_DAYS} days, RSA 2048, no faults. */
    public static final class Builder {
        private final String commonName;
        private final List<String> dnsNames = new ArrayList<>();
        private Validity validity;
        private KeyType keyType = KeyType.RSA_2048;
        private SignatureAlgorithm signatureAlgorithm;
        private final Set<CertificateFault> faults = EnumSet.noneOf(CertificateFault.class);

        private Builder(String commonName) {
            this.commonName = commonName;
        }

        public Builder dnsNames(String... names) {
            dnsNames.addAll(List.of(names));
            return this;
        }

        public Builder dnsNames(List<String> names) {
            dnsNames.addAll(names);
            return this;
        }

        public Builder validity(Validity validity) {
            this.validity = validity;
            return this;
        }

        public Builder validityDays(int days) {
            this.validity = Validity.days(days);
            return this;
        }

        public Builder keyType(KeyType keyType) {
            this.keyType = keyType;
            return this;
        }

        public Builder signatureAlgorithm(SignatureAlgorithm algorithm) {
            this.signatureAlgorithm = algorithm;
            return this;
        }

        public Builder faults(CertificateFault... faults) {
            this.faults.addAll(List.of(faults));
            return this;
        }

        public Builder faults(Set<CertificateFault> faults) {
            this.faults.addAll(faults);
            return this;
        }

        public CertificateRequest build() {
            List<String> names = dnsNames.isEmpty() ? List.of(commonName) : List.copyOf(dnsNames);
            return new CertificateRequest(commonName, names, validity != null ? validity : Validity.days(DEFAULT_DAYS),
                    keyType, Optional.ofNullable(signatureAlgorithm), faults);
        }
    }
}
