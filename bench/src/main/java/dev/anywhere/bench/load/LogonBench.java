package dev.anywhere.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.analyzer.rpch.MailboxLogon;
import dev.anywhere.analyzer.rpch.RpcAuth;
import dev.anywhere.bench.BenchText;
import dev.anywhere.bench.load.vc.LeanClient;
import dev.anywhere.bench.load.vc.LeanVirtualConnection;
import dev.anywhere.directory.embedded.DirectoryServer;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.rpc.emsmdb.EcCode;
import dev.anywhere.rpc.emsmdb.Emsmdb;
import dev.anywhere.rpc.input.InvalidValue;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.gateway.rpch.ProxySettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.HdrHistogram.Recorder;

/**
 * {@code bench logon}: mailbox logons per second through the gateway, as Outlook's first store contact costs them. Each
 * logon is a fresh virtual connection (IN and OUT channel, Basic at the gateway), a bind to EMSMDB with NTLM at
 * PKT_PRIVACY (the endpoints read the user's NT hash from the directory), EcDoConnectEx, EcDoRpcExt2 carrying RopLogon,
 * EcDoDisconnect ({@link MailboxLogon}, the analyzer's sequence), and the close of both channels. {@code workers}
 * clients do this one after the other for {@code seconds}, after a discarded warm-up of half that, in {@code rounds}.
 *
 * <p>The site, all on loopback and free ports: DC1's embedded directory seeded as the lab's (in this JVM, its threads
 * in {@link #DIRECTORY_THREADS} so their CPU is counted apart), EX1's store endpoint ({@link LogonEndpointsMain}: EMSMDB
 * from the address-book snapshot, NTLM verification) and EX1's gateway ({@link SoakGatewayMain}: Basic checked against
 * the directory), each a process of its own. CPU per logon is reported for the client (this JVM without the
 * directory's threads), the gateway, the endpoints and the directory, from /proc and ThreadMXBean.
 */
public final class LogonBench {

    /** The lab's user, whose mailbox is on EX1. */
    static final String ACCOUNT = "FRANKYSWEB\\franky";
    static final String PASSWORD = "Logon-Pass-1";
    public static final ThreadGroup DIRECTORY_THREADS = new ThreadGroup("bench-directory");

    /**
     * What to run.
     *
     * @param seconds length of each round (the warm-up is half of it, at least 1 s)
     * @param workers concurrent clients, each logging on again as soon as its last logon closed
     * @param rounds measured rounds
     * @param timeout per step (open, each call)
     */
    public record Settings(double seconds, int workers, int rounds, Duration timeout) {
        public Settings {
            if (!(seconds >= 0.5 && seconds <= 600)) {
                throw new InvalidValue("bench.logon.seconds", String.valueOf(seconds), "seconds: " + seconds + " (expected: 0.5..600)");
            }
            if (workers < 1 || workers > 64) {
                throw new InvalidValue("bench.logon.workers", String.valueOf(workers), "workers: " + workers + " (expected: 1..64)");
            }
            if (rounds < 1 || rounds > 20) {
                throw new InvalidValue("bench.logon.rounds", String.valueOf(rounds), "rounds: " + rounds + " (expected: 1..20)");
            }
            Objects.requireNonNull(timeout, "timeout");
        }

        /** {@code bench --smoke}: one round of a second, two workers. */
        public static Settings smoke() {
            return new Settings(1, 2, 1, Duration.ofSeconds(10));
        }
    }

    /** One round: logons completed, failures, and each party's CPU seconds over it. */
    record Round(long logons, long failures, double seconds, double clientCpu, double gatewayCpu, double endpointsCpu,
            double directoryCpu, double p50Millis, double p99Millis, MachineLoad.Phase load) {

        double perSecond() {
            return logons / seconds;
        }

        double millisPerLogon(double cpuSeconds) {
            return logons == 0 ? Double.NaN : 1000 * cpuSeconds / logons;
        }
    }

