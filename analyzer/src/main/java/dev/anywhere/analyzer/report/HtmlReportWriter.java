package dev.anywhere.analyzer.report;

import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.check.Evidence;
import dev.anywhere.analyzer.finding.Finding;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A standalone HTML report (no scripts, no external resources): RCA's banner (and the --insecure warning under it), the collapsible check tree with
 * elapsed times and evidence, failed and warning branches open, and the findings with cause and fix.
 */
public final class HtmlReportWriter implements ReportWriter {

    private static final String CSS = """
            :root{--ok:#1a7f37;--warn:#9a6700;--fail:#cf222e;--skip:#6e7781;--bg:#f6f8fa;--line:#d0d7de}
            *{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#fff}
            header{padding:20px 28px;color:#fff}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.9}
            .passed header,header.passed{background:var(--ok)}header.warning{background:var(--warn)}header.failed{background:var(--fail)}
            main{max-width:1100px;margin:0 auto;padding:20px 28px}
            .counts span{display:inline-block;margin-right:14px;font-weight:600}
            h2{font-size:17px;margin:26px 0 10px;border-bottom:1px solid var(--line);padding-bottom:6px}
            details{margin:2px 0 2px 18px;border-left:2px solid var(--line);padding-left:10px}
            summary{cursor:pointer;padding:3px 0;list-style:none}summary::-webkit-details-marker{display:none}
            summary:before{content:"\\25B8";display:inline-block;width:14px;color:var(--skip)}details[open]>summary:before{content:"\\25BE"}
            .leaf>summary:before{content:"";}
            .st{display:inline-block;min-width:58px;text-align:center;font-size:12px;font-weight:700;border-radius:10px;padding:1px 8px;color:#fff;margin-right:8px}
            .st.passed{background:var(--ok)}.st.warning{background:var(--warn)}.st.failed{background:var(--fail)}.st.skipped{background:var(--skip)}
            .ms{color:var(--skip);font-size:12px;margin-left:6px}.sum{color:#57606a}
            pre{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:8px 10px;overflow:auto;font-size:12.5px;margin:6px 0}
            .ev{font-size:12px;font-weight:600;color:#57606a;margin-top:6px}
            .finding{border:1px solid var(--line);border-left:5px solid var(--fail);border-radius:6px;padding:10px 14px;margin:10px 0;background:#fff}
            .finding.warning{border-left-color:var(--warn)}.finding.info{border-left-color:var(--skip)}
            .finding h3{margin:0 0 6px;font-size:15px}.finding code{background:var(--bg);padding:1px 4px;border-radius:4px}
            .k{font-weight:600;color:#57606a;display:inline-block;min-width:44px}.refs{font-size:12px;color:#57606a}
            footer{color:#57606a;font-size:12px;padding:20px 28px}
            .insecure{background:#fff1e5;border-bottom:3px solid var(--fail);color:#1f2328;padding:12px 28px;font-weight:700}
            """;

    @Override
    public void write(Report report, Writer out) throws IOException {
        dev.anywhere.analyzer.text.Messages text = report.text();
        String status = cls(report.status());
        out.write("<!DOCTYPE html>\n<html lang=\"" + report.language() + "\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                + "<title>" + Html.escape(report.banner() + " - " + report.target()) + "</title><style>" + CSS + "</style></head><body>\n");
        out.write("<header class=\"" + status + "\"><h1>" + Html.escape(report.banner()) + "</h1><p>" + Html.escape(report.target())
                + " &middot; " + Html.escape(report.vantage().name().toLowerCase(Locale.ROOT)) + " &middot; " + report.started().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + " &middot; " + report.elapsedMillis() + " ms</p></header>\n");
        if (report.insecureWarning().isPresent()) {
            out.write("<div class=\"insecure\" id=\"insecure\">" + Html.escape(report.insecureWarning().get()) + "</div>\n");
        }
        out.write("<main>\n");
        out.write("<div class=\"counts\">");
        for (CheckStatus s : CheckStatus.values()) {
            out.write("<span><span class=\"st " + cls(s) + "\">" + Html.escape(text.get("status." + s.name())) + "</span>" + report.root().count(s) + "</span>");
        }
        out.write("</div>\n");
        Map<String, Finding> unique = new LinkedHashMap<>();
        report.root().allFindings().forEach(f -> unique.putIfAbsent(f.id() + f.title(), f));
        if (!unique.isEmpty()) {
            out.write("<h2>" + Html.escape(text.get("report.findings")) + "</h2>\n");
            for (Finding f : unique.values()) {
                out.write("<div class=\"finding " + f.severity().name().toLowerCase(Locale.ROOT) + "\"><h3>" + Html.escape(f.title())
                        + " <span class=\"ms\">" + Html.escape(f.id()) + "</span></h3>"
                        + "<div><span class=\"k\">" + Html.escape(text.get("report.cause")) + "</span> " + Html.escape(f.cause()) + "</div>"
                        + "<div><span class=\"k\">" + Html.escape(text.get("report.fix")) + "</span> " + Html.escape(f.fix()) + "</div>");
                if (!f.references().isEmpty()) {
                    out.write("<div class=\"refs\">" + Html.escape(String.join(" · ", f.references())) + "</div>");
                }
                out.write("</div>\n");
            }
        }
        out.write("<h2>" + Html.escape(text.get("report.checks")) + "</h2>\n");
        node(report.root(), 0, text, out);
        out.write("</main><footer>anywhere analyze &middot; report schema " + Report.SCHEMA_VERSION + "</footer></body></html>\n");
        out.flush();
    }

    private static void node(CheckResult r, int depth, dev.anywhere.analyzer.text.Messages text, Writer out) throws IOException {
        boolean leaf = r.children().isEmpty() && r.evidence().isEmpty();
        // Problems are open wherever they are; the phases are open so a healthy report still shows its steps.
        boolean open = r.status() == CheckStatus.FAILED || r.status() == CheckStatus.WARNING || depth < 2;
        out.write("<details" + (open ? " open" : "") + (leaf ? " class=\"leaf\"" : "") + " id=\"" + Html.escape(r.id()) + "\"><summary>"
                + "<span class=\"st " + cls(r.status()) + "\">" + Html.escape(text.get("status." + r.status().name())) + "</span>" + Html.escape(r.title())
                + (r.summary().isEmpty() ? "" : " <span class=\"sum\">&mdash; " + Html.escape(r.summary()) + "</span>")
                + (r.status() == CheckStatus.SKIPPED ? "" : "<span class=\"ms\">" + r.elapsedMillis() + " ms</span>") + "</summary>\n");
        for (Evidence e : r.evidence()) {
            out.write("<div class=\"ev\">" + Html.escape(e.label()) + "</div><pre>" + Html.escape(e.text()) + "</pre>\n");
        }
        for (CheckResult c : r.children()) {
            node(c, depth + 1, text, out);
        }
        out.write("</details>\n");
    }

    private static String cls(CheckStatus s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
