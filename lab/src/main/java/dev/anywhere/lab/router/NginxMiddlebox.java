package dev.anywhere.lab.router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real nginx (the Debian package {@code nginx}) as a child process, with its own prefix, configuration, pid file,
 * logs and temp directories under {@code dir}; never the system service. {@link #close()} stops the master and
 * waits for it and its workers.
 */
public final class NginxMiddlebox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NginxMiddlebox.class);
    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/bin/nginx"),
            Path.of("/usr/local/sbin/nginx"), Path.of("/usr/local/nginx/sbin/nginx"));

    private final Process process;
    private final Path dir;
    private final InetSocketAddress listen;
    private final NginxConfig.Profile profile;

    private NginxMiddlebox(Process process, Path dir, InetSocketAddress listen, NginxConfig.Profile profile) {
        this.process = process;
        this.dir = dir;
        this.listen = listen;
        this.profile = profile;
    }

    /** The nginx binary: {@code PATH} first, then the usual places; empty when nginx is not installed. */
    public static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(d, "nginx");
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return CANDIDATES.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Writes the configuration for {@code profile} and starts nginx in the foreground as a child process; returns
     * once it accepts connections on {@code listen}.
     *
     * @throws IllegalStateException if nginx is not installed, or did not start (with its error log's last lines)
     */
    public static NginxMiddlebox start(NginxConfig.Profile profile, Path dir, InetSocketAddress listen, Path certificateChain,
            Path privateKey, InetSocketAddress upstream, String upstreamName) {
        return start(find(), profile, dir, listen, certificateChain, privateKey, upstream, upstreamName);
    }

    /** {@link #start(NginxConfig.Profile, Path, InetSocketAddress, Path, Path, InetSocketAddress, String)} with a given binary. */
    static NginxMiddlebox start(Optional<Path> binary, NginxConfig.Profile profile, Path dir, InetSocketAddress listen,
            Path certificateChain, Path privateKey, InetSocketAddress upstream, String upstreamName) {
        Path nginx = binary.orElseThrow(() -> new IllegalStateException("nginx: not installed (expected: the nginx "
                + "binary on PATH or in /usr/sbin; Debian: apt-get install nginx, then keep its service stopped)"));
        try {
            for (String sub : new String[] {"logs", "temp", "conf"}) {
                Files.createDirectories(dir.resolve(sub));
            }
            boolean root = "root".equals(System.getProperty("user.name"));
            Path conf = dir.resolve("conf/nginx.conf");
            Files.writeString(conf, NginxConfig.render(profile, dir, listen, certificateChain, privateKey, upstream,
                    upstreamName, root), StandardCharsets.UTF_8);
            Files.deleteIfExists(dir.resolve("logs/error.log"));
            Process process = ProcessTree.stopAtExit(new ProcessBuilder(nginx.toString(), "-p", dir.toAbsolutePath() + "/", "-c",
                    conf.toAbsolutePath().toString(), "-e", dir.resolve("logs/error.log").toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start());
            NginxMiddlebox box = new NginxMiddlebox(process, dir, listen, profile);
            ProcessTree.awaitListening("nginx " + profile.id() + " on " + listen, process, listen, box::errorLogTail);
            log.info("nginx {} on {} -> {} (pid {})", profile.id(), listen, upstream, process.pid());
            return box;
        } catch (IOException e) {
            throw new UncheckedIOException("nginx " + profile.id() + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The last lines of nginx's error log, one line, for error messages. */
    public String errorLogTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("logs/error.log"));
            List<String> tail = lines.subList(Math.max(0, lines.size() - 3), lines.size());
            return String.join(" | ", tail);
        } catch (IOException e) {
            return "(no error log)";
        }
    }

    /** Where nginx listens. */
    public InetSocketAddress address() {
        return listen;
    }

    public NginxConfig.Profile profile() {
        return profile;
    }

    /** nginx's directory: {@code conf/nginx.conf}, {@code logs/}, {@code temp/}, {@code nginx.pid}. */
    public Path directory() {
        return dir;
    }

    /** The master's process id. */
    public long pid() {
        return process.pid();
    }

    /** Stops nginx (SIGTERM: fast shutdown) and waits for the master and its workers; SIGKILL after 5 s. */
    @Override
    public void close() {
        ProcessTree.stop(process);
    }
}
