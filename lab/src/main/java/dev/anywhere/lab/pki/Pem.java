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
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * PEM text for certificates and keys (RFC 7468): {@code CERTIFICATE} blocks and unencrypted PKCS#8
 * {@code PRIVATE KEY} blocks, the forms Netty's {@code SslContextBuilder.forServer(File, File)} and OpenSSL read.
 */
public final class Pem {

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
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certificates = new ArrayList<>();
            factory.generateCertificates(new ByteArrayInputStream(pemOrDer))
                    .forEach(c -> certificates.add((X509Certificate) c));
            if (certificates.isEmpty()) {
                throw new PkiException("certificates: none found (expected: PEM CERTIFICATE blocks or DER)");
            }
            return List.copyOf(certificates);
        } catch (CertificateException e) {
            throw new PkiException("certificates: " + e.getMessage() + " (expected: PEM CERTIFICATE blocks or DER)",
                    e);
        }
    }

    /** Every certificate in {@code file} (PEM or DER). */
    public static List<X509Certificate> readCertificates(Path file) {
        try {
            return readCertificates(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new PkiException("certificate file " + file + ": " + e.getMessage(), e);
        } catch (PkiException e) {
            throw new PkiException("certificate file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The first private key in {@code pem}: PKCS#8 {@code PRIVATE KEY}, or {@code RSA/EC PRIVATE KEY}. */
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
            }
            throw new PkiException("private key: none found (expected: an unencrypted PRIVATE KEY block)");
        } catch (IOException e) {
            throw new PkiException("private key: " + e.getMessage() + " (expected: an unencrypted PRIVATE KEY block)",
                    e);
        }
    }

    /** The private key in {@code file}. */
    public static PrivateKey readPrivateKey(Path file) {
        try {
            return readPrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new PkiException("key file " + file + ": " + e.getMessage(), e);
        } catch (PkiException e) {
            throw new PkiException("key file " + file + ": " + e.getMessage(), e);
        }
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
