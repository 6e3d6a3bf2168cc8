package dev.anywhere.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away PostgreSQL server from Debian's package (initdb and pg_ctl from /usr/lib/postgresql/N/bin): its own
 * data directory, loopback only, a free port, trust authentication for one user. PostgreSQL refuses to run as root,
 * so as root every command runs as the package's {@code postgres} user (runuser). Missing PostgreSQL skips the test
 * on a developer's machine and fails it under CI=true.
 */
final class Postgres implements AutoCloseable {

    private final List<String> asUser;
    private final Path bin;
    private final Path dir;
    private final int port;

    private Postgres(List<String> asUser, Path bin, Path dir, int port) {
        this.asUser = asUser;
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    static Postgres start() throws Exception {
        Optional<Path> bin = binaries();
        if (bin.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("PostgreSQL is required under CI=true (Debian package postgresql)");
            }
            Assumptions.abort("PostgreSQL is not installed");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> asUser = root ? List.of("runuser", "-u", "postgres", "--") : List.of();
        Path dir = Files.createTempDirectory("anywhere-pg");
        if (root) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        Postgres pg = new Postgres(asUser, bin.get(), dir, port);
        pg.command(List.of("initdb", "-D", dir.resolve("data").toString(), "-U", "anywhere", "--auth=trust", "-E", "UTF8", "--no-sync"));
        pg.command(List.of("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "60", "-o",
                "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir + " -c fsync=off", "start"));
        return pg;
    }

    /** The JDBC URL of the server's default database. */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=anywhere";
    }

    private static Optional<Path> binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(p -> p.getParent().getFileName().toString()));
        }
    }

    private void command(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(asUser);
        cmd.add(bin.resolve(args.get(0)).toString());
        cmd.addAll(args.subList(1, args.size()));
        run(cmd);
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + ": no exit within 90 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            command(List.of("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
