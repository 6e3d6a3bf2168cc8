package dev.anywhere.analyzer.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.finding.FindingCatalogue;
import dev.anywhere.analyzer.net.TrustAnchors;
import dev.anywhere.analyzer.testing.TestPki;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CertificateEvaluationTest {

    private final FindingCatalogue catalogue = FindingCatalogue.load("en");

    @Test
    void aPrivateCaTheClientDoesNotKnowIsUntrustedNotAMissingIntermediate() throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued leaf = pki.issue("oa.frankysweb.org", "oa.frankysweb.org", "autodiscover.frankysweb.org");
        List<Finding> withSystemRoots = CertificateEvaluation.evaluate(leaf.chain(), "oa.frankysweb.org", Optional.of("frankysweb.org"),
                TrustAnchors.systemPlus(List.of()).roots(), Instant.now(), catalogue).findings();
        assertThat(withSystemRoots).extracting(Finding::id).containsExactly("tls.untrusted");
        assertThat(CertificateEvaluation.evaluate(leaf.chain(), "oa.frankysweb.org", Optional.of("frankysweb.org"), List.of(pki.root()),
                Instant.now(), catalogue).findings()).isEmpty();
    }

    @Test
    void nameMatchingFollowsRfc6125() {
        assertThat(CertificateEvaluation.matches("oa.frankysweb.org", List.of("*.frankysweb.org"))).isTrue();
        assertThat(CertificateEvaluation.matches("a.b.frankysweb.org", List.of("*.frankysweb.org"))).isFalse();
        assertThat(CertificateEvaluation.matches("frankysweb.org", List.of("*.frankysweb.org"))).isFalse();
        assertThat(CertificateEvaluation.matches("OA.frankysweb.org", List.of("oa.FRANKYSWEB.org"))).isTrue();
    }
}
