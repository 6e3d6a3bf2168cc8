package dev.anywhere.analyzer.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.check.Evidence;
import dev.anywhere.analyzer.finding.FindingCatalogue;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ReportWritersTest {

    /** A run with one failure, one warning, a skip and hostile text from a server. */
    static Report sample(String lang) {
        FindingCatalogue c = FindingCatalogue.load(lang);
        CheckResult dns = new CheckResult("rpc-proxy.dns", "Resolve oa.frankysweb.org", CheckStatus.PASSED, "IP addresses returned: 127.0.0.20",
                3, List.of(), List.of(), List.of());
        CheckResult tls = new CheckResult("rpc-proxy.tls", "Certificate", CheckStatus.WARNING, "valid, lacks autodiscover", 12,
                List.of(new Evidence("certificate", "CN=oa.frankysweb.org <script>alert(1)</script>")),
                List.of(c.finding("tls.autodiscover-name-missing", Map.of("domain", "frankysweb.org", "names", "oa.frankysweb.org"))), List.of());
        CheckResult echo = new CheckResult("rpc-proxy.echo", "RPC proxy echo", CheckStatus.FAILED, "405 from nginx", 40,
                List.of(new Evidence("HTTP transcript", "RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nAuthorization: Basic c2VjcmV0\r\n\r\nHTTP/1.1 405 Not Allowed\r\nServer: nginx\u0001")),
                List.of(c.finding("proxy.method-refused", Map.of("status", 405, "serverHeader", "nginx"))), List.of(
                        new CheckResult("rpc-proxy.echo.vc", "Virtual connection", CheckStatus.SKIPPED, "skipped: 'RPC proxy echo' failed", 0,
                                List.of(), List.of(), List.of())));
        CheckResult root = new CheckResult("rpc-proxy", "Testing RPC over HTTP connectivity", CheckStatus.PASSED, "", 60, List.of(), List.of(),
                List.of(dns, tls, echo));
        return new Report("franky@frankysweb.org", Vantage.OUTSIDE, Instant.parse("2026-11-26T10:00:00Z"), 61, lang, root);
    }

    private static String render(ReportWriter w, Report r) throws Exception {
        StringWriter out = new StringWriter();
        w.write(r, out);
        return out.toString();
    }

    @Test
    void jsonValidatesAgainstTheShippedSchema() throws Exception {
        String json = render(new JsonReportWriter(), sample("en"));
        JsonNode node = new ObjectMapper().readTree(json);
        assertThat(schemaErrors(json)).isEmpty();
        assertThat(node.path("status").asText()).isEqualTo("failed");
        assertThat(node.path("counts").path("failed").asInt()).isEqualTo(1);
        assertThat(json).doesNotContain("c2VjcmV0");
        // The schema really constrains: a wrong status is rejected.
        ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("status", "green");
        assertThat(schemaErrors(node.toString())).isNotEmpty();
    }

    @Test
    void textShowsTreeBannerAndFixes() throws Exception {
        String text = render(new TextReportWriter(), sample("en"));
        assertThat(text).contains("[FAIL] Testing RPC over HTTP connectivity (60 ms)")
                .contains("  [ ok ] Resolve oa.frankysweb.org - IP addresses returned: 127.0.0.20 (3 ms)")
                .contains("    [skip] Virtual connection - skipped: 'RPC proxy echo' failed")
                .contains("Connectivity test failed (franky@frankysweb.org, 61 ms: 1 passed, 1 warnings, 1 failed, 1 skipped)")
                .contains("ERROR proxy.method-refused: A reverse proxy refuses RPC_IN_DATA/RPC_OUT_DATA (405 from nginx)")
                .contains("  fix:   Publish /rpc/rpcproxy.dll");
    }

    @Test
    void htmlIsStandaloneEscapedAndOpensFailures() throws Exception {
        String html = render(new HtmlReportWriter(), sample("de"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<html lang=\"de\">").contains("Verbindungstest fehlgeschlagen")
                .contains("Befunde und Behebung").contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>")
                .contains("<details open id=\"rpc-proxy.echo\">").contains("<details open class=\"leaf\" id=\"rpc-proxy.dns\">")
                .doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void junitIsWellFormedXmlWithOneCasePerStep() throws Exception {
        String xml = render(new JunitReportWriter(), sample("en"));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getAttribute("tests")).isEqualTo("4");
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("1");
        assertThat(doc.getDocumentElement().getAttribute("skipped")).isEqualTo("1");
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(4);
        assertThat(xml).contains("name=\"Testing RPC over HTTP connectivity / RPC proxy echo / Virtual connection\"");
    }

    /** --insecure: a banner in text and HTML, a top-level field in JSON (valid against the schema), in both languages. */
    @Test
    void anInsecureRunSaysSoInEveryFormat() throws Exception {
        Report en = sample("en");
        Report insecure = new Report(en.target(), en.vantage(), en.started(), en.elapsedMillis(), "en", en.root(), true);
        String warning = "--insecure: certificates were not verified; credentials may have been sent to a server whose identity was not proven.";
        String text = render(new TextReportWriter(), insecure);
        assertThat(text).startsWith("!! " + warning + "\n").contains("!! " + warning + "\nConnectivity test failed");
        assertThat(render(new TextReportWriter(), en)).doesNotContain("--insecure");
        String insecureJson = render(new JsonReportWriter(), insecure);
        JsonNode node = new ObjectMapper().readTree(insecureJson);
        assertThat(node.path("insecure").asBoolean()).isTrue();
        assertThat(node.path("insecureWarning").asText()).isEqualTo(warning);
        assertThat(schemaErrors(insecureJson)).isEmpty();
        JsonNode secure = new ObjectMapper().readTree(render(new JsonReportWriter(), en));
        assertThat(secure.path("insecure").isBoolean()).isTrue();
        assertThat(secure.path("insecure").asBoolean()).isFalse();
        assertThat(secure.has("insecureWarning")).isFalse();
        Report de = new Report(en.target(), en.vantage(), en.started(), en.elapsedMillis(), "de", sample("de").root(), true);
        assertThat(render(new HtmlReportWriter(), de)).contains("<div class=\"insecure\" id=\"insecure\">--insecure: Zertifikate wurden "
                + "nicht geprüft; Anmeldedaten können an einen Server gegangen sein, dessen Identität nicht nachgewiesen ist.</div>");
        assertThat(render(new HtmlReportWriter(), en)).doesNotContain("class=\"insecure\"");
    }

    @Test
    void formatsAreChosenByName() {
        assertThat(ReportWriter.forFormat("HTML")).isInstanceOf(HtmlReportWriter.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportWriter.forFormat("pdf"))
                .hasMessage("format: 'pdf' (expected: text, json, html or junit)");
    }

    /** What the shipped schema (JSON Schema 2020-12) finds wrong with a report. */
    private static List<String> schemaErrors(String json) {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Report.class.getResourceAsStream("report-schema-v1.json"), InputFormat.JSON)
                .validate(json, InputFormat.JSON).stream().map(Object::toString).toList();
    }
}
