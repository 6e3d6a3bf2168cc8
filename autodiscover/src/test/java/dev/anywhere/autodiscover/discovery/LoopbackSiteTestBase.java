package dev.anywhere.autodiscover.discovery;


import dev.anywhere.autodiscover.discovery.TestHttpServer.Req;
import dev.anywhere.autodiscover.discovery.TestHttpServer.Resp;
import dev.anywhere.autodiscover.pox.Account;
import dev.anywhere.autodiscover.pox.AuthPackage;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.autodiscover.pox.PoxCodec;
import dev.anywhere.autodiscover.pox.Protocol;
import dev.anywhere.autodiscover.pox.ProtocolType;
import dev.anywhere.autodiscover.pox.User;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery against real loopback servers: one HTTPS server (hosts told apart by the Host header), one HTTP server
 * for the redirect GET, and an in-test DNS responder. Nothing leaves 127.0.0.1. Shared by the discovery tests.
 */
abstract class LoopbackSiteTestBase {

    static final String DOMAIN = "frankysweb.org";
    static final String EMAIL = "franky@" + DOMAIN;
    static final String PASSWORD = "S3cret-Pa55";

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static TestDnsServer dns;
    static TestHttpServer https;
    static TestHttpServer http;
    static final Map<String, Function<Req, Resp>> httpsHosts = new ConcurrentHashMap<>();
    static final Map<String, Function<Req, Resp>> httpHosts = new ConcurrentHashMap<>();

    AutodiscoverClient client;

    @BeforeAll
    static void startSite() throws Exception {
        certs = TestCertificates.generate(dir, DOMAIN, "*." + DOMAIN, "frankysweb.net", "*.frankysweb.net");
        https = new TestHttpServer(certs.serverContext(), r -> route(httpsHosts, r));
        http = new TestHttpServer(null, r -> route(httpHosts, r));
        dns = new TestDnsServer();
        for (String h : List.of(DOMAIN, "autodiscover." + DOMAIN, "a." + DOMAIN, "b." + DOMAIN, "c." + DOMAIN,
                "ex1." + DOMAIN, "mail.frankysweb.net", "frankysweb.net", "autodiscover.frankysweb.net")) {
            dns.a(h, "127.0.0.1");
        }
    }

    @AfterAll
    static void stopSite() throws Exception {
        https.close();
        http.close();
        dns.close();
    }

    @BeforeEach
    void setUp() {
        client = new AutodiscoverClient();
        httpsHosts.clear();
        httpHosts.clear();
        https.requests.clear();
        http.requests.clear();
        dns.clearSrv();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private static Resp route(Map<String, Function<Req, Resp>> hosts, Req r) {
        return hosts.getOrDefault(r.hostName(), x -> Resp.status(404)).apply(r);
    }

    static DiscoveryOptions.Builder options() {
        return DiscoveryOptions.builder(EMAIL).credentials(new BasicCredentials(EMAIL, PASSWORD))
                .dnsServer(dns.address()).trustAnchorsPem(certs.caPem).httpsPort(https.port()).httpPort(http.port())
                .stepTimeout(Duration.ofSeconds(5));
    }

    static String url(String host) {
        return "https://" + host + ":" + https.port() + "/autodiscover/autodiscover.xml";
    }

    static Resp settings(String server) {
        Protocol expr = Protocol.builder(ProtocolType.EXPR).server(server).ssl(true).authPackage(AuthPackage.NTLM)
                .serverExclusiveConnect(true).build();
        return Resp.xml(PoxCodec.writeResponseString(AutodiscoverResponse.settings(
                User.of("Franky", "/o=FRANKYSWEB/cn=Recipients/cn=franky", EMAIL), Account.settings(List.of(expr)))));
    }

    /** Requires Basic credentials like IIS does, then answers {@code then}. */
    static Function<Req, Resp> basicProtected(Resp then) {
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString((EMAIL + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return r -> expected.equals(r.authorization()) ? then
                : new Resp(401, Map.of("WWW-Authenticate", "Basic realm=\"" + r.hostName() + "\""), "");
    }

    static Attempt accepted(DiscoveryResult r) {
        return r.attempts().stream().filter(a -> a.outcome() == Outcome.ACCEPTED && a.lastStatus() == 200)
                .reduce((x, y) -> y).orElseThrow();
    }

}
