package dev.anywhere.lab.pki;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.text.TextAudit;
import java.time.Instant;
import java.util.List;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

/** The lab PKI's bundle is complete in both languages, and a certificate described in German says nothing in English. */
class PkiTextTest {

    @Test
    void everyKeyHasAGermanTextWithoutEnglishWords() {
        ResourceBundle en = PkiText.bundle("en");
        ResourceBundle de = PkiText.bundle("de");
        assertThat(TextAudit.bundleProblems(en, de)).isEmpty();
    }

    /** An expired, weakly signed certificate: labels, verdict and warning in German; DNs and algorithms as they are. */
    @Test
    void anExpiredWeakCertificateDescribedInGerman() {
        CertificateAuthority ca = CertificateAuthority.createLab();
        Instant now = Instant.now();
        IssuedCertificate expired = ca.issueServerCertificate(CertificateRequest.labDefault(CertificateFault.EXPIRED, CertificateFault.WEAK_SIGNATURE));
        CertificateInfo info = CertificateInfo.describe(expired.chain(), ca.trustAnchors(), now);
        String german = info.toText("de");
        assertThat(german).contains("Antragsteller:                  CN=oa.frankysweb.org\n")
                .contains("vertrauenswürdig:               nein - Gültigkeit: CN=oa.frankysweb.org ist seit "
                        + expired.certificate().getNotAfter().toInstant() + " abgelaufen (erwartet: gültig am " + now + ")\n")
                .contains("Warnung:                        schwache Signatur: SHA1withRSA (erwartet: SHA-256 oder stärker)\n");
        german.lines().forEach(l -> assertThat(TextAudit.englishWords(l)).as(l).isEmpty());
        assertThat(info.toText()).contains("subject:             CN=oa.frankysweb.org\n")
                .contains("warning:             weak signature: SHA1withRSA (expected: SHA-256 or stronger)\n");
        assertThat(info.toText("en")).isEqualTo(info.toText());
    }

    /** A choice of trust anchors is joined with the reader's "or". */
    @Test
    void alternativesAreJoinedInTheReadersLanguage() {
        PkiText t = PkiText.of("trust.root-untrusted", "root", "CN=X", "anchors", List.of("CN=A", "CN=B"));
        assertThat(t.text("en")).isEqualTo("root: CN=X is not trusted (expected: CN=A or CN=B)");
        assertThat(t.text("de")).isEqualTo("Stammzertifikat: CN=X ist nicht vertrauenswürdig (erwartet: CN=A oder CN=B)");
    }
}
