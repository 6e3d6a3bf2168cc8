package dev.anywhere.lab.pki;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The lab's certificate authority: a self-signed root and optionally one intermediate that issues server
 * certificates, built to the RFC 5280 profile (4.2.1.9 basicConstraints, 4.2.1.3 keyUsage, 4.2.1.12
 * extKeyUsage, 4.2.1.6 subjectAltName, 4.2.1.1/4.2.1.2 key identifiers).
 *
 * <pre>{@code
 * CertificateAuthority ca = CertificateAuthority.createLab();
 * IssuedCertificate ex1 = ca.issueServerCertificate(CertificateRequest.labDefault());
 * IssuedCertificate.PemFiles files = ex1.writePem(dir, "ex1");
 * SslContext tls = SslContextBuilder.forServer(files.certificateChain().toFile(), files.privateKey().toFile()).build();
 * ca.writeTrustBundle(dir.resolve("lab-ca.pem"));   // for clients: --trust lab-ca.pem
 * }</pre>
 *
 * Immutable and thread-safe; the private keys stay in memory unless {@link #save} writes them.
 */
public final class CertificateAuthority {

    /** Subject of the lab's root CA. */
    public static final String LAB_ROOT_SUBJECT = "CN=Anywhere Lab Root CA,O=Anywhere Lab";
    /** Subject of the lab's intermediate CA, when there is one. */
    public static final String LAB_INTERMEDIATE_SUBJECT = "CN=Anywhere Lab Issuing CA 1,O=Anywhere Lab";
    /** Root validity of {@link #createLab()}: ten years. */
    public static final int LAB_ROOT_DAYS = 3650;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A CA certificate and its key. */
    private record Signer(X509Certificate certificate, PrivateKey key) {}

    private final Signer root;
    private final Signer intermediate; // null: the root issues directly

    private CertificateAuthority(Signer root, Signer intermediate) {
        this.root = root;
        this.intermediate = intermediate;
    }

    /**
     * A new root CA: self-signed, basicConstraints cA=TRUE (critical), keyUsage keyCertSign and cRLSign (critical).
     *
     * @param subject an X.500 name, e.g. {@code "CN=Anywhere Lab Root CA,O=Anywhere Lab"}
     */
    public static CertificateAuthority create(String subject, Validity validity, KeyType keyType) {
        KeyPair keys = keyType.generate();
        X500Name name = x500(subject);
        X509Certificate certificate = build(new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(validity.notBefore()), Date.from(validity.notAfter()), name, keys.getPublic()),
                keys.getPublic(), keys.getPublic(), Role.ROOT, keyType.defaultSignature(), keys.getPrivate(),
                List.of());
        return new CertificateAuthority(new Signer(certificate, keys.getPrivate()), null);
    }

    /** The lab's root: {@value #LAB_ROOT_SUBJECT}, {@value #LAB_ROOT_DAYS} days, RSA 2048. */
    public static CertificateAuthority createLab() {
        return create(LAB_ROOT_SUBJECT, Validity.days(LAB_ROOT_DAYS), KeyType.RSA_2048);
    }

    /**
     * This root with a new intermediate that issues from now on: basicConstraints cA=TRUE, pathLenConstraint 0.
     */
    public CertificateAuthority withIntermediate(String subject, Validity validity, KeyType keyType) {
        return new CertificateAuthority(root, newIntermediate(subject, validity, keyType));
    }

    /** The root certificate, the lab's only trust anchor. */
    public X509Certificate rootCertificate() {
        return root.certificate();
    }

    /** The intermediate certificate, if this CA issues through one. */
    public Optional<X509Certificate> intermediateCertificate() {
        return Optional.ofNullable(intermediate).map(Signer::certificate);
    }

    /** The certificates clients should trust: the root only (RFC 5280 6.1.1 (d) trust anchor). */
    public List<X509Certificate> trustAnchors() {
        return List.of(root.certificate());
    }

    /** The trust bundle for clients: the root as PEM. */
    public String trustBundlePem() {
        return Pem.certificates(trustAnchors());
    }

    /** Writes {@link #trustBundlePem()} to {@code file} atomically. */
    public Path writeTrustBundle(Path file) {
        Pem.writeAtomically(file, trustBundlePem().getBytes(StandardCharsets.US_ASCII), false);
        return file;
    }

    /**
     * Issues a TLS server certificate (extKeyUsage serverAuth) as {@code request} says, with its faults built in.
     *
     * @throws IllegalArgumentException if the request contradicts itself, e.g. EXPIRED with NOT_YET_VALID, or a
     *     signature algorithm that does not fit the issuer's key
     */
    public IssuedCertificate issueServerCertificate(CertificateRequest request) {
        Set<CertificateFault> faults = request.faults().isEmpty()
                ? EnumSet.noneOf(CertificateFault.class) : EnumSet.copyOf(request.faults());
        Instant now = Instant.now();

        Validity validity = request.validity();
        if (faults.contains(CertificateFault.EXPIRED) && faults.contains(CertificateFault.NOT_YET_VALID)) {
            throw new dev.anywhere.rpc.input.InvalidValue("pki.validity-faults", "", "faults: EXPIRED and NOT_YET_VALID (expected: at most one validity fault)");
        }
        if (faults.contains(CertificateFault.EXPIRED)) {
            validity = validity.expired(now);
        } else if (faults.contains(CertificateFault.NOT_YET_VALID)) {
            validity = validity.notYetValid(now);
        }

        String commonName = request.commonName();
        List<String> names = new ArrayList<>(request.dnsNames());
        if (faults.contains(CertificateFault.INTERNAL_NAMES_ONLY)) {
            commonName = CertificateRequest.INTERNAL_NAME;
            names = new ArrayList<>(List.of(CertificateRequest.INTERNAL_NAME));
        }
        if (faults.contains(CertificateFault.NO_AUTODISCOVER_NAME)) {
            names.removeIf(n -> n.startsWith("autodiscover."));
            if (names.isEmpty()) {
                throw new IllegalArgumentException("fault NO_AUTODISCOVER_NAME: no name left in " + request.dnsNames()
                        + " (expected: at least one name besides autodiscover.*)");
            }
            if (commonName.toLowerCase(java.util.Locale.ROOT).startsWith("autodiscover.")) {
                commonName = names.get(0);
            }
        }

        KeyType keyType = faults.contains(CertificateFault.WEAK_KEY) ? KeyType.RSA_1024 : request.keyType();
        KeyPair keys = keyType.generate();

        Signer issuer;
        List<X509Certificate> intermediates;
        if (faults.contains(CertificateFault.SELF_SIGNED)) {
            issuer = null;
            intermediates = List.of();
        } else if (faults.contains(CertificateFault.MISSING_INTERMEDIATE) && intermediate == null) {
            // the fault needs an intermediate; a CA without one makes a throwaway one for this certificate
            issuer = newIntermediate(LAB_INTERMEDIATE_SUBJECT, Validity.days(LAB_ROOT_DAYS / 2), KeyType.RSA_2048);
            intermediates = List.of(issuer.certificate());
        } else {
            issuer = intermediate != null ? intermediate : root;
            intermediates = intermediate != null ? List.of(intermediate.certificate()) : List.of();
        }
        PrivateKey signingKey = issuer == null ? keys.getPrivate() : issuer.key();
        PublicKey issuerPublicKey = issuer == null ? keys.getPublic() : issuer.certificate().getPublicKey();

        SignatureAlgorithm algorithm = request.signatureAlgorithm()
                .orElse(KeyType.RSA_2048.algorithm().equals(signingKey.getAlgorithm())
                        ? SignatureAlgorithm.SHA256_WITH_RSA : SignatureAlgorithm.SHA256_WITH_ECDSA);
        if (faults.contains(CertificateFault.WEAK_SIGNATURE)) {
            algorithm = algorithm.weakened();
        }
        if (!algorithm.keyAlgorithm().equals(signingKey.getAlgorithm())) {
            throw new IllegalArgumentException("signature algorithm: " + algorithm.jcaName() + " with an issuer key of "
                    + signingKey.getAlgorithm() + " (expected: a " + signingKey.getAlgorithm() + " signature)");
        }

        X500Name subject = x500("CN=" + commonName);
        Date notBefore = Date.from(validity.notBefore());
        Date notAfter = Date.from(validity.notAfter());
        X509v3CertificateBuilder builder = issuer == null
                ? new JcaX509v3CertificateBuilder(subject, serial(), notBefore, notAfter, subject, keys.getPublic())
                : new JcaX509v3CertificateBuilder(issuer.certificate(), serial(), notBefore, notAfter, subject,
                        keys.getPublic());
        X509Certificate leaf = build(builder, keys.getPublic(), issuerPublicKey, Role.SERVER, algorithm, signingKey,
                names);

        List<X509Certificate> complete = new ArrayList<>();
        complete.add(leaf);
        complete.addAll(intermediates);
        List<X509Certificate> served =
                faults.contains(CertificateFault.MISSING_INTERMEDIATE) ? List.of(leaf) : complete;
        return new IssuedCertificate(leaf, keys.getPrivate(), served, complete, faults);
    }

    /**
     * Writes the CA to {@code directory}: {@code ca.crt} and {@code ca.key}, plus {@code intermediate.crt} and
     * {@code intermediate.key} if there is one. Keys are owner-only PKCS#8 PEM.
     */
    public void save(Path directory) {
        write(directory, "ca", root);
        if (intermediate != null) {
            write(directory, "intermediate", intermediate);
        }
    }

    /** Reads a CA written by {@link #save}. */
    public static CertificateAuthority load(Path directory) {
        Signer root = read(directory, "ca");
        Signer intermediate =
                Files.exists(directory.resolve("intermediate.crt")) ? read(directory, "intermediate") : null;
        return new CertificateAuthority(root, intermediate);
    }

    /**
     * The CA's subjects as a user reads them (no Java type around them): the root's DN, and {@code -> } the issuing
     * intermediate's when there is one.
     */
    public String subjects() {
        return root.certificate().getSubjectX500Principal().getName()
                + (intermediate == null ? "" : " -> " + intermediate.certificate().getSubjectX500Principal().getName());
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + root.certificate().getSubjectX500Principal().getName()
                + (intermediate == null ? "" : " via " + intermediate.certificate().getSubjectX500Principal().getName())
                + "]";
    }

    private Signer newIntermediate(String subject, Validity validity, KeyType keyType) {
        KeyPair keys = keyType.generate();
        PrivateKey rootKey = root.key();
        SignatureAlgorithm algorithm = rootKey.getAlgorithm().equals("RSA")
                ? SignatureAlgorithm.SHA256_WITH_RSA : SignatureAlgorithm.SHA256_WITH_ECDSA;
        X509Certificate certificate = build(new JcaX509v3CertificateBuilder(root.certificate(), serial(),
                Date.from(validity.notBefore()), Date.from(validity.notAfter()), x500(subject), keys.getPublic()),
                keys.getPublic(), root.certificate().getPublicKey(), Role.INTERMEDIATE, algorithm, rootKey, List.of());
        return new Signer(certificate, keys.getPrivate());
    }

    private enum Role { ROOT, INTERMEDIATE, SERVER }

    private static X509Certificate build(X509v3CertificateBuilder builder, PublicKey subjectKey, PublicKey issuerKey,
            Role role, SignatureAlgorithm algorithm, PrivateKey signingKey, List<String> dnsNames) {
        try {
            JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(issuerKey));
            switch (role) {
                case ROOT -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    builder.addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                }
                case INTERMEDIATE -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                    builder.addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                }
                case SERVER -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    // RFC 5480 3: keyEncipherment only for RSA keys (RSA key transport); ECDSA keys sign only
                    int usage = subjectKey.getAlgorithm().equals("RSA")
                            ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature;
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
                    builder.addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                    GeneralName[] san = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n))
                            .toArray(GeneralName[]::new);
                    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
                }
                default -> throw new IllegalStateException("role: " + role);
            }
            ContentSigner signer = new JcaContentSignerBuilder(algorithm.jcaName()).build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new PkiException("certificate: " + role.name().toLowerCase(java.util.Locale.ROOT) + " signed with "
                    + algorithm.jcaName() + ": " + e.getMessage(), e);
        }
    }

    private static X500Name x500(String subject) {
        Objects.requireNonNull(subject, "subject");
        try {
            // RFC 4514 string semantics (the last RDN in the string is the first in the encoding), as the JDK reads
            // it; Bouncy Castle's X500Name(String) would keep the written order instead
            return X500Name.getInstance(new X500Principal(subject).getEncoded());
        } catch (IllegalArgumentException e) {
            throw new dev.anywhere.rpc.input.InvalidValue("pki.subject", subject, "subject: " + subject + " (expected: an X.500 name like CN=…,O=…)");
        }
    }

    /** A positive random serial of at most 20 octets (RFC 5280 4.1.2.2): 127 bits. */
    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).setBit(120);
    }

    private static void write(Path directory, String name, Signer signer) {
        Pem.writeAtomically(directory.resolve(name + ".crt"),
                Pem.certificates(List.of(signer.certificate())).getBytes(StandardCharsets.US_ASCII), false);
        Pem.writeAtomically(directory.resolve(name + ".key"),
                Pem.privateKey(signer.key()).getBytes(StandardCharsets.US_ASCII), true);
    }

    private static Signer read(Path directory, String name) {
        X509Certificate certificate = Pem.readCertificates(directory.resolve(name + ".crt")).get(0);
        PrivateKey key = Pem.readPrivateKey(directory.resolve(name + ".key"));
        return new Signer(certificate, key);
    }
}
