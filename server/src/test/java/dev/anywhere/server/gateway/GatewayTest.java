package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anywhere.directory.SiteInfo;
import dev.anywhere.rpc.ntlm.NtHash;
import dev.anywhere.rpc.ntlm.NtlmClient;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.rpc.ntlm.NtlmHttpHeader;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.configurator.ServiceHostSettings;
import dev.anywhere.server.testing.RawHttp;
import dev.anywhere.server.testing.TestCertificate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayTest {

    private static TestCertificate certificate;

    @TempDir
    Path dataDir;

    private Gateway gateway;
    private AppliedConfigFile applied;

    /** Accepts FRANKYSWEB\franky with "Secret-1"; refuses everything else. */
    static final CredentialVerifier CREDENTIALS = new CredentialVerifier() {
        @Override
        public Optional<String> verifyPassword(String logonName, String password) {
            return logonName.equalsIgnoreCase("FRANKYSWEB\\franky") && password.equals("Secret-1")
                    ? Optional.of("FRANKYSWEB\\franky") : Optional.empty();
        }

        @Override
        public Optional<byte[]> ntHash(String domain, String user) {
            return domain.equalsIgnoreCase("FRANKYSWEB") && user.equalsIgnoreCase("franky")
                    ? Optional.of(NtHash.of("Secret-1")) : Optional.empty();
        }
    };

    static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString("FRANKYSWEB\\franky:Secret-1".getBytes(StandardCharsets.UTF_8));

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = TestCertificate.create("oa.frankysweb.org");
    }

    @BeforeEach
    void start() throws Exception {
        applied = new AppliedConfigFile(dataDir);
        apply(Set.of(HttpAuthScheme.NEGOTIATE, HttpAuthScheme.NTLM, HttpAuthScheme.BASIC), false);
        gateway = Gateway.start(new Gateway.Options(dataDir, "EX1", new InetSocketAddress("127.0.0.1", 0),
                Optional.of(certificate.serverContext()), CREDENTIALS, "oa.frankysweb.org",
                Gateway.ntlmIdentity("EX1", new SiteInfo("frankysweb.local", "FRANKYSWEB", "First Organization", "frankysweb.org"))),
                new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private void apply(Set<HttpAuthScheme> auth, boolean requireSsl) throws Exception {
        applied.write(new RpcVdirConfig("EX1", true, auth.isEmpty() ? EnumSet.noneOf(HttpAuthScheme.class) : EnumSet.copyOf(auth), requireSsl,
                ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(6001, 6002, 6004, 593))), 1, Instant.now());
    }

    private RawHttp plain() throws Exception {
        return new RawHttp(new Socket("127.0.0.1", gateway.address().getPort()));
    }

    private RawHttp tls() throws Exception {
        SSLSocket s = (SSLSocket) certificate.clientContext().getSocketFactory()
                .createSocket("127.0.0.1", gateway.address().getPort());
        s.startHandshake();
        return new RawHttp(s);
    }

    private static String request(String method, String target, long length, String... headers) {
        StringBuilder b = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: oa.frankysweb.org\r\n"
                + "User-Agent: MSRPC\r\nCache-Control: no-cache\r\nConnection: Keep-Alive\r\nPragma: No-cache\r\n");
        if (length >= 0) {
            b.append("Content-Length: ").append(length).append("\r\n");
        }
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    @Test
    void unauthenticatedRequestsGetOneChallengePerOfferedSchemeAndKeepTheConnection() throws Exception {
        try (RawHttp http = plain()) {
            RawHttp.Response r = http.send(request("RPC_IN_DATA", "/rpc/rpcproxy.dll", 0)).read();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.headers("WWW-Authenticate")).containsExactly("Negotiate", "NTLM", "Basic realm=\"oa.frankysweb.org\"");
            assertThat(r.header("Content-Length")).isEqualTo("0");
            // Same connection, now with credentials: the echo answer.
            RawHttp.Response echo = http.send(request("RPC_IN_DATA", "/rpc/rpcproxy.dll", 0, "Authorization: " + BASIC)).read();
            assertThat(echo.statusLine()).isEqualTo("HTTP/1.1 200 Success");
            assertThat(echo.header("Content-Type")).isEqualTo("application/rpc");
            assertThat(echo.body()).containsExactly(5, 0, 20, 3, 16, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0);
        }
    }

    @Test
    void ntlmAuthenticatesTheConnectionAndAnnouncesTheServerName() throws Exception {
        NtlmClient client = new NtlmClient(NtlmCredentials.parse("FRANKYSWEB\\franky", "Secret-1"));
        try (RawHttp http = tls()) {
            RawHttp.Response challenge = http.send(request("RPC_IN_DATA", "/rpc/rpcproxy.dll", 0,
                    "Authorization: " + NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM, client.negotiate()))).read();
            assertThat(challenge.status()).isEqualTo(401);
            String token = challenge.header("WWW-Authenticate");
            assertThat(token).startsWith("NTLM ");
            byte[] type2 = Base64.getDecoder().decode(token.substring(5));
            assertThat(new String(type2, StandardCharsets.UTF_16LE)).contains("EX1");
            RawHttp.Response echo = http.send(request("RPC_IN_DATA", "/rpc/rpcproxy.dll", 0,
                    "Authorization: " + NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM, client.authenticate(type2)))).read();
            assertThat(echo.statusLine()).isEqualTo("HTTP/1.1 200 Success");
            // NTLM is bound to the connection: the next request needs no Authorization.
            assertThat(http.send(request("RPC_OUT_DATA", "/rpc/rpcproxy.dll", 0)).read().status()).isEqualTo(200);
        }
        // A new connection starts unauthenticated.
        try (RawHttp http = tls()) {
            assertThat(http.send(request("RPC_OUT_DATA", "/rpc/rpcproxy.dll", 0)).read().status()).isEqualTo(401);
        }
    }

    @Test
    void ntlmWithTheWrongPasswordIsRefused() throws Exception {
        NtlmClient client = new NtlmClient(NtlmCredentials.parse("FRANKYSWEB\\franky", "wrong"));
        try (RawHttp http = plain()) {
            String token = http.send(request("RPC_IN_DATA", "/rpc/rpcproxy.dll", 0,
                    "Authorization: " + NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM, client.negotiate()))).read()
                    .header("WWW-Authenticate");
            RawHttp.Response r = http.send(request("RPC_IN_DATA", "/rpc/rpcproxy.dll", 0, "Authorization: "
                    + NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM, client.authenticate(Base64.getDecoder().decode(token.substring(5)))))).read();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.headers("WWW-Authenticate")).containsExactly("Negotiate", "NTLM", "Basic realm=\"oa.frankysweb.org\"");
        }
    }

    @Test
    void wrongPasswordGets401WithoutSayingWhy() throws Exception {
        String wrong = "Basic " + Base64.getEncoder().encodeToString("FRANKYSWEB\\franky:nope".getBytes(StandardCharsets.UTF_8));
        try (RawHttp http = plain()) {
            RawHttp.Response r = http.send(request("RPC_OUT_DATA", "/rpc/rpcproxy.dll", 0, "Authorization: " + wrong)).read();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.body()).isEmpty();
        }
    }

    @Test
    void echoWithTheAnalyzersFourByteBodyAfter100Continue() throws Exception {
        try (RawHttp http = tls()) {
            http.send(request("RPC_OUT_DATA", "/rpc/rpcproxy.dll", 4, "Expect: 100-continue", "Authorization: " + BASIC));
            assertThat(http.read().statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            http.send(new byte[] {(byte) 0xf8, (byte) 0xe8, 0x18, 0x08});
            RawHttp.Response r = http.read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 Success");
            assertThat(r.body()).hasSize(20);
        }
    }

    @Test
    void plainHttpIsRefusedWhenTheConfigurationRequiresSsl() throws Exception {
        apply(Set.of(HttpAuthScheme.BASIC), true);
        await().atMost(Duration.ofSeconds(2)).until(() -> gateway.config().current().requireSsl());
        try (RawHttp http = plain()) {
            RawHttp.Response r = http.send(request("RPC_IN_DATA", "/rpc/rpcproxy.dll", 0, "Authorization: " + BASIC)).read();
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.bodyText()).startsWith("403.4");
        }
        try (RawHttp http = tls()) {
            assertThat(http.send(request("RPC_IN_DATA", "/rpc/rpcproxy.dll", 0, "Authorization: " + BASIC)).read().status())
                    .isEqualTo(200);
        }
    }

    @Test
    void aNewConfigurationIsFollowedWithoutRestart() throws Exception {
        apply(Set.of(HttpAuthScheme.BASIC), false);
        await().atMost(Duration.ofSeconds(1)).until(() -> gateway.config().current().authentication().equals(Set.of(HttpAuthScheme.BASIC)));
        try (RawHttp http = plain()) {
            assertThat(http.send(request("RPC_IN_DATA", "/rpc/rpcproxy.dll", 0)).read().headers("WWW-Authenticate"))
                    .containsExactly("Basic realm=\"oa.frankysweb.org\"");
        }
        applied.write(RpcVdirConfig.disabled("EX1"), 2, Instant.now());
        await().atMost(Duration.ofSeconds(1)).until(() -> !gateway.config().current().enabled());
        try (RawHttp http = plain()) {
            assertThat(http.send(request("RPC_IN_DATA", "/rpc/rpcproxy.dll", 0)).read().status()).isEqualTo(404);
        }
    }

    @Test
    void aHandEditedFileIsNotAppliedWhileDriftCorrectionIsOn() throws Exception {
        RpcVdirConfig good = gateway.config().current();
        applied.writeManualEdit(new RpcVdirConfig("EX1", true, EnumSet.of(HttpAuthScheme.BASIC), false,
                ValidPorts.parse(good.validPorts() + ";evil:3389")));
        await().atMost(Duration.ofSeconds(1)).until(() -> gateway.config().refusals() == 1);
        assertThat(gateway.config().current()).isEqualTo(good);
        try (RawHttp http = plain()) {
            assertThat(http.send(request("RPC_IN_DATA", "/rpc/rpcproxy.dll?evil:3389", 1073741824, "Authorization: " + BASIC))
                    .read().statusLine()).isEqualTo("HTTP/1.0 503 RPC Error: 6ba");
        }
        // Switched off, the same file is applied, as IIS applies a manual change.
        new ServiceHostSettings(ServiceHostSettings.DEFAULT_POLL_INTERVAL, true, false).write(dataDir);
        await().atMost(Duration.ofSeconds(1)).until(() -> gateway.config().current().validPorts().permits("evil", 3389));
        // Switched back on, the hand edit is dropped for the configurator's last file at once.
        new ServiceHostSettings(ServiceHostSettings.DEFAULT_POLL_INTERVAL, true, true).write(dataDir);
        await().atMost(Duration.ofSeconds(1)).until(() -> gateway.config().current().equals(good));
    }

    @Test
    void aTargetOutsideValidPortsGets503RpcError6baAndTheConnectionCloses() throws Exception {
        try (RawHttp http = plain()) {
            RawHttp.Response r = http.send(request("RPC_IN_DATA", "/rpc/rpcproxy.dll?dc1.frankysweb.local:6004", 1073741824,
                    "Authorization: " + BASIC)).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.0 503 RPC Error: 6ba");
            assertThat(http.closedByPeer()).isTrue();
        }
        try (RawHttp http = plain()) {
            RawHttp.Response r = http.send(request("RPC_OUT_DATA", "/rpc/rpcproxy.dll?ex1:22", 76, "Authorization: " + BASIC)).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.0 503 RPC Error: 6ba");
        }
    }

    @Test
    void badRequestsGetClearAnswers() throws Exception {
        try (RawHttp http = plain()) {
            RawHttp.Response r = http.send(request("GET", "/rpc/rpcproxy.dll", -1)).read();
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.header("Allow")).isEqualTo("RPC_IN_DATA, RPC_OUT_DATA");
            // an error the gateway generates closes the connection
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(http.closedByPeer()).isTrue();
        }
        try (RawHttp http = plain()) {
            RawHttp.Response r = http.send(request("RPC_IN_DATA", "/rpc/rpcproxy.dll", -1, "Authorization: " + BASIC)).read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).startsWith("content-length: absent (expected: 0..16 for echo");
        }
        try (RawHttp http = plain()) {
            RawHttp.Response r = http.send(request("RPC_OUT_DATA", "/rpc/rpcproxy.dll?ex1:6001", 77, "Authorization: " + BASIC)).read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).startsWith("content-length: 77 (expected:");
        }
        try (RawHttp http = plain()) {
            RawHttp.Response r = http.send(request("RPC_OUT_DATA", "/rpc/rpcproxy.dll?ex1", 76, "Authorization: " + BASIC)).read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).isEqualTo("query: 'ex1' (expected: server:port)\r\n");
        }
        try (RawHttp http = plain()) {
            assertThat(http.send(request("GET", "/owa/", -1)).read().status()).isEqualTo(404);
        }
    }

    @Test
    void absoluteFormTargetsAreRoutedLikeOriginForm() throws Exception {
        try (RawHttp http = plain()) {
            RawHttp.Response r = http.send(request("RPC_IN_DATA", "https://oa.frankysweb.org/rpc/rpcproxy.dll", 0,
                    "Authorization: " + BASIC)).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 Success");
        }
        assertThat(GatewayHandler.pathOf("/RPC/RpcProxy.dll?ex1:6001")).isEqualTo("/rpc/rpcproxy.dll");
        assertThat(GatewayHandler.queryOf("https://h/rpc/rpcproxy.dll?[::1]:6001")).isEqualTo("[::1]:6001");
        assertThat(RpcProxyRequest.Target.parse("[::1]:6001")).contains(new RpcProxyRequest.Target("[::1]", 6001));
    }
}
