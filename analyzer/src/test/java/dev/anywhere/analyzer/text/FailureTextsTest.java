package dev.anywhere.analyzer.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.autodiscover.discovery.Attempt;
import dev.anywhere.autodiscover.discovery.AttemptReason;
import dev.anywhere.autodiscover.discovery.AutodiscoverClient;
import dev.anywhere.autodiscover.discovery.DiscoveryMethod;
import dev.anywhere.autodiscover.discovery.DiscoveryOptions;
import dev.anywhere.autodiscover.discovery.DiscoveryResult;
import dev.anywhere.autodiscover.discovery.Outcome;
import dev.anywhere.rpc.rpch.client.ClientFault;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sentences the modules below the analyzer write in English (the RPC engine's faults, Autodiscover's attempt
 * reasons) are the bundle's English word for word, and a German report says them in German: provoked failures on
 * loopback, with no Java class name and no "null" in either language.
 */
class FailureTextsTest {

    private static final Messages EN = Messages.of("en");
    private static final Messages DE = Messages.of("de");

    @Test
    void everyEngineFaultHasTheEnginesEnglishInTheBundle() {
        List<String> differ = new ArrayList<>();
        for (ClientFault.Reason r : ClientFault.Reason.values()) {
            String bundled = EN.get("rpch.fault." + r.key());
            if (!bundled.equals(r.english())) {
                differ.add(r + ": bundle '" + bundled + "', engine '" + r.english() + "'");
            }
        }
        assertThat(differ).isEmpty();
    }

    @Test
    void everyAttemptReasonHasTheDiscoveryModulesEnglishInTheBundle() {
        List<String> differ = new ArrayList<>();
        for (AttemptReason.Key k : AttemptReason.Key.values()) {
            String bundled = EN.get("autodiscover.reason." + k.id());
            if (!bundled.equals(k.english())) {
                differ.add(k + ": bundle '" + bundled + "', module '" + k.english() + "'");
            }
        }
        assertThat(differ).isEmpty();
    }

    /** The reason in German: no English word, no class name, no "null"; and the English line has neither of the latter. */
    private static String german(Attempt a) {
        String de = DE.reason(a.why());
        assertThat(TextAudit.englishWords(de)).as(de).isEmpty();
        for (String line : List.of(de, a.reason(), EN.reason(a.why()))) {
            assertThat(Messages.CLASS_NAME.matcher(line).find()).as(line).isFalse();
            assertThat(line).as(line).doesNotContain("null");
        }
        assertThat(EN.reason(a.why())).isEqualTo(a.reason());
        return de;
    }

    /** A port that accepts TCP and never says a word: Netty's handshake timeout has no sentence, only a class name. */
    @Test
    void aTlsHandshakeTimeoutIsSaidWithoutAClassName() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                AutodiscoverClient client = new AutodiscoverClient()) {
            int port = silent.getLocalPort();
            DiscoveryOptions o = DiscoveryOptions.builder("franky@example.test").stepTimeout(Duration.ofMillis(300))
                    .resolve("autodiscover.example.test", port, InetAddress.getLoopbackAddress()).build();
            DiscoveryResult r = client.post(o, DiscoveryMethod.HTTPS_AUTODISCOVER_DOMAIN,
                    "https://autodiscover.example.test:" + port + "/autodiscover/autodiscover.xml");
            Attempt a = r.attempts().get(r.attempts().size() - 1);
            assertThat(a.reason()).isEqualTo("tls handshake with autodiscover.example.test: timed out (expected: a trusted certificate for "
                    + "autodiscover.example.test)");
            assertThat(a.tls().orElseThrow().failure()).hasValue("timed out");
            assertThat(german(a)).isEqualTo("TLS-Handshake mit autodiscover.example.test: Zeit abgelaufen (erwartet: ein vertrauenswürdiges "
                    + "Zertifikat für autodiscover.example.test)");
        }
    }

    /** A DNS server that never answers: the resolver's timeout has no message, which read "null". */
    @Test
    void anSrvLookupWithoutAnAnswerSaysSoWithoutNull() throws Exception {
        try (DatagramSocket mute = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                AutodiscoverClient client = new AutodiscoverClient()) {
            DiscoveryOptions o = DiscoveryOptions.builder("franky@example.test").stepTimeout(Duration.ofMillis(300))
                    .dnsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), mute.getLocalPort()))
                    .excludeHttpsRootDomain().excludeHttpsAutoDiscoverDomain().excludeHttpRedirect().build();
            DiscoveryResult r = client.discover(o);
            Attempt srv = r.attempts().stream().filter(a -> a.method() == DiscoveryMethod.SRV_RECORD).findFirst().orElseThrow();
            assertThat(srv.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(srv.reason()).startsWith("dns: SRV _autodiscover._tcp.example.test at 127.0.0.1:" + mute.getLocalPort() + ": ")
                    .endsWith(" (expected: an answer within 300 ms)");
            assertThat(german(srv)).startsWith("DNS: SRV _autodiscover._tcp.example.test bei 127.0.0.1:" + mute.getLocalPort() + ": ")
                    .endsWith(" (erwartet: eine Antwort binnen 300 ms)");
            Attempt excluded = r.attempts().get(0);
            assertThat(excluded.reason()).isEqualTo("excluded (ExcludeHttpsRootDomain)");
            assertThat(german(excluded)).isEqualTo("ausgeschlossen (ExcludeHttpsRootDomain)");
        }
    }

    @Test
    void aCauseIsNeverAClassNameNorNull() {
        assertThat(AttemptReason.cause(new io.netty.handler.ssl.SslHandshakeTimeoutException("handshake timed out after 300ms")).line())
                .isEqualTo("timed out");
        assertThat(AttemptReason.cause(new java.io.IOException((String) null)).line()).isEqualTo("unexpected failure");
        assertThat(AttemptReason.cause(new java.io.IOException(new java.net.SocketTimeoutException())).line()).isEqualTo("timed out");
        assertThat(AttemptReason.cause(new java.nio.channels.ClosedChannelException()).line()).isEqualTo("connection closed");
        assertThat(AttemptReason.cause(new RuntimeException("java.lang.IllegalStateException: boom")).line()).isEqualTo("unexpected failure");
        assertThat(AttemptReason.of(AttemptReason.Key.SCP_FOUND, "count", 0, "configNc", "CN=Configuration", "where", "ldap://dc1:389",
                "inSite", 0, "site", null, "unscoped", 0, "otherSites", 0, "ignored", "").line())
                .isEqualTo("0 URL SCP(s) under CN=Configuration at ldap://dc1:389: 0 in site (none), 0 unscoped, 0 other site(s)");
    }
}
