package dev.anywhere.server.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The separate admin listener: {@code /health} (JSON; 200 while UP, 503 while DEGRADED) and {@code /metrics} in
 * Prometheus text format. Kept off the public listener so that neither is reachable through the router's port
 * forward.
 */
public final class AdminServer implements AutoCloseable {

    /** A /health answer: {@code up} decides 200 or 503, {@code json} is the body. */
    public record Health(boolean up, String json) {
    }

    private final HttpServer server;

    private AdminServer(HttpServer server) {
        this.server = server;
    }

    /** Starts on {@code listen}; {@code health} decides /health's status (200 or 503) and body. */
    public static AdminServer start(InetSocketAddress listen, PrometheusMeterRegistry registry,
            Supplier<Health> health) throws IOException {
        HttpServer server = HttpServer.create(listen, 16);
        server.createContext("/health", ex -> {
            Health h = health.get();
            reply(ex, h.up() ? 200 : 503, "application/json", h.json());
        });
        server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.setExecutor(null);
        server.start();
        return new AdminServer(server);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, ex.getRequestMethod().equals("HEAD") ? -1 : bytes.length);
            if (!ex.getRequestMethod().equals("HEAD")) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
