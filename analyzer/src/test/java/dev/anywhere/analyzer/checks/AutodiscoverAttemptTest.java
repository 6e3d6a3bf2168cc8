package dev.anywhere.analyzer.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.finding.FindingCatalogue;
import dev.anywhere.analyzer.report.Vantage;
import dev.anywhere.analyzer.testing.TestPki;
import dev.anywhere.autodiscover.discovery.Attempt;
import dev.anywhere.autodiscover.discovery.AttemptReason;
import dev.anywhere.autodiscover.discovery.DiscoveryMethod;
import dev.anywhere.autodiscover.discovery.Outcome;
import dev.anywhere.autodiscover.discovery.TlsInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How one discovery attempt reads in the report (the lab's cert-expired scenario showed both lines wrong). */
class AutodiscoverAttemptTest {

    static AutodiscoverPhase phase(String language) throws Exception {
        AnalyzeOptions o = new AnalyzeOptions("franky@frankysweb.org", Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), List.of(), Vantage.OUTSIDE, Duration.ofSeconds(3), language, Optional.empty(), 443, 80,
                List.of(), false);
        return new AutodiscoverPhase(o, FindingCatalogue.load(language), List.of());
    }

    @Test
    void aMissingSrvRecordIsNamedByTheRecordsName() throws Exception {
        Attempt srv = new Attempt(DiscoveryMethod.SRV_RECORD, "_autodiscover._tcp.frankysweb.org", Optional.of("no record"),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), 28, Outcome.FAILED,
                AttemptReason.of(AttemptReason.Key.SRV_NONE, "name", "_autodiscover._tcp.frankysweb.org"));
        assertThat(phase("en").attempt(srv, false).summary()).isEqualTo("no SRV record _autodiscover._tcp.frankysweb.org");
        assertThat(phase("de").attempt(srv, false).summary()).isEqualTo("kein SRV-Eintrag _autodiscover._tcp.frankysweb.org");
    }

    @Test
    void aCertificateTheClientRefusedSaysTheHandshakeFailed() throws Exception {
        TestPki pki = new TestPki();
        Instant now = Instant.now();
        TestPki.Issued expired = pki.issue("oa.frankysweb.org", List.of("autodiscover.frankysweb.org"),
                now.minus(30, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS), false);
        TlsInfo refused = new TlsInfo(Optional.empty(), Optional.empty(), expired.chain(), 163,
                Optional.of("PKIX path validation failed: validity check failed"));
        Attempt https = new Attempt(DiscoveryMethod.HTTPS_AUTODISCOVER_DOMAIN,
                "https://autodiscover.frankysweb.org/autodiscover/autodiscover.xml", Optional.of("A 127.0.0.20"),
                Optional.of("127.0.0.20:443"), Optional.of(7L), Optional.of(refused), List.of(), 227, Outcome.FAILED,
                AttemptReason.of(AttemptReason.Key.TLS_HANDSHAKE, "host", "autodiscover.frankysweb.org",
                        "cause", "validity check failed"));
        CheckResult certificate = phase("en").attempt(https, false).children().stream()
                .filter(c -> c.id().endsWith(".certificate")).findFirst().orElseThrow();
        assertThat(certificate.summary()).isEqualTo("TLS handshake failed");
        CheckResult german = phase("de").attempt(https, false).children().stream()
                .filter(c -> c.id().endsWith(".certificate")).findFirst().orElseThrow();
        assertThat(german.summary()).isEqualTo("TLS-Handshake fehlgeschlagen");
    }
}
