package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.directory.model.ExchangeServer;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.testing.Peers;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.endpoints.RpcInterface;
import dev.anywhere.server.rfr.Rfr;
import dev.anywhere.server.rfr.ServerNames;
import dev.anywhere.server.testing.SecuredRpcSite;
import dev.anywhere.server.testing.TestCertificate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * impacket 0.10's unmodified example programs against NTLM-secured endpoints through the gateway: {@code rpcmap.py}
 * at PKT_PRIVACY, anonymous and with {@code -auth-rpc} (impacket seals requests and unseals our sealed responses,
 * so keys and RC4 order must be right; it does not check our signatures), and {@code rpcdump.py} over ncacn_http.
 * Skipped without impacket unless {@code CI=true}, where that is a failure. impacket's examples reach an RPC proxy
 * only on port 443 ({@code RpcProxy=host:443}), so the gateway listens on 443 of its own loopback address (root, as CI
 * runs; run under {@code flock /tmp/anywhere-ports.lock}); rpcdump's endpoint mapper port 593 is translated to the
 * endpoints' ephemeral port.
 */
class DceSecurityImpacketInteropTest {

    static final String EXAMPLES = "/usr/share/doc/python3-impacket/examples/";
    /** This test's own loopback address, so that its port 443 meets no lab. */
    static final String GATEWAY_ADDRESS = "127.0.93.43";
    /** An interface that refuses anonymous callers, like Exchange's RFR, NSPI and EMSMDB. */
    static final SyntaxId PRIVATE = new SyntaxId(UUID.fromString("7a3f5b20-4c1d-4e8f-9a0b-1c2d3e4f5a6b"), 1, 0);

    @TempDir
    Path dir;

    static TestCertificate certificate;
    @AutoClose
    SecuredRpcSite site;
    final SimpleMeterRegistry endpointMetrics = new SimpleMeterRegistry();

    @BeforeAll
    static void requireImpacket() throws Exception {
        Peers.requireImpacket("impacket.dcerpc.v5.rpch");
        Peers.requireExecutable(Path.of(EXAMPLES, "rpcmap.py"), "python3-impacket examples");
        certificate = TestCertificate.create("oa.frankysweb.org", "127.0.0.1");
    }

    @BeforeEach
    void start() throws Exception {
        site = SecuredRpcSite.in(dir).credentials(VirtualConnectionIdentityTest.CREDENTIALS).endpointMetrics(endpointMetrics)
                .serving(new RpcInterface(PRIVATE, "private", 2, call -> Octets.ofHex("00000000")).refusingAnonymous())
                .serving(Rfr.iface(() -> "ex1.frankysweb.local",
                        ServerNames.of(List.of(new ExchangeServer("EX1", "ex1.frankysweb.local", true)))))
                .validPorts(port -> List.of(port, 593)).translating(593)
                .listen(GATEWAY_ADDRESS, 443).tls(certificate.serverContext()).start();
    }

    int port() {
        return site.endpointPort();
    }

    String binding() {
        return "ncacn_http:[" + port() + ",RpcProxy=" + GATEWAY_ADDRESS + ":443]";
    }

    String run(String example, String... args) throws Exception {
        String path = example.startsWith("/") ? example : EXAMPLES + example;
        List<String> command = new ArrayList<>(List.of(Peers.PYTHON, path));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean done = p.waitFor(90, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done && p.exitValue() == 0).as("%s failed:%n%s", example, out).isTrue();
        return out;
    }

