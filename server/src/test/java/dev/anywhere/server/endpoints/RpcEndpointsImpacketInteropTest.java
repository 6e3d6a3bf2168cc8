package dev.anywhere.server.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * impacket 0.10 (Debian {@code python3-impacket}) as an independent client: RPC over HTTP v1 straight to an ncacn_http
 * port and plain ncacn_ip_tcp; MGMT inq_if_ids / is_server_listening / inq_stats / stop_server_listening, EPM
 * ept_lookup and ept_map. Skipped without impacket unless {@code CI=true}, where that is a failure.
 */
class RpcEndpointsImpacketInteropTest {

    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    private Path script;
    private RpcEndpoints endpoints;

    @BeforeAll
    static void requireImpacket() {
        dev.anywhere.rpc.testing.Peers.requireImpacket("impacket.dcerpc.v5.epm");
    }

    @BeforeEach
    void start() throws Exception {
        script = dir.resolve("impacket_endpoints.py");
        try (InputStream in = getClass().getResourceAsStream("/endpoints/impacket_endpoints.py")) {
            Files.copy(in, script);
        }
        endpoints = RpcEndpoints.start(RpcEndpoints.Options.defaults(InetAddress.getByName("127.0.0.1"))
                .withPorts(List.of(0)).withTcpPort(0));
    }

    @AfterEach
    void stop() {
        endpoints.close();
    }

    private String run(String mode, int port) throws Exception {
        Process p = new ProcessBuilder(PYTHON, script.toString(), mode, "127.0.0.1", Integer.toString(port))
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("stderr.txt"));
        assertThat(done && p.exitValue() == 0).as("impacket %s failed:%n%s%n%s", mode, out, err).isTrue();
        return out;
    }

    @Test
    void rpcOverHttpV1DirectlyToTheEndpointPort() throws Exception {
        int http = endpoints.ports().get(0);
        int tcp = endpoints.tcpPort().getAsInt();
        String out = run("http", http);
        assertThat(out)
                .contains("\"binding\": \"ncacn_http:127.0.0.1[" + http + "]\"")
                .contains("\"e1af8308-5d1f-11c9-91a4-08002b14a0fa v3.0\"", "\"afa8bd80-7d8a-11c9-bef4-08002b102989 v1.0\"")
                .contains("\"listening_status\": 0", "\"stats_count\": 4", "\"stop\": \"refused 0x5\"")
                .contains("\"ncacn_http:127.0.0.1[" + http + "] afa8bd80-7d8a-11c9-bef4-08002b102989 Management\"")
                .contains("\"ncacn_ip_tcp:127.0.0.1[" + tcp + "] afa8bd80-7d8a-11c9-bef4-08002b102989 Management\"")
                .contains("\"map\": \"ncacn_http:127.0.0.1[" + http + "]\"");
    }

    @Test
    void ncacnIpTcp() throws Exception {
        int tcp = endpoints.tcpPort().getAsInt();
        String out = run("tcp", tcp);
        assertThat(out)
                .contains("\"afa8bd80-7d8a-11c9-bef4-08002b102989 v1.0\"", "\"stop\": \"refused 0x5\"")
                .contains("\"map\": \"ncacn_ip_tcp:127.0.0.1[" + tcp + "]\"");
    }
}
