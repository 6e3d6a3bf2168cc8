package dev.anywhere.lab.pki;

/** Certificate signature algorithms (RFC 5280 4.1.1.2; names as in the JCA and RFC 4055/5758). */
public enum SignatureAlgorithm {
    SHA256_WITH_RSA("SHA256withRSA", "RSA"),
    SHA256_WITH_ECDSA("SHA256withECDSA", "EC"),
    /** SHA-1 with RSA: rejected by current clients; used by {@link CertificateFault#WEAK_SIGNATURE}. */
    SHA1_WITH_RSA("SHA1withRSA", "RSA"),
    /** SHA-1 with ECDSA: rejected by current clients; used by {@link CertificateFault#WEAK_SIGNATURE}. */
    SHA1_WITH_ECDSA("SHA1withECDSA", "EC");

    private final String jcaName;
    private final String keyAlgorithm;

    SignatureAlgorithm(String jcaName, String keyAlgorithm) {
        this.jcaName = jcaName;
        this.keyAlgorithm = keyAlgorithm;
    }

    /** The JCA name, e.g. {@code SHA256withRSA}. */
    public String jcaName() {
        return jcaName;
    }

    /** The key algorithm that signs with it, {@code RSA} or {@code EC}. */
    public String keyAlgorithm() {
        return keyAlgorithm;
    }

    /** Whether it uses SHA-1. */
    public boolean weak() {
        return jcaName.startsWith("SHA1");
    }

    /** The SHA-1 variant for the same key algorithm. */
    SignatureAlgorithm weakened() {
        return keyAlgorithm.equals("RSA") ? SHA1_WITH_RSA : SHA1_WITH_ECDSA;
    }
}
