package dev.anywhere.lab.rpch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.analyzer.rpch.BindResult;
import dev.anywhere.analyzer.rpch.EchoResult;
import dev.anywhere.analyzer.rpch.Epm;
import dev.anywhere.analyzer.rpch.Mgmt;
import dev.anywhere.analyzer.rpch.ProxyAuth;
import dev.anywhere.analyzer.rpch.RpcPing;
import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.analyzer.rpch.RpchFailure;
import dev.anywhere.analyzer.rpch.RpchFailure.Kind;
import dev.anywhere.analyzer.rpch.Transcript;
import dev.anywhere.analyzer.rpch.VirtualConnection;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.EpmStubs;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.dce.Tower;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.endpoints.RpcInterface;
import dev.anywhere.server.testing.SecuredRpcSite;
import dev.anywhere.server.testing.TestAccounts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyzer's RPC over HTTP client against the real gateway (/rpc/rpcproxy.dll relaying IN and OUT channels) and
 * the real RPC endpoints (EPM, MGMT and a test interface) of {@link SecuredRpcSite}, over HTTPS with a lab CA
 * certificate.
 */
class ClientEndToEndTest {

    private static final String USER = TestAccounts.FRANKY;
    private static final String PASSWORD = TestAccounts.FRANKY_PASSWORD;
    private static final SyntaxId ECHO_IFACE = new SyntaxId(UUID.fromString("6f5c0a2e-55b1-4a5f-9d1e-3a2b1c0d9e8f"), 1, 0);

    private static final LabTls TLS = LabTls.shared();

    @TempDir
    Path dir;

    @AutoClose
    private SecuredRpcSite site;
    @AutoClose
    private ServerSocket notNcacnHttp;
    private int closedPort;
    private final Transcript transcript = new Transcript();

    @BeforeEach
    void start() throws Exception {
        notNcacnHttp = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1")); // accepts, never sends ncacn_http/1.0
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        site = SecuredRpcSite.in(dir).credentials(TestAccounts.CREDENTIALS)
                .serving(new RpcInterface(ECHO_IFACE, "echo test", 1, call -> call.stub()))
                .validPorts(port -> List.of(port, notNcacnHttp.getLocalPort(), closedPort))
                .tls(TLS.serverContext()).requireSsl().start();
    }

    private int port() {
        return site.endpointPort();
    }

    private RpchClientOptions.Builder options(int endpointPort) {
        return TLS.client(site, endpointPort).timeouts(Duration.ofSeconds(5)).auth(new ProxyAuth.Basic(USER, PASSWORD));
    }

    private static ProxyAuth ntlm(String password) {
        return new ProxyAuth.Ntlm(NtlmCredentials.parse(USER, password), "NOTEBOOK");
    }

