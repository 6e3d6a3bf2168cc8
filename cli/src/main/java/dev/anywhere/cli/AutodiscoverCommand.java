package dev.anywhere.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.autodiscover.discovery.Attempt;
import dev.anywhere.autodiscover.discovery.AutodiscoverClient;
import dev.anywhere.autodiscover.discovery.BasicCredentials;
import dev.anywhere.autodiscover.discovery.DiscoveryOptions;
import dev.anywhere.autodiscover.discovery.DiscoveryResult;
import dev.anywhere.autodiscover.discovery.HttpTranscript;
import dev.anywhere.autodiscover.pox.Account;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.autodiscover.pox.Protocol;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code anywhere autodiscover EMAIL}: Outlook's discovery, step by step (Outlook's "Test E-mail AutoConfiguration").
 * Output shapes are documented in docs/autodiscover.md.
 */
@Command(name = "autodiscover", mixinStandardHelpOptions = true,
        resourceBundle = "dev.anywhere.cli.autodiscover")
final class AutodiscoverCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EMAIL", descriptionKey = "email")
    String email;

    @Option(names = "--user", paramLabel = "DOMAIN\\USER")
    String user;

    @Option(names = "--password-env", paramLabel = "VAR")
    String passwordEnv;

    @Option(names = "--resolve", paramLabel = "HOST:PORT:ADDR")
    List<String> resolve = new ArrayList<>();

    @Option(names = "--trust", paramLabel = "CA.pem")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--insecure")
    boolean insecure;

    @Option(names = "--dns-server", paramLabel = "ADDR[:PORT]")
    String dnsServer;

    @Option(names = "--allow-redirect", paramLabel = "HOST")
    List<String> allowRedirect = new ArrayList<>();

    @Option(names = "--https-port", paramLabel = "PORT")
    int httpsPort = 443;

    @Option(names = "--http-port", paramLabel = "PORT")
    int httpPort = 80;

    @Option(names = "--timeout", paramLabel = "SECONDS")
    int timeoutSeconds = 10;

    @Option(names = "--format", paramLabel = "text|json")
    String format = "text";

    @Override
    public Integer call() throws Exception {
        Inputs.textOrJson(format);
        if (timeoutSeconds < 1 || timeoutSeconds > 120) {
            throw UserError.usage(CliText.local("autodiscover.timeout-bad", "timeout", timeoutSeconds));
        }
        DiscoveryOptions options = options();
        ClientOptions.warnInsecure(insecure, spec.commandLine().getErr());
        DiscoveryResult result;
        try (AutodiscoverClient client = new AutodiscoverClient()) {
            result = client.discover(options);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            out.println(json.writeValueAsString(toJson(json, result)));
        } else {
            printText(out, result);
        }
        out.flush();
        return result.succeeded() ? Anywhere.OK : Anywhere.FINDINGS;
    }

    private DiscoveryOptions options() {
        DiscoveryOptions.Builder b;
        try {
            b = DiscoveryOptions.builder(email).insecure(insecure).httpsPort(httpsPort).httpPort(httpPort)
                    .stepTimeout(Duration.ofSeconds(timeoutSeconds));
            if (passwordEnv != null) {
                String password = System.getenv(passwordEnv);
                if (password == null || password.isEmpty()) {
                    throw UserError.usage(CliText.local("autodiscover.password-env-unset", "variable", passwordEnv));
                }
                b.credentials(new BasicCredentials(user != null ? user : email, password));
            } else if (user != null) {
                throw UserError.usage(CliText.local("autodiscover.user-needs-password"));
            }
            for (String r : resolve) {
                b.resolve(r);
            }
            b.trustAnchorsPem(ClientOptions.trust(trust));
            if (dnsServer != null) {
                b.dnsServer(ClientOptions.dnsServer(dnsServer));
            }
            allowRedirect.forEach(b::allowRedirect);
            return b.build();
        } catch (IllegalArgumentException e) {
            // the address, --resolve, a port: keyed refusals of the Autodiscover client, said in the JVM's language
            throw UserError.usage(Inputs.problem(e, CliText.ofLocale()));
        }
    }

    // ------------------------------------------------------------------ text

    private static void printText(PrintWriter out, DiscoveryResult r) {
        if (r.succeeded()) {
            AutodiscoverResponse resp = r.response().orElseThrow();
            out.println(CliText.local("autodiscover.settings", "email", r.emailAddress(), "url", r.acceptedUrl().orElse("?"), "redirects", r.redirects()));
            resp.user().ifPresent(u -> out.println(CliText.local("autodiscover.user", "name", u.displayName().orElse("-"),
                    "address", u.autoDiscoverSmtpAddress().orElse("-"), "dn", u.legacyDn().orElse("-"))));
            out.println();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"TYPE", "SERVER", "SSL", "AUTHPACKAGE", "CERTPRINCIPALNAME", "TTL", "EXCLUSIVE"});
            for (Protocol p : resp.account().map(Account::protocols).orElse(List.of())) {
                rows.add(new String[] {p.type().wireName(), p.server().orElse("-"), p.ssl().map(s -> s ? "On" : "Off").orElse("-"),
                        p.authPackage().map(a -> a.wireName()).orElse("-"), p.certPrincipalName().orElse("-"),
                        String.valueOf(p.effectiveTtlHours()), p.serverExclusiveConnect().map(s -> s ? "on" : "off").orElse("-")});
            }
            table(out, rows);
        } else {
            out.println(CliText.local("autodiscover.no-settings", "email", r.emailAddress(), "failure", r.why()
                    .map(dev.anywhere.analyzer.text.Messages.of(CliText.ofLocale().language())::reason).orElse(CliText.local("autodiscover.unknown"))));
        }
        out.println();
        out.println(CliText.local("autodiscover.attempts"));
        int i = 1;
        // Each reason in the JVM's language, as the command's other lines (the JSON form keeps the English line).
        dev.anywhere.analyzer.text.Messages reasons = dev.anywhere.analyzer.text.Messages.of(CliText.ofLocale().language());
        for (Attempt a : r.attempts()) {
            out.printf("%2d. %-8s %-25s %s (%d ms)%n    %s%n", i++, a.outcome(), a.method(), a.url(), a.elapsedMillis(), reasons.reason(a.why()));
        }
    }

    private static void table(PrintWriter out, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                line.append(String.format("%-" + width[c] + "s", row[c]));
                if (c < row.length - 1) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    // ------------------------------------------------------------------ json

    static ObjectNode toJson(ObjectMapper m, DiscoveryResult r) {
        ObjectNode root = m.createObjectNode();
        root.put("emailAddress", r.emailAddress());
        root.put("found", r.succeeded());
        root.put("acceptedUrl", r.acceptedUrl().orElse(null));
        root.put("failure", r.failure().orElse(null));
        root.put("redirects", r.redirects());
        Optional<AutodiscoverResponse> resp = r.response();
        ObjectNode user = root.putObject("user");
        resp.flatMap(AutodiscoverResponse::user).ifPresent(u -> {
            user.put("displayName", u.displayName().orElse(null));
            user.put("legacyDn", u.legacyDn().orElse(null));
            user.put("smtpAddress", u.autoDiscoverSmtpAddress().orElse(null));
        });
        ArrayNode protocols = root.putArray("protocols");
        for (Protocol p : resp.flatMap(AutodiscoverResponse::account).map(Account::protocols).orElse(List.of())) {
            ObjectNode n = protocols.addObject();
            n.put("type", p.type().wireName());
            n.put("server", p.server().orElse(null));
            n.put("ssl", p.ssl().orElse(null));
            n.put("authPackage", p.authPackage().map(a -> a.wireName()).orElse(null));
            n.put("certPrincipalName", p.certPrincipalName().orElse(null));
            n.put("ttlHours", p.effectiveTtlHours());
            n.put("serverExclusiveConnect", p.serverExclusiveConnect().orElse(null));
        }
        ArrayNode attempts = root.putArray("attempts");
        for (Attempt a : r.attempts()) {
            ObjectNode n = attempts.addObject();
            n.put("method", a.method().name());
            n.put("url", a.url());
            n.put("outcome", a.outcome().name());
            n.put("reason", a.reason());
            n.put("elapsedMillis", a.elapsedMillis());
            n.put("dnsAnswer", a.dnsAnswer().orElse(null));
            n.put("connectedTo", a.connectedTo().orElse(null));
            n.put("tcpConnectMillis", a.tcpConnectMillis().orElse(null));
            a.tls().ifPresent(t -> {
                ObjectNode tls = n.putObject("tls");
                tls.put("protocol", t.protocol().orElse(null));
                tls.put("cipherSuite", t.cipherSuite().orElse(null));
                tls.put("peerSubject", t.peerCertificates().isEmpty() ? null
                        : t.peerCertificates().get(0).getSubjectX500Principal().getName());
                tls.put("handshakeMillis", t.handshakeMillis());
                tls.put("failure", t.failure().orElse(null));
            });
            ArrayNode http = n.putArray("http");
            for (HttpTranscript h : a.http()) {
                ObjectNode x = http.addObject();
                x.put("method", h.method());
                x.put("target", h.target());
                x.put("status", h.status());
                x.put("location", h.responseHeader("Location"));
            }
        }
        return root;
    }
}
