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
@Command(name = "analyze", mixinStandardHelpOptions = true, resourceBundle = "dev.anywhere.cli.analyze")
final class AnalyzeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "EMAIL|DOMAIN", descriptionKey = "email-domain")
    String target;

    @Mixin
    ClientOptions client;

    @Option(names = "--profile-dir", paramLabel = "DIR")
    Path profileDir;








    @Option(names = "--directory", paramLabel = "ldap://HOST:PORT")
    String directory;

    @Option(names = "--directory-bind-dn", paramLabel = "DN")
    String directoryBindDn;

    @Option(names = "--site", paramLabel = "NAME")
    String site = "Default-First-Site-Name";

    @Option(names = "--idle-probe", paramLabel = "DURATION")
    String idleProbe;

    @Option(names = "--array")
    boolean array;

    @Option(names = "--array-connections", paramLabel = "N")
    int arrayConnections = AnalyzeOptions.MemberSurvey.DEFAULT_CONNECTIONS;

    @Option(names = "--member", paramLabel = "ADDRESS[:PORT]")
    List<String> members = new java.util.ArrayList<>();

    @Option(names = "--inside")
    boolean inside;

    @Option(names = "--outside")
    boolean outside;


    @Option(names = "--format", paramLabel = "text|json|html|junit")
    String format = "text";

    @Option(names = "--out", paramLabel = "FILE")
    Path out;

    @Option(names = "--lang", paramLabel = "en|de")
    String lang = "en";

    @Option(names = "--rpc-proxy", paramLabel = "HOST[:PORT]")
    String rpcProxy;

    @Option(names = "--server", paramLabel = "NAME")
    String server = "EX1";

    @Option(names = "--principal", paramLabel = "msstd:NAME")
    String principal;

    @Option(names = "--proxy-auth", paramLabel = "basic|ntlm")
    String proxyAuth = "ntlm";

    @Option(names = "--no-tls")
    boolean noTls;




    @Option(names = "--diff", arity = "2", paramLabel = "REPORT.json")
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
            // --resolve, parsed where the run builds its resolver: keyed, said in the language of --lang
            throw UserError.usage(Inputs.problem(e, text));
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
            // members.address or members.connections: the texts name the option
            throw UserError.usage(Inputs.problem(e, text));
        }
    }

    private Optional<java.time.Duration> idle() {
        if (idleProbe == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(dev.anywhere.server.configurator.Durations.parse(idleProbe));
        } catch (IllegalArgumentException e) {
            throw UserError.usage(text.get("analyze.idle-probe-bad", Map.of("detail", Inputs.problem(e, text))));
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
