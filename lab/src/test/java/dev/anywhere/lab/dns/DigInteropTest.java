package dev.anywhere.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interop with ISC {@code dig} (Debian {@code dnsutils}), a client nobody here wrote. Skipped when dig is missing,
 * unless {@code CI=true}, where a missing dig fails the build.
 */
class DigInteropTest {

    private static DnsServer server;

    @BeforeAll
    static void start() {
        boolean haveDig = dig().isPresent();
        if (!haveDig && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("dig: not found on PATH (expected: Debian package dnsutils installed when CI=true)");
        }
        assumeTrue(haveDig, "dig not installed (apt-get install dnsutils)");
        server = DnsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), TestZones.richSet());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shortAnswerForA() throws Exception {
        assertThat(run("+short", "oa.frankysweb.org", "A")).isEqualTo("127.0.0.20");
    }

    @Test
    void shortAnswerForSrv() throws Exception {
        assertThat(run("+short", "_autodiscover._tcp.frankysweb.org", "SRV"))
                .isEqualTo("0 0 443 autodiscover.frankysweb.org.");
    }

    @Test
    void cnameChainOverTcp() throws Exception {
        assertThat(run("+tcp", "+short", "mail.frankysweb.org", "A"))
                .isEqualTo("www.frankysweb.org.\noa.frankysweb.org.\n127.0.0.20");
    }

    @Test
    void nxdomainIsAuthoritativeWithSoa() throws Exception {
        String out = run("nope.frankysweb.org", "A");
        assertThat(out).contains("status: NXDOMAIN").containsPattern("flags: qr aa");
        assertThat(out).containsPattern("AUTHORITY SECTION:\\s+frankysweb\\.org\\.\\s+300\\s+IN\\s+SOA");
    }

    @Test
    void refusedOutsideZones() throws Exception {
        assertThat(run("example.com", "A")).contains("status: REFUSED");
    }

    @Test
    void truncationMakesDigRetryOverTcp() throws Exception {
        // +noedns: the 512-byte limit; dig reports the truncation and retries over TCP by itself
        String out = run("+noedns", "big.frankysweb.org", "A");
        assertThat(out).contains("Truncated, retrying in TCP mode.");
        assertThat(out).contains("ANSWER: " + TestZones.BIG_COUNT);
        String truncated = run("+noedns", "+ignore", "big.frankysweb.org", "A");
        assertThat(truncated).containsPattern("flags: qr aa tc[ ;]").contains("ANSWER: 0");
    }

    @Test
    void ednsResponseAdvertisesPayload() throws Exception {
        assertThat(run("+edns=0", "oa.frankysweb.org", "A")).contains("udp: " + DnsResponder.ADVERTISED_UDP_PAYLOAD);
        assertThat(run("+edns=1", "+noednsnegotiation", "oa.frankysweb.org", "A")).contains("status: BADVERS");
    }

    private static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(dig().orElseThrow().toString(),
                "@" + server.address().getAddress().getHostAddress(), "-p", Integer.toString(server.port()),
                "+time=2", "+tries=1"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("dig: no exit after 20 s (command " + command + ")");
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as("dig exit status, output:\n%s", out).isZero();
        return out;
    }

    private static java.util.Optional<Path> dig() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "dig");
            if (Files.isExecutable(candidate)) {
                return java.util.Optional.of(candidate);
            }
        }
        return java.util.Optional.empty();
    }
}
