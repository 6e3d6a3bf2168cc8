package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.endpoints.RpcInterface;
import dev.anywhere.server.gateway.Gateway;
import dev.anywhere.server.testing.SecuredRpcSite;
import dev.anywhere.server.testing.TestCertificate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * impacket 0.10 (python3-impacket) as the RPC over HTTP v2 client, through the gateway's proxy, to the real RPC
 * endpoints (EPM, MGMT, and a test interface with a big response). Skipped without impacket unless {@code CI=true},
 * where that is a failure.
 *
 * @see [MS-RPCH] 3.2.3 RPC over HTTP proxy
 */
class RpcProxyImpacketInteropTest {

    static final String PYTHON = "/usr/bin/python3";
    static final SyntaxId BIG = new SyntaxId(UUID.fromString("6a1e7c59-0d5b-4c3e-9e4f-aa7b5f00c0de"), 1, 0);
    static final int BIG_LENGTH = 300 * 1024;

    @TempDir
    Path dir;

    @AutoClose
    SecuredRpcSite site;
    /** Each gateway's meters, in the order they started. */
    final List<SimpleMeterRegistry> meters = new ArrayList<>();
    Path script;
    static TestCertificate certificate;

    @BeforeAll
    static void requireImpacket() throws Exception {
        dev.anywhere.rpc.testing.Peers.requireImpacket("impacket.dcerpc.v5.rpch");
        certificate = TestCertificate.create("oa.frankysweb.org", "127.0.0.1");
    }

    @BeforeEach
    void start() throws Exception {
        script = dir.resolve("impacket_rpcproxy.py");
        try (InputStream in = getClass().getResourceAsStream("/rpcproxy/impacket_rpcproxy.py")) {
            Files.copy(in, script);
        }
    }

    int endpointPort() {
        return site.endpointPort();
    }

    /** The site with {@code settings} (its endpoints serve {@link #BIG} beside EPM and MGMT), and its gateway. */
    Gateway gateway(ProxySettings settings) throws Exception {
        byte[] big = new byte[BIG_LENGTH];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        site = SecuredRpcSite.in(dir).credentials(VirtualConnectionIdentityTest.CREDENTIALS)
                .serving(new RpcInterface(BIG, "big response test", 1, call -> Octets.of(big)))
                .tls(certificate.serverContext()).proxySettings(settings).start();
        meters.add(site.gatewayMetrics());
        return site.gateway();
    }

    /** Another gateway of the site, in front of the same endpoints. */
    Gateway secondGateway() throws Exception {
        SimpleMeterRegistry m = new SimpleMeterRegistry();
        meters.add(m);
        return site.anotherGateway(m);
    }

    static String url(String scheme, Gateway g) {
        return scheme + "://127.0.0.1:" + g.address().getPort() + "/rpc/rpcproxy.dll";
    }

