package dev.anywhere.cli;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.report.Vantage;
import dev.anywhere.server.configurator.Durations;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How a command reaches the site as a client would: credentials, name resolution, trust, ports. */
final class ClientOptions {

    @Option(names = "--user", paramLabel = "DOMAIN\\USER")
    String user;

    @Option(names = "--password-env", paramLabel = "VAR")
    String passwordEnv;

    @Option(names = "--password-file", paramLabel = "FILE")
    Path passwordFile;

    @Option(names = "--resolve", paramLabel = "HOST:PORT:ADDR")
    List<String> resolve = new ArrayList<>();

    @Option(names = "--dns-server", paramLabel = "ADDR[:PORT]")
    String dnsServer;

    @Option(names = "--trust", paramLabel = "CA.pem")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--insecure")
    boolean insecure;

    @Option(names = "--timeout", paramLabel = "DURATION")
    String timeout = "10s";

    @Option(names = "--https-port", paramLabel = "PORT")
    int httpsPort = 443;

    @Option(names = "--http-port", paramLabel = "PORT")
    int httpPort = 80;

    @Option(names = "--allow-redirect", paramLabel = "HOST")
    List<String> allowRedirect = new ArrayList<>();

    Optional<String> password() throws IOException {
        if (passwordEnv != null && passwordFile != null) {
            throw UserError.usage(CliText.local("client.password-env-and-file"));
        }
        Optional<String> p = Optional.empty();
        if (passwordFile != null) {
            p = Optional.of(Files.readAllLines(passwordFile).stream().findFirst().orElse(""));
        } else if (passwordEnv != null) {
            String v = System.getenv(passwordEnv);
            if (v == null) {
                throw UserError.usage(CliText.local("client.password-env-unset", "variable", passwordEnv));
            }
            p = Optional.of(v);
        }
        if (p.isPresent() && user == null) {
            throw UserError.usage(CliText.local("client.password-needs-user"));
        }
        return p;
    }

    Duration stepTimeout() {
        try {
            return Durations.parse(timeout);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(CliText.local("client.timeout-bad", "detail", Inputs.problem(e, CliText.ofLocale())));
        }
    }

    Optional<InetSocketAddress> dns() {
        return dnsServer == null ? Optional.empty() : Optional.of(dnsServer(dnsServer));
    }

    /** {@code --dns-server ADDR[:PORT]} of every client command: port 53 unless given (an IPv6 address needs {@code [..]:PORT}). */
    static InetSocketAddress dnsServer(String value) {
        String s = value.contains(":") && value.indexOf(':') == value.lastIndexOf(':') ? value : value + ":53";
        return Roles.address("--dns-server", s);
    }

    /** The {@code --trust} files, each checked to be readable: a typo must not silently fall back to fewer anchors. */
    static List<Path> trust(List<Path> files) {
        for (Path f : files) {
            if (!Files.isReadable(f) || Files.isDirectory(f)) {
                throw UserError.usage(CliText.local("client.trust-unreadable", "file", f));
            }
            // read here once so that a file without certificates is said in the reader's language (the analyzer's
            // trust store would refuse it later, in English)
            try {
                dev.anywhere.lab.pki.Pem.readCertificates(f);
            } catch (dev.anywhere.lab.pki.PkiException e) {
                throw UserError.usage(CliText.local("client.trust-no-certificate", "file", f));
            }
        }
        return files;
    }

    /** Analyzer options for {@code target} with these client settings. */
    AnalyzeOptions toAnalyzeOptions(String target, Vantage vantage, String lang, Optional<AnalyzeOptions.ManualSettings> manual,
            Optional<dev.anywhere.analyzer.profile.OutlookProfile> profile) throws IOException {
        return new AnalyzeOptions(target, Optional.ofNullable(user), password(), resolve, dns(), trust(trust), vantage, stepTimeout(), lang,
                manual, httpsPort, httpPort, allowRedirect, insecure).withProfile(profile);
    }

    /** What every client command says before it connects with {@code --insecure}: the report may say it too late. */
    static void warnInsecure(boolean insecure, java.io.PrintWriter err) {
        if (insecure) {
            err.println(CliText.local("client.insecure-warning"));
            err.flush();
        }
    }
}
