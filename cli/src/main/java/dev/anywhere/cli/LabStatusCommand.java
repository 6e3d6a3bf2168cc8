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
@Command(name = "status", mixinStandardHelpOptions = true)
final class LabStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = LabCommand.DEFAULT_DATA_DIR)
    Path dataDir;

    @Option(names = "--show-passwords")
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
        CliText text = CliText.ofLocale();
        boolean alive = ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false);
        out.println(text.get("lab.status.site", "site", s.site(), "pid", s.pid(), "state",
                text.get(alive ? "lab.status.running" : "lab.status.not-running"), "started", s.startedAt()));
        String up = text.get("lab.status.up");
        String down = text.get("lab.status.down");
        String ok = text.get("lab.status.ok");
        String fail = text.get("lab.status.fail");
        // The status column is as wide as its longest word in this language (4 in English, as before).
        String column = "  %-" + java.util.stream.Stream.of(up, down, ok, fail).mapToInt(String::length).max().orElse(4) + "s ";
        boolean allUp = alive;
        for (Map.Entry<String, String> e : s.services().entrySet()) {
            boolean listening = LabCommand.listening(LabCommand.socket(e.getValue()));
            String port = e.getValue().substring(e.getValue().lastIndexOf(':') + 1);
            boolean expectedDown = e.getKey().startsWith("router/")
                    && s.router().stream().anyMatch(r -> r.startsWith("tcp/" + port + " (no rule"));
            allUp &= listening || expectedDown;
            out.printf(column + "%-20s %s%s%n", listening ? up : expectedDown ? "-" : down, e.getKey(), e.getValue(),
                    expectedDown && !listening ? text.get("lab.status.absent-by-fault") : "");
        }
        Optional<InetAddress> oa = LabCommand.resolve(CertificateRequest.OA_NAME, LabCommand.socket(s.dnsServer()));
        out.printf(column + "%s%n", oa.isPresent() ? ok : fail, text.get("lab.status.dns", "name", CertificateRequest.OA_NAME,
                "dns", s.dnsServer(), "address", oa.map(InetAddress::getHostAddress).orElse(text.get("lab.status.no-answer"))));
        for (Map.Entry<String, String> m : s.members().entrySet()) {
            String health = health(m.getValue(), text);
            allUp &= health.startsWith("UP");
            out.printf(column + "%s%n", health.startsWith("UP") ? ok : fail, text.get("lab.status.member", "member", m.getKey(),
                    "url", m.getValue(), "health", health));
        }
        if (s.members().isEmpty() && !s.admin().isEmpty()) {
            String health = health(s.admin(), text);
            allUp &= health.startsWith("UP");
            out.printf(column + "%s%n", health.startsWith("UP") ? ok : fail, text.get("lab.status.gateway", "url", s.admin(),
                    "health", health));
        }
        if (showPasswords) {
            String password = text.get("lab.status.password");
            Passwords.load(Topology.frankysweb(), dir).byUser().forEach((u, p) -> out.printf("  %s %-14s %s%n", password, u, p));
        }
        return alive ? allUp ? Anywhere.OK : Anywhere.FINDINGS : Anywhere.INTERNAL;
    }

    /** What EX1's {@code /health} says: its status and, when not UP, why (the JSON as served). */
    private static String health(String adminUrl, CliText text) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2))
                    .build().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(adminUrl + "/health"))
                            .timeout(java.time.Duration.ofSeconds(2)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            java.util.regex.Matcher status = java.util.regex.Pattern.compile("\"status\":\"([A-Z]+)\"").matcher(r.body());
            String word = status.find() ? status.group(1) : "HTTP " + r.statusCode();
            return word.equals("UP") ? "UP" : word + " " + r.body();
        } catch (IOException e) {
            return text.get("lab.status.no-answer-because", "detail", Anywhere.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return text.get("lab.status.no-answer-because", "detail", text.get("lab.status.interrupted"));
        }
    }
}