    String run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
        command.addAll(List.of(args));
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        boolean done = p.waitFor(90, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done && p.exitValue() == 0).as("impacket %s failed:%n%s%n%s", args[0], out, Files.readString(err)).isTrue();
        return out;
    }

    static final String MGMT = "\"afa8bd80-7d8a-11c9-bef4-08002b102989 v1.0\"";
    static final String EPM = "\"e1af8308-5d1f-11c9-91a4-08002b14a0fa v3.0\"";

    @Test
    void basicOverPlainHttpMgmtAndEpmThroughTheProxy() throws Exception {
        Gateway g = gateway(ProxySettings.defaults());
        String out = run("basic", url("http", g), url("http", g), "ex1", Integer.toString(endpointPort()));
        assertThat(out).contains(MGMT, EPM).contains("\"lookup\": [");
        assertThat(out).contains("afa8bd80-7d8a-11c9-bef4-08002b102989");
        assertThat(meters.get(0).get("anywhere.rpcproxy.bytes").tag("direction", "server_to_client").counter().count()).isPositive();
    }

    @Test
    void ntlmOverHttpsTakesTheServerNameFromTheChallenge() throws Exception {
        Gateway g = gateway(ProxySettings.defaults());
        String out = run("ntlm", url("https", g), url("https", g), "", Integer.toString(endpointPort()));
        assertThat(out).contains(MGMT, EPM).contains("\"binding\": \"ncacn_http:EX1[" + endpointPort() + "]\"");
    }

    @Test
    void inAndOutChannelsThroughTwoGateways() throws Exception {
        Gateway a = gateway(ProxySettings.defaults());
        Gateway b = secondGateway();
        String out = run("basic", url("http", a), url("http", b), "ex1.frankysweb.local", Integer.toString(endpointPort()));
        assertThat(out).contains(MGMT, EPM);
        assertThat(meters.get(0).get("anywhere.rpcproxy.bytes").tag("direction", "client_to_server").counter().count()).isPositive();
        assertThat(meters.get(0).get("anywhere.rpcproxy.bytes").tag("direction", "server_to_client").counter().count()).isZero();
        assertThat(meters.get(1).get("anywhere.rpcproxy.bytes").tag("direction", "server_to_client").counter().count()).isPositive();
    }

    @Test
    void aResponseOver256KiBNeedsTheClientsFlowControlAcks() throws Exception {
        Gateway g = gateway(ProxySettings.defaults());
        String out = run("big", url("http", g), url("http", g), "ex1", Integer.toString(endpointPort()));
        assertThat(out).contains("\"big\": " + BIG_LENGTH, "\"big_ok\": true");
        assertThat(meters.get(0).get("anywhere.rpcproxy.flowcontrol.acks").tag("hop", "proxy_to_client").counter().count())
                .isGreaterThanOrEqualTo(1);
        assertThat(meters.get(0).get("anywhere.rpcproxy.flowcontrol.acks").tag("hop", "server_to_proxy").counter().count())
                .isGreaterThanOrEqualTo(4);
    }

    @Test
    void anIdleVirtualConnectionIsKeptAliveByPings() throws Exception {
        Gateway g = gateway(ProxySettings.defaults().withKeepAlive(Duration.ofMillis(400)));
        String out = run("idle", url("http", g), url("http", g), "ex1", Integer.toString(endpointPort()), "2.5");
        assertThat(out).contains("\"after_idle\": [\"");
        assertThat(out.indexOf(MGMT, out.indexOf("after_idle"))).isPositive();
        assertThat(meters.get(0).get("anywhere.rpcproxy.pings").tag("direction", "sent").counter().count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aPortOutsideValidPortsIsRefusedWith6ba() throws Exception {
        Gateway g = gateway(ProxySettings.defaults());
        int other = endpointPort() == 65535 ? 1 : endpointPort() + 1;
        String out = run("refused", url("http", g), url("http", g), "ex1", Integer.toString(other));
        assertThat(out).containsIgnoringCase("6ba");
    }

    /**
     * hanna's impacket with franky's virtual connection cookie gets {@code 503 RPC Error: 5}, which impacket reports as
     * ERROR_ACCESS_DENIED; franky's virtual connection keeps answering, and franky's own reconnect with the same
     * cookies (impacket's connect() without disconnect()) still supersedes the old one.
     */
    @Test
    void anotherAccountCannotTakeOverAVirtualConnectionButItsOwnerCanReconnect() throws Exception {
        Gateway g = gateway(ProxySettings.defaults());
        String out = run("hijack", url("http", g), url("http", g), "ex1", Integer.toString(endpointPort()));
        assertThat(out).contains("\"hijack_error\": \"RPC Proxy CONN/A1 request failed, code: 0x5 - ERROR_ACCESS_DENIED");
        assertThat(out.indexOf(MGMT, out.indexOf("after_hijack"))).isPositive();
        assertThat(out.indexOf(MGMT, out.indexOf("after_reconnect"))).isPositive();
        assertThat(meters.get(0).get("anywhere.rpcproxy.failures").tag("reason", "vc_identity_mismatch").counter().count())
                .isEqualTo(2);
    }

    static final String TSHARK = "/usr/bin/tshark";

    static String exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command + ": timed out");
        }
        return out.replace("Running as user \"root\" and group \"root\". This could be dangerous.\n", "");
    }

    static List<String> concat(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    /**
     * tshark (Wireshark's dissectors, written by nobody here) decodes a loopback capture of impacket → gateway (plain
     * HTTP, Basic) → endpoints that tshark itself took. Wireshark 4.0 hands only the first segment of an
     * application/rpc body to DCE/RPC (CONN/A1 in the OUT request, CONN/A3 with the 200 Success; later segments are
     * "Continuation"), so the proxy → endpoint TCP legs are decoded with {@code -d tcp.port==PORT,dcerpc}: the PDUs the
     * proxy wrote there (CONN/A2, CONN/B2, FlowControlAck, relayed bind/request) must dissect, and nothing in the capture
     * may carry a malformed-packet or error-level expert item. (The endpoint → proxy direction starts with the 14-byte
     * banner, which Wireshark's DCE/RPC reassembly does not skip, so it stays undecoded.) Skipped without tshark unless
     * {@code CI=true}.
     */
    @Test
    void tsharkDecodesTheProxyLegsWithoutExpertErrors() throws Exception {
        dev.anywhere.rpc.testing.Peers.requireExecutable(Path.of(TSHARK), "tshark");
        Gateway g = gateway(ProxySettings.defaults());
        int gw = g.address().getPort();
        int ep = endpointPort();
        Path pcap = dir.resolve("rpcproxy.pcapng");
        Process capture = new ProcessBuilder(TSHARK, "-i", "lo", "-f", "tcp port " + gw + " or tcp port " + ep, "-w", pcap.toString())
                .redirectErrorStream(true).start();
        try {
            java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(capture.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            String line;
            // tshark announces "Capturing on 'Loopback: lo'" once dumpcap runs; it exits early if it cannot capture.
            while ((line = r.readLine()) != null && !line.contains("Capturing on")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as("tshark did not start capturing: %s", seen).isNotNull();
            String out = run("big", url("http", g), url("http", g), "ex1", Integer.toString(ep));
            assertThat(out).contains("\"big_ok\": true");
            out = run("basic", url("http", g), url("http", g), "ex1", Integer.toString(ep));
            assertThat(out).contains(MGMT);
            Thread.sleep(1000);
        } finally {
            capture.destroy();
            capture.waitFor(10, TimeUnit.SECONDS);
        }
        if (System.getenv("RPCPROXY_PCAP") != null) {
            Files.copy(pcap, Path.of(System.getenv("RPCPROXY_PCAP")), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> decode = List.of(TSHARK, "-r", pcap.toString(), "-d", "tcp.port==" + ep + ",dcerpc");
        String rts = exec(concat(decode, "-Y", "tcp.dstport==" + ep + " && dcerpc.pkt_type == 20", "-T", "fields",
                "-e", "dcerpc.cn_rts_flags", "-e", "dcerpc.cn_rts_commands_nb"));
        String relayed = exec(concat(decode, "-Y", "tcp.dstport==" + ep + " && dcerpc.pkt_type != 20", "-T", "fields", "-e", "dcerpc.pkt_type"));
        // Wireshark hands the first segment of an application/rpc body to DCE/RPC: the 200 Success carries CONN/A3.
        String toClient = exec(concat(decode, "-Y", "tcp.srcport==" + gw + " && dcerpc.pkt_type == 20", "-T", "fields",
                "-e", "http.response.phrase", "-e", "dcerpc.cn_rts_flags", "-e", "dcerpc.cn_rts_commands_nb",
                "-e", "dcerpc.cn_rts_command.connectiontimeout"));
        String expert = exec(concat(decode, "-q", "-z", "expert"));
        String bad = exec(concat(decode, "-Y", "_ws.malformed || _ws.expert.severity >= \"error\""));
        // From the proxy: CONN/A2 (OUT_CHANNEL 0x0010, 5 commands), CONN/B2 (IN_CHANNEL 0x0008, 7), FlowControlAck (0x0002, 1).
        assertThat(rts).as("RTS the proxy sent").contains("0x0010\t5", "0x0008\t7", "0x0002\t1");
        assertThat(relayed.lines().map(String::trim).distinct()).as("relayed RPC PDUs").contains("11", "0");
        assertThat(toClient).as("OUT response").contains("Success\t0x0000\t1\t120000");
        assertThat(bad).as("malformed or error expert items; expert summary:%n%s", expert).isBlank();
    }
}
