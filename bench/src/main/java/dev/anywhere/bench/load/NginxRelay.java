package dev.anywhere.bench.load;

import dev.anywhere.lab.router.NginxMiddlebox;
import dev.anywhere.lab.router.ProcessTree;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The nginx arm's relay: the Debian nginx as a child process, plaintext, in front of the gateway, with the RPC over
 * HTTP settings (the lab's {@code nginx-rpc} profile without TLS): HTTP/1.1 to the upstream,
 * no request or response buffering, {@code client_max_body_size 0}, timeouts of 900 s and more. nginx is not an RPC
 * proxy (it cannot pair IN and OUT or open the backend TCP), so it relays the two long-lived HTTP bodies to the
 * gateway, which is the "HTTP stub that bridges to the backend". The nginx arm minus the gateway arm prices exactly
 * "relay a long-lived RPC_IN_DATA / RPC_OUT_DATA body", and nginx's own CPU is read from /proc.
 *
 * <p>Optionally the listener speaks TLS ({@link Tls}): TLS 1.3 only, TLS_AES_128_GCM_SHA256 only, X25519 only, the
 * bench certificate ({@code dev.anywhere.bench.tls.TlsMaterial}), with or without session resumption. And the command
 * can get a prefix, e.g. {@code List.of("taskset", "-c", "0")} to pin nginx; the prefix must exec nginx (taskset,
 * numactl, nice, chrt do) so that {@link #pids()} stays nginx's master and workers.
 */
public final class NginxRelay implements AutoCloseable {

    /**
     * The TLS listener: {@code certificateChain} (PEM, leaf first) and {@code privateKey} (PEM);
     * {@code sessionResumption} false ({@code ssl_session_cache off; ssl_session_tickets off;}) for the handshake
     * benchmark, true (a 10 MB shared cache, tickets on: nginx's usual production setting) otherwise.
     */
    public record Tls(Path certificateChain, Path privateKey, boolean sessionResumption) {

        /** Listener TLS 1.3 only: the protocol. */
        public static final String PROTOCOLS = "TLSv1.3";
        /** Listener TLS 1.3 cipher suites (OpenSSL's {@code Ciphersuites}). */
        public static final String CIPHERSUITES = "TLS_AES_128_GCM_SHA256";
        /** Key exchange groups (OpenSSL names). */
        public static final String CURVES = "X25519";

        public Tls {
            java.util.Objects.requireNonNull(certificateChain, "certificateChain");
            java.util.Objects.requireNonNull(privateKey, "privateKey");
        }

        /** The {@code server}-block directives, one per line, indented by 8. */
        String directives() {
            StringBuilder c = new StringBuilder();
            c.append("        ssl_certificate ").append(certificateChain.toAbsolutePath()).append(";\n");
            c.append("        ssl_certificate_key ").append(privateKey.toAbsolutePath()).append(";\n");
            c.append("        ssl_protocols ").append(PROTOCOLS).append(";\n");
            c.append("        ssl_conf_command Ciphersuites ").append(CIPHERSUITES).append(";\n");
            c.append("        ssl_ecdh_curve ").append(CURVES).append(";\n");
            if (sessionResumption) {
                c.append("        ssl_session_cache shared:bench:10m;\n");
                c.append("        ssl_session_tickets on;\n");
            } else {
                c.append("        ssl_session_cache off;\n");
                c.append("        ssl_session_tickets off;\n");
            }
            return c.toString();
        }
    }

    private final Process process;
    private final InetSocketAddress listen;
    private final Path dir;

    private NginxRelay(Process process, InetSocketAddress listen, Path dir) {
        this.process = process;
        this.listen = listen;
        this.dir = dir;
    }

    /** The nginx binary, or empty when nginx is not installed. */
    public static Optional<Path> binary() {
        return NginxMiddlebox.find();
    }

    /** {@code nginx -v}'s version ("nginx/1.22.1"), or empty. */
    public static Optional<String> version() {
        Optional<Path> bin = binary();
        if (bin.isEmpty()) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(bin.get().toString(), "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            int i = out.indexOf("nginx/");
            return Optional.of(i >= 0 ? out.substring(i).split("\\s")[0] : out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static String config(Path prefix, InetSocketAddress listen, InetSocketAddress upstream, int workerConnections, boolean root) {
        return config(prefix, listen, upstream, workerConnections, root, Optional.empty());
    }

    static String config(Path prefix, InetSocketAddress listen, InetSocketAddress upstream, int workerConnections, boolean root,
            Optional<Tls> tls) {
        String p = prefix.toAbsolutePath().toString();
        StringBuilder c = new StringBuilder();
        c.append(tls.isPresent()
                ? "# generated by anywhere bench: nginx as a TLS-terminating RPC over HTTP relay in front of the gateway\n"
                : "# generated by anywhere bench rpch: nginx as a plaintext RPC over HTTP relay in front of the gateway\n");
        if (root) {
            c.append("user root;\n");
        }
        c.append("daemon off;\nworker_processes 1;\n");
        c.append("worker_rlimit_nofile ").append(workerConnections * 2 + 64).append(";\n");
        c.append("pid ").append(p).append("/nginx.pid;\n");
        c.append("error_log ").append(p).append("/logs/error.log warn;\n");
        c.append("events { worker_connections ").append(workerConnections).append("; }\n");
        c.append("http {\n    access_log off;\n");
        for (String temp : new String[] {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
            c.append("    ").append(temp).append("_temp_path ").append(p).append("/temp/").append(temp).append(";\n");
        }
        c.append("    upstream gateway {\n        server ").append(upstream.getAddress().getHostAddress()).append(':')
                .append(upstream.getPort()).append(";\n        keepalive 32;\n        keepalive_timeout 3h;\n    }\n");
        c.append("    server {\n        listen ").append(listen.getAddress().getHostAddress()).append(':').append(listen.getPort())
                .append(tls.isPresent() ? " ssl" : "").append(";\n        keepalive_timeout 3h;\n");
        tls.ifPresent(t -> c.append(t.directives()));
        c.append("        location /rpc/rpcproxy.dll {\n");
        c.append("            proxy_pass http://gateway;\n");
        c.append("            proxy_set_header Host $http_host;\n");
        c.append("            proxy_http_version 1.1;\n");
        c.append("            proxy_set_header Connection \"Keep-Alive\";\n");
        c.append("            proxy_request_buffering off;\n");
        c.append("            proxy_buffering off;\n");
        c.append("            client_max_body_size 0;\n");
        c.append("            client_body_timeout 3h;\n");
        c.append("            proxy_read_timeout 3h;\n");
        c.append("            proxy_send_timeout 3h;\n");
        c.append("        }\n    }\n}\n");
        return c.toString();
    }

    /** Starts nginx on {@code listen} relaying to {@code upstream}; returns once it accepts connections. */
    public static NginxRelay start(Path dir, InetSocketAddress listen, InetSocketAddress upstream, int workerConnections)
            throws IOException {
        return start(dir, listen, upstream, workerConnections, Optional.empty(), List.of());
    }

    /**
     * As {@link #start(Path, InetSocketAddress, InetSocketAddress, int)}, with a TLS listener if {@code tls} is present,
     * and nginx started as {@code commandPrefix + nginx …} (e.g. {@code List.of("taskset", "-c", "0")}; empty: none).
     */
    public static NginxRelay start(Path dir, InetSocketAddress listen, InetSocketAddress upstream, int workerConnections,
            Optional<Tls> tls, List<String> commandPrefix) throws IOException {
        Path nginx = binary().orElseThrow(() -> new IOException("nginx: not installed (expected: the Debian package nginx)"));
        for (String sub : new String[] {"logs", "temp", "conf"}) {
            Files.createDirectories(dir.resolve(sub));
        }
        Path conf = dir.resolve("conf/nginx.conf");
        Files.writeString(conf, config(dir, listen, upstream, workerConnections, "root".equals(System.getProperty("user.name")), tls));
        List<String> command = new ArrayList<>(commandPrefix);
        command.addAll(List.of(nginx.toString(), "-p", dir.toAbsolutePath() + "/", "-c", conf.toAbsolutePath().toString(),
                "-e", dir.resolve("logs/error.log").toAbsolutePath().toString()));
        Process process = ProcessTree.stopAtExit(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("logs/stdout.log").toFile()).start());
        NginxRelay relay = new NginxRelay(process, listen, dir);
        PeerProcess.awaitListening("nginx", process, listen, relay::errorLog);
        return relay;
    }

    String errorLog() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("logs/error.log"));
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no error log)";
        }
    }

    public InetSocketAddress address() {
        return listen;
    }

    /** The master and its workers. */
    public List<Long> pids() {
        return PeerProcess.pids(process);
    }

    /** SIGTERM, then waits for the master and workers; SIGKILL after 5 s. */
    @Override
    public void close() {
        ProcessTree.stop(process);
    }
}
