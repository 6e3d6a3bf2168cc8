package dev.anywhere.analyzer.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The HTML report in a real browser: headless Chromium renders it, its DOM must hold the check tree, and the
 * screenshot is kept as a test artifact (target/report-screenshot.png) for people to look at.
 */
class HtmlReportInBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static void assumeChromium() {
        if (!Files.isExecutable(CHROMIUM)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("chromium is required under CI=true (Debian package chromium)");
            }
            Assumptions.abort("chromium is not installed");
        }
    }

    private static String chromium(Path userDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + userDir));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void theReportRendersWithItsTree() throws Exception {
        assumeChromium();
        Path dir = Path.of("target");
        Files.createDirectories(dir);
        StringWriter html = new StringWriter();
        new HtmlReportWriter().write(ReportWritersTest.sample("en"), html);
        Path file = dir.resolve("report-sample.html").toAbsolutePath();
        Files.writeString(file, html.toString());
        Path userDir = Files.createTempDirectory("chromium");
        String dom = chromium(userDir, "--dump-dom", file.toUri().toString());
        assertThat(dom).contains("Connectivity test failed").contains("<details open=\"\" id=\"rpc-proxy.echo\">")
                .contains("A reverse proxy refuses RPC_IN_DATA/RPC_OUT_DATA");
        Path png = dir.resolve("report-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(png);
        chromium(userDir, "--screenshot=" + png, "--window-size=1200,1000", "--hide-scrollbars", file.toUri().toString());
        assertThat(png).exists();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(20_000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }
}
