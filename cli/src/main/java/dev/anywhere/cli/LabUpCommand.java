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
@Command(name = "up", mixinStandardHelpOptions = true)
final class LabUpCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    TransportOption transport;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = LabCommand.DEFAULT_DATA_DIR)
    Path dataDir;

    @Option(names = "--topology", paramLabel = "FILE|NAME")
    Path topologyFile;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = dataDir.toAbsolutePath();
        Optional<LabState> running = LabState.read(dir);
        if (running.isPresent() && ProcessHandle.of(running.get().pid()).map(ProcessHandle::isAlive).orElse(false)) {
            throw UserError.usage(CliText.local("lab.up.running", "pid", running.get().pid(), "dir", dir));
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
        out.print(CliText.local("lab.up.starting", "pid", child.pid(), "log", log));
        out.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                out.println();
                out.println(tail(log, 15));
                throw UserError.unavailable(CliText.local("lab.up.exited", "status", child.exitValue(), "log", log));
            }
            Optional<LabState> state = LabState.read(dir);
            if (state.isPresent() && state.get().pid() == child.pid()) {
                out.println();
                printState(state.get(), out);
                out.printf("%n%s%n%s%n", CliText.local("lab.up.client-settings", "file", dir.resolve(LabState.FILE_NAME)),
                        CliText.local("lab.up.stop-with", "dir", dir));
                return Anywhere.OK;
            }
            out.print('.');
            out.flush();
            Thread.sleep(250);
        }
        child.destroy();
        child.waitFor(10, TimeUnit.SECONDS);
        child.destroyForcibly();
        throw UserError.unavailable(CliText.local("lab.up.timeout", "seconds", timeoutSeconds, "log", log));
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return CliText.local("lab.up.no-log");
        }
    }

    private static void printState(LabState s, PrintWriter out) {
        CliText text = CliText.ofLocale();
        out.println(text.get("lab.up.site", "site", s.site(), "pid", s.pid(), "dir", s.dataDir()));
        if (s.portsShifted()) {
            out.println(text.get("lab.up.ports-shifted", "offset", s.portOffset(), "ports", s.portMap()));
        }
        s.services().forEach((k, v) -> out.printf("  %-20s %s%n", k, v));
        // The values start in one column: 14 in English ("Router rules: "), wider when a label in this language is longer.
        List<String> keys = List.of("router", "middlebox", "balancer", "ca-bundle", "dns-server", "resolve", "users", "admin");
        int width = Math.max(14, keys.stream().mapToInt(k -> text.get("lab.up.label." + k).length() + 2).max().orElse(0));
        java.util.function.BiConsumer<String, Object> line = (k, v) -> out.printf("%-" + width + "s%s%n", text.get("lab.up.label." + k) + ":", v);
        line.accept("router", s.router());
        line.accept("middlebox", s.middlebox());
        if (!s.balancer().isEmpty()) {
            line.accept("balancer", text.get("lab.up.balancer", "address", s.balancer(), "members", s.members().keySet()));
        }
        line.accept("ca-bundle", s.caBundle());
        line.accept("dns-server", s.dnsServer());
        line.accept("resolve", s.resolve());
        line.accept("users", text.get("lab.up.users", "users", s.users(), "file", s.passwordsFile()));
        if (!s.members().isEmpty()) {
            s.members().forEach((m, url) -> out.printf("%s %-6s  %s%n", text.get("lab.up.label.admin"), m + ":",
                    text.get("lab.up.admin", "url", url)));
        } else if (!s.admin().isEmpty()) {
            line.accept("admin", text.get("lab.up.admin-ex1", "url", s.admin()));
        }
    }
}
