package dev.anywhere.autodiscover.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.autodiscover.discovery.TestHttpServer.Req;
import dev.anywhere.autodiscover.discovery.TestHttpServer.Resp;
import dev.anywhere.autodiscover.pox.Account;
import dev.anywhere.autodiscover.pox.AutodiscoverError;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.autodiscover.pox.ErrorCode;
import dev.anywhere.autodiscover.pox.PoxCodec;
import dev.anywhere.autodiscover.pox.ProtocolType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each discovery method wins when it is the first working one; redirects, consent and credentials rules. */
@Timeout(60)
class AutodiscoverClientTest extends LoopbackSiteTestBase {

    @Test
    void rootDomainWinsWhenFirstWorking() {
        httpsHosts.put(DOMAIN, basicProtected(settings("oa." + DOMAIN)));
        DiscoveryResult r = client.discover(options().build());
        assertThat(r.succeeded()).as(r.toString()).isTrue();
        assertThat(r.acceptedUrl()).contains(url(DOMAIN));
        Attempt a = accepted(r);
        assertThat(a.method()).isEqualTo(DiscoveryMethod.HTTPS_ROOT_DOMAIN);
        assertThat(a.dnsAnswer().orElseThrow()).startsWith("frankysweb.org -> A 127.0.0.1 (from 127.0.0.1:");
        assertThat(a.connectedTo()).contains("127.0.0.1:" + https.port());
        assertThat(a.tcpConnectMillis()).isPresent();
        TlsInfo tls = a.tls().orElseThrow();
        assertThat(tls.protocol().orElseThrow()).startsWith("TLSv1.");
        assertThat(tls.cipherSuite()).isPresent();
        assertThat(tls.peerCertificates()).hasSize(1);
        assertThat(tls.peerCertificates().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=frankysweb.org");
        // unauthenticated POST, 401, then the Basic answer on the same attempt; secrets redacted
        assertThat(a.http()).extracting(HttpTranscript::status).containsExactly(401, 200);
        assertThat(a.http().get(0).requestHeader("Authorization")).isNull();
        assertThat(a.http().get(1).requestHeader("Authorization")).isEqualTo("Basic [redacted]");
        assertThat(a.http().get(1).requestBody()).contains("<EMailAddress>" + EMAIL + "</EMailAddress>");
        assertThat(a.reason()).isEqualTo("settings: EXPR");
        assertThat(r.attempts().toString()).doesNotContain(PASSWORD)
                .doesNotContain(Base64.getEncoder().encodeToString((EMAIL + ":" + PASSWORD).getBytes()));
        assertThat(r.response().orElseThrow().account().orElseThrow().protocol(ProtocolType.EXPR).orElseThrow()
                .server()).contains("oa." + DOMAIN);
    }

    /** Waits until {@code asked} is counted down (at most 4 s, less than the 5 s step timeout); true when it was. */
    private static boolean meanwhile(CountDownLatch asked) {
        try {
            return asked.await(4, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The root domain answers only once autodiscover.&lt;domain&gt; has been asked: the two run side by side (one after
     * the other, the root domain would wait its 4 s and be asked alone), and the root domain's answer still wins,
     * because Outlook's order decides, not which answer comes first. The later candidate is not in the report.
     */
    @Test
    void aSlowFirstCandidateStillWinsAndTheNextRanMeanwhile() {
        CountDownLatch autodiscoverAsked = new CountDownLatch(1);
        AtomicBoolean overlapped = new AtomicBoolean();
        httpsHosts.put(DOMAIN, r -> {
            overlapped.set(meanwhile(autodiscoverAsked));
            return settings("oa." + DOMAIN);
        });
        httpsHosts.put("autodiscover." + DOMAIN, r -> {
            autodiscoverAsked.countDown();
            return settings("oa.autodiscover." + DOMAIN);
        });
        DiscoveryResult r = client.discover(options().build());
        assertThat(overlapped).as("autodiscover.%s asked while the root domain's answer was pending", DOMAIN).isTrue();
        assertThat(r.succeeded()).as(r.toString()).isTrue();
        assertThat(r.acceptedUrl()).contains(url(DOMAIN));
        assertThat(r.response().orElseThrow().account().orElseThrow().protocol(ProtocolType.EXPR).orElseThrow()
                .server()).contains("oa." + DOMAIN);
        assertThat(r.attempts()).extracting(Attempt::method).containsExactly(DiscoveryMethod.HTTPS_ROOT_DOMAIN);
    }

    /**
     * autodiscover.&lt;domain&gt; answers first, but counts only once the root domain (asked first, answering later) has
     * failed; the report lists both in Outlook's order, as one after another would.
     */
    @Test
    void aLaterAnswerCountsOnlyWhenEveryEarlierCandidateFailed() {
        CountDownLatch autodiscoverAsked = new CountDownLatch(1);
        AtomicBoolean overlapped = new AtomicBoolean();
        httpsHosts.put(DOMAIN, r -> {
            overlapped.set(meanwhile(autodiscoverAsked));
            return Resp.status(500);
        });
        httpsHosts.put("autodiscover." + DOMAIN, r -> {
            autodiscoverAsked.countDown();
            return settings("oa." + DOMAIN);
        });
        DiscoveryResult r = client.discover(options().build());
        assertThat(overlapped).as("autodiscover.%s asked while the root domain's answer was pending", DOMAIN).isTrue();
        assertThat(r.acceptedUrl()).contains(url("autodiscover." + DOMAIN));
        assertThat(r.attempts()).extracting(Attempt::method).containsExactly(DiscoveryMethod.HTTPS_ROOT_DOMAIN,
                DiscoveryMethod.HTTPS_AUTODISCOVER_DOMAIN);
        assertThat(r.attempts()).extracting(Attempt::outcome).containsExactly(Outcome.FAILED, Outcome.ACCEPTED);
        assertThat(r.attempts().get(0).reason()).isEqualTo("http status: 500 (expected: 200)");
    }

    @Test
    void onePostAsksOneServerAndFollowsNothing() {
        httpsHosts.put("autodiscover." + DOMAIN, basicProtected(settings("oa." + DOMAIN)));
        httpsHosts.put(DOMAIN, r -> Resp.redirect(302, url("autodiscover." + DOMAIN)));
        DiscoveryResult r = client.post(options().build(), DiscoveryMethod.HTTPS_AUTODISCOVER_DOMAIN, url("autodiscover." + DOMAIN));
        assertThat(r.succeeded()).as(r.toString()).isTrue();
        assertThat(r.attempts()).hasSize(1);
        assertThat(r.attempts().get(0).http()).extracting(HttpTranscript::status).containsExactly(401, 200);
        assertThat(r.response().orElseThrow().account().orElseThrow().protocol(ProtocolType.EXPR).orElseThrow().server())
                .contains("oa." + DOMAIN);

        // A redirect is the server's answer: not followed, no other method tried.
        DiscoveryResult redirected = client.post(options().build(), DiscoveryMethod.HTTPS_ROOT_DOMAIN, url(DOMAIN));
        assertThat(redirected.succeeded()).isFalse();
        assertThat(redirected.attempts()).hasSize(1);
        assertThat(redirected.failure()).contains("http 302 redirect to " + url("autodiscover." + DOMAIN));
    }

    @Test
    void junkOnRootDomainSkippedThenAutodiscoverDomainWins() {
        httpsHosts.put(DOMAIN, r -> new Resp(200, Map.of("Content-Type", "text/html"), "<html><body>Welcome</body></html>"));
        httpsHosts.put("autodiscover." + DOMAIN, basicProtected(settings("oa." + DOMAIN)));
        DiscoveryResult r = client.discover(options().build());
        assertThat(r.succeeded()).as(r.toString()).isTrue();
        Attempt root = r.attempts().get(0);
        assertThat(root.method()).isEqualTo(DiscoveryMethod.HTTPS_ROOT_DOMAIN);
        assertThat(root.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(root.reason()).isEqualTo("junk answer: root element: html (expected: Autodiscover)");
        assertThat(root.http().get(0).responseBody()).contains("Welcome");
        assertThat(accepted(r).method()).isEqualTo(DiscoveryMethod.HTTPS_AUTODISCOVER_DOMAIN);
        assertThat(r.acceptedUrl()).contains(url("autodiscover." + DOMAIN));
    }

    @Test
    void http302WithoutConsentIsRefused() {
        String target = url("mail.frankysweb.net");
        httpHosts.put("autodiscover." + DOMAIN, r -> Resp.redirect(302, target));
        httpsHosts.put("mail.frankysweb.net", r -> settings("oa.frankysweb.net"));
        DiscoveryResult r = client.discover(options().excludeSrvRecord().build());
        assertThat(r.succeeded()).isFalse();
        Attempt get = r.attempts().stream().filter(a -> a.method() == DiscoveryMethod.HTTP_REDIRECT).findFirst()
                .orElseThrow();
        assertThat(get.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(get.reason()).isEqualTo("302 to " + target + " refused: redirect to host mail.frankysweb.net needs"
                + " consent (--allow-redirect mail.frankysweb.net), as Outlook prompts");
        assertThat(get.http().get(0).method()).isEqualTo("GET");
        assertThat(get.http().get(0).requestHeader("Authorization")).isNull();
        assertThat(https.requestsFor("mail.frankysweb.net")).isEmpty();
        assertThat(r.failure().orElseThrow()).startsWith("no candidate answered with settings for " + EMAIL);
    }

    @Test
    void http302WithConsentWins() {
        String target = url("mail.frankysweb.net");
        httpHosts.put("autodiscover." + DOMAIN, r -> Resp.redirect(302, target));
        httpsHosts.put("mail.frankysweb.net", basicProtected(settings("oa.frankysweb.net")));
        DiscoveryResult r = client.discover(options().allowRedirect("mail.frankysweb.net").build());
        assertThat(r.succeeded()).as(r.toString()).isTrue();
        assertThat(accepted(r).method()).isEqualTo(DiscoveryMethod.HTTP_REDIRECT);
        assertThat(r.acceptedUrl()).contains(target);
        assertThat(r.redirects()).isEqualTo(1);
        assertThat(https.requestsFor("mail.frankysweb.net")).extracting(Req::authorization).contains(
                "Basic " + Base64.getEncoder().encodeToString((EMAIL + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void onlyStatus302CountsForTheRedirectMethod() {
        httpHosts.put("autodiscover." + DOMAIN, r -> Resp.redirect(301, url("mail.frankysweb.net")));
        DiscoveryResult r = client.discover(options().allowRedirect("mail.frankysweb.net").excludeSrvRecord().build());
        Attempt get = r.attempts().stream().filter(a -> a.method() == DiscoveryMethod.HTTP_REDIRECT).findFirst()
                .orElseThrow();
        assertThat(get.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(get.reason()).isEqualTo("http redirect status: 301 (expected: 302)");
        assertThat(https.requestsFor("mail.frankysweb.net")).isEmpty();
    }

    @Test
    void redirectToPlainHttpIsRefused() {
        httpHosts.put("autodiscover." + DOMAIN, r -> Resp.redirect(302,
                "http://mail.frankysweb.net/autodiscover/autodiscover.xml"));
        DiscoveryResult r = client.discover(options().allowRedirect("mail.frankysweb.net").excludeSrvRecord().build());
        Attempt get = r.attempts().stream().filter(a -> a.method() == DiscoveryMethod.HTTP_REDIRECT).findFirst()
                .orElseThrow();
        assertThat(get.reason()).isEqualTo("redirect target: http://mail.frankysweb.net/autodiscover/autodiscover.xml"
                + " (expected: an https URL ending in /autodiscover/autodiscover.xml)");
    }

    @Test
    void srvPriorityAndWeightHonoured() throws Exception {
        String name = "_autodiscover._tcp." + DOMAIN;
        dns.srv(name, 10, 100, https.port(), "c." + DOMAIN);
        dns.srv(name, 0, 5, https.port(), "a." + DOMAIN);
        dns.srv(name, 0, 50, https.port(), "b." + DOMAIN);
        httpsHosts.put("b." + DOMAIN, r -> Resp.xml(PoxCodec.writeResponseString(AutodiscoverResponse.error(
                AutodiscoverError.of(ErrorCode.INTERNAL_SERVER_ERROR, "t", "1")))));
        httpsHosts.put("a." + DOMAIN, basicProtected(settings("oa." + DOMAIN)));
        httpsHosts.put("c." + DOMAIN, r -> settings("wrong"));
        DiscoveryResult r = client.discover(options().build());
        assertThat(r.succeeded()).as(r.toString()).isTrue();
        List<Attempt> srv = r.attempts().stream().filter(a -> a.method() == DiscoveryMethod.SRV_RECORD).toList();
        assertThat(srv.get(0).url()).isEqualTo(name);
        assertThat(srv.get(0).dnsAnswer().orElseThrow()).startsWith("SRV 0 50 " + https.port() + " b." + DOMAIN
                + ", SRV 0 5 " + https.port() + " a." + DOMAIN + ", SRV 10 100 " + https.port() + " c." + DOMAIN);
        assertThat(srv.subList(1, srv.size())).extracting(Attempt::url).containsExactly(url("b." + DOMAIN), url("a." + DOMAIN));
        assertThat(srv.get(1).reason()).isEqualTo("autodiscover error: ErrorCode 603 The server encountered an "
                + "internal error. (expected: settings)");
        assertThat(accepted(r).method()).isEqualTo(DiscoveryMethod.SRV_RECORD);
        assertThat(https.requestsFor("c." + DOMAIN)).isEmpty();
    }

    @Test
    void redirectLoopStopsAtTen() {
        httpsHosts.put(DOMAIN, r -> redirectUrl(url("autodiscover." + DOMAIN)));
        httpsHosts.put("autodiscover." + DOMAIN, r -> redirectUrl(url(DOMAIN)));
        DiscoveryResult r = client.discover(options().build());
        assertThat(r.succeeded()).isFalse();
        assertThat(r.failure()).contains("redirections: more than 10 (expected: <= 10)");
        assertThat(r.redirects()).isEqualTo(10);
        // 11 POSTs in the chain, 6 of them to the root domain; autodiscover.<domain>'s own first POST may have run ahead
        assertThat(r.attempts()).hasSize(11);
        assertThat(https.requestsFor(DOMAIN)).hasSize(6);
        assertThat(https.requestsFor("autodiscover." + DOMAIN)).hasSizeBetween(5, 6);
    }

    @Test
    void redirectAddrLoopStopsAtTen() {
        httpsHosts.put(DOMAIN, r -> Resp.xml(PoxCodec.writeResponseString(
                AutodiscoverResponse.redirect(Account.redirectAddr(EMAIL)))));
        DiscoveryResult r = client.discover(options().excludeHttpRedirect().excludeSrvRecord().build());
        assertThat(r.failure()).contains("redirections: more than 10 (expected: <= 10)");
        assertThat(r.redirects()).isEqualTo(10);
    }

    static Resp redirectUrl(String to) {
        return Resp.xml(PoxCodec.writeResponseString(AutodiscoverResponse.redirect(Account.redirectUrl(to))));
    }

    @Test
    void credentialsNotForwardedAcrossDomains() {
        httpsHosts.put(DOMAIN, basicProtected(redirectUrl(url("mail.frankysweb.net"))));
        httpsHosts.put("mail.frankysweb.net", basicProtected(settings("oa.frankysweb.net")));
        DiscoveryResult r = client.discover(options().excludeHttpsAutoDiscoverDomain().excludeHttpRedirect()
                .excludeSrvRecord().build());
        assertThat(r.succeeded()).isFalse();
        assertThat(https.requestsFor("mail.frankysweb.net")).isEmpty();
        Attempt refused = r.attempts().stream().filter(a -> a.method() == DiscoveryMethod.REDIRECT).findFirst()
                .orElseThrow();
        assertThat(refused.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(refused.reason()).isEqualTo("RedirectUrl to mail.frankysweb.net outside frankysweb.org: needs "
                + "consent (--allow-redirect mail.frankysweb.net)");
    }

    @Test
    void credentialsWithheldAfterRedirectAddrToAnotherDomain() {
        httpsHosts.put(DOMAIN, basicProtected(Resp.xml(PoxCodec.writeResponseString(
                AutodiscoverResponse.redirect(Account.redirectAddr("franky@frankysweb.net"))))));
        httpsHosts.put("frankysweb.net", basicProtected(settings("oa.frankysweb.net")));
        DiscoveryResult r = client.discover(options().excludeHttpRedirect().excludeSrvRecord().build());
        assertThat(r.succeeded()).isFalse();
        assertThat(https.requestsFor("frankysweb.net")).extracting(Req::authorization).containsOnlyNulls().isNotEmpty();
        Attempt withheld = r.attempts().stream().filter(a -> a.url().equals(url("frankysweb.net"))).findFirst()
                .orElseThrow();
        assertThat(withheld.reason()).isEqualTo("http status: 401; credentials withheld from frankysweb.net outside "
                + "frankysweb.org (consent: --allow-redirect frankysweb.net)");
    }

    /** The root domain's attempt alone, trusting these PEM files besides the JDK's anchors. */
    private DiscoveryResult rootDomainOnly(List<Path> trust) {
        httpsHosts.put(DOMAIN, r -> settings("x"));
        return client.discover(options().trustAnchorsPem(trust).excludeHttpsAutoDiscoverDomain().excludeHttpRedirect()
                .excludeSrvRecord().build());
    }

    /** Another CA, which the site's certificate does not chain to. */
    private Path otherCa(String name) throws Exception {
        Path otherDir = java.nio.file.Files.createDirectories(dir.resolve(name));
        return TestCertificates.generate(otherDir, "unrelated.example").caPem;
    }

    @Test
    void untrustedCertificateIsRecordedAndFails() throws Exception {
        DiscoveryResult r = rootDomainOnly(List.of(otherCa("other")));
        Attempt a = r.attempts().get(0);
        assertThat(a.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(a.reason()).startsWith("tls handshake with frankysweb.org: ");
        assertThat(a.tls().orElseThrow().peerCertificates()).hasSize(1);
        assertThat(a.tls().orElseThrow().failure()).isPresent();
        assertThat(a.http()).isEmpty();
    }

    /** Every PEM file counts, besides the JDK's anchors: the site's CA in the second file is enough. */
    @Test
    void everyTrustFileIsUsed() throws Exception {
        assertThat(rootDomainOnly(List.of(otherCa("other-2"), certs.caPem)).attempts().get(0).outcome()).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void excludedMethodsAreRecordedAndNothingWorks() {
        DiscoveryResult r = client.discover(options().excludeHttpsRootDomain().excludeHttpsAutoDiscoverDomain()
                .excludeHttpRedirect().excludeSrvRecord().build());
        assertThat(r.succeeded()).isFalse();
        assertThat(r.attempts()).extracting(Attempt::reason).containsExactly("excluded (ExcludeHttpsRootDomain)",
                "excluded (ExcludeHttpsAutoDiscoverDomain)", "excluded (ExcludeHttpRedirect)",
                "excluded (ExcludeSrvRecord)");
        assertThat(r.attempts()).extracting(Attempt::outcome).containsOnly(Outcome.SKIPPED);
        assertThat(https.requests).isEmpty();
        assertThat(http.requests).isEmpty();
    }

    @Test
    void missingDnsRecordFailsWithReason() {
        DiscoveryResult r = client.discover(options().emailAddress("x@nowhere.test").excludeHttpRedirect()
                .excludeSrvRecord().build());
        assertThat(r.attempts().get(0).reason()).startsWith("dns: nowhere.test has no A or AAAA record at 127.0.0.1:");
    }

    @Test
    void resolveOverrideBeatsDns() {
        httpsHosts.put("autodiscover.override.test", r -> settings("oa.override.test"));
        DiscoveryResult r = client.discover(options().emailAddress("x@override.test").insecure(true)
                .resolve("autodiscover.override.test:" + https.port() + ":127.0.0.1").excludeHttpsRootDomain()
                .build());
        assertThat(r.succeeded()).as(r.toString()).isTrue();
        assertThat(accepted(r).dnsAnswer()).contains("override autodiscover.override.test:" + https.port()
                + " -> 127.0.0.1 (--resolve)");
    }
}
