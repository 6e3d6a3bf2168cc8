package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class AdminServerTest {

    @Test
    void healthAndPrometheusMetrics() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("anywhere.gateway.rpcproxy.requests", "outcome", "echo").increment(3);
        try (AdminServer admin = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), registry,
                () -> new AdminServer.Health(true, "{\"status\":\"UP\"}"))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + admin.address().getPort();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("anywhere_gateway_rpcproxy_requests_total{outcome=\"echo\"} 3.0");
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void degradedHealthIsServedWith503() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        String json = "{\"status\":\"DEGRADED\",\"components\":{\"directory\":{\"state\":\"UNREACHABLE\"}}}";
        try (AdminServer admin = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), registry,
                () -> new AdminServer.Health(false, json))) {
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + admin.address().getPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).isEqualTo(json);
        }
    }
}
