package dev.anywhere.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's rules without a lab: CSRF, bad forms, the loopback rule, the run limits. Runs here go to a loopback
 * "proxy" that accepts connections and never answers, so they stay busy for as long as a test needs.
 */
class WebServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** A browser-like client: keeps the session cookie, knows the CSRF token once it asked for it. */
    static final class Page {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
        final String base;
        String csrf = "";

        Page(WebServer server) {
            this.base = server.url();
        }

        Page session() throws Exception {
            csrf = JSON.readTree(get("api/session").body()).path("csrf").asText();
            return this;
        }

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String body, Optional<String> token) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            token.ifPresent(t -> b.header("X-CSRF-Token", t));
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> startRun(String form) throws Exception {
            return post("api/runs", form, Optional.of(csrf));
        }
    }

    private WebServer start(WebSettings settings) throws Exception {
        WebServer server = WebServer.start(settings);
        closing.add(0, server);
        return server;
    }

    private WebSettings settings(RunDefaults defaults) {
        return new WebSettings(new InetSocketAddress("127.0.0.1", 0), Optional.empty(), Optional.empty(),
                "jdbc:sqlite:" + tmp.resolve("history.db"), defaults, 4, 2);
    }

    /** A TCP listener on loopback that accepts and stays silent: a run against it waits for its step timeout. */
    private int silentProxy() throws Exception {
        ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        List<Socket> accepted = new ArrayList<>();
        Thread t = new Thread(() -> {
            try {
                while (!s.isClosed()) {
                    accepted.add(s.accept());
                }
            } catch (Exception e) {
                // closed at the end of the test
            }
        });
        t.setDaemon(true);
        t.start();
        closing.add(() -> {
            s.close();
            for (Socket a : accepted) {
                a.close();
            }
        });
        return s.getLocalPort();
    }

    private RunDefaults slow(int port) {
        return new RunDefaults(Optional.empty(), List.of(), List.of("oa.example.test:" + port + ":127.0.0.1"), port, port,
                Duration.ofSeconds(3));
    }

    private static String manualRun(int port) {
        return "{\"target\":\"user@example.test\",\"rpcProxy\":\"oa.example.test\",\"language\":\"en\"}";
    }

    @Test
    void aPostWithoutTheSessionsTokenIsRefusedAndStartsNothing() throws Exception {
        WebServer server = start(settings(RunDefaults.system()));
        Page page = new Page(server).session();
        HttpResponse<String> none = page.post("api/runs", "{\"target\":\"a@b.c\"}", Optional.empty());
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(none.body()).path("error").asText())
                .isEqualTo("Refused: the request lacks this page's security token (reload the page).");
        HttpResponse<String> wrong = page.post("api/runs", "{\"target\":\"a@b.c\"}", Optional.of(page.csrf + "x"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        // Another browser (no session cookie) with a token it read elsewhere: refused as well.
        Page other = new Page(server);
        assertThat(other.post("api/runs", "{\"target\":\"a@b.c\"}", Optional.of(page.csrf)).statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(page.get("api/runs").body())).isEmpty();
    }

    @Test
    void theCsrfRefusalIsInGermanForAGermanPage() throws Exception {
        Page page = new Page(start(settings(RunDefaults.system())));
        HttpResponse<String> r = page.post("api/runs?lang=de", "{}", Optional.empty());
        assertThat(JSON.readTree(r.body()).path("error").asText())
                .isEqualTo("Abgelehnt: der Anfrage fehlt das Sicherheitstoken dieser Seite (laden Sie die Seite neu).");
    }

    @Test
    void badFormsGetTheirOwnError() throws Exception {
        Page page = new Page(start(settings(RunDefaults.system()))).session();
        assertThat(error(page.startRun("[1]"))).isEqualTo("The request is not a JSON object.");
        assertThat(error(page.startRun("not json"))).isEqualTo("The request is not a JSON object.");
        assertThat(error(page.startRun("{}"))).isEqualTo("Enter an e-mail address (or a domain with manual settings).");
        assertThat(error(page.startRun("{\"target\":\"example.org\"}")))
                .isEqualTo("Autodiscover needs an e-mail address; for a domain give the RPC proxy (manual settings).");
        assertThat(error(page.startRun("{\"target\":\"a@example.org\",\"language\":\"fr\"}")))
                .isEqualTo("Language 'fr' is not offered (expected: en or de).");
        assertThat(error(page.startRun("{\"target\":\"a@example.org\",\"vantage\":\"moon\"}")))
                .isEqualTo("Vantage 'moon' is not known (expected: inside, outside or unspecified).");
        assertThat(error(page.startRun("{\"target\":\"a@example.org\",\"password\":\"x\"}")))
                .isEqualTo("A password needs a user name (DOMAIN\\user).");
        assertThat(error(page.startRun("{\"target\":\"a.example.org\",\"rpcProxy\":\"oa\",\"proxyAuth\":\"digest\"}")))
                .isEqualTo("Proxy authentication 'digest' is not known (expected: basic or ntlm).");
        assertThat(error(page.startRun("{\"target\":\"a@example.org\",\"language\":\"de\",\"vantage\":\"mond\"}")))
                .isEqualTo("Der Standort „mond“ ist unbekannt (erwartet: inside, outside oder unspecified).");
        assertThat(error(page.get("api/runs?from=yesterday"))).isEqualTo("'yesterday' is not a date (expected: YYYY-MM-DD).");
        assertThat(error(page.get("api/runs/nope/report?format=pdf"))).isEqualTo("Format 'pdf' is not offered (expected: json, html or junit).");
        assertThat(error(page.get("api/runs/nope/report?format=json"))).isEqualTo("No run with this id.");
        assertThat(error(page.get("api/runs/nope/events"))).isEqualTo("No run with this id.");
        assertThat(error(page.get("nothing/here"))).isEqualTo("Nothing here.");
        assertThat(error(page.get("nothing/here?lang=de"))).isEqualTo("Hier ist nichts.");
        HttpResponse<String> put = page.http.send(HttpRequest.newBuilder(URI.create(page.base + "api/runs"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("allow")).hasValue("GET, POST");
        assertThat(JSON.readTree(put.body()).path("error").asText()).isEqualTo("Only GET and POST are answered here.");
    }

    private static String error(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
        return JSON.readTree(r.body()).path("error").asText();
    }

    @Test
    void anAddressBeyondLoopbackNeedsTlsAndALogin() {
        InetSocketAddress any = new InetSocketAddress("0.0.0.0", 0);
        String expected = "listen: 0.0.0.0 is not a loopback address; serving beyond this machine needs --cert/--key (TLS) and "
                + "--login-user/--login-password-file";
        assertThatThrownBy(() -> new WebSettings(any, Optional.empty(), Optional.empty(), "jdbc:sqlite:x", RunDefaults.system(), 4, 2))
                .hasMessage(expected);
        assertThatThrownBy(() -> new WebSettings(any, Optional.of(new WebSettings.Tls(Path.of("c"), Path.of("k"))), Optional.empty(),
                "jdbc:sqlite:x", RunDefaults.system(), 4, 2)).hasMessage(expected);
        assertThatThrownBy(() -> new WebSettings(any, Optional.empty(), Optional.of(new WebSettings.Login("admin", "pw")), "jdbc:sqlite:x",
                RunDefaults.system(), 4, 2)).hasMessage(expected);
        assertThat(new WebSettings(any, Optional.of(new WebSettings.Tls(Path.of("c"), Path.of("k"))),
                Optional.of(new WebSettings.Login("admin", "pw")), "jdbc:sqlite:x", RunDefaults.system(), 4, 2).listen()).isEqualTo(any);
        assertThat(new WebSettings(new InetSocketAddress("::1", 0), Optional.empty(), Optional.empty(), "jdbc:sqlite:x",
                RunDefaults.system(), 4, 2).login()).isEmpty();
        assertThatThrownBy(() -> new WebSettings(new InetSocketAddress("127.0.0.1", 0), Optional.empty(), Optional.empty(), "jdbc:sqlite:x",
                RunDefaults.system(), 2, 3)).hasMessage("limits: 2 runs, 3 per client (expected: at least 1, and no more per client than in all)");
    }

    @Test
    void oneClientMayNotRunMoreThanItsShare() throws Exception {
        int port = silentProxy();
        Page page = new Page(start(settings(slow(port)).withLimits(4, 1))).session();
        HttpResponse<String> first = page.startRun(manualRun(port));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        HttpResponse<String> second = page.startRun(manualRun(port));
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(second.body()).path("error").asText())
                .isEqualTo("Refused: you have 1 runs going on already; wait for one to finish.");
    }

    @Test
    void allClientsTogetherMayNotRunMoreThanTheServersBound() throws Exception {
        int port = silentProxy();
        Page page = new Page(start(settings(slow(port)).withLimits(2, 2))).session();
        assertThat(page.startRun(manualRun(port)).statusCode()).isEqualTo(202);
        assertThat(page.startRun(manualRun(port)).statusCode()).isEqualTo(202);
        HttpResponse<String> third = page.startRun(manualRun(port));
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(third.body()).path("error").asText())
                .isEqualTo("Refused: 2 runs are going on already; try again when one has finished.");
    }

    @Test
    void aRunStreamsItsStepsAndEndsWithTheVerdictStoredInTheHistory() throws Exception {
        int port = silentProxy();
        Page page = new Page(start(settings(slow(port)))).session();
        HttpResponse<String> started = page.startRun(manualRun(port));
        String id = JSON.readTree(started.body()).path("id").asText();
        HttpResponse<String> events = page.get("api/runs/" + id + "/events");
        assertThat(events.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
        String body = events.body();
        assertThat(body).startsWith("id: 0\nevent: started\ndata: {\"key\":0,\"parent\":null,\"depth\":0,\"id\":\"outlook-anywhere\"");
        assertThat(body).contains("event: finished").contains("\"id\":\"rpc-proxy.dns\"");
        assertThat(body.strip()).matches("(?s).*event: done\ndata: \\{\"run\":\"" + id + "\",\"status\":\"failed\",.*");
        JsonNode history = JSON.readTree(page.get("api/runs").body());
        assertThat(history).hasSize(1);
        assertThat(history.get(0).path("target").asText()).isEqualTo("user@example.test");
        HttpResponse<String> junit = page.get("api/runs/" + id + "/report?format=junit&download=1");
        assertThat(junit.headers().firstValue("content-disposition")).hasValue("attachment; filename=\"anywhere-report-" + id.substring(0, 8)
                + ".xml\"");
        assertThat(junit.body()).contains("<testsuite");
        // A subscriber that comes after the end gets the whole story again, then the end.
        assertThat(page.get("api/runs/" + id + "/events").body()).isEqualTo(body);
    }
    @Test
    @SuppressWarnings("deprecation")
    void overTlsThePageAsksForItsLoginAndAcceptsOnlyTheRightOne() throws Exception {
        io.netty.handler.ssl.util.SelfSignedCertificate cert = new io.netty.handler.ssl.util.SelfSignedCertificate("localhost");
        WebServer server = start(new WebSettings(new InetSocketAddress("127.0.0.1", 0),
                Optional.of(new WebSettings.Tls(cert.certificate().toPath(), cert.privateKey().toPath())),
                Optional.of(new WebSettings.Login("helpdesk", "Page-Pass-1")), "jdbc:sqlite:" + tmp.resolve("history.db"),
                RunDefaults.system(), 4, 2));
        assertThat(server.url()).startsWith("https://");
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("page", cert.cert());
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
        URI page = URI.create("https://localhost:" + server.address().getPort() + "/");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("www-authenticate")).hasValue("Basic realm=\"anywhere serve\", charset=\"UTF-8\"");
        assertThat(anonymous.body()).isEqualTo("Log on to use this page.");
        String wrong = java.util.Base64.getEncoder().encodeToString("helpdesk:guess".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(http.send(HttpRequest.newBuilder(page).header("Authorization", "Basic " + wrong).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(401);
        String right = java.util.Base64.getEncoder().encodeToString("helpdesk:Page-Pass-1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> in = http.send(HttpRequest.newBuilder(page).header("Authorization", "Basic " + right).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(in.statusCode()).isEqualTo(200);
        assertThat(in.headers().firstValue("set-cookie").orElseThrow()).contains("HTTPOnly").contains("Secure").contains("SameSite=Strict");
        cert.delete();
    }
}