    private final Settings settings;
    private final Consumer<String> progress;
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    public LogonBench(Settings settings, Consumer<String> progress) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Starts the site in {@code workDir}, runs the warm-up and the rounds, stops everything; returns the report. */
    public ObjectNode run(Path workDir) throws Exception {
        Files.createDirectories(workDir);
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        int ldapPort = SoakTopology.freePort(lo);
        int endpointPort = SoakTopology.freePort(lo);
        int gatewayPort = SoakTopology.freePort(lo);
        SiteSeed seed = SiteSeed.frankysweb(PASSWORD);
        Path passwordFile = workDir.resolve("bind.password");
        Files.writeString(passwordFile, PASSWORD, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        Path ex1 = Files.createDirectories(workDir.resolve("ex1"));
        // what the configurator applies after 'oa enable' with Basic: EX1's store port reachable through the gateway
        new AppliedConfigFile(ex1).write(new RpcVdirConfig("EX1", true, EnumSet.of(HttpAuthScheme.BASIC), false,
                ValidPorts.forServer("EX1", "ex1." + SiteSeed.FRANKYSWEB.dnsDomain(), List.of(SoakGatewayMain.STORE_PORT))), 1, Instant.now());
        BenchText text = BenchText.local();
        progress.accept(text.get("logon.start"));
        try (DirectoryServer directory = Topology.inGroup(DIRECTORY_THREADS, () -> DirectoryServer.start(workDir.resolve("dc1"), lo,
                ldapPort, seed))) {
            String url = "ldap://127.0.0.1:" + ldapPort;
            String userDn = userDn(url, seed);
            List<String> ldap = List.of(url, seed.serviceBindDn(), passwordFile.toString());
            List<String> endpointArgs = new ArrayList<>(ldap);
            endpointArgs.add(Integer.toString(endpointPort));
            List<String> gatewayArgs = new ArrayList<>(List.of(ex1.toString()));
            gatewayArgs.addAll(ldap);
            gatewayArgs.addAll(List.of(Integer.toString(gatewayPort), Integer.toString(endpointPort),
                    Long.toString(ProxySettings.defaults().channelLifetime())));
            try (ChildJvm endpoints = started(ChildJvm.start("endpoints", workDir, List.of(), List.of("-Xms128m", "-Xmx256m",
                    "-XX:+UseG1GC"), LogonEndpointsMain.class, endpointArgs));
                    ChildJvm gateway = started(ChildJvm.start("gateway", workDir, List.of(), List.of("-Xms256m", "-Xmx512m",
                            "-XX:+UseG1GC"), SoakGatewayMain.class, gatewayArgs));
                    LeanClient client = new LeanClient(LeanClient.Settings.builder(new InetSocketAddress(lo, gatewayPort),
                            SoakGatewayMain.STORE_PORT).proxyHost(SoakTopology.PROXY_HOST).server("EX1").iface(Emsmdb.INTERFACE)
                            .basic(ACCOUNT, PASSWORD).rpcAuth(RpcAuth.privacy(NtlmCredentials.parse(ACCOUNT, PASSWORD)))
                            .timeouts(settings.timeout()).build())) {
                double warmup = Math.max(1, settings.seconds() / 2);
                progress.accept(text.get("logon.warm-up", "workers", settings.workers(), "seconds", String.format(Locale.ROOT, "%.1f", warmup)));
                round(client, userDn, warmup, gateway.pid(), endpoints.pid());
                List<Round> rounds = new ArrayList<>();
                for (int i = 1; i <= settings.rounds(); i++) {
                    progress.accept(text.get("logon.round", "round", i, "workers", settings.workers(), "seconds",
                            String.format(Locale.ROOT, "%.1f", settings.seconds())));
                    rounds.add(round(client, userDn, settings.seconds(), gateway.pid(), endpoints.pid()));
                }
                return report(rounds);
            }
        }
    }

    /** franky's legacyExchangeDN, what EcDoConnectEx and RopLogon name (Outlook has it from Autodiscover). */
    private static String userDn(String url, SiteSeed seed) throws Exception {
        try (LdapSiteDirectory d = LdapSiteDirectory.open(LdapSettings.of(java.net.URI.create(url), seed.serviceBindDn(), PASSWORD,
                SiteSeed.FRANKYSWEB))) {
            return d.mailboxByLogonName("franky").orElseThrow(() -> new IOException("the seeded directory has no mailbox franky"))
                    .legacyExchangeDn();
        }
    }

    private ChildJvm started(ChildJvm jvm) throws IOException {
        try {
            jvm.next("LISTENING", settings.timeout().plusSeconds(30));
            return jvm;
        } catch (IOException | RuntimeException e) {
            jvm.close();
            throw e;
        }
    }

    /** {@code workers} threads logging on until {@code seconds} are over; the CPU of each party over that time. */
    private Round round(LeanClient client, String userDn, double seconds, long gatewayPid, long endpointsPid) throws Exception {
        List<Long> children = List.of(gatewayPid, endpointsPid);
        MachineLoad.Mark mark = MachineLoad.mark(CpuMeter.processSeconds() + CpuMeter.processesSeconds(children));
        double process0 = CpuMeter.processSeconds();
        double directory0 = CpuMeter.groupSeconds(DIRECTORY_THREADS);
        double gateway0 = CpuMeter.processesSeconds(List.of(gatewayPid));
        double endpoints0 = CpuMeter.processesSeconds(List.of(endpointsPid));
        AtomicLong logons = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        Recorder latency = new Recorder(3);
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < settings.workers(); w++) {
            InetAddress source = IdleProbe.sourceAddress(w);
            Thread t = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    if (logOn(client, source, userDn)) {
                        logons.incrementAndGet();
                        latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                    } else {
                        failures.incrementAndGet();
                    }
                }
            }, "bench-logon-" + w);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        long joinBy = deadline + 4 * settings.timeout().toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinBy - System.nanoTime())));
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double directoryCpu = CpuMeter.groupSeconds(DIRECTORY_THREADS) - directory0;
        double processCpu = CpuMeter.processSeconds() - process0;
        double gatewayCpu = CpuMeter.processesSeconds(List.of(gatewayPid)) - gateway0;
        double endpointsCpu = CpuMeter.processesSeconds(List.of(endpointsPid)) - endpoints0;
        MachineLoad.Phase load = MachineLoad.since(mark, CpuMeter.processSeconds() + CpuMeter.processesSeconds(children));
        var h = latency.getIntervalHistogram();
        return new Round(logons.get(), failures.get(), elapsed, processCpu - directoryCpu, gatewayCpu, endpointsCpu, directoryCpu,
                h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(50) / 1000.0,
                h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1000.0, load);
    }

    /** One logon on a fresh virtual connection, closed afterwards; false (and the first failure kept) if any step failed. */
    private boolean logOn(LeanClient client, InetAddress source, String userDn) {
        long timeout = settings.timeout().toMillis();
        LeanVirtualConnection vc = null;
        try {
            vc = client.open(source).get(timeout, TimeUnit.MILLISECONDS);
            LeanVirtualConnection bound = vc;
            MailboxLogon.StubCaller caller = (opnum, stub) -> bound.call(opnum, stub.toByteArray()).thenApply(Octets::of);
            MailboxLogon.Result r = MailboxLogon.run(caller, userDn).get(3 * timeout, TimeUnit.MILLISECONDS);
            if (r.failure().isEmpty()) {
                return true;
            }
            MailboxLogon.Failure f = r.failure().get();
            firstFailure.compareAndSet(null, "mailbox logon: " + f.step().name().toLowerCase(Locale.ROOT) + " returned "
                    + EcCode.describe(f.code()));
            return false;
        } catch (Exception e) {
            firstFailure.compareAndSet(null, HttpConnection.describe(e));
            return false;
        } finally {
            if (vc != null) {
                vc.close();
            }
        }
    }

    ObjectNode report(List<Round> rounds) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.putObject("machine").put("cpus", Runtime.getRuntime().availableProcessors())
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"))
                .put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        root.putObject("settings").put("seconds", settings.seconds()).put("workers", settings.workers()).put("rounds", settings.rounds())
                .put("warmup_seconds", Math.max(1, settings.seconds() / 2)).put("rpc_auth", "privacy")
                .put("sequence", "fresh virtual connection through the gateway (Basic), bind EMSMDB with NTLM at PKT_PRIVACY, "
                        + "EcDoConnectEx, EcDoRpcExt2 (RopLogon), EcDoDisconnect, close both channels")
                .put("placement", "unpinned: client and directory in the bench JVM, gateway and endpoints in a JVM each")
                .put("disturbed_when", "steal > " + 100 * MachineLoad.STEAL_MAX + " % of the machine's CPU time, or other processes' CPU > "
                        + MachineLoad.OTHER_CPUS_MAX + " CPUs during the round");
        List<Boolean> disturbed = rounds.stream().map(r -> r.load().disturbed()).toList();
        ObjectNode stats = m.createObjectNode();
        RoundRatios perSecond = new RoundRatios(rounds.stream().map(Round::perSecond).toList(), disturbed);
        RpchBench.ratioNode(m, stats, "logons_per_s", perSecond);
        String[] parties = {"client", "gateway", "endpoints", "directory"};
        ObjectNode cpu = root.putObject("cpu_ms_per_logon");
        for (String p : parties) {
            RoundRatios r = new RoundRatios(rounds.stream().map(x -> x.millisPerLogon(cpuOf(x, p))).toList(), disturbed);
            RpchBench.ratioNode(m, stats, "cpu_ms_per_logon_" + p, r);
            putOrNull(cpu, p, r.headline().median());
        }
        RpchBench.ratioNode(m, stats, "logon_ms_p50", new RoundRatios(rounds.stream().map(Round::p50Millis).toList(), disturbed));
        RpchBench.ratioNode(m, stats, "logon_ms_p99", new RoundRatios(rounds.stream().map(Round::p99Millis).toList(), disturbed));
        long total = rounds.stream().mapToLong(Round::logons).sum();
        putOrNull(root, "logons_per_s", total == 0 ? Double.NaN : perSecond.headline().median());
        root.put("logons", rounds.stream().mapToLong(Round::logons).sum());
        root.put("failures", rounds.stream().mapToLong(Round::failures).sum());
        if (firstFailure.get() != null) {
            root.put("first_failure", firstFailure.get());
        }
        root.set("stats", stats);
        ArrayNode per = root.putArray("rounds");
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            ObjectNode n = per.addObject().put("round", i + 1).put("logons", r.logons()).put("failures", r.failures())
                    .put("seconds", RpchBench.round(r.seconds()));
            putOrNull(n, "logons_per_s", r.perSecond());
            ObjectNode c = n.putObject("cpu_ms_per_logon");
            for (String p : parties) {
                putOrNull(c, p, r.millisPerLogon(cpuOf(r, p)));
            }
            putOrNull(n, "logon_ms_p50", r.p50Millis());
            putOrNull(n, "logon_ms_p99", r.p99Millis());
            n.put("disturbed", r.load().disturbed());
            putOrNull(n, "other_cpus", r.load().otherCpus());
            putOrNull(n, "steal_percent", 100 * r.load().stealShare());
        }
        return root;
    }

    private static double cpuOf(Round r, String party) {
        return switch (party) {
            case "client" -> r.clientCpu();
            case "gateway" -> r.gatewayCpu();
            case "endpoints" -> r.endpointsCpu();
            default -> r.directoryCpu();
        };
    }

    private static void putOrNull(ObjectNode n, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            n.putNull(key);
        } else {
            n.put(key, RpchBench.round(v));
        }
    }

    /** The text form in the JVM's language: logons per second and CPU per logon with their spread, one line per round. */
    public static String text(ObjectNode r) {
        return text(r, BenchText.local());
    }

    /** The text form in {@code text}'s language; figures, process names and the client's failure as they are. */
    public static String text(ObjectNode r, BenchText text) {
        StringBuilder b = new StringBuilder();
        var s = r.get("stats");
        var rate = s.get("logons_per_s");
        b.append(text.get("logon.summary", "median", rate.get("median").asText(), "min", rate.get("min").asText(), "max",
                rate.get("max").asText(), "rounds", rate.get("rounds").asInt(), "basis", basis(rate.get("basis").asText(), text), "logons",
                r.get("logons").asLong(), "failed", r.get("failures").asLong())).append('\n');
        for (String p : List.of("client", "gateway", "endpoints", "directory")) {
            var c = s.get("cpu_ms_per_logon_" + p);
            b.append(text.get("logon.cpu", "process", String.format(Locale.ROOT, "%-9s", p), "median", c.get("median").asText(), "min",
                    c.get("min").asText(), "max", c.get("max").asText())).append('\n');
        }
        b.append(text.get("logon.time", "p50", s.get("logon_ms_p50").get("median").asText(), "p99",
                s.get("logon_ms_p99").get("median").asText())).append('\n');
        for (var round : r.get("rounds")) {
            b.append(text.get("logon.round-result", "round", round.get("round").asInt(), "rate", round.get("logons_per_s").asText(),
                    "disturbed", text.get(round.get("disturbed").asBoolean() ? "round.disturbed" : "round.undisturbed"), "cpus",
                    round.get("other_cpus").asText())).append('\n');
        }
        if (r.has("first_failure")) {
            b.append(text.get("logon.first-failure", "detail", r.get("first_failure").asText())).append('\n');
        }
        return b.toString();
    }

    /** The JSON's English basis of a headline figure ({@code undisturbed rounds}) in {@code text}'s language. */
    static String basis(String json, BenchText text) {
        return text.get(json.equals("undisturbed rounds") ? "basis.undisturbed" : "basis.all");
    }
}
