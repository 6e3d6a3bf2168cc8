package dev.anywhere.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.site.EchoProbe;
import dev.anywhere.lab.site.LabSite;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Benchmarks run from the command line, each against a peer or a goal measured in the same run. {@code bench --smoke}
 * runs the short versions of {@code rpch}, {@code autodiscover} and {@code logon} and prints their figures in one report.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, resourceBundle = "dev.anywhere.cli.bench",
        subcommands = {BenchCommand.OaApply.class, AnalyzerBenchCommand.class, AutodiscoverBenchCommand.class,
                RpchBenchCommand.class, SoakBenchCommand.class, LogonBenchCommand.class, ArrayBenchCommand.class,
                GalBenchCommand.class})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--smoke")
    boolean smoke;

    @Option(names = "--format", paramLabel = "text|json")
    String format = "text";

    @Override
    public Integer call() throws Exception {
        if (!smoke) {
            throw UserError.usage(CliText.local("bench.name-one"));
        }
        Inputs.textOrJson(format);
        PrintWriter err = spec.commandLine().getErr();
        ObjectNode report = RpchBenchCommand.run(dev.anywhere.bench.load.RpchBench.Settings.smoke(), err, b -> b);
        err.println(CliText.local("bench.smoke-autodiscover"));
        err.flush();
        java.io.StringWriter adsOut = new java.io.StringWriter();
        int status = new picocli.CommandLine(new AutodiscoverBenchCommand()).setOut(new PrintWriter(adsOut)).setErr(err)
                .execute("--seconds", "1", "--format", "json");
        ObjectNode reasons = (ObjectNode) report.get("reasons");
        if (status == Anywhere.OK || status == Anywhere.FINDINGS) {
            ObjectNode ads = (ObjectNode) new ObjectMapper().readTree(adsOut.toString());
            report.set("autodiscover_vs_static", ads.get("autodiscover_vs_static"));
            report.set("autodiscover", ads);
            reasons.remove("autodiscover_vs_static");
            ((ObjectNode) report.get("targets")).put("autodiscover_vs_static_min", 0.5);
            ((ObjectNode) report.get("met")).put("autodiscover_vs_static", ads.get("autodiscover_vs_static").asDouble() >= 0.5);
        } else {
            reasons.put("autodiscover_vs_static", "bench autodiscover failed with exit status " + status);
        }
        err.println(CliText.local("bench.smoke-logon"));
        err.flush();
        ObjectNode logon = LogonBenchCommand.run(dev.anywhere.bench.load.LogonBench.Settings.smoke(), err);
        report.set("logon", logon);
        report.set("logons_per_s", logon.get("logons_per_s"));
        if (logon.get("logons_per_s").isNull()) {
            reasons.put("logons_per_s", "no logon completed: " + logon.path("first_failure").asText("no failure recorded"));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(format.equals("json") ? report.toPrettyString() : dev.anywhere.bench.load.RpchBench.table(report)
                + "autodiscover_vs_static           " + report.get("autodiscover_vs_static").asText() + "\n"
                + dev.anywhere.bench.load.LogonBench.text(logon));
        out.flush();
        return Anywhere.OK;
    }

    @Command(name = "oa-apply", mixinStandardHelpOptions = true)
    static final class OaApply implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--iterations", paramLabel = "N")
        int iterations = 20;

        @Option(names = "--format", paramLabel = "text|json")
        String format = "text";

        @Override
        public Integer call() throws Exception {
            if (iterations < 1 || iterations > 1000) {
                throw UserError.usage(CliText.local("bench.iterations-bad", "iterations", iterations, "max", 1000));
            }
            PrintWriter out = spec.commandLine().getOut();
            Path dir = Files.createTempDirectory("anywhere-bench");
            long[] millis = new long[iterations];
            try (LabSite site = LabSite.start(LabSite.Options.loopback(dir, "Bench-Pass-1"), s -> { })) {
                Set<AuthenticationMethod> a = EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM);
                Set<AuthenticationMethod> b = EnumSet.of(AuthenticationMethod.NTLM);
                RpcHttpVirtualDirectory v = new RpcHttpVirtualDirectory("EX1", 0, Optional.empty(), Optional.empty(), 0, 0)
                        .withExternalHostname(CertificateRequest.OA_NAME)
                        .withExternalClientAuthenticationMethod(ClientAuthenticationMethod.NTLM).withIisAuthenticationMethods(a);
                site.directory().putRpcVirtualDirectory(v);
                awaitOffers(site, List.of("NTLM", "Basic realm=\"" + CertificateRequest.OA_NAME + "\""), 10_000);
                for (int i = 0; i < iterations; i++) {
                    boolean toB = i % 2 == 0;
                    List<String> expected = toB ? List.of("NTLM") : List.of("NTLM", "Basic realm=\"" + CertificateRequest.OA_NAME + "\"");
                    long t = System.nanoTime();
                    site.directory().putRpcVirtualDirectory(v.withIisAuthenticationMethods(toB ? b : a));
                    awaitOffers(site, expected, 10_000);
                    millis[i] = (System.nanoTime() - t) / 1_000_000;
                }
            } finally {
                LabCommand.deleteTree(dir);
            }
            long[] sorted = millis.clone();
            Arrays.sort(sorted);
            long median = sorted[sorted.length / 2];
            long p90 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.9) - 1)];
            if (format.equals("json")) {
                ObjectNode n = new ObjectMapper().createObjectNode();
                n.put("iterations", iterations).put("min_ms", sorted[0]).put("median_ms", median).put("p90_ms", p90)
                        .put("max_ms", sorted[sorted.length - 1]).put("goal_median_ms", 1000).put("goal_met", median <= 1000);
                out.println(n.toPrettyString());
            } else {
                out.println(CliText.local("bench.oa-apply.result", "changes", iterations, "min", sorted[0], "median", median, "p90", p90,
                        "max", sorted[sorted.length - 1], "goal", CliText.local(median <= 1000 ? "bench.goal.met" : "bench.goal.missed")));
            }
            return median <= 1000 ? Anywhere.OK : Anywhere.FINDINGS;
        }

        /** Polls the gateway as a client would until it offers exactly {@code expected}. */
        private static void awaitOffers(LabSite site, List<String> expected, long timeoutMs) throws Exception {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            while (System.nanoTime() < deadline) {
                EchoProbe.Answer a = EchoProbe.send(site.gateway().address(), CertificateRequest.OA_NAME, site.ca().trustAnchors(), Optional.empty());
                if (a.wwwAuthenticate().equals(expected)) {
                    return;
                }
                Thread.sleep(5);
            }
            throw UserError.unavailable(CliText.local("bench.not-offered", "expected", expected, "ms", timeoutMs));
        }
    }
}