    @Test
    void basicOverHttpsBindsMgmtAndPings() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options(port()).build(), transcript)) {
            BindResult bind = vc.bind(Mgmt.INTERFACE, true).get(5, TimeUnit.SECONDS);
            assertThat(Mgmt.isServerListening(vc, bind.contextId()).get(5, TimeUnit.SECONDS))
                    .isEqualTo(new Mgmt.Listening(true, DceStatus.SUCCESS));
            Mgmt.IfIds ids = Mgmt.inqIfIds(vc, bind.contextId()).get(5, TimeUnit.SECONDS);
            assertThat(ids.status()).isEqualTo(DceStatus.SUCCESS);
            assertThat(ids.interfaces()).contains(Mgmt.INTERFACE, Epm.INTERFACE, ECHO_IFACE);
        }
    }

    @Test
    void expectContinueWithTheRealGateway() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options(port()).expectContinue(true).auth(ntlm(PASSWORD)).build(), transcript)) {
            assertThat(vc.bind(Mgmt.INTERFACE).get(5, TimeUnit.SECONDS).contextId()).isZero();
        }
        assertThat(String.join("\n", transcript.lines())).contains("Expect: 100-continue");
    }

    @Test
    void ntlmPerConnectionAndEptMap() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options(port()).auth(ntlm(PASSWORD)).build(), transcript)) {
            int ctx = vc.bind(Epm.INTERFACE).get(5, TimeUnit.SECONDS).contextId();
            Tower query = Tower.ncacnHttp(ECHO_IFACE, (Inet4Address) InetAddress.getByName("0.0.0.0"), 0);
            EpmStubs.MapResult r = Epm.map(vc, ctx, query, 4).get(5, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(DceStatus.SUCCESS);
            assertThat(r.towers()).isNotEmpty();
            assertThat(r.towers().get(0).interfaceId()).hasValue(ECHO_IFACE);
        }
    }

    @Test
    void largeCallsFragmentAndFlowControlAcrossTheRealProxy() throws Exception {
        byte[] payload = new byte[300_000];
        new Random(7).nextBytes(payload);
        try (VirtualConnection vc = VirtualConnection.open(options(port()).build(), transcript)) {
            int ctx = vc.bind(ECHO_IFACE).get(5, TimeUnit.SECONDS).contextId();
            ByteBuf answer = vc.call(ctx, 0, Unpooled.wrappedBuffer(payload)).get(15, TimeUnit.SECONDS);
            assertThat(ByteBufUtil.getBytes(answer)).isEqualTo(payload);
            answer.release();
            VirtualConnection.Stats s = vc.stats();
            assertThat(s.flowControlAcksSent()).isPositive();
            assertThat(s.flowControlAcksReceived()).isPositive();
        }
    }

    @Test
    void pingsKeepTheConnectionUsable() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options(port()).pingInterval(Duration.ofMillis(150)).build(), transcript)) {
            int ctx = vc.bind(Mgmt.INTERFACE).get(5, TimeUnit.SECONDS).contextId();
            Thread.sleep(600);
            assertThat(vc.stats().pingsSent()).isGreaterThanOrEqualTo(2);
            assertThat(Mgmt.isServerListening(vc, ctx).get(5, TimeUnit.SECONDS).listening()).isTrue();
        }
    }

    @Test
    void inChannelRecyclingThroughTheRealProxy() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options(port()).inRecycleAfter(4000).build(), transcript)) {
            int ctx = vc.bind(ECHO_IFACE).get(5, TimeUnit.SECONDS).contextId();
            for (int i = 0; i < 8; i++) {
                ByteBuf r = vc.call(ctx, 0, Unpooled.wrappedBuffer(Octets.zeros(1500).toByteArray())).get(5, TimeUnit.SECONDS);
                assertThat(r.readableBytes()).isEqualTo(1500);
                r.release();
            }
            assertThat(vc.stats().inChannelRecycles()).isPositive();
        }
    }

    @Test
    void echoAndRpcPing() throws Exception {
        EchoResult e = VirtualConnection.echo(options(port()).auth(ntlm(PASSWORD)).build(), transcript);
        assertThat(e.status()).isEqualTo(200);
        RpcPing.Result r = RpcPing.run(options(port()).build(), false, 20, RpcPing.Probe.IS_SERVER_LISTENING, transcript);
        assertThat(r.latency().count()).isEqualTo(20);
        assertThat(r.latency().minMicros()).isPositive();
        assertThat(r.latency().p99Micros()).isGreaterThanOrEqualTo(r.latency().medianMicros());
    }

    private RpchFailure fails(RpchClientOptions o) {
        try {
            VirtualConnection.open(o, transcript).close();
        } catch (RpchFailure f) {
            return f;
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void failuresThroughTheRealProxy() throws Exception {
        RpchFailure f = fails(options(port()).auth(new ProxyAuth.Basic(USER, "wrong")).build());
        assertThat(f.kind()).isEqualTo(Kind.HTTP_UNAUTHORIZED);
        assertThat(fails(options(port()).auth(ntlm("wrong")).build()).kind()).isEqualTo(Kind.HTTP_UNAUTHORIZED);

        f = fails(options(port() == 6001 ? 6002 : 6001).build()); // not in ValidPorts
        assertThat(f.kind()).isEqualTo(Kind.RPC_PROXY_ERROR);
        assertThat(f.getMessage()).contains("503 RPC Error: 6ba RPC_S_SERVER_UNAVAILABLE(0x6ba)");

        f = fails(options(closedPort).build()); // permitted, nobody listens
        assertThat(f.kind()).as(f.getMessage() + "\n" + String.join("\n", transcript.lines())).isEqualTo(Kind.RPC_PROXY_ERROR);

        f = fails(options(notNcacnHttp.getLocalPort()).build()); // permitted, listens, but no ncacn_http/1.0 banner
        assertThat(f.kind()).isIn(Kind.RPC_PROXY_ERROR, Kind.TIMEOUT, Kind.CLOSED);

        f = fails(options(port()).trustPem(null).build()); // JDK anchors do not know the lab CA
        assertThat(f.kind()).isEqualTo(Kind.TLS_UNTRUSTED);

        f = fails(options(port()).tls(false).build()); // requireSsl: plain HTTP refused with 403.4
        assertThat(f.kind()).isEqualTo(Kind.HTTP_FORBIDDEN);
    }
}
