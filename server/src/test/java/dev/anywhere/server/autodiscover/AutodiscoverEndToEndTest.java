package dev.anywhere.server.autodiscover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.autodiscover.discovery.AutodiscoverClient;
import dev.anywhere.autodiscover.discovery.Attempt;
import dev.anywhere.autodiscover.discovery.BasicCredentials;
import dev.anywhere.autodiscover.discovery.DiscoveryMethod;
import dev.anywhere.autodiscover.discovery.DiscoveryOptions;
import dev.anywhere.autodiscover.discovery.DiscoveryResult;
import dev.anywhere.autodiscover.discovery.Outcome;
import dev.anywhere.autodiscover.pox.AuthPackage;
import dev.anywhere.autodiscover.pox.Protocol;
import dev.anywhere.autodiscover.pox.ProtocolType;
import dev.anywhere.directory.embedded.DirectoryServer;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.server.gateway.DirectoryCredentials;
import dev.anywhere.server.gateway.Gateway;
import dev.anywhere.server.testing.TestCertificate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On loopback: the real gateway (HTTPS, a certificate the client trusts), the embedded directory, the port-80 redirect
 * listener, and the Outlook-like discovery client of module autodiscover with {@code --resolve}-style overrides.
 */
class AutodiscoverEndToEndTest {

    private static final String PASSWORD = "E2e-Ads-Secret-1";
    /** Nothing listens here: the root-domain candidate fails at once. */
    private static final String NOWHERE = "127.0.0.2";

    private static Path tmp;
    private static DirectoryServer dc1;
    private static LdapSiteDirectory directory;
    private static Gateway gateway;
    private static AutodiscoverRedirectServer http;
    private static Path trust;

    @BeforeAll
    static void startSite() throws Exception {
        tmp = Files.createTempDirectory("ads-e2e");
        TestCertificate cert = TestCertificate.create("autodiscover.frankysweb.org", "oa.frankysweb.org");
        trust = tmp.resolve("ca.pem");
        Files.writeString(trust, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        dc1 = DirectoryServer.start(tmp.resolve("dc1"), InetAddress.getLoopbackAddress(), 0, SiteSeed.frankysweb(PASSWORD));
        directory = dc1.directory().connect(PASSWORD);
        Files.createDirectories(tmp.resolve("ex1"));
        gateway = Gateway.start(new Gateway.Options(tmp.resolve("ex1"), "EX1", new InetSocketAddress("127.0.0.1", 0),
                Optional.of(cert.serverContext()), new DirectoryCredentials(directory), "autodiscover.frankysweb.org",
                Gateway.ntlmIdentity("EX1", SiteSeed.FRANKYSWEB)), new SimpleMeterRegistry());
        http = AutodiscoverRedirectServer.start(new AutodiscoverRedirectServer.Options(new InetSocketAddress("127.0.0.1", 0),
                Optional.empty(), gateway.address().getPort()));
    }

    @AfterAll
    static void stopSite() {
        http.close();
        gateway.close();
        directory.close();
        dc1.close();
    }

    private static DiscoveryOptions.Builder options(String email) {
        int https = gateway.address().getPort();
        int plain = http.address().getPort();
        return DiscoveryOptions.builder(email)
                .credentials(new BasicCredentials("FRANKYSWEB\\franky", PASSWORD))
                .trustAnchorsPem(trust)
                .httpsPort(https)
                .httpPort(plain)
                .stepTimeout(Duration.ofSeconds(5))
                .resolve("frankysweb.org:" + https + ":" + NOWHERE)
                .resolve("autodiscover.frankysweb.org:" + https + ":127.0.0.1")
                .resolve("autodiscover.frankysweb.org:" + plain + ":127.0.0.1")
                .excludeSrvRecord();
    }

    @Test
    void discoveryFindsExprViaHttpsAutodiscoverDomain() {
        try (AutodiscoverClient client = new AutodiscoverClient()) {
            DiscoveryResult r = client.discover(options("franky@frankysweb.org").build());
            assertThat(r.succeeded()).as(r.failure().orElse("")).isTrue();
            assertThat(r.acceptedUrl()).contains("https://autodiscover.frankysweb.org:" + gateway.address().getPort()
                    + "/autodiscover/autodiscover.xml");
            Protocol expr = r.response().orElseThrow().account().orElseThrow().protocol(ProtocolType.EXPR).orElseThrow();
            assertThat(expr.server()).contains("oa.frankysweb.org");
            assertThat(expr.ssl()).contains(true);
            assertThat(expr.authPackage()).contains(AuthPackage.NTLM);
            assertThat(r.attempts()).extracting(Attempt::method, Attempt::outcome).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(DiscoveryMethod.HTTPS_ROOT_DOMAIN, Outcome.FAILED),
                    org.assertj.core.groups.Tuple.tuple(DiscoveryMethod.HTTPS_AUTODISCOVER_DOMAIN, Outcome.ACCEPTED));
        }
    }

    @Test
    void httpRedirectMethodWithConsent() {
        try (AutodiscoverClient client = new AutodiscoverClient()) {
            DiscoveryResult r = client.discover(options("franky@frankysweb.org").excludeHttpsAutoDiscoverDomain()
                    .allowRedirect("autodiscover.frankysweb.org").build());
            assertThat(r.succeeded()).as(r.failure().orElse("")).isTrue();
            assertThat(r.redirects()).isEqualTo(1);
            assertThat(r.attempts()).extracting(Attempt::method).contains(DiscoveryMethod.HTTP_REDIRECT);
            Attempt get = r.attempts().stream().filter(a -> a.method() == DiscoveryMethod.HTTP_REDIRECT
                    && a.http().get(0).method().equals("GET")).findFirst().orElseThrow();
            assertThat(get.lastStatus()).isEqualTo(302);
            assertThat(get.outcome()).isEqualTo(Outcome.ACCEPTED);
            assertThat(r.response().orElseThrow().account().orElseThrow().protocol(ProtocolType.EXPR)).isPresent();
        }
    }

    @Test
    void httpRedirectWithoutConsentIsNotFollowed() {
        try (AutodiscoverClient client = new AutodiscoverClient()) {
            DiscoveryResult r = client.discover(options("franky@frankysweb.org").excludeHttpsAutoDiscoverDomain().build());
            assertThat(r.succeeded()).isFalse();
            assertThat(r.attempts()).anySatisfy(a -> {
                assertThat(a.method()).isEqualTo(DiscoveryMethod.HTTP_REDIRECT);
                assertThat(a.outcome()).isEqualTo(Outcome.SKIPPED);
                assertThat(a.reason()).contains("needs consent");
            });
        }
    }

    @Test
    void mailUserIsRedirectedByAddressAndTheClientFollows() {
        try (AutodiscoverClient client = new AutodiscoverClient()) {
            int https = gateway.address().getPort();
            int plain = http.address().getPort();
            // contoso.com stays on loopback too: every candidate of the new address points nowhere
            DiscoveryResult r = client.discover(options("max@frankysweb.org")
                    .resolve("contoso.com:" + https + ":" + NOWHERE)
                    .resolve("autodiscover.contoso.com:" + https + ":" + NOWHERE)
                    .resolve("autodiscover.contoso.com:" + plain + ":" + NOWHERE).build());
            // the client follows the redirectAddr and restarts discovery for max@contoso.com (which then fails)
            assertThat(r.emailAddress()).isEqualTo("max@contoso.com");
            assertThat(r.attempts()).anySatisfy(a -> assertThat(a.reason()).isEqualTo("redirectAddr to max@contoso.com"));
        }
    }
}
