package dev.anywhere.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.Analyzer;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.report.ConsoleProgress;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.analyzer.report.ReportDiff;
import dev.anywhere.analyzer.report.ReportWriter;
import dev.anywhere.analyzer.report.Vantage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The Remote Connectivity Analyzer's Outlook Anywhere test, from wherever this runs. */
@Command(name = "analyze", mixinStandardHelpOptions = true, description = "Test Outlook Anywhere as Outlook and the Remote "
        + "Connectivity Analyzer do - Autodiscover, then RPC over HTTP through the proxy - and explain each failure with its "
        + "cause and fix. Without a password it runs everything that needs none.")
final class AnalyzeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "EMAIL|DOMAIN", description = "The mailbox (user@domain) or domain to test.")
    String target;

    @Mixin
    ClientOptions client;

    @Option(names = "--profile-dir", paramLabel = "DIR", description = "Compare the Outlook profile stored here (anywhere profile create) "
            + "with the current Autodiscover answer.")
    Path profileDir;








    @Option(names = "--directory", paramLabel = "ldap://HOST:PORT", description = "Look up Autodiscover service connection points "
            + "here first, as a domain-joined Outlook does (use with --inside).")
    String directory;

    @Option(names = "--directory-bind-dn", paramLabel = "DN", description = "Bind to --directory as this DN with the password of --user "
            + "(default: anonymous).")
    String directoryBindDn;

    @Option(names = "--site", paramLabel = "NAME", description = "The client's Active Directory site, for SCP priority (default: ${DEFAULT-VALUE}).")
    String site = "Default-First-Site-Name";

    @Option(names = "--idle-probe", paramLabel = "DURATION", description = "Also keep a virtual connection idle this long (e.g. 5m) to find "
            + "a hop that cuts idle connections.")
    String idleProbe;

    @Option(names = "--array", description = "Compare the members of an array behind the proxy's name: certificate, offered "
            + "authentication and Server header over several connections (the load balancer spreads them), and with credentials "
            + "each member's Autodiscover settings.")
    boolean array;

    @Option(names = "--array-connections", paramLabel = "N", description = "How many connections --array makes to the proxy's name, "
            + "1..64 (default: ${DEFAULT-VALUE}).")
    int arrayConnections = AnalyzeOptions.MemberSurvey.DEFAULT_CONNECTIONS;

    @Option(names = "--member", paramLabel = "ADDRESS[:PORT]", description = "Also compare this member directly, by its own address "
            + "(inside; repeatable; implies --array).")
    List<String> members = new java.util.ArrayList<>();

    @Option(names = "--inside", description = "Record that this run comes from inside the site's network.")
    boolean inside;

    @Option(names = "--outside", description = "Record that this run comes from outside (the internet).")
    boolean outside;


    @Option(names = "--format", paramLabel = "text|json|html|junit", description = "Report format (default: ${DEFAULT-VALUE}).")
    String format = "text";

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report here instead of to the console.")
    Path out;

    @Option(names = "--lang", paramLabel = "en|de", description = "Language of the report (default: ${DEFAULT-VALUE}).")
    String lang = "en";

    @Option(names = "--rpc-proxy", paramLabel = "HOST[:PORT]", description = "Manual mode: skip Autodiscover and test this RPC proxy.")
    String rpcProxy;

    @Option(names = "--server", paramLabel = "NAME", description = "Manual mode: the RPC server behind the proxy (default: ${DEFAULT-VALUE}).")
    String server = "EX1";

    @Option(names = "--principal", paramLabel = "msstd:NAME", description = "Manual mode: the expected certificate principal.")
    String principal;

    @Option(names = "--proxy-auth", paramLabel = "basic|ntlm", description = "Manual mode: proxy authentication (default: ${DEFAULT-VALUE}).")
    String proxyAuth = "ntlm";

    @Option(names = "--no-tls", description = "Manual mode: talk to the proxy over plain HTTP (SSL offloading in front).")
    boolean noTls;




    @Option(names = "--diff", arity = "2", paramLabel = "REPORT.json", description = "Compare two JSON reports (e.g. --inside and --outside).")
    List<Path> diff;

    /** This run's texts, in the language of --lang. */
    private CliText text;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        if (!lang.equals("en") && !lang.equals("de")) {
            throw UserError.usage(CliText.ofLocale().get("analyze.lang-bad", Map.of("lang", lang)));
        }
        text = CliText.of(lang);
        if (diff != null) {
            return diff(console);
        }
        if (target == null) {
            throw UserError.usage(text.get("analyze.target-missing"));
        }
        ReportWriter writer;
        try {
            writer = ReportWriter.forFormat(format);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(text.get("analyze.format-bad", Map.of("format", format)));
        }
        if (inside && outside) {
            throw UserError.usage(text.get("analyze.inside-and-outside"));
        }
        if (rpcProxy == null && !target.contains("@")) {
            throw UserError.usage(text.get("analyze.domain-needs-rpc-proxy"));
        }
        Optional<dev.anywhere.analyzer.profile.OutlookProfile> profile = profileDir == null ? Optional.empty()
                : new dev.anywhere.analyzer.profile.ProfileStore(profileDir).load(target);
        AnalyzeOptions options = client.toAnalyzeOptions(target, inside ? Vantage.INSIDE : outside ? Vantage.OUTSIDE : Vantage.UNSPECIFIED,
                lang, Optional.ofNullable(rpcProxy).map(p -> new AnalyzeOptions.ManualSettings(p, server, Optional.ofNullable(principal),
                        proxyAuth, !noTls)), profile).withScp(scp()).withIdleProbe(idle()).withMembers(memberSurvey());
        boolean live = out == null && format.equals("text");
        Report report;
        try {
            report = new Analyzer(options).run(live ? new ConsoleProgress(console) : CheckListener.NONE);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
        if (out != null) {
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                writer.write(report, w);
            }
            console.println(report.text().get("report.written", java.util.Map.of("banner", report.banner(), "file", out)));
        } else if (live) {
            // Progress was shown as steps finished; now the ordered tree, the banner and the findings.
            console.println();
            writer.write(report, console);
        } else {
            writer.write(report, console);
        }
        console.flush();
        return report.status() == CheckStatus.PASSED || report.status() == CheckStatus.SKIPPED ? Anywhere.OK : Anywhere.FINDINGS;
    }



    private Optional<dev.anywhere.autodiscover.discovery.ScpSettings> scp() throws java.io.IOException {
        if (directory == null) {
            return Optional.empty();
        }
        java.net.URI u;
        try {
            u = java.net.URI.create(directory);
        } catch (IllegalArgumentException e) {
            u = null;
        }
        if (u == null || !"ldap".equals(u.getScheme()) || u.getHost() == null) {
            throw UserError.usage(text.get("analyze.directory-bad", Map.of("directory", directory)));
        }
        Optional<String> password = directoryBindDn == null ? Optional.empty() : client.password();
        if (directoryBindDn != null && password.isEmpty()) {
            throw UserError.usage(text.get("analyze.bind-dn-needs-password"));
        }
        return Optional.of(new dev.anywhere.autodiscover.discovery.ScpSettings(u.getHost(), u.getPort() < 0 ? 389 : u.getPort(),
                Optional.ofNullable(directoryBindDn), password, Optional.of(site)));
    }

    private Optional<AnalyzeOptions.MemberSurvey> memberSurvey() {
        if (!array && members.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new AnalyzeOptions.MemberSurvey(arrayConnections, members));
        } catch (IllegalArgumentException e) {
            throw UserError.usage((e.getMessage().startsWith("member ") ? "--member: " : "--array-connections: ") + e.getMessage());
        }
    }

    private Optional<java.time.Duration> idle() {
        if (idleProbe == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(dev.anywhere.server.configurator.Durations.parse(idleProbe));
        } catch (IllegalArgumentException e) {
            throw UserError.usage(text.get("analyze.idle-probe-bad", Map.of("detail", e.getMessage())));
        }
    }

    /** What differs between two runs: step statuses and summaries, and findings present in only one. */
    private int diff(PrintWriter console) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(diff.get(0).toFile());
        JsonNode b = json.readTree(diff.get(1).toFile());
        console.println(text.get("analyze.diff.run", Map.of("side", "A", "file", diff.get(0), "vantage", a.path("vantage").asText(),
                "status", a.path("status").asText())));
        console.println(text.get("analyze.diff.run", Map.of("side", "B", "file", diff.get(1), "vantage", b.path("vantage").asText(),
                "status", b.path("status").asText())));
        List<ReportDiff.Difference> differences = ReportDiff.of(a, b);
        for (ReportDiff.Difference d : differences) {
            console.printf("%n%s%n  A: %s%n  B: %s%n", d.id(), d.a(), d.b());
        }
        console.println();
        console.println(text.get("analyze.diff.count", Map.of("count", differences.size())));
        return differences.isEmpty() ? Anywhere.OK : Anywhere.FINDINGS;
    }
}
