package dev.anywhere.lab.pki;

import dev.anywhere.server.config.AtomicFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM text for certificates and keys (RFC 7468): {@code CERTIFICATE} blocks and unencrypted PKCS#8
 * {@code PRIVATE KEY} blocks, the forms Netty's {@code SslContextBuilder.forServer(File, File)} and OpenSSL read.
 */
public final class Pem {

    /** The refusal of content without a certificate (its key, for the command line's bundle). */
    private static final String CERTIFICATES_NONE = "pki.cert-file.none";

    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {}

    /** One PEM block: {@code -----BEGIN type-----}, base64 in 64-character lines, {@code -----END type-----}. */
    public static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + BASE64.encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** {@code CERTIFICATE} blocks, in the order given (leaf first for a chain, RFC 8446 4.4.2). */
    public static String certificates(List<X509Certificate> certificates) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append(encode("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new PkiException("certificate encoding: " + certificate.getSubjectX500Principal() + ": "
                        + e.getMessage(), e);
            }
        }
        return pem.toString();
    }

    /** A PKCS#8 {@code PRIVATE KEY} block (RFC 5958, RFC 7468 10), unencrypted. */
    public static String privateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new PkiException("private key format: " + key.getFormat() + " (expected: PKCS#8)");
        }
        return encode("PRIVATE KEY", key.getEncoded());
    }

    /** Every certificate in {@code pemOrDer}: concatenated PEM blocks or one DER certificate. */
    public static List<X509Certificate> readCertificates(byte[] pemOrDer) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pemOrDer))
                    .forEach(c -> certificates.add((X509Certificate) c));
        } catch (CertificateException e) {
            // the JDK's message names its exception classes ("java.io.IOException: ..."): the cause keeps it for logs
            throw new PkiException(CERTIFICATES_NONE, "", "no certificate (expected: PEM CERTIFICATE blocks or DER)", e);
        }
        if (certificates.isEmpty()) {
            throw new PkiException(CERTIFICATES_NONE, "", "no certificate (expected: PEM CERTIFICATE blocks or DER)", null);
        }
        return List.copyOf(certificates);
    }

    /** Every certificate in {@code file} (PEM or DER); a file that is unreadable or holds none is a keyed refusal naming it. */
    public static List<X509Certificate> readCertificates(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PkiException("pki.cert-file.unreadable", file.toString(), "certificate file " + file + ": not readable", e);
        }
        try {
            return readCertificates(content);
        } catch (PkiException e) {
            throw inFile("certificate file ", file, e);
        }
    }

    /**
     * The first private key in {@code pem}: PKCS#8 {@code PRIVATE KEY}, or {@code RSA/EC PRIVATE KEY}. An encrypted key
     * is refused as such: the lab and the gateway read keys without a password.
     */
    public static PrivateKey readPrivateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
                    throw new PkiException("pki.key-file.encrypted", "", "private key: encrypted (expected: an unencrypted PRIVATE KEY block)",
                            null);
                }
            }
            throw new PkiException("pki.key-file.none", "", "private key: none found (expected: an unencrypted PRIVATE KEY block)", null);
        } catch (PkiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle's message names its exception classes (also its unchecked DecoderException for broken
            // base64); the cause keeps it for logs
            throw new PkiException("pki.key-file.bad", "", "private key: not readable (expected: an unencrypted PRIVATE KEY block)", e);
        }
    }

    /** The private key in {@code file}; a file that is unreadable or holds no usable key is a keyed refusal naming it. */
    public static PrivateKey readPrivateKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new PkiException("pki.key-file.unreadable", file.toString(), "key file " + file + ": not readable", e);
        }
        try {
            return readPrivateKey(pem);
        } catch (PkiException e) {
            throw inFile("key file ", file, e);
        }
    }

    /** {@code e} (a refusal of the content) as the refusal of {@code file}: same key, the file as its value. */
    private static PkiException inFile(String what, Path file, PkiException e) {
        return new PkiException(e.key().orElse(null), file.toString(), what + file + ": " + e.getMessage(), e.getCause());
    }

    /**
     * Writes {@code content} to {@code file} atomically (a temporary file in the same directory, then a move), owner
     * read/write only when {@code secret} and the file system has POSIX permissions.
     */
    static void writeAtomically(Path file, byte[] content, boolean secret) {
        try {
            if (secret) {
                AtomicFile.writeSecret(file, content);
            } else {
                AtomicFile.write(file, content);
            }
        } catch (IOException e) {
            throw new PkiException("write " + file + ": " + e.getMessage(), e);
        }
    }
}
