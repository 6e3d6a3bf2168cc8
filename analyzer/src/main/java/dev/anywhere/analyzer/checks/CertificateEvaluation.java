package dev.anywhere.analyzer.checks;

import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.finding.FindingCatalogue;
import dev.anywhere.analyzer.finding.Severity;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Judges a server's certificate chain the way Outlook (through Windows' TLS stack) will: the name incl. SANs, trust
 * up to a root the client has, the dates, the purpose, the key and signature strength; and says which finding each
 * problem is. Pure: no network.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6125">RFC 6125</a> name matching
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5280">RFC 5280</a> path validation
 */
public final class CertificateEvaluation {

    /**
     * The findings that make a certificate fail validation as a TLS client does it (chain to a trusted root, the name
     * dialled, dates, server purpose): no credentials go to such a server. {@code --insecure} turns them into warnings.
     */
    public static final Set<String> VALIDATION_FINDINGS = Set.of("tls.untrusted", "tls.self-signed", "tls.missing-intermediate",
            "tls.name-mismatch", "tls.internal-names-only", "tls.expired", "tls.not-yet-valid", "tls.no-server-auth");

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String ANY_EKU = "2.5.29.37.0";

    /** The verdict: findings in order of importance, and the certificate described for the evidence. */
    public record Verdict(List<Finding> findings, String description, String commonName, List<String> dnsNames) {
        public boolean clean() {
            return findings.isEmpty();
        }
    }

    private CertificateEvaluation() {
    }

