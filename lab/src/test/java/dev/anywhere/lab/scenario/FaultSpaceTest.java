package dev.anywhere.lab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.Analyzer;
import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.finding.FindingCatalogue;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.analyzer.text.TextAudit;
import dev.anywhere.lab.pki.CertificateFault;
import dev.anywhere.lab.router.NginxMiddlebox;
import dev.anywhere.lab.site.LabSite;
import dev.anywhere.lab.topology.DnsAction;
import dev.anywhere.lab.topology.Middlebox;
import dev.anywhere.lab.topology.Passwords;
import dev.anywhere.lab.topology.PortMap;
import dev.anywhere.lab.topology.PortPolicy;
import dev.anywhere.lab.topology.RuleVariant;
import dev.anywhere.lab.topology.Topology;
import dev.anywhere.lab.topology.ZoneServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole fault space of the topology model, diagnosed: every DNS action on every public record, every router
 * variant on every forwarded port, every certificate fault, every middlebox profile, and the pairs of faults that are
 * both visible from outside. Enumerated from the model's enums and the default site (not from scenarios.json), each
 * case runs the analyzer, in German, against a lab site with that fault and must name the cause as its primary
 * finding, with German output free of English and of Java class names. A fault the model gains without a diagnosis
 * here fails to compile ({@link #diagnosis}'s switches are exhaustive).
 */
class FaultSpaceTest {

    static final PortPolicy POLICY = PortPolicy.shifted(37000);
    static final String PASSWORD = "Fault-Space-Pass-1";
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(3);
    static final String EX1_ADDRESS = "127.0.137.251";
    /** Where a DNS fault's {@code address} action points: an old public address where nothing listens. */
    static final String STALE_ADDRESS = "127.0.0.99";

    /** One point of the fault space and what the analyzer must say about it: the primary finding first. */
    record Case(String name, Topology.Faults faults, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    @TempDir
    static Path shared;

    static Path caDir;

    static final FindingCatalogue CATALOGUE = FindingCatalogue.load("en");

    @BeforeAll
    static void sharedCa() throws Exception {
        caDir = shared.resolve("ca-source/pki/ca");
        dev.anywhere.lab.pki.CertificateAuthority.createLab().save(caDir);
    }

    static Topology site() {
        return Topology.frankysweb().withPortPolicy(POLICY).withHostAddress("ex1", EX1_ADDRESS);
    }

    /** The single faults: each enum constant applied wherever the default site has something it applies to. */
    static List<Topology.Faults> singles() {
        Topology t = Topology.frankysweb();
        List<Topology.Faults> all = new ArrayList<>();
        for (Topology.Zone z : t.zones()) {
            if (z.server() != ZoneServer.PROVIDER_DNS) {
                continue; // seen from outside: the provider's zone
            }
            for (Topology.DnsRecord r : z.records()) {
                for (DnsAction a : DnsAction.values()) {
                    all.add(new Topology.Faults(List.of(new Topology.DnsChange(z.origin(), r.name(), a, a == DnsAction.ADDRESS ? STALE_ADDRESS : null)),
                            null, null, null));
                }
            }
        }
        for (Topology.Forward f : t.router()) {
            for (RuleVariant v : RuleVariant.values()) {
                if (v != RuleVariant.FORWARD) {
                    all.add(new Topology.Faults(null, List.of(new Topology.RuleChange(f.port(), v, null)), null, null));
                }
            }
        }
        for (CertificateFault c : CertificateFault.values()) {
            all.add(new Topology.Faults(null, null, List.of(c), null));
        }
        for (Middlebox m : Middlebox.values()) {
            if (m != Middlebox.NONE) {
                all.add(new Topology.Faults(null, null, null, m));
            }
        }
        return all;
    }

    static String name(Topology.Faults f) {
        List<String> parts = new ArrayList<>();
        f.dns().forEach(d -> parts.add("dns-" + d.action().id() + "-" + d.name()));
        f.router().forEach(r -> parts.add("router-" + r.port() + "-" + r.variant().id()));
        f.certificate().forEach(c -> parts.add(c.scenario()));
        if (f.middlebox() != null) {
            parts.add(f.middlebox().id());
        }
        return String.join("+", parts);
    }

    static Topology.Faults both(Topology.Faults a, Topology.Faults b) {
        List<Topology.DnsChange> dns = new ArrayList<>(a.dns());
        dns.addAll(b.dns());
        List<Topology.RuleChange> router = new ArrayList<>(a.router());
        router.addAll(b.router());
        List<CertificateFault> certs = new ArrayList<>(a.certificate());
        certs.addAll(b.certificate());
        return new Topology.Faults(dns, router, certs, a.middlebox() != null ? a.middlebox() : b.middlebox());
    }

    static Stream<Case> faultSpace() {
        List<Case> cases = new ArrayList<>();
        List<Topology.Faults> singles = singles();
        for (Topology.Faults f : singles) {
            // A port 80 fault alone is invisible from outside: while HTTPS works, Outlook never falls back to port 80.
            cases.add(new Case(name(f), f, port80(f) ? List.of() : diagnosis(f)));
        }
        // Pairs: two faults of different kinds where the second is still visible after the first (neither hides the
        // other's host or port); the analyzer must name both.
        for (int i = 0; i < singles.size(); i++) {
            for (int j = i + 1; j < singles.size(); j++) {
                Topology.Faults a = singles.get(i);
                Topology.Faults b = singles.get(j);
                if (bothVisible(a, b)) {
                    Topology.Faults f = both(a, b);
                    List<String> expected = new ArrayList<>(new LinkedHashSet<>(concat(diagnosis(a), diagnosis(b))));
                    // The primary finding is the first error, else the first warning.
                    expected.sort(java.util.Comparator.comparing(id -> CATALOGUE.entries().get(id).severity()));
                    cases.add(new Case(name(f), f, expected));
                }
            }
        }
        return cases.stream();
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Whether two faults are both visible from outside: one of them only warns (a weak key or signature: the analyzer
     * goes on past it), and the other either only warns too or breaks nothing before the certificate is seen (a fault
     * of the proxy's own name, a middlebox behind the router). A fault that stops Autodiscover hides the rest.
     */
    static boolean bothVisible(Topology.Faults a, Topology.Faults b) {
        // nginx (OpenSSL's default security level) refuses to load a weak key or a SHA-1 certificate: such a site
        // cannot start, so weak certificates pair with the proxy's DNS faults but not with a middlebox.
        if (onlyWarns(a) && b.middlebox() != null || onlyWarns(b) && a.middlebox() != null) {
            return false;
        }
        return onlyWarns(a) && (onlyWarns(b) || afterAutodiscover(b)) && !a.certificate().equals(b.certificate())
                || onlyWarns(b) && afterAutodiscover(a)
                || port80(a) && breaksHttpsAutodiscover(b) || port80(b) && breaksHttpsAutodiscover(a);
    }

    static boolean port80(Topology.Faults f) {
        return f.router().size() == 1 && f.router().get(0).port() == 80;
    }

    /** Whether https://autodiscover.&lt;domain&gt; fails while its name still resolves: Outlook then tries port 80. */
    static boolean breaksHttpsAutodiscover(Topology.Faults f) {
        return f.router().size() == 1 && f.router().get(0).port() == 443 || f.certificate().size() == 1 && !onlyWarns(f);
    }

    static boolean onlyWarns(Topology.Faults f) {
        return f.certificate().size() == 1 && switch (f.certificate().get(0)) {
            case WEAK_KEY, WEAK_SIGNATURE -> true;
            case SELF_SIGNED, EXPIRED, NOT_YET_VALID, NO_AUTODISCOVER_NAME, INTERNAL_NAMES_ONLY, MISSING_INTERMEDIATE -> false;
        };
    }

    /** Whether Autodiscover still answers with this fault, so the RPC proxy's steps run and the certificate is seen. */
    static boolean afterAutodiscover(Topology.Faults f) {
        return f.dns().size() == 1 && !f.dns().get(0).name().equals("autodiscover") || f.middlebox() != null && f.middlebox() != Middlebox.NONE;
    }

    /** The finding that names the fault's cause. Exhaustive: a new constant in the model needs a diagnosis here. */
    static List<String> diagnosis(Topology.Faults f) {
        if (!f.dns().isEmpty()) {
            Topology.DnsChange d = f.dns().get(0);
            return switch (d.action()) {
                case REMOVE -> List.of("dns.host-not-found");
                // The proxy's name is compared with the address Autodiscover answered from. Autodiscover's own name has
                // no such reference from outside: a stale record and a missing forward both refuse (tcp.refused names both).
                case ADDRESS -> List.of(d.name().equals("autodiscover") ? "tcp.refused" : "dns.unexpected-address");
            };
        }
        if (!f.router().isEmpty()) {
            Topology.RuleChange r = f.router().get(0);
            if (r.port() == 80) {
                return r.variant() == RuleVariant.FORWARD ? List.of() : List.of("autodiscover.redirect-unreachable");
            }
            return switch (r.variant()) {
                case FORWARD -> List.of();
                case ABSENT -> List.of("tcp.refused");
                case WRONG_HOST -> List.of("tcp.closed-on-connect");
                case ROUTER_PAGE -> List.of("tcp.other-server-answers");
            };
        }
        if (!f.certificate().isEmpty()) {
            return switch (f.certificate().get(0)) {
                case SELF_SIGNED -> List.of("tls.self-signed");
                case EXPIRED -> List.of("tls.expired");
                case NOT_YET_VALID -> List.of("tls.not-yet-valid");
                case NO_AUTODISCOVER_NAME -> List.of("tls.name-mismatch");
                case INTERNAL_NAMES_ONLY -> List.of("tls.internal-names-only");
                case WEAK_KEY -> List.of("tls.weak-key");
                case WEAK_SIGNATURE -> List.of("tls.weak-signature");
                case MISSING_INTERMEDIATE -> List.of("tls.missing-intermediate");
            };
        }
        return switch (f.middlebox()) {
            case NONE -> List.of();
            case NGINX_STOCK -> List.of("proxy.ntlm-pooling");
            // Streams the tunnel, but open-source nginx cannot pin an upstream connection to one client: NTLM breaks on
            // the channels (docs/lab.md: Outlook is told to use Basic behind it).
            case NGINX_RPC -> List.of("proxy.ntlm-pooling");
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faultSpace")
    void theAnalyzerNamesTheCause(Case c) throws Exception {
        if (c.faults().middlebox() != null && !"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(NginxMiddlebox.find().isPresent(), "nginx is not installed (apt-get install nginx)");
        }
        Scenario s = new Scenario(c.name(), "fault space", c.expected().isEmpty() ? null : c.expected().get(0), c.expected(), c.faults(),
                null, null);
        Path dir = shared.resolve(c.name());
        ScenariosTest.copyTree(caDir, dir.resolve("pki/ca"));
        Topology t = ScenarioRun.topology(site(), s);
        PortMap ports = PortMap.of(t.portPolicy());
        long t0 = System.nanoTime();
        try (LabSite site = LabSite.start(new LabSite.Plan(t, ports, dir, Passwords.same(PASSWORD), Duration.ofMinutes(15)), x -> { })) {
            ScenarioRun.prepare(site, s, x -> { });
            AnalyzeOptions o = ScenarioRun.options(site, s, PASSWORD, ports.port(443), ports.port(80), STEP_TIMEOUT).withLanguage("de");
            Report report = new Analyzer(o).run(CheckListener.NONE);
            List<String> ids = ScenarioRun.findingIds(report);
            String primary = ScenarioRun.primary(report).map(Finding::id).orElse("-");
            System.out.printf("[fault] %-48s %5d ms primary=%s ids=%s%n", c.name(), (System.nanoTime() - t0) / 1_000_000, primary, ids);
            report.root().allFindings().forEach(f -> System.out.println("    " + f.id() + ": " + f.title() + " | " + f.cause()));
            assertThat(primary).as(c.name() + " primary" + ScenariosTest.unexpected(report, c.expected()))
                    .isEqualTo(c.expected().isEmpty() ? "-" : c.expected().get(0));
            assertThat(ids).as(c.name() + " findings").containsAll(c.expected());
            assertThat(TextAudit.audit(report.root(), "de")).as(c.name() + " German output").isEmpty();
        }
    }

    /** Every finding of the catalogue is emitted by some check of the analyzer or the lab (the source names its id). */
    @Test
    void everyFindingOfTheCatalogueIsEmittedSomewhere() throws Exception {
        List<String> sources = new ArrayList<>();
        for (String root : List.of("../analyzer/src/main/java", "src/main/java")) {
            Path r = Path.of(root);
            Assumptions.assumeTrue(java.nio.file.Files.isDirectory(r), root + " not beside the module");
            try (Stream<Path> files = java.nio.file.Files.walk(r)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    sources.add(java.nio.file.Files.readString(f));
                }
            }
        }
        String all = String.join("\n", sources);
        List<String> silent = FindingCatalogue.load("en").entries().keySet().stream().filter(id -> !all.contains("\"" + id + "\"")).toList();
        assertThat(silent).as("findings no code emits (emit them or remove them from findings.json)").isEmpty();
    }
}
