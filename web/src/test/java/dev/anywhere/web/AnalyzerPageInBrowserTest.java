package dev.anywhere.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.Analyzer;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.analyzer.report.Vantage;
import dev.anywhere.lab.site.LabState;
import dev.anywhere.lab.topology.Passwords;
import dev.anywhere.lab.topology.PortPolicy;
import dev.anywhere.lab.topology.Topology;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.LoggerFactory;

/**
 * The page in a real browser (Debian's chromium driven by chromium-driver through Selenium) against the lab the server
 * hosts (lab mode, shifted loopback ports): a run whose nodes arrive live, the JSON download valid against the report
 * schema, a lab scenario with its verdict and its failure expanded to cause and fix, two runs compared, the page in
 * German. Screenshots are kept in
 * {@code web/target/screenshots/}. The password typed into the form must then be absent from the database file and
 * from every log line. Run it under {@code flock /tmp/anywhere-ports.lock} (it starts the lab).
 */
class AnalyzerPageInBrowserTest {

    private static final PortPolicy POLICY = PortPolicy.shifted(34000);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** franky's password in the hosted lab (generated at its first start, as by lab up). */
    private String password;

    static void assumeBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("chromium and chromium-driver are required under CI=true (Debian packages chromium, chromium-driver)");
            }
            Assumptions.abort("chromium or chromium-driver is not installed");
        }
    }

    @Test
    void aRunAgainstTheLabFillsTheTreeLiveAndIsKeptComparedAndShownInGerman() throws Exception {
        assumeBrowser();
        Files.createDirectories(SCREENSHOTS);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        Path database = tmp.resolve("history.db");
        Path downloads = Files.createDirectories(tmp.resolve("downloads"));
        Path labDir = tmp.resolve("lab");
        try (WebServer server = WebServer.start(new WebSettings(new InetSocketAddress("127.0.0.1", 0), Optional.empty(), Optional.empty(),
                "jdbc:sqlite:" + database, RunDefaults.system(), 4, 2).withLab(new WebSettings.LabMode(labDir, POLICY)))) {
            // The lab the server hosts, as lab.json describes it to every other client.
            RunDefaults lab = RunDefaults.of(LabState.read(labDir).orElseThrow());
            password = Passwords.load(Topology.frankysweb(), labDir).of("franky");
            InetSocketAddress dns = lab.dnsServer().orElseThrow();
            Path trust = lab.trust().get(0);

            // The command line's own run, for the measurement beside the page's.
            long t0 = System.nanoTime();
            Report cli = new Analyzer(cliOptions(dns, trust, lab)).run(CheckListener.NONE);
            long cliMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(cli.status().name()).isEqualTo("PASSED");

            WebDriver browser = browser(downloads);
            try {
                browser.get(server.url());
                waitFor(() -> "true".equals(browser.findElement(By.tagName("body")).getAttribute("data-ready")), Duration.ofSeconds(20));

                // 1. The healthy site: nodes arrive while the run goes on, then the whole tree and the banner.
                fill(browser, "franky@frankysweb.org", "outside");
                browser.findElement(By.id("test")).click();
                WebElement tree = browser.findElement(By.id("tree"));
                waitFor(() -> tree.getAttribute("data-first-node-ms") != null, Duration.ofSeconds(20));
                boolean liveNodeSeen = !browser.findElements(By.cssSelector("#tree .node.running")).isEmpty();
                screenshot(browser, "1-live");
                waitFor(() -> tree.getAttribute("data-full-ms") != null, Duration.ofSeconds(90));
                long firstNodeMs = Long.parseLong(tree.getAttribute("data-first-node-ms"));
                long fullMs = Long.parseLong(tree.getAttribute("data-full-ms"));
                assertThat(browser.findElement(By.id("banner")).getText()).isEqualTo("Connectivity test successful");
                assertThat(browser.findElements(By.cssSelector("#tree .node[data-id='rpc-proxy.ping-6001'][data-status='passed']"))).hasSize(1);
                assertThat(browser.findElement(By.id("password")).getAttribute("value")).isEmpty();
                screenshot(browser, "2-healthy");
                // The command line's run again, now that both paths are warm: the figure docs/performance.md compares with.
                long t1 = System.nanoTime();
                new Analyzer(cliOptions(dns, trust, lab)).run(CheckListener.NONE);
                long cliWarmMs = (System.nanoTime() - t1) / 1_000_000;
                System.out.printf("MEASURE page: first node %d ms, full tree %d ms; command line run %d ms before (cold), %d ms after%n",
                        firstNodeMs, fullMs, cliMs, cliWarmMs);
                assertThat(liveNodeSeen || firstNodeMs < fullMs).as("a node appeared before the run ended").isTrue();

                // The JSON download is the command line's JSON, valid against the shipped schema.
                browser.findElement(By.id("dl-json")).click();
                Path json = waitForFile(downloads, ".json");
                JsonNode report = JSON.readTree(json.toFile());
                assertThat(schemaErrors(Files.readString(json))).isEmpty();
                assertThat(report.path("status").asText()).isEqualTo("passed");
                assertThat(Files.readString(json)).doesNotContain(password);

                // 2. Lab mode: the scenario auth-mismatch (/rpc offers Basic while EXPR says Ntlm), its verdict, and its
                //    failure expanded to the cause and the fix.
                new Select(browser.findElement(By.id("scenario"))).selectByValue("auth-mismatch");
                browser.findElement(By.id("run-scenario")).click();
                waitFor(() -> browser.findElement(By.id("tree")).getAttribute("data-full-ms") != null, Duration.ofSeconds(120));
                assertThat(browser.findElement(By.id("banner")).getText()).isEqualTo("Connectivity test failed");
                assertThat(browser.findElement(By.id("verdict")).getText()).isEqualTo("auth-mismatch: the analyzer says auth.required-missing "
                        + "(expected: auth.required-missing), as expected");
                assertThat(browser.findElement(By.id("scenario-steps")).getText()).contains("anywhere oa enable --server EX1");
                WebElement failed = browser.findElement(By.xpath("//li[contains(@class,'node')][.//div[contains(@class,'finding')]"
                        + "//strong[contains(.,'auth.required-missing')]][not(.//li[.//strong[contains(.,'auth.required-missing')]])]"));
                WebElement details = failed.findElement(By.cssSelector(":scope > .details"));
                assertThat(details.isDisplayed()).isFalse();
                failed.findElement(By.cssSelector(":scope > .head")).click();
                assertThat(details.isDisplayed()).isTrue();
                assertThat(details.getText()).contains("Cause: ").contains("Fix: ");
                screenshot(browser, "3-scenario-failure-expanded");

                // 3. The two runs compared: the authentication step differs.
                waitFor(() -> browser.findElements(By.cssSelector("#history input.pick")).size() >= 2, Duration.ofSeconds(10));
                List<WebElement> picks = browser.findElements(By.cssSelector("#history input.pick"));
                picks.get(0).click();
                picks.get(1).click();
                browser.findElement(By.id("compare")).click();
                waitFor(() -> !browser.findElements(By.cssSelector("#diff tr.difference")).isEmpty(), Duration.ofSeconds(10));
                assertThat(browser.findElement(By.id("diff")).getText()).contains("auth.required-missing");
                ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", browser.findElement(By.id("diff")));
                screenshot(browser, "4-compared");

                // 4. German: the page's words, and a run whose tree is German (the healthy lab is back after the scenario).
                new Select(browser.findElement(By.id("lang"))).selectByValue("de");
                assertThat(browser.findElement(By.id("test")).getText()).isEqualTo("Testen");
                fill(browser, "franky@frankysweb.org", "outside");
                browser.findElement(By.id("test")).click();
                waitFor(() -> browser.findElement(By.id("tree")).getAttribute("data-full-ms") != null, Duration.ofSeconds(90));
                assertThat(browser.findElement(By.id("banner")).getText()).isEqualTo("Verbindungstest erfolgreich");
                assertThat(browser.findElement(By.cssSelector("#tree > .node > .head .title")).getText())
                        .startsWith("Outlook-Anywhere-Test für franky@frankysweb.org");
                screenshot(browser, "5-german");
            } finally {
                browser.quit();
            }
        } finally {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        }
        // The password went to the run only: not into the database, not into any log line.
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("history.db")).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(password);
            }
        }
        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(password));
    }

    private AnalyzeOptions cliOptions(InetSocketAddress dns, Path trust, RunDefaults lab) {
        return new AnalyzeOptions("franky@frankysweb.org", Optional.of("FRANKYSWEB\\franky"), Optional.of(password), List.of(),
                Optional.of(dns), List.of(trust), Vantage.OUTSIDE, Duration.ofSeconds(10), "en", Optional.empty(), lab.httpsPort(),
                lab.httpPort(), List.of(), false);
    }

    private void fill(WebDriver browser, String target, String vantage) {
        WebElement t = browser.findElement(By.id("target"));
        t.clear();
        t.sendKeys(target);
        WebElement u = browser.findElement(By.id("user"));
        u.clear();
        u.sendKeys("FRANKYSWEB\\franky");
        browser.findElement(By.id("password")).sendKeys(password);
        new Select(browser.findElement(By.id("vantage"))).selectByValue(vantage);
    }

    static WebDriver browser(Path downloads) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1400",
                "--lang=en-US", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toAbsolutePath().toString(),
                "download.prompt_for_download", false, "intl.accept_languages", "en-US"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
        return driver;
    }

    static void screenshot(WebDriver browser, String name) throws Exception {
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static void waitFor(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit);
            }
            Thread.sleep(25);
        }
    }

    private static Path waitForFile(Path dir, String suffix) throws Exception {
        Path[] found = new Path[1];
        waitFor(() -> {
            try (Stream<Path> s = Files.list(dir)) {
                found[0] = s.filter(p -> p.toString().endsWith(suffix)).findFirst().orElse(null);
                return found[0] != null;
            } catch (java.io.IOException e) {
                return false;
            }
        }, Duration.ofSeconds(10));
        return found[0];
    }

    private static List<String> schemaErrors(String json) {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Report.class.getResourceAsStream("report-schema-v1.json"), InputFormat.JSON)
                .validate(json, InputFormat.JSON).stream().map(Object::toString).toList();
    }
}