    @Test
    void rpcmapAnonymousAtPrivacyListsTheInterfacesButIsRefusedByAPrivateOne() throws Exception {
        String out = run("rpcmap.py", "-auth-transport", "FRANKYSWEB/franky:Secret-1", binding());
        assertThat(out).contains("UUID: AFA8BD80-7D8A-11C9-BEF4-08002B102989 v1.0",
                "UUID: E1AF8308-5D1F-11C9-91A4-08002B14A0FA v3.0", "UUID: 7A3F5B20-4C1D-4E8F-9A0B-1C2D3E4F5A6B v1.0");
        String privateOpnums = run("rpcmap.py", "-auth-transport", "FRANKYSWEB/franky:Secret-1",
                "-uuid", PRIVATE.uuid().toString(), "-brute-opnums", "-opnum-max", "1", binding());
        assertThat(privateOpnums).contains("rpc_s_access_denied").doesNotContain("success");
        assertThat(endpointMetrics.counter("anywhere.endpoints.security.binds", "level", "privacy").count()).isGreaterThanOrEqualTo(3);
        assertThat(endpointMetrics.counter("anywhere.endpoints.security.failures", "reason", "anonymous_refused").count())
                .isEqualTo(2);
    }

    @Test
    void rpcmapWithAnAccountAtPrivacyCallsThePrivateInterface() throws Exception {
        String out = run("rpcmap.py", "-auth-transport", "FRANKYSWEB/franky:Secret-1", "-auth-rpc",
                "FRANKYSWEB/franky:Secret-1", "-uuid", PRIVATE.uuid().toString(), "-brute-opnums", "-opnum-max", "2",
                binding());
        assertThat(out).contains("Opnum 0: success", "Opnum 1: success", "nca_s_op_rng_error");
        assertThat(endpointMetrics.counter("anywhere.endpoints.security.failures", "reason", "anonymous_refused").count())
                .isZero();
    }

    @Test
    void rpcmapWithAWrongPasswordIsRefused() throws Exception {
        String out = run("rpcmap.py", "-auth-transport", "FRANKYSWEB/franky:Secret-1", "-auth-rpc",
                "FRANKYSWEB/franky:wrong", "-uuid", PRIVATE.uuid().toString(), "-brute-opnums", "-opnum-max", "0",
                binding());
        assertThat(out).contains("rpc_s_access_denied").doesNotContain("success");
        assertThat(endpointMetrics.counter("anywhere.endpoints.security.failures", "reason", "wrong_password").count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void rpcdumpOverNcacnHttpListsTheEndpointMapper() throws Exception {
        String out = run("rpcdump.py", "-port", "443", "FRANKYSWEB/franky:Secret-1@" + GATEWAY_ADDRESS);
        assertThat(out).contains("7A3F5B20-4C1D-4E8F-9A0B-1C2D3E4F5A6B", "1544F5E0-613C-11D1-93DF-00C04FD7BD09")
                .doesNotContain("Protocol failed");
    }

    static final String USER_DN = "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)"
            + "/cn=Recipients/cn=franky";
    static final String SERVER_DN = "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)"
            + "/cn=Configuration/cn=Servers/cn=EX1/cn=Microsoft Private MDB";

    String rfr(String user, String password, int level) throws Exception {
        Path script = dir.resolve("impacket_rfr.py");
        if (!Files.exists(script)) {
            try (java.io.InputStream in = getClass().getResourceAsStream("/rfr/impacket_rfr.py")) {
                Files.copy(in, script);
            }
        }
        return run(script.toString(), GATEWAY_ADDRESS + ":443", Integer.toString(port()), user, password, "FRANKYSWEB",
                Integer.toString(level), USER_DN, SERVER_DN);
    }

    /** impacket's oxabref at PKT_PRIVACY: both RFR calls answered through the gateway, sealed both ways. */
    @Test
    void impacketsOxabrefCallsRfrAtPacketPrivacy() throws Exception {
        String out = rfr("franky", "Secret-1", 6);
        assertThat(out).contains("\"new_dsa\": \"ex1.frankysweb.local\"", "\"fqdn\": \"ex1.frankysweb.local\"")
                .doesNotContain("error");
        assertThat(endpointMetrics.counter("anywhere.endpoints.security.binds", "level", "privacy").count()).isEqualTo(1);
    }
}
