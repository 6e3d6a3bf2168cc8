package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.testing.Peers;
import dev.anywhere.server.gateway.TlsEngine;
import dev.anywhere.server.gateway.TlsPolicy;
import dev.anywhere.server.testing.SecuredRpcSite;
import dev.anywhere.server.testing.TestCertificate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Samba's RPC over HTTP client (python3-samba 4.17), a second implementation nobody here wrote, through the gateway
 * to NTLM-secured endpoints, as a new user would try it: the binding names the RPC server and the proxy, TLS peer
 * checks off. Samba authenticates the DCE/RPC layer with SPNEGO (auth type 9) wrapping NTLM, at PKT_INTEGRITY by
 * default or PKT_PRIVACY with {@code seal}, takes the third leg through alter_context with a mechListMIC, and sends
 * a verification trailer with each request. It stalls after CONN/C2 when the gateway sends TLS 1.3 session tickets,
 * which is why they are off by default: this test runs with the default policy. Skipped without python3-samba unless
 * {@code CI=true}. The gateway listens on 443 of its own loopback address (run under
 * {@code flock /tmp/anywhere-ports.lock}).
 */
class SambaRpcOverHttpInteropTest {

    static final String GATEWAY_ADDRESS = "127.0.93.44";

    @TempDir
    Path dir;

    static TestCertificate certificate;
    @AutoClose
    SecuredRpcSite site;
    final SimpleMeterRegistry endpointMetrics = new SimpleMeterRegistry();

    @BeforeAll
    static void requireSamba() throws Exception {
        Peers.requireSamba("samba.dcerpc.mgmt");
        certificate = TestCertificate.create("oa.frankysweb.org", "127.0.0.1");
    }

    void start() throws Exception {
        site = SecuredRpcSite.in(dir).credentials(VirtualConnectionIdentityTest.CREDENTIALS).endpointMetrics(endpointMetrics)
                .listen(GATEWAY_ADDRESS, 443)
                .tls(TlsEngine.server(TlsPolicy.intermediate(), certificate.keys().getPrivate(), certificate.certificate()))
                .start();
    }

    int port() {
        return site.endpointPort();
    }

    @ParameterizedTest(name = "HTTP {0}, DCE/RPC {1}")
    @CsvSource({"basic, '', integrity", "ntlm, '', integrity", "basic, ',seal', privacy", "ntlm, ',seal', privacy"})
    void mgmtThroughTheGatewayWithSpnegoSecurity(String httpAuth, String flags, String level) throws Exception {
        start();
        String binding = "ncacn_http:ex1.frankysweb.local[" + port() + ",RpcProxy=" + GATEWAY_ADDRESS
                + ":443,HttpUseTls=true,HttpAuthOption=" + httpAuth + flags + "]";
        Path script = dir.resolve("mgmt.py");
        try (var in = SambaRpcOverHttpInteropTest.class.getResourceAsStream("/samba/mgmt.py")) {
            Files.write(script, in.readAllBytes());
        }
        ProcessBuilder pb = new ProcessBuilder(Peers.PYTHON, script.toString(), "FRANKYSWEB", "franky", "-", binding)
                .redirectErrorStream(true);
        pb.environment().put("PASSWORD", "Secret-1");
        Process p = pb.start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done && p.exitValue() == 0).as("Samba's client failed:%n%s", out).isTrue();
        assertThat(out).contains("interfaces 2", "again 2");
        assertThat(endpointMetrics.counter("anywhere.endpoints.security.binds", "level", level).count()).isEqualTo(1);
    }
}
