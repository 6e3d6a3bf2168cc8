package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.dce.ContextResult;
import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.rpch.RtsPduKind;
import dev.anywhere.rpc.rpch.RtsPdus;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.endpoints.RpcEndpoints;
import dev.anywhere.server.gateway.CredentialVerifier;
import dev.anywhere.server.gateway.Gateway;
import dev.anywhere.server.testing.TestAccounts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A virtual connection belongs to the account that opened it: franky's cookie presented on channels authenticated as
 * hanna (a new IN or OUT channel, a whole new pair, a recycled IN or OUT channel) is refused with
 * {@code 503 RPC Error: 5} before anything reaches the RPC server, and franky's virtual connection keeps answering.
 * The same account reusing its cookie (impacket reconnects, recycling) still works. Raw-socket client → the gateway →
 * the real RPC endpoints (which pair by cookie alone and let a duplicate supersede), or {@link ScriptedRpchServer}
 * where the endpoints would need a server-initiated recycling.
 */
@Timeout(60)
class VirtualConnectionIdentityTest {

    static final String FRANKY = RpchTestClient.basic("FRANKYSWEB\\franky", "Secret-1");
    static final String HANNA = RpchTestClient.basic("FRANKYSWEB\\hanna", "Secret-2");
    /** franky again, spelled as another client might: accounts compare case-insensitively. */
    static final String FRANKY_UPPER = RpchTestClient.basic("frankysweb\\FRANKY", "Secret-1");
    static final SyntaxId MGMT = RpcEndpoints.mgmtInterface();

    static final CredentialVerifier CREDENTIALS = TestAccounts.CREDENTIALS;

    @TempDir
    Path dataDir;

