package dev.anywhere.lab.pki;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * A server certificate with its private key and chains, and the ways to hand it to a TLS server.
 *
 * @param certificate the leaf certificate
 * @param privateKey the leaf's private key
 * @param chain what the server sends and the chain file holds: leaf first, then intermediates, never the root
 *     (RFC 8446 4.4.2); without the intermediate under {@link CertificateFault#MISSING_INTERMEDIATE}
 * @param completeChain the chain as it should be: leaf and every intermediate up to (not including) the root
 * @param faults the defects built in
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> chain,
        List<X509Certificate> completeChain, Set<CertificateFault> faults) {

    /** The alias of the key entry in PKCS#12 files written here. */
    public static final String ALIAS = "server";

    public IssuedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        completeChain = List.copyOf(completeChain);
        faults = Set.copyOf(faults);
        if (chain.isEmpty() || !chain.get(0).equals(certificate)) {
            throw new IllegalArgumentException("chain: does not start with the leaf (expected: leaf first)");
        }
    }

    /** Paths of a written PEM pair, ready for {@code SslContextBuilder.forServer(chain.toFile(), key.toFile())}. */
    public record PemFiles(Path certificateChain, Path privateKey) {}

    /** The chain file's content: {@link #chain()} as PEM, leaf first. */
    public String chainPem() {
        return Pem.certificates(chain);
    }

    /** The private key as an unencrypted PKCS#8 PEM block. */
    public String privateKeyPem() {
        return Pem.privateKey(privateKey);
    }

    /** Writes the chain and key PEM files (the key owner-only), each atomically. */
    public PemFiles writePem(Path certificateChainFile, Path privateKeyFile) {
        Pem.writeAtomically(certificateChainFile, chainPem().getBytes(StandardCharsets.US_ASCII), false);
        Pem.writeAtomically(privateKeyFile, privateKeyPem().getBytes(StandardCharsets.US_ASCII), true);
        return new PemFiles(certificateChainFile, privateKeyFile);
    }

    /** Writes {@code <name>.crt} and {@code <name>.key} into {@code directory}. */
    public PemFiles writePem(Path directory, String name) {
        return writePem(directory.resolve(name + ".crt"), directory.resolve(name + ".key"));
    }

    /** A PKCS#12 file (RFC 7292) with one key entry {@value #ALIAS}: the key and {@link #chain()}. */
    public byte[] toPkcs12(char[] password) {
        try {
            KeyStore store = keyStore(password);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("pkcs12: " + e.getMessage(), e);
        }
    }

    /** Writes {@link #toPkcs12} to {@code file}, owner-only, atomically. */
    public Path writePkcs12(Path file, char[] password) {
        Pem.writeAtomically(file, toPkcs12(password), true);
        return file;
    }

    /** A key manager presenting this certificate, e.g. for {@code SslContextBuilder.forServer(KeyManager)}. */
    public X509KeyManager toKeyManager() {
        try {
            char[] password = "in-memory".toCharArray(); // never leaves this method
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore(password), password);
            for (KeyManager manager : factory.getKeyManagers()) {
                if (manager instanceof X509KeyManager x509) {
                    return x509;
                }
            }
            throw new PkiException("key manager: none for X.509 (expected: the JDK's SunX509/PKIX factory)");
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("key manager: " + e.getMessage(), e);
        }
    }

    /** Reads a chain PEM file and its key file back; faults are unknown and reported as none. */
    public static IssuedCertificate loadPem(Path certificateChainFile, Path privateKeyFile) {
        List<X509Certificate> chain = Pem.readCertificates(certificateChainFile);
        PrivateKey key = Pem.readPrivateKey(privateKeyFile);
        return new IssuedCertificate(chain.get(0), key, chain, chain, Set.of());
    }

    /**
     * Reads a PKCS#12 file back: its first key entry. A file that cannot be used is a {@link PkiException} with a key
     * ({@code pki.pkcs12-file.unreadable|password|bad|no-key}) and the file, as {@link Pem}'s readers say theirs; the
     * JDK's own words (which may name its exception classes) stay in the cause.
     */
    public static IssuedCertificate loadPkcs12(Path file, char[] password) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw pkcs12Refused("unreadable", file, "not readable", e);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password);
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key = store.getKey(alias, password);
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : store.getCertificateChain(alias)) {
                    chain.add((X509Certificate) c);
                }
                return new IssuedCertificate(chain.get(0), (PrivateKey) key, chain, chain, Set.of());
            }
            throw pkcs12Refused("no-key", file, "no key entry (expected: one private key with its chain)", null);
        } catch (GeneralSecurityException | IOException e) {
            // The JDK says a wrong password (the MAC or a key does not decrypt) by an UnrecoverableKeyException.
            boolean wrongPassword = e instanceof java.security.UnrecoverableKeyException
                    || e.getCause() instanceof java.security.UnrecoverableKeyException;
            throw wrongPassword
                    ? pkcs12Refused("password", file, "wrong password (expected: the password the file was written with)", e)
                    : pkcs12Refused("bad", file, "not a PKCS#12 file (expected: a private key with its chain, DER)", e);
        }
    }

    private static PkiException pkcs12Refused(String what, Path file, String english, Exception cause) {
        return new PkiException("pki.pkcs12-file." + what, file.toString(), "PKCS#12 file " + file + ": " + english, cause);
    }

    private KeyStore keyStore(char[] password) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, privateKey, password, chain.toArray(X509Certificate[]::new));
        return store;
    }
}
