package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.directory.SiteInfo;
import dev.anywhere.rpc.dce.Octets;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.testing.Peers;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.endpoints.DceAuthentication;
import dev.anywhere.server.endpoints.InterfaceRegistry;
import dev.anywhere.server.endpoints.RpcEndpoints;
import dev.anywhere.server.endpoints.RpcInterface;
import dev.anywhere.server.gateway.BackendResolver;
import dev.anywhere.server.gateway.Gateway;
import dev.anywhere.server.testing.TestCertificate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
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
    /** An interface that refuses anonymous callers, like Exchange's RFR, NSPI and EMSMDB. */
    /** This test's own loopback address, so that its port 443 meets no lab. */
    static final String GATEWAY_ADDRESS = "127.0.93.43";
    static final SyntaxId PRIVATE = new SyntaxId(UUID.fromString("7a3f5b20-4c1d-4e8f-9a0b-1c2d3e4f5a6b"), 1, 0);

    @TempDir
    Path dir;

    static TestCertificate certificate;
    RpcEndpoints endpoints;
    Gateway gateway;
    final SimpleMeterRegistry endpointMetrics = new SimpleMeterRegistry();

    @BeforeAll
    static void requireImpacket() throws Exception {
        Peers.requireImpacket("impacket.dcerpc.v5.rpch");
        Peers.requireExecutable(Path.of(EXAMPLES, "rpcmap.py"), "python3-impacket examples");
        certificate = TestCertificate.create("oa.frankysweb.org", "127.0.0.1");
    }

    @BeforeEach
    void start() throws Exception {
        SiteInfo site = new SiteInfo("frankysweb.local", "FRANKYSWEB", "First Organization", "frankysweb.org");
        InterfaceRegistry extra = new InterfaceRegistry().register(new RpcInterface(PRIVATE, "private", 2,
                call -> Octets.ofHex("00000000")).refusingAnonymous());
        endpoints = RpcEndpoints.start(RpcEndpoints.Options.defaults(InetAddress.getByName("127.0.0.1"))
                .withPorts(List.of(0)).withExtra(extra)
                .withAuthentication(DceAuthentication.of(Gateway.ntlmIdentity("EX1", site),
                        VirtualConnectionIdentityTest.CREDENTIALS::ntHash).withMetrics(endpointMetrics)));
        Path data = dir.resolve("ex1");
        new AppliedConfigFile(data).write(new RpcVdirConfig("EX1", true,
                EnumSet.of(HttpAuthScheme.NTLM, HttpAuthScheme.BASIC), false,
                ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(port(), 593))), 1, Instant.now());
        gateway = Gateway.start(new Gateway.Options(data, "EX1", new InetSocketAddress(GATEWAY_ADDRESS, 443),
                Optional.of(certificate.serverContext()), VirtualConnectionIdentityTest.CREDENTIALS, "oa.frankysweb.org",
                Gateway.ntlmIdentity("EX1", site))
                .withBackendResolver(BackendResolver.system().withOverride(InetAddress.getByName("127.0.0.1"),
                        "ex1", "ex1.frankysweb.local", "localhost").withPortTranslation(java.util.Map.of(593, port()))),
                new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (endpoints != null) {
            endpoints.close();
        }
    }

    int port() {
        return endpoints.ports().get(0);
    }

    String binding() {
        return "ncacn_http:[" + port() + ",RpcProxy=" + GATEWAY_ADDRESS + ":443]";
    }

    String run(String example, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Peers.PYTHON, EXAMPLES + example));
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
        assertThat(out).contains("7A3F5B20-4C1D-4E8F-9A0B-1C2D3E4F5A6B").doesNotContain("Protocol failed");
    }
}
