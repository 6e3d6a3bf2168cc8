package dev.anywhere.bench.load;

import dev.anywhere.lab.router.ProcessTree;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (Debian package haproxy) as a plain TCP relay in front of the endpoints' ncacn_ip_tcp port: the
 * "raw relay" arm (published figure: HAProxy reaches 0.75× of direct on 2 dedicated cores, xnuter/perf-gauge, 2021). It is no RPC proxy; it
 * prices one extra user-space hop on this machine, which is the floor any RPC over HTTP relay stands on. One thread,
 * one process, started in the foreground as a child with its own configuration, stopped by SIGTERM.
 */
public final class HaproxyRelay implements AutoCloseable {

    private final Process process;
    private final InetSocketAddress listen;
    private final Path dir;

    private HaproxyRelay(Process process, InetSocketAddress listen, Path dir) {
        this.process = process;
        this.listen = listen;
        this.dir = dir;
    }

    public static Optional<Path> binary() {
        return List.of(Path.of("/usr/sbin/haproxy"), Path.of("/usr/bin/haproxy")).stream().filter(Files::isExecutable).findFirst();
    }

    /** {@code haproxy -v}'s first line, e.g. "HAProxy version 2.6.12-1+deb12u4 ...", shortened to name and version. */
    public static Optional<String> version() {
        return binary().flatMap(b -> {
            try {
                Process p = new ProcessBuilder(b.toString(), "-v").redirectErrorStream(true).start();
                String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
                p.waitFor(5, TimeUnit.SECONDS);
                String[] w = first.split(" ");
                return w.length >= 3 ? Optional.of("haproxy/" + w[2]) : Optional.<String>empty();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        });
    }

    /** The configuration: TCP mode, one thread, RPC-length timeouts (3 h, far above the up to 15 idle minutes of an Outlook Anywhere channel), no logging. */
    static String config(InetSocketAddress listen, InetSocketAddress upstream, int maxConnections) {
        return "global\n"
                + "    nbthread 1\n"
                + "    maxconn " + maxConnections + "\n"
                + "defaults\n"
                + "    mode tcp\n"
                + "    timeout connect 5s\n"
                + "    timeout client 3h\n"
                + "    timeout server 3h\n"
                + "frontend rpc\n"
                + "    bind " + listen.getAddress().getHostAddress() + ":" + listen.getPort() + "\n"
                + "    default_backend endpoints\n"
                + "backend endpoints\n"
                + "    server ex1 " + upstream.getAddress().getHostAddress() + ":" + upstream.getPort() + "\n";
    }

    /** Starts HAProxy relaying {@code listen} to {@code upstream}, behind {@code prefix} (CPU pinning); waits until it listens. */
    public static HaproxyRelay start(Path dir, InetSocketAddress listen, InetSocketAddress upstream, List<String> prefix) throws IOException {
        Path haproxy = binary().orElseThrow(() -> new IOException("haproxy: not installed (expected: the Debian package haproxy)"));
        Files.createDirectories(dir);
        Path conf = dir.resolve("haproxy.cfg");
        Files.writeString(conf, config(listen, upstream, 1000));
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(haproxy.toString(), "-db", "-f", conf.toString()));
        Process process = ProcessTree.stopAtExit(
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start());
        HaproxyRelay relay = new HaproxyRelay(process, listen, dir);
        PeerProcess.awaitListening("haproxy", process, listen, relay::log);
        return relay;
    }

    private String log() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("haproxy.log"));
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public InetSocketAddress address() {
        return listen;
    }

    /** The HAProxy process (with a taskset prefix, taskset execs it, so the pid stays the same). */
    public List<Long> pids() {
        return PeerProcess.pids(process);
    }

    @Override
    public void close() {
        ProcessTree.stop(process);
    }
}
