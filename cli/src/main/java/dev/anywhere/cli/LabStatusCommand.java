package dev.anywhere.cli;

import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.site.LabState;
import dev.anywhere.lab.topology.Passwords;
import dev.anywhere.lab.topology.Topology;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lab status}: what runs and whether it answers. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show what runs (lab.json) and whether each "
        + "listener answers; exit 0 all up, 1 something down, 3 not running.")
final class LabStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = LabCommand.DEFAULT_DATA_DIR, description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--show-passwords", description = "Also print the users' passwords.")
    boolean showPasswords;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = dataDir.toAbsolutePath();
        Optional<LabState> state = LabCommand.runningState(dir, out);
        if (state.isEmpty()) {
            return Anywhere.INTERNAL;
        }
        LabState s = state.get();
        boolean alive = ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false);
        out.printf("Site %s: pid %d %s, started %s%n", s.site(), s.pid(), alive ? "running" : "NOT RUNNING", s.startedAt());
        boolean allUp = alive;
        for (Map.Entry<String, String> e : s.services().entrySet()) {
            boolean up = LabCommand.listening(LabCommand.socket(e.getValue()));
            String port = e.getValue().substring(e.getValue().lastIndexOf(':') + 1);
            boolean expectedDown = e.getKey().startsWith("router/")
                    && s.router().stream().anyMatch(r -> r.startsWith("tcp/" + port + " (no rule"));
            allUp &= up || expectedDown;
            out.printf("  %-4s %-20s %s%s%n", up ? "up" : expectedDown ? "-" : "DOWN", e.getKey(), e.getValue(),
                    expectedDown && !up ? " (no router rule: absent by fault)" : "");
        }
        Optional<InetAddress> oa = LabCommand.resolve(CertificateRequest.OA_NAME, LabCommand.socket(s.dnsServer()));
        out.printf("  %-4s %s via %s -> %s%n", oa.isPresent() ? "ok" : "FAIL", CertificateRequest.OA_NAME, s.dnsServer(),
                oa.map(InetAddress::getHostAddress).orElse("no answer"));
        for (Map.Entry<String, String> m : s.members().entrySet()) {
            String health = health(m.getValue());
            allUp &= health.startsWith("UP");
            out.printf("  %-4s member %s health %s/health: %s%n", health.startsWith("UP") ? "ok" : "FAIL", m.getKey(), m.getValue(), health);
        }
        if (s.members().isEmpty() && !s.admin().isEmpty()) {
            String health = health(s.admin());
            allUp &= health.startsWith("UP");
            out.printf("  %-4s gateway health %s/health: %s%n", health.startsWith("UP") ? "ok" : "FAIL", s.admin(), health);
        }
        if (showPasswords) {
            Passwords.load(Topology.frankysweb(), dir).byUser().forEach((u, p) -> out.printf("  password %-14s %s%n", u, p));
        }
        return alive ? allUp ? Anywhere.OK : Anywhere.FINDINGS : Anywhere.INTERNAL;
    }

    /** What EX1's {@code /health} says: its status and, when not UP, why (the JSON as served). */
    private static String health(String adminUrl) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2))
                    .build().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(adminUrl + "/health"))
                            .timeout(java.time.Duration.ofSeconds(2)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            java.util.regex.Matcher status = java.util.regex.Pattern.compile("\"status\":\"([A-Z]+)\"").matcher(r.body());
            String word = status.find() ? status.group(1) : "HTTP " + r.statusCode();
            return word.equals("UP") ? "UP" : word + " " + r.body();
        } catch (IOException e) {
            return "no answer (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no answer (interrupted)";
        }
    }
}
