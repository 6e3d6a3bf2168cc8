package dev.anywhere.analyzer.rpch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.anywhere.analyzer.rpch.RpchFailure.Hop;
import dev.anywhere.analyzer.rpch.RpchFailure.Kind;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.EpmStubs;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.dce.Tower;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted fake proxy on loopback (plain HTTP; TLS has its own test). */
class VirtualConnectionLoopbackTest {

    private FakeRpcProxy proxy;
    private final Transcript transcript = new Transcript();

    @BeforeEach
    void start() throws Exception {
        proxy = new FakeRpcProxy(null);
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    private RpchClientOptions.Builder options() {
        return RpchClientOptions.builder("oa.frankysweb.org", proxy.port(), "EX1", 6001).tls(false)
                .addressOverride(InetAddress.getLoopbackAddress()).timeouts(Duration.ofSeconds(3))
                .auth(new ProxyAuth.Basic(FakeRpcProxy.USER, FakeRpcProxy.PASSWORD));
    }

    private static ProxyAuth ntlm(String password) {
        return new ProxyAuth.Ntlm(NtlmCredentials.parse(FakeRpcProxy.USER, password), "NOTEBOOK");
    }

    @Test
    void opensWithBasicBindsMgmtAndCallsIsServerListening() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options().build(), transcript)) {
            BindResult bind = vc.bind(Mgmt.INTERFACE, true).get(3, TimeUnit.SECONDS);
            assertThat(bind.contextId()).isZero();
            assertThat(bind.features()).hasValue(SyntaxId.FEATURE_KEEP_CONNECTION_ON_ORPHAN);
            assertThat(bind.secondaryAddress()).isEqualTo("6001");
            assertThat(Mgmt.isServerListening(vc, 0).get(3, TimeUnit.SECONDS)).isEqualTo(new Mgmt.Listening(true, DceStatus.SUCCESS));
            assertThat(Mgmt.inqIfIds(vc, 0).get(3, TimeUnit.SECONDS).interfaces()).containsExactly(Mgmt.INTERFACE, Epm.INTERFACE);
            assertThat(vc.connectionTimeout()).isEqualTo(120_000);
        }
        assertThat(proxy.requests).containsExactly(
                "RPC_IN_DATA /rpc/rpcproxy.dll?EX1:6001 1073741824 Basic",
                "RPC_OUT_DATA /rpc/rpcproxy.dll?EX1:6001 76 Basic");
    }

    @Test
    void ntlmSendsNegotiateWithContentLengthZeroOnEachConnection() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options().auth(ntlm(FakeRpcProxy.PASSWORD)).build(), transcript)) {
            vc.bind(Mgmt.INTERFACE).get(3, TimeUnit.SECONDS);
        }
        // IN and OUT are two connections, so only the order on each is fixed.
        assertThat(proxy.requests.stream().filter(r -> r.startsWith("RPC_IN_DATA")).toList()).containsExactly(
                "RPC_IN_DATA /rpc/rpcproxy.dll?EX1:6001 0 NTLM",
                "RPC_IN_DATA /rpc/rpcproxy.dll?EX1:6001 1073741824 NTLM");
        assertThat(proxy.requests.stream().filter(r -> r.startsWith("RPC_OUT_DATA")).toList()).containsExactly(
                "RPC_OUT_DATA /rpc/rpcproxy.dll?EX1:6001 0 NTLM",
                "RPC_OUT_DATA /rpc/rpcproxy.dll?EX1:6001 76 NTLM");
        assertThat(proxy.requests).hasSize(4);
        String all = String.join("\n", transcript.lines());
        assertThat(all).contains("Authorization: NTLM <NEGOTIATE", "WWW-Authenticate: NTLM <CHALLENGE", "Authorization: NTLM <AUTHENTICATE")
                .doesNotContain(FakeRpcProxy.PASSWORD).contains("CONN/A1 76 bytes", "CONN/B1 104 bytes", "CONN/A3", "CONN/C2");
    }

    @Test
    void basicCredentialsNeverAppearInTheTranscript() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options().build(), transcript)) {
            assertThat(String.join("\n", transcript.lines())).contains("Authorization: Basic <redacted>")
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString((FakeRpcProxy.USER + ":" + FakeRpcProxy.PASSWORD).getBytes()));
        }
    }

    @Test
    void largeRequestsAreFragmentedAndLargeResponsesReassembledWithFlowControlBothWays() throws Exception {
        byte[] payload = new byte[300_000];
        new Random(1).nextBytes(payload);
        try (VirtualConnection vc = VirtualConnection.open(options().build(), transcript)) {
            int ctx = vc.bind(FakeRpcProxy.TEST_IFACE).get(3, TimeUnit.SECONDS).contextId();
            ByteBuf answer = vc.call(ctx, 0, Unpooled.wrappedBuffer(payload)).get(5, TimeUnit.SECONDS);
            assertThat(ByteBufUtil.getBytes(answer)).isEqualTo(payload);
            answer.release();
            VirtualConnection.Stats s = vc.stats();
            assertThat(s.flowControlAcksReceived()).isGreaterThan(0); // the 64 KiB IN window was re-opened by acks
            assertThat(s.flowControlAcksSent()).isGreaterThan(0); // and the client acked the OUT channel
        }
        // The client sent its OUT-channel ack (asserted above); the fake proxy counts it on its own thread.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> proxy.clientAcks.get() > 0);
    }

    @Test
    void withoutAcksTheInWindowStallsTheCallAndTheTimeoutSaysSo() throws Exception {
        proxy.sendAcks = false;
        try (VirtualConnection vc = VirtualConnection.open(options().callTimeout(Duration.ofMillis(800)).build(), transcript)) {
            int ctx = vc.bind(FakeRpcProxy.TEST_IFACE).get(3, TimeUnit.SECONDS).contextId();
            assertThatThrownBy(() -> vc.call(ctx, 0, Unpooled.wrappedBuffer(new byte[200_000])).get(3, TimeUnit.SECONDS))
                    .cause().isInstanceOf(RpchFailure.class)
                    .hasMessageStartingWith("call: response to call_id 2 (opnum 0) not received within 800 ms; ")
                    .hasMessageEndingWith("PDUs wait for the inbound proxy's flow control window");
        }
    }

    @Test
    void faultsCompleteTheCallWithTheStatus() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options().build(), transcript)) {
            int ctx = vc.bind(FakeRpcProxy.TEST_IFACE).get(3, TimeUnit.SECONDS).contextId();
            assertThatThrownBy(() -> vc.call(ctx, 1, Unpooled.EMPTY_BUFFER).get(3, TimeUnit.SECONDS))
                    .cause().isInstanceOf(RpcFaultException.class)
                    .hasMessage("fault nca_s_op_rng_error(0x1c010002) for call_id 2 (opnum 1)");
        }
    }

    /** The proxy closes IN first when the server ends the association after a fault; the fault still answers the call. */
    @Test
    void aFaultArrivingAfterTheInChannelClosedStillAnswersTheCall() throws Exception {
        proxy.closeInBeforeFault = true;
        try (VirtualConnection vc = VirtualConnection.open(options().build(), transcript)) {
            int ctx = vc.bind(FakeRpcProxy.TEST_IFACE).get(3, TimeUnit.SECONDS).contextId();
            assertThatThrownBy(() -> vc.call(ctx, 1, Unpooled.EMPTY_BUFFER).get(3, TimeUnit.SECONDS))
                    .cause().isInstanceOf(RpcFaultException.class)
                    .hasMessage("fault ERROR_ACCESS_DENIED(0x5) for call_id 2 (opnum 1)");
        } finally {
            proxy.closeInBeforeFault = false;
        }
    }

    @Test
    void unknownInterfaceIsRejectedAtBind() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options().build(), transcript)) {
            SyntaxId other = new SyntaxId(java.util.UUID.fromString("a4f1db00-ca47-1067-b31f-00dd010662da"), 0, 81);
            assertThatThrownBy(() -> vc.bind(other).get(3, TimeUnit.SECONDS)).cause().isInstanceOf(RpchFailure.class)
                    .hasMessage("bind: a4f1db00-ca47-1067-b31f-00dd010662da v0.81 refused: PROVIDER_REJECTION reason 1 (abstract syntax not supported)");
            // the connection stays usable: alter_context for another interface
            assertThat(vc.bind(Mgmt.INTERFACE).get(3, TimeUnit.SECONDS).contextId()).isEqualTo(1);
        }
    }

    @Test
    void eptMapReturnsTheTower() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options().build(), transcript)) {
            int ctx = vc.bind(Epm.INTERFACE).get(3, TimeUnit.SECONDS).contextId();
            Tower query = Tower.ncacnHttp(FakeRpcProxy.TEST_IFACE, (Inet4Address) InetAddress.getByName("0.0.0.0"), 0);
            EpmStubs.MapResult r = Epm.map(vc, ctx, query, 4).get(3, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(DceStatus.SUCCESS);
            assertThat(r.towers()).hasSize(1);
            assertThat(r.towers().get(0).port()).hasValue(6001);
            assertThat(r.towers().get(0).protocolSequence()).hasValue("ncacn_http");
        }
    }

    @Test
    void pingsAnIdleInChannel() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options().pingInterval(Duration.ofMillis(100)).build(), transcript)) {
            await().atMost(Duration.ofSeconds(3)).until(() -> proxy.pings.get() >= 2);
            assertThat(vc.stats().pingsSent()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void recyclesTheInChannelAndKeepsCalling() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options().inRecycleAfter(2000).build(), transcript)) {
            int ctx = vc.bind(FakeRpcProxy.TEST_IFACE).get(3, TimeUnit.SECONDS).contextId();
            for (int i = 0; i < 6; i++) {
                ByteBuf r = vc.call(ctx, 0, Unpooled.wrappedBuffer(new byte[1500])).get(3, TimeUnit.SECONDS);
                assertThat(r.readableBytes()).isEqualTo(1500);
                r.release();
            }
            assertThat(vc.stats().inChannelRecycles()).isGreaterThanOrEqualTo(1);
        }
        assertThat(proxy.recycleA1.get()).isGreaterThanOrEqualTo(1);
        // the last recycling may still be under way when the connection closes
        assertThat(proxy.recycleA5.get()).isPositive().isBetween(proxy.recycleA1.get() - 1, proxy.recycleA1.get());
        assertThat(proxy.requests).filteredOn(r -> r.startsWith("RPC_IN_DATA") && r.contains(" 1073741824 ")).hasSizeGreaterThan(1);
    }

    /**
     * NTLM's CHALLENGE arrives on a 401 whose body is over 64 KiB, or chunked: the body is read to its end before the
     * AUTHENTICATE goes out on the same connection, for the echo and for both channels.
     */
    @Test
    void aLargeOrChunkedChallengeBodyIsDrainedBeforeAuthenticate() throws Exception {
        for (boolean chunked : new boolean[] {false, true}) {
            proxy.challengeBodyBytes = 100 * 1024;
            proxy.chunkedChallenge = chunked;
            proxy.requests.clear();
            assertThat(VirtualConnection.echo(options().auth(ntlm(FakeRpcProxy.PASSWORD)).build(), transcript).status()).isEqualTo(200);
            try (VirtualConnection vc = VirtualConnection.open(options().auth(ntlm(FakeRpcProxy.PASSWORD)).build(), transcript)) {
                assertThat(Mgmt.isServerListening(vc, vc.bind(Mgmt.INTERFACE).get(3, TimeUnit.SECONDS).contextId())
                        .get(3, TimeUnit.SECONDS).listening()).isTrue();
            }
            assertThat(proxy.requests).as("chunked " + chunked).filteredOn(r -> r.endsWith(" NTLM")).hasSize(6);
        }
    }

    @Test
    void echoAnswersWith200AndTheEchoPdu() throws Exception {
        EchoResult r = VirtualConnection.echo(options().auth(ntlm(FakeRpcProxy.PASSWORD)).build(), transcript);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.reason()).isEqualTo("Success");
        assertThat(proxy.requests).containsExactly("RPC_IN_DATA /rpc/rpcproxy.dll?EX1:6001 0 NTLM",
                "RPC_IN_DATA /rpc/rpcproxy.dll?EX1:6001 0 NTLM");
    }

    private RpchFailure openFails(RpchClientOptions o) {
        try {
            VirtualConnection.open(o, transcript).close();
        } catch (RpchFailure f) {
            return f;
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void failuresNameTheHopAndTheCause() throws Exception {
        RpchFailure f = openFails(options().auth(new ProxyAuth.Basic(FakeRpcProxy.USER, "wrong")).build());
        assertThat(f.kind()).isEqualTo(Kind.HTTP_UNAUTHORIZED);
        assertThat(f).hasMessage("http: IN channel request: 401 Unauthorized, credentials for FRANKYSWEB\\franky refused (offers: NTLM, Basic)");

        f = openFails(options().auth(ntlm("wrong")).build());
        assertThat(f.kind()).isEqualTo(Kind.HTTP_UNAUTHORIZED);

        proxy.mode = FakeRpcProxy.Mode.REFUSE_6BA;
        f = openFails(options().build());
        assertThat(f.hop()).isEqualTo(Hop.PROXY);
        assertThat(f).hasMessage("rpc proxy: IN channel request: 503 RPC Error: 6ba RPC_S_SERVER_UNAVAILABLE(0x6ba), the proxy "
                + "refused EX1:6001 (not in ValidPorts) or cannot reach it as an ncacn_http listener");

        proxy.mode = FakeRpcProxy.Mode.NOT_FOUND;
        assertThat(openFails(options().build())).hasMessage("http: IN channel request: 404 Not Found, no RPC proxy at "
                + "/rpc/rpcproxy.dll (expected: Outlook Anywhere enabled on oa.frankysweb.org)");

        proxy.mode = FakeRpcProxy.Mode.METHOD_NOT_ALLOWED;
        assertThat(openFails(options().build()).kind()).isEqualTo(Kind.HTTP_METHOD_NOT_ALLOWED);

        proxy.mode = FakeRpcProxy.Mode.FORBIDDEN;
        assertThat(openFails(options().build())).hasMessage("http: IN channel request: 403 Forbidden (403.4 SSL required); "
                + "the proxy may require TLS");

        proxy.mode = FakeRpcProxy.Mode.CLOSE_AFTER_200;
        assertThat(openFails(options().build())).hasMessage("rpc proxy: the proxy closed the OUT channel after 200, before CONN/A3");

        proxy.mode = FakeRpcProxy.Mode.NO_C2;
        assertThat(openFails(options().openTimeout(Duration.ofMillis(500)).build())).hasMessage("rpc proxy: OUT channel: "
                + "CONN/A3 but CONN/C2 (the RPC server did not complete the virtual connection; is EX1:6001 an ncacn_http listener?) "
                + "not received within 500 ms");

        proxy.mode = FakeRpcProxy.Mode.NOT_RPC_PROXY;
        assertThatThrownBy(() -> VirtualConnection.echo(options().build(), transcript)).isInstanceOf(RpchFailure.class)
                .hasMessage("http: echo request: 200 with 18 body bytes that are not the Echo PDU (expected: 20 bytes "
                        + "05 00 14 03 … 40 00 00 00 from an RPC proxy)");
    }

    @Test
    void tcpAndDnsFailures() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        RpchFailure f = openFails(RpchClientOptions.builder("oa.frankysweb.org", closed, "EX1", 6001).tls(false)
                .addressOverride(InetAddress.getLoopbackAddress()).timeouts(Duration.ofSeconds(2)).build());
        assertThat(f.kind()).isEqualTo(Kind.TCP_REFUSED);
        assertThat(f).hasMessage("tcp: connect to oa.frankysweb.org:" + closed + " (127.0.0.1): connection refused "
                + "(expected: the proxy accepting TCP)");

        f = openFails(RpchClientOptions.builder("no-such-host.invalid", 443, "EX1", 6001).build());
        assertThat(f.kind()).isEqualTo(Kind.DNS_NAME_NOT_FOUND);
        assertThat(f).hasMessage("dns: no-such-host.invalid does not resolve (expected: an A or AAAA record; "
                + "--resolve HOST:PORT:ADDR overrides)");
    }

    @Test
    void callsAfterCloseFail() throws Exception {
        VirtualConnection vc = VirtualConnection.open(options().build(), transcript);
        vc.close();
        assertThatThrownBy(() -> vc.bind(Mgmt.INTERFACE).get(3, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RpchFailure.class);
    }
}
