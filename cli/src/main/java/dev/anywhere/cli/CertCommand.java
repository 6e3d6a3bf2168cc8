package dev.anywhere.cli;

import dev.anywhere.lab.pki.CertificateAuthority;
import dev.anywhere.lab.pki.CertificateFault;
import dev.anywhere.lab.pki.CertificateInfo;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.pki.IssuedCertificate;
import dev.anywhere.lab.pki.KeyType;
import dev.anywhere.lab.pki.Pem;
import dev.anywhere.lab.pki.PkiException;
import dev.anywhere.lab.pki.Validity;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The lab's certificate authority from the command line, like New-ExchangeCertificate with an enterprise CA. */
@Command(name = "cert", mixinStandardHelpOptions = true, description = "The lab certificate authority: create a CA, issue "
        + "server certificates (PEM, PKCS#12, trust bundle), show a certificate file or what a TLS server presents.",
        subcommands = {CertCommand.Ca.class, CertCommand.New.class, CertCommand.Show.class})
final class CertCommand {

    static final String DEFAULT_CA_DIR = "data/pki/ca";

    /** {@code cert ca}: creates the CA in DIR, or loads it if there. */
    @Command(name = "ca", mixinStandardHelpOptions = true, description = "Create the lab CA in DIR (ca.crt, ca.key 0600), or "
            + "show the one already there.")
    static final class Ca implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_CA_DIR, description = "CA directory (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--subject", paramLabel = "DN", defaultValue = CertificateAuthority.LAB_ROOT_SUBJECT, description = "Root subject (default: ${DEFAULT-VALUE}).")
        String subject;

        @Option(names = "--key", paramLabel = "TYPE", defaultValue = "rsa2048", description = "rsa2048 or ec256 (default: ${DEFAULT-VALUE}).")
        String key;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            CertificateAuthority ca;
            if (Files.exists(dir.resolve("ca.crt"))) {
                ca = load(dir);
                out.printf("Loaded %s from %s%n", ca, dir);
            } else {
                try {
                    ca = CertificateAuthority.create(subject, Validity.days(CertificateAuthority.LAB_ROOT_DAYS), keyType(key));
                } catch (IllegalArgumentException e) {
                    throw UserError.usage("--subject/--key: " + e.getMessage());
                }
                ca.save(dir);
                out.printf("Created %s in %s%n", ca, dir);
            }
            Path bundle = ca.writeTrustBundle(dir.resolve("ca-bundle.pem"));
            out.printf("  certificate:  %s%n  key:          %s (owner only)%n  trust bundle: %s%n", dir.resolve("ca.crt"),
                    dir.resolve("ca.key"), bundle);
            return Anywhere.OK;
        }
    }

    /** {@code cert new}: a server certificate from the CA. */
    @Command(name = "new", mixinStandardHelpOptions = true, description = "Issue a server certificate (like New-ExchangeCertificate "
            + "-SubjectName -DomainName): NAME.crt (chain), NAME.key (0600), NAME.pfx (PKCS#12) and ca-bundle.pem in --out.")
    static final class New implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--ca-dir", paramLabel = "DIR", defaultValue = DEFAULT_CA_DIR, description = "CA directory (default: ${DEFAULT-VALUE}; created if missing).")
        Path caDir;

        @Option(names = "--subject", paramLabel = "CN=NAME", required = true, description = "Subject, e.g. CN=oa.frankysweb.org.")
        String subject;

        @Option(names = "--domains", paramLabel = "NAMES", split = ",", description = "Subject alternative names (default: the CN).")
        List<String> domains = new ArrayList<>();

        @Option(names = "--days", paramLabel = "N", defaultValue = "365", description = "Validity in days (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--key", paramLabel = "TYPE", defaultValue = "rsa2048", description = "rsa2048 or ec256 (default: ${DEFAULT-VALUE}).")
        String key;

        @Option(names = "--fault", paramLabel = "FAULT", split = ",", description = "Build in a defect: cert-self-signed, cert-expired, cert-not-yet-valid, cert-no-autodiscover, cert-internal-names, cert-weak-key, cert-weak-signature, cert-missing-intermediate.")
        List<String> faults = new ArrayList<>();

        @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "Output directory (default: current).")
        Path out;

        @Option(names = "--name", paramLabel = "NAME", description = "File name stem (default: the CN).")
        String name;

        @Option(names = "--pfx-password-env", paramLabel = "VAR", description = "Environment variable holding the PKCS#12 password "
                + "(default: no .pfx file).")
        String pfxPasswordEnv;

        @Override
        public Integer call() {
            PrintWriter w = spec.commandLine().getOut();
            if (!subject.startsWith("CN=") || subject.length() < 4) {
                throw UserError.usage("--subject: " + subject + " (expected: CN=<host name>, e.g. CN=oa.frankysweb.org)");
            }
            String cn = subject.substring(3);
            List<CertificateFault> chosen = new ArrayList<>();
            for (String f : faults) {
                chosen.add(fault(f));
            }
            CertificateAuthority ca;
            if (Files.exists(caDir.resolve("ca.crt"))) {
                ca = load(caDir);
            } else {
                ca = CertificateAuthority.createLab();
                ca.save(caDir);
                w.printf("Created %s in %s%n", ca, caDir);
            }
            IssuedCertificate cert;
            try {
                cert = ca.issueServerCertificate(CertificateRequest.builder(cn)
                        .dnsNames(domains.isEmpty() ? List.of(cn) : domains).validity(Validity.days(days))
                        .keyType(keyType(key)).faults(chosen.toArray(CertificateFault[]::new)).build());
            } catch (IllegalArgumentException e) {
                throw UserError.usage(e.getMessage());
            }
            String stem = name != null ? name : cn.replace('*', '_');
            IssuedCertificate.PemFiles files = cert.writePem(out, stem);
            Path bundle = ca.writeTrustBundle(out.resolve("ca-bundle.pem"));
            w.printf("Issued %s %s, %d days, %s%s%n", subject, cert.certificate().getSubjectX500Principal().getName().isEmpty() ? domains : (domains.isEmpty() ? List.of(cn) : domains), days, key,
                    chosen.isEmpty() ? "" : ", faults " + faults);
            w.printf("  chain:        %s%n  key:          %s (owner only)%n", files.certificateChain(), files.privateKey());
            if (pfxPasswordEnv != null) {
                String password = System.getenv(pfxPasswordEnv);
                if (password == null) {
                    throw UserError.usage("--pfx-password-env: " + pfxPasswordEnv + " is not set (expected: the PKCS#12 password)");
                }
                w.printf("  pkcs12:       %s (alias %s)%n", cert.writePkcs12(out.resolve(stem + ".pfx"), password.toCharArray()),
                        IssuedCertificate.ALIAS);
            }
            w.printf("  trust bundle: %s%n", bundle);
            return Anywhere.OK;
        }
    }

    /** {@code cert show}: a certificate file or a TLS server's chain. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Describe a certificate (PEM or DER file) or the chain "
            + "a TLS server presents (HOST:PORT): names, validity, key, chain, and whether the lab CA trusts it.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE|HOST:PORT", description = "A certificate file, or a TLS server.")
        String target;

        @Option(names = "--trust", paramLabel = "CA.pem", description = "Trust anchors (default: " + DEFAULT_CA_DIR + "/ca.crt when present).")
        Path trust;

        @Option(names = "--sni", paramLabel = "NAME", description = "Server name to send (default: the host).")
        String sni;

        @Override
        public Integer call() throws Exception {
            List<X509Certificate> anchors = List.of();
            Path anchorFile = trust != null ? trust : Path.of(DEFAULT_CA_DIR, "ca.crt");
            if (Files.exists(anchorFile)) {
                anchors = Pem.readCertificates(anchorFile);
            } else if (trust != null) {
                throw UserError.usage("--trust: " + trust + " does not exist (expected: a PEM file)");
            }
            CertificateInfo info;
            Path file = Path.of(target);
            try {
                if (Files.exists(file)) {
                    info = CertificateInfo.describe(file, anchors);
                } else if (target.matches(".+:\\d{1,5}")) {
                    InetSocketAddress address = Roles.address("HOST:PORT", target);
                    String name = sni != null ? sni : target.substring(0, target.lastIndexOf(':'));
                    try {
                        info = CertificateInfo.describe(address, name, Duration.ofSeconds(5), anchors);
                    } catch (java.io.IOException e) {
                        throw UserError.unavailable("cert show " + target + ": " + e.getMessage());
                    }
                } else {
                    throw UserError.usage("cert show: " + target + " (expected: an existing file or HOST:PORT)");
                }
            } catch (PkiException | java.io.UncheckedIOException e) {
                throw UserError.usage(e.getMessage());
            }
            spec.commandLine().getOut().print(info.toText());
            return info.trust().trusted() && info.warnings().isEmpty() ? Anywhere.OK : Anywhere.FINDINGS;
        }
    }

    static CertificateAuthority load(Path dir) {
        try {
            return CertificateAuthority.load(dir);
        } catch (RuntimeException e) {
            throw UserError.usage("--ca-dir " + dir + ": " + e.getMessage());
        }
    }

    static KeyType keyType(String id) {
        try {
            return KeyType.of(id);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--key: " + e.getMessage());
        }
    }

    static CertificateFault fault(String id) {
        for (CertificateFault f : CertificateFault.values()) {
            if (f.scenario().equals(id) || f.name().equalsIgnoreCase(id.replace('-', '_'))) {
                return f;
            }
        }
        List<String> names = new ArrayList<>();
        for (CertificateFault f : CertificateFault.values()) {
            names.add(f.scenario());
        }
        throw UserError.usage("--fault: " + id.toLowerCase(Locale.ROOT) + " (expected: one of " + String.join(", ", names) + ")");
    }
}
