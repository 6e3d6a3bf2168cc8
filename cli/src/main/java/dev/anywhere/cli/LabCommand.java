package dev.anywhere.cli;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.Analyzer;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.report.ConsoleProgress;
import dev.anywhere.analyzer.report.HtmlReportWriter;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.analyzer.report.TextReportWriter;
import dev.anywhere.analyzer.report.Vantage;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.router.NginxMiddlebox;
import dev.anywhere.lab.scenario.Scenario;
import dev.anywhere.lab.scenario.ScenarioRun;
import dev.anywhere.lab.topology.Passwords;
import dev.anywhere.lab.topology.PortMap;
import dev.anywhere.lab.topology.Topology;
import dev.anywhere.lab.topology.TopologyException;
import dev.anywhere.server.configurator.ServiceHostSettings;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import dev.anywhere.lab.site.LabSite;
import dev.anywhere.lab.site.LabState;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.events.Event;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The main job: the site on loopback, configured, checked as a client would, and stopped. Its subcommands are
 * classes of their own ({@link LabUpCommand}, {@link LabDownCommand}, {@link LabStatusCommand},
 * {@link LabDnsCommand}, {@link LabScenariosCommand}, {@link LabServeCommand}); the helpers they and the bench
 * commands share (the plan, enabling Outlook Anywhere, probing listeners and DNS, removing a data directory) are here.
 */
@Command(name = "lab", mixinStandardHelpOptions = true, resourceBundle = "dev.anywhere.cli.lab",
        subcommands = {LabUpCommand.class, LabDownCommand.class, LabStatusCommand.class, LabDnsCommand.class,
                LabScenariosCommand.class, LabServeCommand.class})