    /**
     * @param chain as the server sent it, leaf first
     * @param host the name the client connected to
     * @param domain the mail domain, to check {@code autodiscover.<domain>}; empty to skip that check
     */
    public static Verdict evaluate(List<X509Certificate> chain, String host, Optional<String> domain,
            Collection<X509Certificate> roots, Instant now, FindingCatalogue catalogue) {
        X509Certificate leaf = chain.get(0);
        List<String> names = dnsNames(leaf);
        String cn = commonName(leaf).orElse("");
        List<String> matchable = names.isEmpty() && !cn.isEmpty() ? List.of(cn) : names;
        Map<String, Object> v = new java.util.HashMap<>();
        v.put("host", host);
        v.put("names", String.join(", ", matchable));
        v.put("domain", domain.orElse(host));
        v.put("issuer", leaf.getIssuerX500Principal().getName());
        List<Finding> findings = new ArrayList<>();

        trust(chain, roots, now, catalogue, v).ifPresent(findings::add);
        if (!matches(host, matchable)) {
            boolean internalOnly = !matchable.isEmpty() && matchable.stream().allMatch(CertificateEvaluation::internalName);
            findings.add(catalogue.finding(internalOnly ? "tls.internal-names-only" : "tls.name-mismatch", v));
        }
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            v.put("notAfter", leaf.getNotAfter().toInstant());
            findings.add(catalogue.finding("tls.expired", v));
        } else if (now.isBefore(leaf.getNotBefore().toInstant())) {
            v.put("notBefore", leaf.getNotBefore().toInstant());
            findings.add(catalogue.finding("tls.not-yet-valid", v));
        }
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains(SERVER_AUTH) && !eku.contains(ANY_EKU)) {
                v.put("eku", String.join(", ", eku));
                findings.add(catalogue.finding("tls.no-server-auth", v));
            }
        } catch (CertificateParsingException e) {
            v.put("eku", "unreadable");
            findings.add(catalogue.finding("tls.no-server-auth", v));
        }
        String key = key(leaf);
        if (weakKey(leaf)) {
            v.put("key", key);
            findings.add(catalogue.finding("tls.weak-key", v));
        }
        String sig = leaf.getSigAlgName();
        if (sig.toUpperCase(Locale.ROOT).contains("SHA1") || sig.toUpperCase(Locale.ROOT).contains("MD5")) {
            v.put("algorithm", sig);
            findings.add(catalogue.finding("tls.weak-signature", v));
        }
        if (domain.isPresent() && !matches("autodiscover." + domain.get(), matchable)
                && !findings.stream().anyMatch(f -> f.id().equals("tls.name-mismatch") || f.id().equals("tls.internal-names-only"))) {
            findings.add(catalogue.finding("tls.autodiscover-name-missing", v));
        }
        return new Verdict(findings, describe(chain, key, dev.anywhere.analyzer.text.Messages.of(catalogue.language())), cn, names);
    }

    private static Optional<Finding> trust(List<X509Certificate> chain, Collection<X509Certificate> roots, Instant now,
            FindingCatalogue catalogue, Map<String, Object> v) {
        X509Certificate leaf = chain.get(0);
        if (leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal()) && signedBy(leaf, leaf)) {
            boolean trustedItself = roots.stream().anyMatch(r -> r.equals(leaf));
            return trustedItself ? Optional.empty() : Optional.of(catalogue.finding("tls.self-signed", v));
        }
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate r : roots) {
                anchors.add(new TrustAnchor(r, null));
            }
            if (anchors.isEmpty()) {
                v.put("reason", dev.anywhere.analyzer.text.Messages.of(catalogue.language()).get("cause.cert.no-anchors"));
                return Optional.of(catalogue.finding("tls.untrusted", v));
            }
            // The chain without a root the server may have sent along.
            List<X509Certificate> path = new ArrayList<>(chain);
            X509Certificate last = path.get(path.size() - 1);
            if (path.size() > 1 && last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
                path.remove(path.size() - 1);
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            X509Certificate top = chain.get(chain.size() - 1);
            boolean issuerMissing = !top.getSubjectX500Principal().equals(top.getIssuerX500Principal())
                    && roots.stream().noneMatch(r -> r.getSubjectX500Principal().equals(top.getIssuerX500Principal()));
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                    || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return Optional.empty(); // reported by the date check with the leaf's dates
            }
            if (issuerMissing && chain.size() == 1 && knownIssuerBelowRoot(top, roots)) {
                v.put("issuer", top.getIssuerX500Principal().getName());
                return Optional.of(catalogue.finding("tls.missing-intermediate", v));
            }
            v.put("issuer", top.getIssuerX500Principal().getName());
            v.put("reason", untrustedReason(e, catalogue.language()));
            return Optional.of(catalogue.finding("tls.untrusted", v));
        } catch (java.security.GeneralSecurityException e) {
            v.put("reason", catalogue.language().equals("en") ? e.getMessage()
                    : dev.anywhere.analyzer.text.Messages.of(catalogue.language()).get("cause.cert.unverifiable"));
            return Optional.of(catalogue.finding("tls.untrusted", v));
        }
    }

    /**
     * Whether the leaf's missing issuer looks like an intermediate of a root the client trusts: from the leaf alone
     * "the server forgot to send the intermediate" and "the client does not trust this CA" look the same, so we say
     * "missing intermediate" only when the issuer belongs to the same organisation (O=) as a trusted root, and
     * "untrusted" otherwise.
     */
    private static boolean knownIssuerBelowRoot(X509Certificate leaf, Collection<X509Certificate> roots) {
        Optional<String> org = rdn(leaf.getIssuerX500Principal().getName(), "O");
        return org.isPresent() && roots.stream().anyMatch(r -> org.equals(rdn(r.getSubjectX500Principal().getName(), "O")));
    }

    private static Optional<String> rdn(String dn, String type) {
        try {
            for (Rdn rdn : new LdapName(dn).getRdns()) {
                if (rdn.getType().equalsIgnoreCase(type)) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean signedBy(X509Certificate c, X509Certificate issuer) {
        try {
            c.verify(issuer.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The findings as reported: with {@code insecure} (the user waived validation) validation failures are warnings. */
    public static List<Finding> waived(List<Finding> findings, boolean insecure) {
        if (!insecure) {
            return findings;
        }
        return findings.stream().map(f -> VALIDATION_FINDINGS.contains(f.id()) ? f.withSeverity(Severity.WARNING) : f).toList();
    }

    /** RFC 6125 matching: exact, or a wildcard standing for exactly one leftmost label. */
    public static boolean matches(String host, List<String> names) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String n : names) {
            String name = n.toLowerCase(Locale.ROOT);
            if (name.equals(h)) {
                return true;
            }
            if (name.startsWith("*.") && h.indexOf('.') > 0 && h.substring(h.indexOf('.')).equals(name.substring(1))) {
                return true;
            }
        }
        return false;
    }

    static boolean internalName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return !n.contains(".") || n.endsWith(".local") || n.endsWith(".lan") || n.endsWith(".internal") || n.endsWith(".corp")
                || n.endsWith(".intranet") || n.endsWith(".localdomain");
    }

    public static List<String> dnsNames(X509Certificate c) {
        List<String> names = new ArrayList<>();
        try {
            if (c.getSubjectAlternativeNames() != null) {
                for (List<?> san : c.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        names.add((String) san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // An unreadable SAN extension matches nothing.
        }
        return names;
    }

    public static Optional<String> commonName(X509Certificate c) {
        try {
            for (Rdn rdn : new LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    static boolean weakKey(X509Certificate c) {
        if (c.getPublicKey() instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength() < 2048;
        }
        if (c.getPublicKey() instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() < 256;
        }
        return false;
    }

    static String key(X509Certificate c) {
        if (c.getPublicKey() instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        if (c.getPublicKey() instanceof ECPublicKey ec) {
            return "EC " + ec.getParams().getCurve().getField().getFieldSize();
        }
        return c.getPublicKey().getAlgorithm();
    }

    /**
     * Why the PKIX validator refused the chain. English keeps the validator's own words (reason and message); other
     * languages get the reason as a sentence of the bundle, since the JDK's message is English.
     */
    static String untrustedReason(CertPathValidatorException e, String language) {
        if (language.equals("en")) {
            return e.getReason() + ": " + e.getMessage();
        }
        dev.anywhere.analyzer.text.Messages text = dev.anywhere.analyzer.text.Messages.of(language);
        String key = "cause.cert." + String.valueOf(e.getReason()).toLowerCase(Locale.ROOT).replace('_', '-');
        return text.keys().contains(key) ? text.get(key) : text.get("cause.cert.unverifiable");
    }

    /**
     * The chain as evidence, its labels in the report's language (the names, DNs and algorithms are the certificate's).
     * The values start in one column: 13 wide, or wider when a label of this language needs it.
     */
    static String describe(List<X509Certificate> chain, String key, dev.anywhere.analyzer.text.Messages text) {
        List<String> labels = List.of("names", "key", "valid", "sha-256", "issuer");
        int width = Math.max(13, labels.stream().mapToInt(l -> text.get("evidence.cert." + l).length() + 3).max().orElse(0));
        java.util.function.Function<String, String> label = l -> String.format(Locale.ROOT, "  %-" + width + "s", text.get("evidence.cert." + l) + ":");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            b.append(i == 0 ? text.get("evidence.cert.leaf") : text.get("evidence.cert.chain", Map.of("index", i))).append(": ")
                    .append(c.getSubjectX500Principal().getName()).append('\n');
            if (i == 0) {
                b.append(label.apply("names")).append(String.join(", ", dnsNames(c))).append('\n');
                b.append(label.apply("key")).append(text.get("evidence.cert.key-value", Map.of("key", key, "signature", c.getSigAlgName())))
                        .append('\n');
                b.append(label.apply("valid")).append(c.getNotBefore().toInstant()).append(" .. ").append(c.getNotAfter().toInstant()).append('\n');
                try {
                    b.append(label.apply("sha-256")).append(HexFormat.ofDelimiter(":").withUpperCase()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()))).append('\n');
                } catch (Exception e) {
                    b.append(label.apply("sha-256")).append(text.get("evidence.cert.unavailable")).append('\n');
                }
            }
            b.append(label.apply("issuer")).append(c.getIssuerX500Principal().getName()).append('\n');
        }
        return b.toString();
    }
}
