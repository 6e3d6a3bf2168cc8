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
@Command(name = "cert", mixinStandardHelpOptions = true, resourceBundle = "dev.anywhere.cli.cert",
        subcommands = {CertCommand.Ca.class, CertCommand.New.class, CertCommand.Show.class})
final class CertCommand {

    static final String DEFAULT_CA_DIR = "data/pki/ca";

    /** {@code cert ca}: creates the CA in DIR, or loads it if there. */
    @Command(name = "ca", mixinStandardHelpOptions = true)
    static final class Ca implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_CA_DIR)
        Path dir;

        @Option(names = "--subject", paramLabel = "DN", defaultValue = CertificateAuthority.LAB_ROOT_SUBJECT)
        String subject;

        @Option(names = "--key", paramLabel = "TYPE", defaultValue = "rsa2048")
        String key;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            CertificateAuthority ca;
            if (Files.exists(dir.resolve("ca.crt"))) {
                ca = load(dir);
                out.println(CliText.local("cert.loaded", "ca", ca.subjects(), "dir", dir));
            } else {
                try {
                    ca = CertificateAuthority.create(subject, Validity.days(CertificateAuthority.LAB_ROOT_DAYS), keyType(key));
                } catch (IllegalArgumentException e) {
                    throw UserError.usage(CliText.local("cert.subject-or-key-bad", "detail", Inputs.problem(e, CliText.ofLocale())));
                }
                ca.save(dir);
                out.println(CliText.local("cert.created", "ca", ca.subjects(), "dir", dir));
            }
            Path bundle = ca.writeTrustBundle(dir.resolve("ca-bundle.pem"));
            out.println(CliText.local("cert.ca-files", "certificate", dir.resolve("ca.crt"), "key", dir.resolve("ca.key"), "bundle", bundle));
            return Anywhere.OK;
        }
    }

    /** {@code cert new}: a server certificate from the CA. */
    @Command(name = "new", mixinStandardHelpOptions = true)
    static final class New implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--ca-dir", paramLabel = "DIR", defaultValue = DEFAULT_CA_DIR)
        Path caDir;

        @Option(names = "--subject", paramLabel = "CN=NAME", required = true)
        String subject;

        @Option(names = "--domains", paramLabel = "NAMES", split = ",")
        List<String> domains = new ArrayList<>();

        @Option(names = "--days", paramLabel = "N", defaultValue = "365")
        int days;

        @Option(names = "--key", paramLabel = "TYPE", defaultValue = "rsa2048")
        String key;

        @Option(names = "--fault", paramLabel = "FAULT", split = ",")
        List<String> faults = new ArrayList<>();

        @Option(names = "--out", paramLabel = "DIR", defaultValue = ".")
        Path out;

        @Option(names = "--name", paramLabel = "NAME")
        String name;

        @Option(names = "--pfx-password-env", paramLabel = "VAR")
        String pfxPasswordEnv;

        @Override
        public Integer call() {
            PrintWriter w = spec.commandLine().getOut();
            if (!subject.startsWith("CN=") || subject.length() < 4) {
                throw UserError.usage(CliText.local("cert.subject-bad", "subject", subject));
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
                w.println(CliText.local("cert.created", "ca", ca.subjects(), "dir", caDir));
            }
            IssuedCertificate cert;
            try {
                cert = ca.issueServerCertificate(CertificateRequest.builder(cn)
                        .dnsNames(domains.isEmpty() ? List.of(cn) : domains).validity(Validity.days(days))
                        .keyType(keyType(key)).faults(chosen.toArray(CertificateFault[]::new)).build());
            } catch (IllegalArgumentException e) {
                throw UserError.usage(Inputs.problem(e, CliText.ofLocale()));
            }
            String stem = name != null ? name : cn.replace('*', '_');
            IssuedCertificate.PemFiles files = cert.writePem(out, stem);
            Path bundle = ca.writeTrustBundle(out.resolve("ca-bundle.pem"));
            w.println(CliText.local("cert.issued", "subject", subject, "names", cert.certificate().getSubjectX500Principal().getName().isEmpty()
                    ? domains : (domains.isEmpty() ? List.of(cn) : domains), "days", days, "key", key, "faults",
                    chosen.isEmpty() ? "" : CliText.local("cert.issued.faults", "faults", faults)));
            w.println(CliText.local("cert.server-files", "chain", files.certificateChain(), "key", files.privateKey()));
            if (pfxPasswordEnv != null) {
                String password = System.getenv(pfxPasswordEnv);
                if (password == null) {
                    throw UserError.usage(CliText.local("cert.pfx-password-unset", "variable", pfxPasswordEnv));
                }
                w.println(CliText.local("cert.pkcs12", "file", cert.writePkcs12(out.resolve(stem + ".pfx"), password.toCharArray()),
                        "alias", IssuedCertificate.ALIAS));
            }
            w.println(CliText.local("cert.trust-bundle", "bundle", bundle));
            return Anywhere.OK;
        }
    }

    /** {@code cert show}: a certificate file or a TLS server's chain. */
    @Command(name = "show", mixinStandardHelpOptions = true)
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE|HOST:PORT", descriptionKey = "file-host-port")
        String target;

        @Option(names = "--trust", paramLabel = "CA.pem")
        Path trust;

        @Option(names = "--sni", paramLabel = "NAME")
        String sni;

        @Override
        public Integer call() throws Exception {
            List<X509Certificate> anchors = List.of();
            Path anchorFile = trust != null ? trust : Path.of(DEFAULT_CA_DIR, "ca.crt");
            if (Files.exists(anchorFile)) {
                try {
                    anchors = Pem.readCertificates(anchorFile);
                } catch (PkiException e) {
                    throw UserError.usage("--trust: " + Inputs.problem(e, CliText.ofLocale()));
                }
            } else if (trust != null) {
                throw UserError.usage(CliText.local("cert.trust-missing", "file", trust));
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
                        throw UserError.unavailable(CliText.local("cert.show-failed", "target", target, "detail", e.getMessage()));
                    }
                } else {
                    throw UserError.usage(CliText.local("cert.show-target-bad", "target", target));
                }
            } catch (PkiException e) {
                throw UserError.usage(Inputs.problem(e, CliText.ofLocale()));
            } catch (java.io.UncheckedIOException e) {
                throw UserError.usage(e.getMessage());
            }
            spec.commandLine().getOut().print(info.toText(CliText.ofLocale().language()));
            return info.trust().trusted() && info.warnings().isEmpty() ? Anywhere.OK : Anywhere.FINDINGS;
        }
    }

    static CertificateAuthority load(Path dir) {
        try {
            return CertificateAuthority.load(dir);
        } catch (RuntimeException e) {
            throw UserError.usage(CliText.local("cert.ca-dir-bad", "dir", dir, "detail", Inputs.problem(e, CliText.ofLocale())));
        }
    }

    static KeyType keyType(String id) {
        try {
            return KeyType.of(id);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(CliText.local("cert.key-bad", "detail", Inputs.problem(e, CliText.ofLocale())));
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
        throw UserError.usage(CliText.local("cert.fault-bad", "fault", id.toLowerCase(Locale.ROOT), "names", String.join(", ", names)));
    }
}