    RpcEndpoints endpoints;
    ScriptedRpchServer scripted;
    Gateway gateway;
    SimpleMeterRegistry metrics;
    String target;
    String scriptedTarget;
    final List<String> serverErrors = new CopyOnWriteArrayList<>();
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        endpoints = RpcEndpoints.start(RpcEndpoints.Options.defaults(InetAddress.getByName("127.0.0.1"))
                .withPorts(List.of(0)).withErrors((remote, message) -> serverErrors.add(message)));
        scripted = new ScriptedRpchServer();
        target = "ex1:" + endpoints.ports().get(0);
        scriptedTarget = "ex1:" + scripted.port();
        new AppliedConfigFile(dataDir).write(new RpcVdirConfig("EX1", true, EnumSet.of(HttpAuthScheme.BASIC), false,
                ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(endpoints.ports().get(0), scripted.port()))),
                1, Instant.now());
        metrics = new SimpleMeterRegistry();
        gateway = RpcProxyTest.plainGateway(dataDir, CREDENTIALS, RpcProxyTest.testSettings(), metrics);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        gateway.close();
        endpoints.close();
        scripted.close();
    }

    RpchTestClient client(String authorization, UUID vc) {
        RpchTestClient c = new RpchTestClient(gateway.address().getPort(), authorization, vc);
        open.add(c);
        return c;
    }

    /** A channel socket opened by {@code c} outside its own pair (closed after the test). */
    Socket channel(RpchTestClient c, String method, String to, long length) throws IOException {
        Socket s = c.open(method, to, length, new StringBuilder());
        open.add(s);
        return s;
    }

    /** Opens a virtual connection with both channels, reads CONN/A3 and CONN/C2. */
    RpchTestClient opened(String authorization, UUID vc, String to) throws Exception {
        RpchTestClient c = client(authorization, vc);
        assertThat(c.connect(to, 262144)).contains("HTTP/1.1 200 Success\r\n");
        assertThat(RtsPduKind.CONN_A3.matches(c.readRts())).isTrue();
        assertThat(RtsPduKind.CONN_C2.matches(c.readRts())).isTrue();
        return c;
    }

    /** franky's virtual connection to the RPC endpoints, MGMT bound and answering. */
    RpchTestClient frankysVirtualConnection() throws Exception {
        RpchTestClient c = opened(FRANKY, UUID.randomUUID(), target);
        bindMgmt(c);
        assertListening(c, 2);
        return c;
    }

    static byte[] bytes(DcePdu pdu) {
        ByteBuf b = Unpooled.buffer(); // unpooled heap: nothing to release
        DceCodec.encode(pdu, b);
        return ByteBufUtil.getBytes(b);
    }

    /** The next connection-oriented PDU on the OUT channel; RTS PDUs (pings, recycling) are skipped, at most 20. */
    static DcePdu nextDce(RpchTestClient c) throws IOException {
        for (int i = 0; i < 20; i++) {
            byte[] pdu = c.readPdu();
            if (pdu[2] != 20) {
                return DceCodec.decode(Unpooled.wrappedBuffer(pdu));
            }
        }
        throw new IOException("20 RTS PDUs and no RPC PDU");
    }

    static void bindMgmt(RpchTestClient c) throws IOException {
        c.sendIn(bytes(new DcePdu.Bind(1, 4280, 4280, 0, List.of(PresentationContext.ndr(0, MGMT)))));
        DcePdu ack = nextDce(c);
        assertThat(ack).isInstanceOf(DcePdu.BindAck.class);
        assertThat(((DcePdu.BindAck) ack).results()).containsExactly(ContextResult.accepted(SyntaxId.NDR));
    }

    /** MGMT rpc_mgmt_is_server_listening (opnum 2) on context 0 answers "listening" on this client's OUT channel. */
    static void assertListening(RpchTestClient c, int callId) throws IOException {
        c.sendIn(bytes(new DcePdu.Request(callId, 0, 2, Octets.EMPTY)));
        DcePdu r = nextDce(c);
        assertThat(r).isInstanceOf(DcePdu.Response.class);
        assertThat(r.callId()).isEqualTo(callId);
        assertThat(((DcePdu.Response) r).stub()).isEqualTo(Octets.ofHex("00000000 01000000"));
    }

    void assertRefusedAsAccessDenied(Socket s) throws IOException {
        assertThat(RpcProxyTest.response(s)).startsWith("HTTP/1.0 503 RPC Error: 5\r\n");
    }

    double refusals() {
        io.micrometer.core.instrument.Counter c = metrics.find("anywhere.rpcproxy.failures").tag("reason", "vc_identity_mismatch").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void anOutChannelOfAnotherAccountCannotJoinAHalfOpenVirtualConnection() throws Exception {
        // franky's IN channel is up; hanna presents its cookie on an OUT channel before franky's OUT arrives.
        RpchTestClient franky = client(FRANKY, UUID.randomUUID());
        franky.in = channel(franky, "RPC_IN_DATA", target, 1L << 30);
        franky.sendIn(RpchTestClient.bytes(RtsPdus.connB1(1, franky.vc, franky.inCookie, 1L << 30, 300_000, franky.group)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (endpoints.virtualConnections() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(endpoints.connections()).isEqualTo(1); // franky's IN leg, half-open at the server
        RpchTestClient hanna = client(HANNA, franky.vc);
        Socket hannasOut = channel(hanna, "RPC_OUT_DATA", target, 76);
        hannasOut.getOutputStream().write(RpchTestClient.bytes(RtsPdus.connA1(1, franky.vc, hanna.outCookie, 262144)));
        assertRefusedAsAccessDenied(hannasOut);
        assertThat(endpoints.connections()).isEqualTo(1); // hanna's OUT channel never reached the server

        // franky's own OUT channel completes the virtual connection; franky's bind is answered on franky's OUT channel.
        franky.out = channel(franky, "RPC_OUT_DATA", target, 76);
        franky.sendOut(RpchTestClient.bytes(RtsPdus.connA1(1, franky.vc, franky.outCookie, 262144)));
        franky.outStream = new DataInputStream(franky.out.getInputStream());
        assertThat(RpchTestClient.readHead(franky.out.getInputStream())).startsWith("HTTP/1.1 200 Success\r\n");
        assertThat(RtsPduKind.CONN_A3.matches(franky.readRts())).isTrue();
        assertThat(RtsPduKind.CONN_C2.matches(franky.readRts())).isTrue();
        bindMgmt(franky);
        assertListening(franky, 2);
        assertThat(refusals()).isEqualTo(1);
        assertThat(metrics.get("anywhere.gateway.requests").tag("route", "rpc").tag("outcome", "vc_identity_mismatch")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void anInChannelOfAnotherAccountCannotJoinAnOpenVirtualConnection() throws Exception {
        RpchTestClient franky = frankysVirtualConnection();
        RpchTestClient hanna = client(HANNA, franky.vc);
        Socket hannasIn = channel(hanna, "RPC_IN_DATA", target, 1L << 30);
        hannasIn.getOutputStream().write(RpchTestClient.bytes(RtsPdus.connB1(1, franky.vc, hanna.inCookie, 1L << 30,
                300_000, hanna.group)));
        // Whatever hanna sends after the refused CONN/B1 (a bind) goes nowhere.
        hannasIn.getOutputStream().write(bytes(new DcePdu.Bind(1, 4280, 4280, 0, List.of(PresentationContext.ndr(0, MGMT)))));
        assertRefusedAsAccessDenied(hannasIn);
        assertListening(franky, 3);
        assertThat(endpoints.connections()).isEqualTo(2);
        assertThat(refusals()).isEqualTo(1);
    }

    @Test
    void aNewPairWithALiveCookieOfAnotherAccountIsRefusedAndTheVictimKeepsWorking() throws Exception {
        RpchTestClient franky = frankysVirtualConnection();
        // hanna opens a whole new virtual connection with franky's cookie (fresh channel cookies): the RPC server
        // would let such a duplicate supersede franky's.
        RpchTestClient hanna = client(HANNA, franky.vc);
        hanna.in = channel(hanna, "RPC_IN_DATA", target, 1L << 30);
        hanna.out = channel(hanna, "RPC_OUT_DATA", target, 76);
        hanna.sendOut(RpchTestClient.bytes(RtsPdus.connA1(1, hanna.vc, hanna.outCookie, 262144)));
        hanna.sendIn(RpchTestClient.bytes(RtsPdus.connB1(1, hanna.vc, hanna.inCookie, 1L << 30, 300_000, hanna.group)));
        assertRefusedAsAccessDenied(hanna.out);
        assertRefusedAsAccessDenied(hanna.in);
        assertListening(franky, 3);
        assertListening(franky, 4);
        assertThat(endpoints.connections()).isEqualTo(2);
        assertThat(endpoints.virtualConnections()).isEqualTo(1);
        assertThat(serverErrors).isEmpty();
        assertThat(refusals()).isEqualTo(2);
    }

    @Test
    void theSameAccountReconnectingWithItsCookieStillSupersedesItsOldVirtualConnection() throws Exception {
        // impacket reuses its cookies when connect() runs again without disconnect(): today's behaviour stays, also
        // when the account name comes in another spelling.
        RpchTestClient first = frankysVirtualConnection();
        RpchTestClient again = client(FRANKY_UPPER, first.vc);
        assertThat(again.connect(target, 262144)).contains("HTTP/1.1 200 Success\r\n");
        assertThat(RtsPduKind.CONN_A3.matches(again.readRts())).isTrue();
        assertThat(RtsPduKind.CONN_C2.matches(again.readRts())).isTrue();
        bindMgmt(again);
        assertListening(again, 2);
        assertThat(RpcProxyTest.closedByPeer(first.out)).isTrue(); // the server closed the superseded one
        assertThat(refusals()).isZero();
    }

    @Test
    void aRecycledInChannelIsRefusedForAnotherAccountAndWorksForTheOwner() throws Exception {
        RpchTestClient franky = frankysVirtualConnection();
        RpchTestClient hanna = client(HANNA, franky.vc);
        Socket hannasIn = channel(hanna, "RPC_IN_DATA", target, 1L << 30);
        hannasIn.getOutputStream().write(RpchTestClient.bytes(RtsPdus.inR1A1(1, franky.vc, franky.inCookie, hanna.inCookie)));
        assertRefusedAsAccessDenied(hannasIn);
        assertListening(franky, 3);
        assertThat(endpoints.connections()).isEqualTo(2);

        // franky recycles the IN channel ([MS-RPCH] 3.2.2.4.1.3 IN_R1): A1 on the successor, A3 relayed on OUT (A4),
        // A5 on the predecessor; the server closes the predecessor with IN_R1/B1 and traffic moves to the successor.
        UUID successor = UUID.randomUUID();
        Socket newIn = channel(franky, "RPC_IN_DATA", target, 1L << 30);
        newIn.getOutputStream().write(RpchTestClient.bytes(RtsPdus.inR1A1(1, franky.vc, franky.inCookie, successor)));
        assertThat(RtsPduKind.IN_R1_A4.matches(franky.readRts())).isTrue();
        franky.sendIn(RpchTestClient.bytes(RtsPdus.inR1A5(successor)));
        assertThat(RpcProxyTest.closedByPeer(franky.in)).isTrue();
        franky.in = newIn;
        assertListening(franky, 4);
        assertThat(refusals()).isEqualTo(1);
        assertThat(serverErrors).isEmpty();
    }

    @Test
    void aReplacementOutChannelIsRefusedForAnotherAccountAndWorksForTheOwner() throws Exception {
        // The endpoints only accept OUT_R1/A4 after starting the recycling themselves; the scripted server takes it.
        RpchTestClient franky = opened(FRANKY, UUID.randomUUID(), scriptedTarget);
        int legs = scripted.accepted.get();
        RpchTestClient hanna = client(HANNA, franky.vc);
        Socket hannasOut = channel(hanna, "RPC_OUT_DATA", scriptedTarget, 120);
        hannasOut.getOutputStream().write(RpchTestClient.bytes(RtsPdus.outR1A3(1, franky.vc, franky.outCookie,
                hanna.outCookie, 65536)));
        assertRefusedAsAccessDenied(hannasOut);
        assertThat(scripted.accepted.get()).isEqualTo(legs);
        assertThat(scripted.received.stream().filter(RtsPduKind.OUT_R1_A4::matches)).isEmpty();
        franky.sendIn(ScriptedRpchServer.rpcPdu(0, 100, 7));
        assertThat(franky.readPdu()).hasSize(4096); // still answered on franky's OUT channel

        UUID successor = UUID.randomUUID();
        Socket newOut = franky.replacementOut(scriptedTarget, successor);
        open.add(newOut);
        newOut.getOutputStream().write(RpchTestClient.bytes(RtsPdus.outR2C1()));
        assertThat(scripted.awaitReceived(RtsPduKind.OUT_R1_A4)).isNotNull();
        franky.switchOut(newOut);
        franky.sendIn(ScriptedRpchServer.rpcPdu(0, 100, 8));
        assertThat(franky.readPdu()).hasSize(4096);
        assertThat(refusals()).isEqualTo(1);
    }
}
