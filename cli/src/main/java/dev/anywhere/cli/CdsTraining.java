package dev.anywhere.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import picocli.CommandLine;

/**
 * The training run for the class-data sharing archive the build writes next to the jar ({@code cli/target/anywhere.jsa},
 * {@code -XX:ArchiveClassesAtExit}, JDK 17's two-step dynamic archive): it runs what a user's first commands run, so the
 * classes they load come mapped from the archive, already parsed and verified, instead of from the jars. The analyze
 * run talks only to loopback, where nothing answers (a DNS server on the discard port, names resolved to 127.0.0.1,
 * closed ports), and takes a few seconds of its timeouts; its findings are expected and its output discarded. That run
 * never reaches TLS, NTLM or a virtual connection, so the classes a healthy run on the lab loads besides
 * ({@code cds-classes.txt}) are loaded too, without initialising them; a name no longer present is skipped.
 */
final class CdsTraining {

    private static final List<List<String>> RUNS = List.of(
            List.of("--help"),
            List.of("analyze", "--help"),
            List.of("analyze", "training@anywhere.invalid", "--dns-server", "127.0.0.1:9", "--timeout", "1s", "--https-port", "9",
                    "--http-port", "9", "--resolve", "autodiscover.anywhere.invalid:9:127.0.0.1", "--resolve", "anywhere.invalid:9:127.0.0.1"),
            List.of("analyze", "training@anywhere.invalid", "--dns-server", "127.0.0.1:9", "--timeout", "1s", "--https-port", "9",
                    "--http-port", "9", "--format", "json", "--lang", "de"));

    private CdsTraining() {
    }

    private static void loadListed() {
        ClassLoader loader = CdsTraining.class.getClassLoader();
        try (var in = CdsTraining.class.getResourceAsStream("cds-classes.txt")) {
            if (in == null) {
                return;
            }
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    try {
                        Class.forName(line.strip().replace('/', '.'), false, loader);
                    } catch (ClassNotFoundException | LinkageError e) {
                        // Renamed or removed since the list was taken: the archive just lacks it.
                    }
                }
            }
        } catch (java.io.IOException e) {
            // A jar that cannot be read fails the commands above already; the archive is an optimisation only.
        }
    }

    public static void main(String[] args) {
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        for (List<String> run : RUNS) {
            String[] a = run.toArray(String[]::new);
            CommandLine cl = Anywhere.commandLine(a);
            cl.setOut(discard);
            cl.setErr(discard);
            cl.execute(a);
        }
        loadListed();
        // Exit explicitly: the archive is written at VM exit, and a lingering non-daemon thread must not hold the build.
        System.exit(0);
    }
}
