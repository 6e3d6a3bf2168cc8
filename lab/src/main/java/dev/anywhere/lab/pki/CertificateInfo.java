package dev.anywhere.lab.pki;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * What {@code anywhere cert show} prints about a certificate chain: the leaf's identity, names, validity, usage and
 * key, the chain as presented, and whether the lab CA (or any given trust anchors) trusts it, with the reason.
 *
 * @param subject the leaf's subject (RFC 4514 string)
 * @param dnsNames the leaf's subjectAltName dNSName entries (RFC 5280 4.2.1.6), in certificate order
 * @param issuer the leaf's issuer (RFC 4514 string)
 * @param issuerChain the subjects of the certificates presented after the leaf, in order
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param extendedKeyUsages extKeyUsage purposes by name ({@code serverAuth}, …) or OID; empty if absent
 * @param keyAlgorithm {@code RSA} or {@code EC} (or the JCA name of another)
 * @param keyBits RSA modulus bits or EC field size
 * @param signatureAlgorithm the JCA name of the leaf's signature algorithm, e.g. {@code SHA256withRSA}
 * @param sha256Fingerprint SHA-256 of the leaf's DER, upper-case hex pairs joined by colons (as OpenSSL prints it)
 * @param trust the trust verdict
 * @param notes weaknesses that do not by themselves break the chain (weak key, SHA-1, no serverAuth, no SAN), as keyed
 *     texts ({@link #warnings()} in English)
 */
public record CertificateInfo(String subject, List<String> dnsNames, String issuer, List<String> issuerChain,
        Instant notBefore, Instant notAfter, List<String> extendedKeyUsages, String keyAlgorithm, int keyBits,
        String signatureAlgorithm, String sha256Fingerprint, Trust trust, List<PkiText> notes) {

    /**
     * Whether a chain is trusted, and why or why not, in the error grammar {@code what: actual (expected: …)}.
     *
     * @param trusted whether a valid certification path (RFC 5280 6.1) leads from the leaf to a trust anchor
     * @param why one line: the path when trusted, the first problem when not
     */
    public record Trust(boolean trusted, PkiText why) {
        public Trust {
            Objects.requireNonNull(why, "why");
        }

        Trust(boolean trusted, String key, Object... namesAndValues) {
            this(trusted, PkiText.of(key, namesAndValues));
        }

        /** The reason in English. */
        public String reason() {
            return why.text("en");
        }
    }

    private static final Map<String, String> EKU_NAMES = Map.of(
            "1.3.6.1.5.5.7.3.1", "serverAuth",
            "1.3.6.1.5.5.7.3.2", "clientAuth",
            "1.3.6.1.5.5.7.3.3", "codeSigning",
            "1.3.6.1.5.5.7.3.4", "emailProtection",
            "1.3.6.1.5.5.7.3.8", "timeStamping",
            "1.3.6.1.5.5.7.3.9", "OCSPSigning",
            "2.5.29.37.0", "anyExtendedKeyUsage");

    public CertificateInfo {
        dnsNames = List.copyOf(dnsNames);
        issuerChain = List.copyOf(issuerChain);
        extendedKeyUsages = List.copyOf(extendedKeyUsages);
        notes = List.copyOf(notes);
        Objects.requireNonNull(trust, "trust");
    }

    /** The warnings in English. */
    public List<String> warnings() {
        return notes.stream().map(n -> n.text("en")).toList();
    }

    /**
     * Describes {@code chain} (leaf first, as a server sends it) and judges it against {@code trustAnchors} at
     * {@code at}; revocation is not checked (the lab publishes no CRLs).
     */
    public static CertificateInfo describe(List<X509Certificate> chain, Collection<X509Certificate> trustAnchors,
            Instant at) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("certificate chain: empty (expected: at least the leaf)");
        }
        X509Certificate leaf = chain.get(0);
        PublicKey key = leaf.getPublicKey();
        int bits = keyBits(key);
        List<String> ekus = extendedKeyUsages(leaf);
        List<String> names = dnsNames(leaf);

        List<PkiText> warnings = new ArrayList<>();
        if (key.getAlgorithm().equals("RSA") && bits < 2048) {
            warnings.add(PkiText.of("warning.weak-key", "bits", bits));
        }
        if (leaf.getSigAlgName().toUpperCase(Locale.ROOT).startsWith("SHA1")) {
            warnings.add(PkiText.of("warning.weak-signature", "algorithm", leaf.getSigAlgName()));
        }
        if (!ekus.isEmpty() && !ekus.contains("serverAuth") && !ekus.contains("anyExtendedKeyUsage")) {
            warnings.add(PkiText.of("warning.eku", "usages", ekus.toString()));
        }
        if (names.isEmpty()) {
            warnings.add(PkiText.of("warning.no-san"));
        }

        List<String> presented = chain.stream().skip(1).map(c -> name(c.getSubjectX500Principal())).toList();
        return new CertificateInfo(name(leaf.getSubjectX500Principal()), names, name(leaf.getIssuerX500Principal()),
                presented, leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), ekus, key.getAlgorithm(),
                bits, leaf.getSigAlgName(), fingerprint(leaf), trust(chain, trustAnchors, at), warnings);
    }

    /** Describes the chain in {@code file} (PEM or DER, leaf first), for {@code cert show FILE}. */
    public static CertificateInfo describe(Path file, Collection<X509Certificate> trustAnchors) {
        return describe(Pem.readCertificates(file), trustAnchors, Instant.now());
    }

    /**
     * Describes the chain the TLS server at {@code address} presents for {@code serverName}, for {@code cert show
     * HOST:PORT}; see {@link TlsChainFetcher}.
     */
    public static CertificateInfo describe(InetSocketAddress address, String serverName, Duration timeout,
            Collection<X509Certificate> trustAnchors) throws IOException {
        return describe(TlsChainFetcher.fetch(address, serverName, timeout), trustAnchors, Instant.now());
    }

    /** Describes {@code chain} against the lab CA's trust anchors, now. */
    public static CertificateInfo describe(List<X509Certificate> chain, CertificateAuthority ca) {
        return describe(chain, ca.trustAnchors(), Instant.now());
    }

    /**
     * Whether {@code host} matches one of the dNSName entries: case-insensitive, a {@code *} only as the whole
     * left-most label and matching exactly one label (RFC 6125 6.4.1, 6.4.3).
     */
    public boolean matchesHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String name : dnsNames) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals(h)) {
                return true;
            }
            if (n.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot + 1).equals(n.substring(2))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the certificate is within its validity period at {@code at}. */
    public boolean validAt(Instant at) {
        return !at.isBefore(notBefore) && !at.isAfter(notAfter);
    }

    /** A multi-line human-readable description in English, one {@code label: value} per line. */
    public String toText() {
        return toText("en");
    }

    /**
     * The description in {@code language} (de: German, else English): labels and the words between the values
     * translated, names, DNs, dates, algorithms and fingerprints as in the certificate.
     */
    public String toText(String language) {
        java.util.function.Function<String, String> w = k -> PkiText.word(k, language);
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {w.apply("label.subject"), subject});
        lines.add(new String[] {w.apply("label.dns-names"), dnsNames.isEmpty() ? w.apply("value.none") : String.join(", ", dnsNames)});
        lines.add(new String[] {w.apply("label.issuer"), issuer});
        lines.add(new String[] {w.apply("label.chain"), issuerChain.isEmpty() ? w.apply("value.leaf-only") : String.join(" <- ", issuerChain)});
        lines.add(new String[] {w.apply("label.valid"), notBefore + " .. " + notAfter});
        lines.add(new String[] {w.apply("label.eku"), extendedKeyUsages.isEmpty() ? w.apply("value.any") : String.join(", ", extendedKeyUsages)});
        lines.add(new String[] {w.apply("label.key"), keyAlgorithm + " " + keyBits + " " + w.apply("value.bits")});
        lines.add(new String[] {w.apply("label.signature"), signatureAlgorithm});
        lines.add(new String[] {w.apply("label.fingerprint"), sha256Fingerprint});
        lines.add(new String[] {w.apply("label.trusted"), w.apply(trust.trusted() ? "value.yes" : "value.no") + " - " + trust.why().text(language)});
        for (PkiText note : notes) {
            lines.add(new String[] {w.apply("label.warning"), note.text(language)});
        }
        // Values start in one column: after the longest label and its colon, at least 21 characters as before.
        int width = Math.max(20, lines.stream().mapToInt(l -> l[0].length() + 1).max().orElse(0));
        StringBuilder out = new StringBuilder();
        for (String[] l : lines) {
            out.append(String.format(Locale.ROOT, "%-" + width + "s ", l[0] + ":")).append(l[1]).append('\n');
        }
        return out.toString();
    }

    /**
     * RFC 5280 6.1 path validation: builds the path from the leaf through the presented certificates (matching
     * issuer to subject) up to a certificate issued by an anchor, then lets the JDK's PKIX validator check
     * signatures, validity at {@code at}, basic constraints and key usage.
     */
    static Trust trust(List<X509Certificate> chain, Collection<X509Certificate> anchors, Instant at) {
        X509Certificate leaf = chain.get(0);
        if (anchors.isEmpty()) {
            return new Trust(false, "trust.no-anchors");
        }
        for (X509Certificate anchor : anchors) {
            if (anchor.equals(leaf)) {
                return new Trust(true, "trust.is-anchor");
            }
        }
        List<X509Certificate> path = new ArrayList<>();
        Set<X509Certificate> used = new LinkedHashSet<>();
        X509Certificate current = leaf;
        X509Certificate anchorFound = null;
        while (true) {
            path.add(current);
            used.add(current);
            X500Principal issuer = current.getIssuerX500Principal();
            anchorFound = anchors.stream().filter(a -> a.getSubjectX500Principal().equals(issuer)).findFirst()
                    .orElse(null);
            if (anchorFound != null) {
                break;
            }
            X509Certificate next = chain.stream()
                    .filter(c -> !used.contains(c) && c.getSubjectX500Principal().equals(issuer)).findFirst()
                    .orElse(null);
            if (next == null) {
                break;
            }
            current = next;
        }
        if (anchorFound == null) {
            if (path.size() == 1 && selfSigned(leaf)) {
                return new Trust(false, "trust.self-signed", "subject", name(leaf.getSubjectX500Principal()), "anchors", anchorNames(anchors));
            }
            X509Certificate last = path.get(path.size() - 1);
            if (selfSigned(last)) {
                return new Trust(false, "trust.root-untrusted", "root", name(last.getSubjectX500Principal()), "anchors", anchorNames(anchors));
            }
            return new Trust(false, "trust.issuer-missing", "issuer", name(last.getIssuerX500Principal()), "anchors", anchorNames(anchors));
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            CertPath certPath = factory.generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchorFound, null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
        } catch (CertPathValidatorException e) {
            int index = e.getIndex();
            X509Certificate culprit = index >= 0 && index < path.size() ? path.get(index) : leaf;
            String who = name(culprit.getSubjectX500Principal());
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return new Trust(false, "trust.expired", "subject", who, "notAfter", culprit.getNotAfter().toInstant(), "at", at);
            }
            if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return new Trust(false, "trust.not-yet-valid", "subject", who, "notBefore", culprit.getNotBefore().toInstant(), "at", at);
            }
            if (e.getReason() == PKIXReason.NOT_CA_CERT || e.getReason() == PKIXReason.PATH_TOO_LONG) {
                return new Trust(false, "trust.not-a-ca", "subject", who, "detail", String.valueOf(e.getMessage()));
            }
            return new Trust(false, "trust.path-invalid", "subject", who, "detail", String.valueOf(e.getMessage()), "anchors", anchorNames(anchors));
        } catch (GeneralSecurityException e) {
            return new Trust(false, "trust.path-error", "detail", String.valueOf(e.getMessage()));
        }
        List<String> steps = new ArrayList<>();
        for (int i = 1; i < path.size(); i++) {
            steps.add(name(path.get(i).getSubjectX500Principal()));
        }
        steps.add(name(anchorFound.getSubjectX500Principal()));
        return new Trust(true, "trust.chains-to", "path", String.join(" -> ", steps));
    }

    private static boolean selfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The anchors' subjects, a choice: joined with the reader's "or" when the text is rendered. */
    private static List<String> anchorNames(Collection<X509Certificate> anchors) {
        return anchors.stream().map(a -> name(a.getSubjectX500Principal())).toList();
    }

    private static String name(X500Principal principal) {
        return principal.getName(X500Principal.RFC2253);
    }

    private static int keyBits(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize();
        }
        return 0;
    }

    private static List<String> extendedKeyUsages(X509Certificate certificate) {
        try {
            List<String> oids = certificate.getExtendedKeyUsage();
            return oids == null ? List.of() : oids.stream().map(o -> EKU_NAMES.getOrDefault(o, o)).toList();
        } catch (CertificateParsingException e) {
            return List.of("(unparseable: " + e.getMessage() + ")");
        }
    }

    private static List<String> dnsNames(X509Certificate certificate) {
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (List<?> san : sans) {
                if (Integer.valueOf(2).equals(san.get(0))) { // dNSName [2] (RFC 5280 4.2.1.6)
                    names.add((String) san.get(1));
                }
            }
            return names;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new PkiException("fingerprint: " + e.getMessage(), e);
        }
    }
}
