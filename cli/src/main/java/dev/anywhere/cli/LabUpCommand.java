package dev.anywhere.cli;

import dev.anywhere.lab.site.LabState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lab up}: the site in a background JVM (this jar and classpath), {@code lab.json} for clients. */
@Command(name = "up", mixinStandardHelpOptions = true, description = "Start the site in the background (a separate JVM "
        + "from this classpath); writes DIR/lab.json (addresses, port map, CA bundle, users) once everything answers.")
final class LabUpCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    TransportOption transport;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = LabCommand.DEFAULT_DATA_DIR, description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--topology", paramLabel = "FILE|NAME", description = "The site as a topology file (JSON, see docs/lab.md) or a named topology: frankysweb (the default, the site of docs/architecture.md §1) or cas-array (a client access array: HAProxy in front of EX1 and EX2).")
    Path topologyFile;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "How long to wait for the site (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = dataDir.toAbsolutePath();
        Optional<LabState> running = LabState.read(dir);
        if (running.isPresent() && ProcessHandle.of(running.get().pid()).map(ProcessHandle::isAlive).orElse(false)) {
            throw UserError.usage("lab: already running (pid " + running.get().pid() + ", data dir " + dir
                    + "; expected: anywhere lab down first)");
        }
        if (topologyFile != null) {
            LabCommand.topology(topologyFile);
        }
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(LabState.FILE_NAME));
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss512k", "-XX:+UseSerialGC"));
        TransportOption.jvmOption().ifPresent(command::add);
        command.addAll(List.of(
                "-cp", System.getProperty("anywhere.lab.classpath", System.getProperty("java.class.path")), Anywhere.class.getName(), "lab", "serve", "--data-dir", dir.toString()));
        if (topologyFile != null) {
            command.addAll(List.of("--topology", Files.exists(topologyFile) ? topologyFile.toAbsolutePath().toString()
                    : topologyFile.toString()));
        }
        Path log = dir.resolve("lab.log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        out.printf("Starting the site in the background (pid %d, log %s)", child.pid(), log);
        out.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                out.println();
                out.println(tail(log, 15));
                throw UserError.unavailable("lab up: the site exited with status " + child.exitValue() + " (log " + log + ")");
            }
            Optional<LabState> state = LabState.read(dir);
            if (state.isPresent() && state.get().pid() == child.pid()) {
                out.println();
                printState(state.get(), out);
                out.printf("%nClient settings: %s%nStop it with: anywhere lab down --data-dir %s%n", dir.resolve(LabState.FILE_NAME), dir);
                return Anywhere.OK;
            }
            out.print('.');
            out.flush();
            Thread.sleep(250);
        }
        child.destroy();
        child.waitFor(10, TimeUnit.SECONDS);
        child.destroyForcibly();
        throw UserError.unavailable("lab up: not up after " + timeoutSeconds + " s (expected: lab.json; log " + log + ")");
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void printState(LabState s, PrintWriter out) {
        out.printf("Site %s, pid %d, data %s%n", s.site(), s.pid(), s.dataDir());
        if (s.portsShifted()) {
            out.printf("Ports below 1024 shifted by %d: %s%n", s.portOffset(), s.portMap());
        }
        s.services().forEach((k, v) -> out.printf("  %-20s %s%n", k, v));
        out.printf("Router rules: %s%n", s.router());
        out.printf("Middlebox:    %s%n", s.middlebox());
        if (!s.balancer().isEmpty()) {
            out.printf("Balancer:     haproxy on %s (TCP, round robin, no affinity) over %s%n", s.balancer(), s.members().keySet());
        }
        out.printf("CA bundle:    %s%n", s.caBundle());
        out.printf("DNS server:   %s%n", s.dnsServer());
        out.printf("Resolve:      %s%n", s.resolve());
        out.printf("Users:        %s (passwords in %s; anywhere lab status --show-passwords)%n", s.users(), s.passwordsFile());
        if (!s.members().isEmpty()) {
            s.members().forEach((m, url) -> out.printf("Admin %-6s  %s/health and %s/metrics%n", m + ":", url, url));
        } else if (!s.admin().isEmpty()) {
            out.printf("Admin:        %s/health and %s/metrics (EX1's gateway)%n", s.admin(), s.admin());
        }
    }
}