final class LabCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    TransportOption transport;


    /** Where {@code lab up}, {@code status} and {@code down} keep the site unless told otherwise. */
    static final String DEFAULT_DATA_DIR = "data/lab";

    @Spec
    CommandSpec spec;

    /** This run's texts, in the JVM's language (lab has no --lang); the analyzer's report follows them. */
    private CliText text;

    @Option(names = "--data-dir", paramLabel = "DIR")
    Path dataDir;

    @Option(names = "--topology", paramLabel = "FILE|NAME")
    Path topologyFile;

    @Option(names = "--keep-running")
    boolean keepRunning;

    @Option(names = "--report", paramLabel = "FILE")
    Path reportFile;

    @Option(names = "--scenario", paramLabel = "NAME")
    String scenarioName;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        text = CliText.ofLocale();
        Optional<Scenario> scenario = Optional.ofNullable(scenarioName).map(LabCommand::scenario);
        if (scenario.isPresent()) {
            Scenario s = scenario.get();
            if (s.needsNginx() && NginxMiddlebox.find().isEmpty()) {
                throw UserError.unavailable(text.get("lab.scenario.nginx-missing", java.util.Map.of("name", s.name())));
            }
            if (s.onArray() && topologyFile != null) {
                throw UserError.usage(text.get("lab.scenario.own-topology", java.util.Map.of("name", s.name(), "topology", s.topology())));
            }
            if (s.onArray() && dev.anywhere.lab.router.HaproxyBalancer.find().isEmpty()) {
                throw UserError.unavailable(text.get("lab.scenario.haproxy-missing", java.util.Map.of("name", s.name())));
            }
            out.println(text.get("lab.scenario.intro", java.util.Map.of("name", s.name(), "broken", s.broken(text.language()))));
            out.println(text.get("lab.scenario.should-say", java.util.Map.of("finding", s.primary().orElse(text.get("lab.scenario.should-say-nothing")))));
            out.println();
        }
        boolean temporary = dataDir == null;
        Path dir = temporary ? Files.createTempDirectory("anywhere-lab") : dataDir;
        long t0 = System.nanoTime();
        int exit;
        try {
            LabSite.Plan plan = plan(topologyFile, dir, scenario);
            if (scenario.isPresent()) {
                ScenarioRun.beforeStart(dir, scenario.get());
            }
            if (plan.ports().shifted()) {
                out.println(text.get("lab.ports-shifted", java.util.Map.of("offset", plan.ports().offset(), "dns", plan.ports().port(53),
                        "ldap", plan.ports().port(389), "https", plan.ports().port(443))));
            }
            out.println(text.get("lab.starting"));
            out.flush();
            try (LabSite site = LabSite.start(plan, step -> {
                out.printf("  [%5d ms] %s%n", (System.nanoTime() - t0) / 1_000_000, step);
                out.flush();
            })) {
                exit = scenario.isPresent() ? scenarioStory(site, out, plan, scenario.get()) : story(site, out, plan);
                if (keepRunning) {
                    out.println();
                    out.println(text.get("lab.keeps-running", java.util.Map.of("dir", dir)));
                    out.flush();
                    Roles.runUntilInterrupted(site);
                }
            }
        } finally {
            if (temporary) {
                deleteTree(dir);
            }
        }
        out.println();
        out.println(text.get("lab.stopped-after", java.util.Map.of("seconds", String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9))));
        return exit;
    }

    /** The scenario called {@code name}; a usage error naming the choices otherwise. */
    static Scenario scenario(String name) {
        return dev.anywhere.lab.scenario.Scenarios.byName(name).orElseThrow(() -> UserError.usage(CliText.ofLocale().get("lab.scenario.unknown",
                java.util.Map.of("name", name, "names", String.join(", ", dev.anywhere.lab.scenario.Scenarios.names())))));
    }

    /** The whole-site plan: the topology (default or file) with its faults applied, this machine's port policy. */
    static LabSite.Plan plan(Path topologyFile, Path dir) {
        return plan(topologyFile, dir, Optional.empty());
    }

    /**
     * The plan with the scenario's faults instead of the topology's own, when one is given; a scenario on the array
     * brings its topology ({@code cas-array}) and its load balancer's idle timeout.
     */
    static LabSite.Plan plan(Path topologyFile, Path dir, Optional<Scenario> scenario) {
        Optional<Scenario> onArray = scenario.filter(Scenario::onArray);
        Topology topology = onArray.isPresent() ? Topology.named(onArray.get().topology()).orElseThrow() : topology(topologyFile);
        Topology effective;
        try {
            effective = scenario.isPresent() ? ScenarioRun.topology(topology, scenario.get()) : topology.withFaultsApplied();
        } catch (TopologyException e) {
            throw UserError.usage(e.text(CliText.ofLocale().language()));
        }
        return new LabSite.Plan(effective, PortMap.of(effective.portPolicy()), dir, Passwords.load(topology, dir),
                ServiceHostSettings.DEFAULT_POLL_INTERVAL, scenario.map(Scenario::balancerIdleTimeout).orElse(Duration.ofHours(3)));
    }

    /**
     * The topology {@code --topology} names: a file, or when no such file exists, a named topology
     * ({@code cas-array}); the default site without one.
     */
    static Topology topology(Path topologyFile) {
        if (topologyFile == null) {
            return Topology.frankysweb();
        }
        Optional<Topology> named = Files.exists(topologyFile) ? Optional.empty() : Topology.named(topologyFile.toString());
        try {
            return named.orElseGet(() -> Topology.read(topologyFile));
        } catch (TopologyException e) {
            CliText text = CliText.ofLocale();
            throw UserError.usage(e.text(text.language()) + (Files.exists(topologyFile) ? "" : text.get("lab.topology-expected", "names",
                    String.join(", ", Topology.NAMES))));
        }
    }

    /**
     * {@code anywhere oa enable --server EX1 --external-hostname oa.frankysweb.org --client-auth ntlm --iis-auth basic,ntlm},
     * for every Exchange server of the site (each member of an array).
     */
    static void enableOutlookAnywhere(LabSite site) throws Exception {
        for (LabSite.Member m : site.members()) {
            site.directory().putRpcVirtualDirectory(new RpcHttpVirtualDirectory(m.server(), 0, Optional.empty(), Optional.empty(), 0, 0)
                    .withExternalHostname(CertificateRequest.OA_NAME)
                    .withExternalClientAuthenticationMethod(ClientAuthenticationMethod.NTLM)
                    .withIisAuthenticationMethods(EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM)));
        }
    }

    /** Waits up to 10 s until every member's gateway follows an enabled /rpc configuration; whether they all do. */
    static boolean awaitEnabled(LabSite site) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (site.members().stream().allMatch(m -> m.gateway().config().current().enabled())) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private int story(LabSite site, PrintWriter out, LabSite.Plan plan) throws Exception {
        out.println();
        out.println(text.get("lab.enabling"));
        long t = System.nanoTime();
        enableOutlookAnywhere(site);
        awaitEnabled(site);
        RpcVdirConfig applied = site.gateway().config().current();
        if (!applied.enabled()) {
            out.println(text.get("lab.enable-failed"));
            printEvents(site.ex1Events().readAll(), out);
            return Anywhere.FINDINGS;
        }
        out.println(text.get("lab.enable-applied", java.util.Map.of("ms", (System.nanoTime() - t) / 1_000_000)));
        AppliedConfigFile.Snapshot snapshot = new AppliedConfigFile(site.ex1DataDir()).read().orElseThrow();
        out.println();
        out.println(text.get("lab.applied.heading", java.util.Map.of("file", site.ex1DataDir().resolve(AppliedConfigFile.FILE_NAME),
                "state", text.get("lab.applied.generation", java.util.Map.of("generation", snapshot.generation())))));
        out.printf("  Authentication : %s%n", applied.authenticationInOrder().stream().map(HttpAuthScheme::token).collect(Collectors.joining(", ")));
        out.printf("  RequireSsl     : %s%n", applied.requireSsl());
        out.printf("  ValidPorts     : %s%n", applied.validPorts());
        out.println();
        out.println(text.get("lab.events.heading"));
        printEvents(site.ex1Events().readAll(), out);

        InetSocketAddress dns = site.providerDns().orElseThrow().address();
        int httpsPort = plan.ports().port(443);
        int httpPort = plan.ports().port(80);
        out.println();
        out.println(text.get("lab.analyzing.outside", java.util.Map.of("command", "anywhere analyze franky@frankysweb.org --user 'FRANKYSWEB\\franky' "
                + "--dns-server " + dns.getAddress().getHostAddress() + ":" + dns.getPort() + " --trust " + site.trustBundle()
                + (httpsPort == 443 ? "" : " --https-port " + httpsPort + " --http-port " + httpPort)
                + (text.language().equals("en") ? "" : " --lang " + text.language()))));
        out.flush();
        AnalyzeOptions options = new AnalyzeOptions("franky@frankysweb.org", Optional.of("FRANKYSWEB\\franky"),
                Optional.of(plan.passwords().of("franky")), List.of(), Optional.of(dns), List.of(site.trustBundle()), Vantage.OUTSIDE,
                Duration.ofSeconds(10), text.language(), Optional.empty(), httpsPort, httpPort, List.of(), false);
        Report report = new Analyzer(options).run(new ConsoleProgress(out));
        printReport(report, out);
        out.flush();
        return report.status() == CheckStatus.PASSED ? Anywhere.OK : Anywhere.FINDINGS;
    }

    /** The report as text on the console and, with --report, as HTML in that file: the same for both stories. */
    private void printReport(Report report, PrintWriter out) throws IOException {
        StringWriter rendered = new StringWriter();
        new TextReportWriter().write(report, rendered);
        out.println();
        out.print(rendered);
        if (reportFile != null) {
            try (Writer w = Files.newBufferedWriter(reportFile, StandardCharsets.UTF_8)) {
                new HtmlReportWriter().write(report, w);
            }
            out.println(text.get("lab.html-report", java.util.Map.of("file", reportFile.toAbsolutePath())));
        }
    }

    /** The story with a scenario: the site set up as the scenario says, analyzed, the server side checked, the verdict. */
    private int scenarioStory(LabSite site, PrintWriter out, LabSite.Plan plan, Scenario s) throws Exception {
        out.println();
        out.println(text.get("lab.scenario.setting-up"));
        ScenarioRun.prepare(site, s, step -> {
            out.println("  " + step);
            out.flush();
        });
        printApplied(site, out, text);
        out.println();
        out.println(text.get("lab.events.heading"));
        printEvents(site.ex1Events().readAll(), out);
        AnalyzeOptions options = ScenarioRun.options(site, s, plan.passwords().of("franky"), plan.ports().port(443), plan.ports().port(80),
                Duration.ofSeconds(10)).withLanguage(text.language());
        out.println();
        out.println(text.get(s.client().vantage().equals("inside") ? "lab.analyzing.inside" : "lab.analyzing.outside",
                java.util.Map.of("command", ScenarioRun.command(options))));
        out.flush();
        Report report = ScenarioRun.withServerSide(new Analyzer(options).run(new ConsoleProgress(out)), site);
        printReport(report, out);
        Optional<String> primary = ScenarioRun.primary(report).map(dev.anywhere.analyzer.finding.Finding::id);
        out.println();
        out.println(text.get(primary.equals(s.primary()) ? "lab.scenario.verdict.as-expected" : "lab.scenario.verdict.not-as-expected",
                java.util.Map.of("name", s.name(), "said", primary.orElse(text.get("lab.scenario.said-nothing")),
                        "expected", s.primary().orElse(text.get("lab.scenario.expected-nothing")))));
        if (s.site().manualEdit() != null && s.site().manualEdit().revert()) {
            out.println();
            out.println(text.get("lab.scenario.next-pass"));
            out.flush();
            Event reverted = ScenarioRun.revert(site);
            out.printf("  %-11s %4d %-30s %s%n", reverted.level(), reverted.id().id(), reverted.id().symbolicName(), reverted.message());
            site.ex1Events().readAll().stream().filter(e -> e.time().isAfter(reverted.time().minusMillis(1)) && e != reverted
                    && !e.equals(reverted)).forEach(e -> out.printf("  %-11s %4d %-30s %s%n", e.level(), e.id().id(), e.id().symbolicName(),
                    e.message()));
            printApplied(site, out, text);
        }
        out.flush();
        return report.status() == CheckStatus.PASSED ? Anywhere.OK : Anywhere.FINDINGS;
    }

    private static void printApplied(LabSite site, PrintWriter out, CliText text) throws IOException {
        RpcVdirConfig applied = site.gateway().config().current();
        Optional<AppliedConfigFile.Snapshot> snapshot = new AppliedConfigFile(site.ex1DataDir()).read();
        out.println();
        out.println(text.get("lab.applied.heading", java.util.Map.of("file", site.ex1DataDir().resolve(AppliedConfigFile.FILE_NAME), "state",
                snapshot.map(x -> x.writtenByConfigurator() ? text.get("lab.applied.generation", java.util.Map.of("generation", x.generation()))
                        : text.get("lab.applied.by-hand")).orElse(text.get("lab.applied.absent")))));
        out.printf("  Enabled        : %s%n", applied.enabled());
        out.printf("  Authentication : %s%n", applied.authenticationInOrder().stream().map(HttpAuthScheme::token).collect(Collectors.joining(", ")));
        out.printf("  RequireSsl     : %s%n", applied.requireSsl());
        out.printf("  ValidPorts     : %s%n", applied.validPorts());
        ScenarioRun.status(site.ex1DataDir()).ifPresent(n -> out.printf("  Service host   : poll %s, change notifications %s, next pass %s%n",
                n.path("pollInterval").asText(), n.path("followChanges").asBoolean() ? "on" : "off", n.path("nextPass").asText("?")));
        // The other members of an array, one line each: a member that missed a change shows here.
        for (LabSite.Member m : site.members().subList(Math.min(1, site.members().size()), site.members().size())) {
            RpcVdirConfig c = m.gateway().config().current();
            out.printf("  %-15s: Enabled %s, Authentication %s%s%n", m.server(), c.enabled(), c.authenticationInOrder().stream()
                    .map(HttpAuthScheme::token).collect(Collectors.joining(", ")), ScenarioRun.status(m.dataDir()).map(n -> ", change notifications "
                    + (n.path("followChanges").asBoolean() ? "on" : "off")).orElse(""));
        }
    }

    /** The A record of {@code name} from the DNS server at {@code server} (UDP), as a stub resolver would ask. */
    static Optional<InetAddress> resolve(String name, InetSocketAddress server) {
        try {
            SimpleResolver resolver = new SimpleResolver(server);
            resolver.setTimeout(Duration.ofSeconds(2));
            Lookup lookup = new Lookup(name, Type.A);
            lookup.setResolver(resolver);
            lookup.setCache(null);
            Record[] answers = lookup.run();
            if (answers == null) {
                return Optional.empty();
            }
            for (Record r : answers) {
                if (r instanceof ARecord a) {
                    return Optional.of(a.getAddress());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void printEvents(List<Event> events, PrintWriter out) {
        for (Event e : events) {
            out.printf("  %-11s %4d %-30s %s%n", e.level(), e.id().id(), e.id().symbolicName(), e.message());
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Whether something accepts TCP connections on {@code address}. */
    /** The state {@code lab up} left in {@code dir}; when there is none, says so on {@code out}. */
    static Optional<LabState> runningState(Path dir, PrintWriter out) {
        Optional<LabState> state = LabState.read(dir);
        if (state.isEmpty()) {
            out.println(CliText.ofLocale().get("lab.not-running", java.util.Map.of("file", dir.resolve(LabState.FILE_NAME))));
        }
        return state;
    }

    static boolean listening(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static InetSocketAddress socket(String addressPort) {
        int colon = addressPort.lastIndexOf(':');
        return new InetSocketAddress(addressPort.substring(0, colon), Integer.parseInt(addressPort.substring(colon + 1)));
    }
}
