package dev.anywhere.web;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.Analyzer;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.lab.router.NginxMiddlebox;
import dev.anywhere.lab.scenario.Scenario;
import dev.anywhere.lab.scenario.ScenarioRun;
import dev.anywhere.lab.scenario.Scenarios;
import dev.anywhere.lab.site.LabSite;
import dev.anywhere.lab.site.LabState;
import dev.anywhere.lab.topology.Passwords;
import dev.anywhere.lab.topology.PortMap;
import dev.anywhere.lab.topology.Topology;
import dev.anywhere.server.configurator.ServiceHostSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The lab hosted by {@code anywhere serve} in lab mode: the healthy frankysweb site (Outlook Anywhere enabled as the
 * README's {@code oa enable}; {@code lab.json} written so the other commands find it), and scenario runs as {@code
 * anywhere lab --scenario} makes them — the healthy site stopped, a site with the scenario's faults started in a
 * directory of its own on the same addresses, its state set up, analyzed, judged, stopped, the healthy site started
 * again. Callers make sure nothing else runs against the lab meanwhile ({@link Runs} runs a scenario exclusively).
 */
final class LabHost implements AutoCloseable {

    private final WebSettings.LabMode mode;
    private final Topology base;
    private final PortMap ports;
    private final Passwords passwords;
    private LabSite site;

    private LabHost(WebSettings.LabMode mode) {
        this.mode = mode;
        this.base = Topology.frankysweb().withPortPolicy(mode.ports());
        this.ports = PortMap.of(base.portPolicy());
        this.passwords = Passwords.load(base, mode.dataDir());
    }

    /** Starts the healthy site in {@code mode.dataDir()}; refuses a directory where another lab is running. */
    static LabHost start(WebSettings.LabMode mode) throws Exception {
        if (LabState.read(mode.dataDir()).filter(s -> ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false)).isPresent()) {
            throw new IllegalStateException("lab: a lab is running in " + mode.dataDir() + " already (anywhere lab down --data-dir "
                    + mode.dataDir() + " first)");
        }
        Files.createDirectories(mode.dataDir());
        LabHost host = new LabHost(mode);
        host.startHealthy(step -> { });
        return host;
    }

    /** What every run of the page gets: the lab's provider DNS, its CA, its ports. */
    RunDefaults defaults() {
        return new RunDefaults(Optional.of(site.providerDns().orElseThrow().address()), List.of(site.trustBundle()), List.of(), ports.port(443),
                ports.port(80), Duration.ofSeconds(10));
    }

    /** Runs {@code s} and brings the healthy site back, whatever happens; {@code step} hears each step of the setup. */
    synchronized Report scenario(Scenario s, String language, CheckListener listener, Consumer<String> step) throws Exception {
        if (s.needsNginx() && NginxMiddlebox.find().isEmpty()) {
            throw new IllegalStateException("scenario " + s.name() + " needs nginx, which is not installed on the server");
        }
        Path dir = Files.createTempDirectory("anywhere-web-scenario");
        try {
            stopHealthy();
            Topology topology = ScenarioRun.topology(base, s);
            try (LabSite broken = LabSite.start(new LabSite.Plan(topology, ports, dir, passwords, ServiceHostSettings.DEFAULT_POLL_INTERVAL),
                    step)) {
                ScenarioRun.prepare(broken, s, step);
                AnalyzeOptions o = ScenarioRun.options(broken, s, passwords.of("franky"), ports.port(443), ports.port(80), Duration.ofSeconds(10));
                AnalyzeOptions inLanguage = new AnalyzeOptions(o.target(), o.user(), o.password(), o.resolve(), o.dnsServer(), o.trust(),
                        o.vantage(), o.stepTimeout(), language, o.manual(), o.httpsPort(), o.httpPort(), o.allowRedirect(), o.insecure(),
                        o.profile(), o.scp(), o.idleProbe());
                step.accept(ScenarioRun.command(inLanguage));
                return ScenarioRun.withServerSide(new Analyzer(inLanguage).run(listener), broken);
            }
        } finally {
            delete(dir);
            startHealthy(step);
        }
    }

    private void startHealthy(Consumer<String> step) throws Exception {
        site = LabSite.start(new LabSite.Plan(base.withFaultsApplied(), ports, mode.dataDir(), passwords,
                ServiceHostSettings.DEFAULT_POLL_INTERVAL), step);
        ScenarioRun.prepare(site, Scenarios.byName("healthy").orElseThrow(), step);
        LabState.of(site, ProcessHandle.current().pid(), Optional.empty()).write(mode.dataDir());
    }

    private void stopHealthy() throws IOException {
        Files.deleteIfExists(mode.dataDir().resolve(LabState.FILE_NAME));
        if (site != null) {
            site.close();
            site = null;
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        stopHealthy();
    }
}
