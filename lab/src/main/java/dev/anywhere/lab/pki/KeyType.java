package dev.anywhere.lab.pki;

import com.fasterxml.jackson.annotation.JsonValue;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** The key pairs the lab CA generates. */
public enum KeyType {
    /** RSA, 2048-bit modulus: the default. */
    RSA_2048("rsa2048", "RSA", 2048),
    /** RSA, 1024-bit modulus: too weak for any current client policy; used by {@link CertificateFault#WEAK_KEY}. */
    RSA_1024("rsa1024", "RSA", 1024),
    /** ECDSA on NIST P-256 (secp256r1). */
    EC_P256("ec256", "EC", 256);

    private final String id;
    private final String algorithm;
    private final int bits;

    KeyType(String id, String algorithm, int bits) {
        this.id = id;
        this.algorithm = algorithm;
        this.bits = bits;
    }

    /** The command-line name: {@code rsa2048}, {@code rsa1024} or {@code ec256}. Also the JSON form in topology files. */
    @JsonValue
    public String id() {
        return id;
    }

    /** The JCA key algorithm, {@code RSA} or {@code EC}. */
    public String algorithm() {
        return algorithm;
    }

    /** Modulus or field size in bits. */
    public int bits() {
        return bits;
    }

    /** The signature algorithm a CA with this key uses by default. */
    public SignatureAlgorithm defaultSignature() {
        return algorithm.equals("RSA") ? SignatureAlgorithm.SHA256_WITH_RSA : SignatureAlgorithm.SHA256_WITH_ECDSA;
    }

    /** A fresh key pair. */
    public KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(bits);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("key generation: " + id + ": " + e.getMessage(), e);
        }
    }

    /** The key type named {@code id} ({@code rsa2048}, {@code rsa1024}, {@code ec256}). */
    public static KeyType of(String id) {
        for (KeyType type : values()) {
            if (type.id.equalsIgnoreCase(id)) {
                return type;
            }
        }
        throw new dev.anywhere.rpc.input.InvalidValue("pki.key-type", id, "key type: " + id + " (expected: rsa2048, rsa1024 or ec256)");
    }
}
