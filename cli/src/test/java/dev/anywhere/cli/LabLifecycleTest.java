package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.lab.site.LabState;
import dev.anywhere.lab.topology.PortPolicy;
import dev.anywhere.lab.topology.Topology;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code anywhere lab}, {@code lab up/status/down} and {@code lab dns} with a topology whose port policy is forced to
 * "shifted" (what a user without root gets), each test with its own offset so that they never meet a lab on the
 * usual ports.
 */
class LabLifecycleTest extends CommandTestBase {

    @TempDir
    Path tmp;


    private Path topology(int offset) throws IOException {
        Path file = tmp.resolve("site-" + offset + ".json");
        Topology.frankysweb().withPortPolicy(PortPolicy.shifted(offset)).write(file);
        return file;
    }

    private static boolean listening(String addressPort) {
        int colon = addressPort.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(addressPort.substring(0, colon), Integer.parseInt(addressPort.substring(colon + 1))), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void labTellsTheWholeStoryWithShiftedPorts() throws Exception {
        int code = run("lab", "--topology", topology(33000).toString());
        assertThat(code).as(out + err).isZero();
        assertThat(out).contains("every port below 1024 is shifted by 33000 (53 -> 33053, 389 -> 33389, 443 -> 33443)")
                .contains("provider DNS: 127.0.0.10:33053")
                .contains("router: 127.0.0.20 [tcp/33443 -> 127.0.100.251:33443, tcp/33080 -> 127.0.100.251:33080]")
                .contains("Analyzing as a client on the internet would (anywhere analyze franky@frankysweb.org")
                .contains("--https-port 33443 --http-port 33080")
                .contains("[ ok ] Resolve the RPC proxy in DNS - IP addresses returned: 127.0.0.20 (DNS server 127.0.0.10:33053)")
                .contains("[ ok ] Ping the RPC proxy (echo) - HTTP/1.1 200 Success, 20-byte echo PDU (NTLM)")
                .contains("[ ok ] Ping the mail store endpoint (6001)")
                .contains("[ ok ] Look up the endpoint mapper (593) through the tunnel")
                .contains("Connectivity test successful (franky@frankysweb.org")
                .contains("Site stopped after");
        assertThat(listening("127.0.0.20:33443")).isFalse();
    }

    @Test
    void upStatusDownLeaveNothingRunning() throws Exception {
        Path dir = tmp.resolve("lab");
        int code = run("lab", "up", "--data-dir", dir.toString(), "--topology", topology(34000).toString());
        assertThat(code).as(out + err).isZero();
        LabState state = LabState.read(dir).orElseThrow();
        try {
            assertThat(state.pid()).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(state.portMap()).containsEntry("443", 34443);
            assertThat(state.services()).containsEntry("router/tcp443", "127.0.0.20:34443")
                    .containsEntry("provider-dns/dns", "127.0.0.10:34053");
            assertThat(Path.of(state.caBundle())).exists();
            assertThat(Files.readString(dir.resolve("lab.json"))).doesNotContain(
                    Files.readString(dir.resolve("passwords.json")).split("\"")[3]);

            assertThat(run("lab", "status", "--data-dir", dir.toString())).as(out + err).isZero();
            assertThat(out).contains("pid " + state.pid() + " running").contains("up   router/tcp443        127.0.0.20:34443")
                    .contains("ok   oa.frankysweb.org via 127.0.0.10:34053 -> 127.0.0.20").doesNotContain("password ");
            assertThat(state.admin()).startsWith("http://127.0.100.251:");
            assertThat(out).contains("up   ex1/admin").contains("ok   gateway health " + state.admin() + "/health: UP");
            assertThat(run("lab", "status", "--data-dir", dir.toString(), "--show-passwords")).isZero();
            assertThat(out).contains("password franky");

            assertThat(run("lab", "up", "--data-dir", dir.toString())).isEqualTo(Anywhere.USAGE);
            assertThat(err).contains("lab: already running (pid " + state.pid());
        } finally {
            assertThat(run("lab", "down", "--data-dir", dir.toString())).as(out + err).isZero();
        }
        assertThat(out).contains("Site stopped; nothing listens on its");
        assertThat(ProcessHandle.of(state.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        List<String> left = state.services().values().stream().filter(LabLifecycleTest::listening).toList();
        assertThat(left).as("listeners after lab down").isEmpty();
        assertThat(dir.resolve("lab.json")).doesNotExist();

        assertThat(run("lab", "status", "--data-dir", dir.toString())).isEqualTo(Anywhere.INTERNAL);
        assertThat(out).contains("lab: not running");
        assertThat(run("lab", "down", "--data-dir", dir.toString())).isZero();
    }

    /** Skips without HAProxy on a developer machine; fails under CI, which installs it. */
    private static void requireHaproxy() {
        boolean present = dev.anywhere.lab.router.HaproxyBalancer.find().isPresent();
        if (!present && "true".equals(System.getenv("CI"))) {
            org.junit.jupiter.api.Assertions.fail("haproxy is required when CI=true (.ci/run installs it)");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(present, "haproxy is not installed");
    }

    /** The client access array: HAProxy in front of EX1 and EX2, as a client on the internet and as lab status see it. */
    @Test
    void theArrayUpStatusAndDown() throws Exception {
        requireHaproxy();
        Path file = tmp.resolve("array.json");
        Topology.casArray().withPortPolicy(PortPolicy.shifted(35000)).write(file);
        Path dir = tmp.resolve("array");
        assertThat(run("lab", "up", "--data-dir", dir.toString(), "--topology", file.toString())).as(out + err).isZero();
        LabState state = LabState.read(dir).orElseThrow();
        try {
            assertThat(state.site()).isEqualTo("cas-array");
            assertThat(state.balancer()).isEqualTo("127.0.100.254:35443");
            assertThat(state.members()).containsEntry("ex1", "http://127.0.100.251:8081").containsEntry("ex2", "http://127.0.100.253:8081");
            assertThat(state.services()).containsEntry("router/tcp443", "127.0.0.20:35443").containsEntry("lb/https", "127.0.100.254:35443")
                    .containsEntry("ex2/https", "127.0.100.253:35443");
            assertThat(run("lab", "status", "--data-dir", dir.toString())).as(out + err).isZero();
            assertThat(out).contains("up   lb/https             127.0.100.254:35443", "up   ex2/store            127.0.100.253:6001",
                    "ok   member ex1 health http://127.0.100.251:8081/health: UP", "ok   member ex2 health http://127.0.100.253:8081/health: UP");
        } finally {
            assertThat(run("lab", "down", "--data-dir", dir.toString())).as(out + err).isZero();
        }
        List<String> left = state.services().values().stream().filter(LabLifecycleTest::listening).toList();
        assertThat(left).as("listeners after lab down").isEmpty();
    }

    @Test
    void theArrayStoryThroughHaproxy() throws Exception {
        requireHaproxy();
        Path file = tmp.resolve("array.json");
        Topology.casArray().withPortPolicy(PortPolicy.shifted(35500)).write(file);
        int code = run("lab", "--topology", file.toString());
        assertThat(code).as(out + err).isZero();
        assertThat(out).contains("load balancer: haproxy (TCP, round robin, /health checks) on 127.0.100.254:35943 -> "
                        + "[ex1 127.0.100.251:35943, ex2 127.0.100.253:35943]")
                .contains("router: 127.0.0.20 [tcp/35943 -> 127.0.100.254:35943, tcp/35580 -> 127.0.100.251:35580]")
                .contains("[ ok ] Ping the mail store endpoint (6001)")
                .contains("Connectivity test successful (franky@frankysweb.org");
    }

    @Test
    void anUnknownTopologyNameIsAUsageError() {
        assertThat(run("lab", "up", "--data-dir", tmp.resolve("x").toString(), "--topology", "cas-arrays")).isEqualTo(Anywhere.USAGE);
        assertThat(err).isEqualTo("anywhere: topology cas-arrays: cannot read: cas-arrays (expected: a topology file or one of "
                + "frankysweb, cas-array)" + System.lineSeparator());
    }

    @Test
    void badTopologyIsAUsageError() throws Exception {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"hosts\":[{\"name\":\"ex1\",\"address\":\"192.168.100.251\"}]}");
        assertThat(run("lab", "up", "--data-dir", tmp.resolve("x").toString(), "--topology", bad.toString()))
                .isEqualTo(Anywhere.USAGE);
        assertThat(err).isEqualTo("anywhere: host ex1: address 192.168.100.251 (expected: an IPv4 loopback address in 127.0.0.0/8)"
                + System.lineSeparator());
    }

    @Test
    void dnsAloneFromAZoneFile() throws Exception {
        Path zone = tmp.resolve("frankysweb.org.zone");
        Files.writeString(zone, "$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 127.0.0.10\n"
                + "oa IN A 127.0.0.20\n");
        Thread server = new Thread(() -> run("lab", "dns", "--zone-file", zone.toString(), "--listen", "127.0.0.10:35053"));
        server.setDaemon(true);
        server.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!listening("127.0.0.10:35053") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        java.util.Optional<java.net.InetAddress> answer = java.util.Optional.empty();
        while (answer.isEmpty() && System.nanoTime() < deadline) { // TCP is bound first, UDP a moment later
            answer = LabCommand.resolve("oa.frankysweb.org", new InetSocketAddress("127.0.0.10", 35053));
        }
        assertThat(answer.orElseThrow().getHostAddress()).isEqualTo("127.0.0.20");
        server.interrupt(); // the command runs until interrupted, then closes the server
        server.join(10_000);
        assertThat(listening("127.0.0.10:35053")).as("listening after interrupt").isFalse();
        StringWriter o = new StringWriter();
        CommandLine cl = Anywhere.commandLine();
        cl.setErr(new PrintWriter(o, true));
        assertThat(cl.execute("lab", "dns", "--zone-file", tmp.resolve("missing.zone").toString(), "--listen", "127.0.0.10:35054"))
                .isEqualTo(Anywhere.USAGE);
        assertThat(o.toString()).contains("--zone-file: " + tmp.resolve("missing.zone") + " cannot be read (expected: a zone file)");
    }
}
