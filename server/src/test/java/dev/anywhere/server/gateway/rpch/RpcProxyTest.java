package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.directory.SiteInfo;
import dev.anywhere.rpc.rpch.RtsCommand;
import dev.anywhere.rpc.rpch.RtsFlag;
import dev.anywhere.rpc.rpch.RtsMessage;
import dev.anywhere.rpc.rpch.RtsPdu;
import dev.anywhere.rpc.rpch.RtsPduKind;
import dev.anywhere.rpc.rpch.RtsPdus;
import dev.anywhere.rpc.ntlm.NtHash;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.gateway.BackendResolver;
import dev.anywhere.server.gateway.CredentialVerifier;
import dev.anywhere.server.gateway.Gateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbound and outbound proxy state machines over loopback: a raw-socket client (impacket's bytes) → the gateway
 * → {@link ScriptedRpchServer}.
 */
@Timeout(30)
class RpcProxyTest {

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

    @TempDir
    Path dataDir;

    ScriptedRpchServer backend;
    Gateway gateway;
    SimpleMeterRegistry metrics;
    int closedPort;
    String target;
    final List<RpchTestClient> clients = new ArrayList<>();

    static ProxySettings testSettings() {
        return ProxySettings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(5))
                .withMaxFragLength(16384);
    }

    @BeforeEach
    void start() throws Exception {
        backend = new ScriptedRpchServer();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        target = "ex1:" + backend.port();
        new AppliedConfigFile(dataDir).write(new RpcVdirConfig("EX1", true, EnumSet.of(HttpAuthScheme.BASIC), false,
                ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(backend.port(), closedPort))), 1, Instant.now());
        startGateway(testSettings());
    }

    void startGateway(ProxySettings settings) throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        metrics = new SimpleMeterRegistry();
        gateway = plainGateway(dataDir, CREDENTIALS, settings, metrics);
    }

    /** A plain-HTTP gateway for EX1 on an ephemeral loopback port; {@code ex1} resolves to 127.0.0.1. */
    static Gateway plainGateway(Path dataDir, CredentialVerifier credentials, ProxySettings settings,
            SimpleMeterRegistry metrics) throws Exception {
        return Gateway.start(new Gateway.Options(dataDir, "EX1", new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
                credentials, "oa.frankysweb.org",
                Gateway.ntlmIdentity("EX1", new SiteInfo("frankysweb.local", "FRANKYSWEB", "First Organization", "frankysweb.org")))
                .withBackendResolver(BackendResolver.system().withOverride(InetAddress.getLoopbackAddress(), "ex1", "ex1.frankysweb.local")
                        .withoutSystemDns())
                .withProxySettings(settings), metrics);
    }

    @AfterEach
    void stop() throws Exception {
        for (RpchTestClient c : clients) {
            c.close();
        }
        gateway.close();
        backend.close();
    }

    RpchTestClient client() {
        RpchTestClient c = new RpchTestClient(gateway.address().getPort());
        clients.add(c);
        return c;
    }

    /** Opens the virtual connection and reads CONN/A3 and CONN/C2. */
    RpchTestClient opened(long clientWindow) throws Exception {
        RpchTestClient c = client();
        c.connect(target, clientWindow);
        assertThat(RtsPduKind.CONN_A3.matches(c.readRts())).isTrue();
        assertThat(RtsPduKind.CONN_C2.matches(c.readRts())).isTrue();
        return c;
    }

    String event() throws InterruptedException {
        String e = backend.events.poll(5, TimeUnit.SECONDS);
        assertThat(e).as("backend event").isNotNull();
        return e;
    }

    static boolean closedByPeer(Socket s) throws IOException {
        s.setSoTimeout(5000);
        try {
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // drain what was in flight
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Reads one whole error response (head and body) from a channel that is being refused. */
    static String response(Socket s) throws IOException {
        s.setSoTimeout(5000);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        s.getInputStream().transferTo(b);
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void outAndInChannelsOpenTheVirtualConnectionInSpecOrder() throws Exception {
        RpchTestClient c = client();
        String heads = c.connect(target, 262144);
        assertThat(heads).startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 Success\r\n");
        assertThat(heads.toLowerCase()).contains("content-length: 1073741824\r\n").contains("content-type: application/rpc\r\n");
        RtsPdu a3 = c.readRts();
        assertThat(RtsPduKind.CONN_A3.matches(a3)).isTrue();
        assertThat(((RtsMessage.ConnA3) RtsMessage.of(a3)).connectionTimeout()).isEqualTo(120_000);
        RtsPdu c2 = c.readRts();
        assertThat(RtsPduKind.CONN_C2.matches(c2)).isTrue();
        assertThat(((RtsMessage.ConnC1) RtsMessage.of(c2)).receiveWindowSize()).isEqualTo(65536);

        assertThat(List.of(event(), event())).containsExactlyInAnyOrder("OUT CONN/A2", "IN CONN/B2");
        RtsPdu a2 = backend.received.stream().filter(RtsPduKind.CONN_A2::matches).findFirst().orElseThrow();
        RtsMessage.ConnA2 connA2 = (RtsMessage.ConnA2) RtsMessage.of(a2);
        assertThat(List.of(connA2.virtualConnectionCookie(), connA2.outChannelCookie())).containsExactly(c.vc, c.outCookie);
        assertThat(connA2.channelLifetime()).isEqualTo(1L << 30);
        assertThat(connA2.receiveWindowSize()).isEqualTo(65536);
        RtsPdu b2 = backend.received.stream().filter(RtsPduKind.CONN_B2::matches).findFirst().orElseThrow();
        RtsMessage.ConnB2 connB2 = (RtsMessage.ConnB2) RtsMessage.of(b2);
        assertThat(List.of(connB2.virtualConnectionCookie(), connB2.inChannelCookie())).containsExactly(c.vc, c.inCookie);
        assertThat(connB2.associationGroupId()).isEqualTo(c.group);
        assertThat(connB2.clientAddress().address().getHostAddress()).isEqualTo("127.0.0.1");

        c.sendIn(ScriptedRpchServer.rpcPdu(0, 100, 7));
        assertThat(event()).isEqualTo("IN rpc 100");
        byte[] response = c.readPdu();
        assertThat(response[2]).isEqualTo((byte) 2);
        assertThat(response).hasSize(4096);
        assertThat(metrics.get("anywhere.rpcproxy.channels.active").tag("channel", "out").gauge().value()).isEqualTo(1.0);
        assertThat(metrics.get("anywhere.rpcproxy.bytes").tag("direction", "client_to_server").counter().count()).isEqualTo(100);
    }

    /**
     * PDUs that arrive in one read are written to the server in one batch (flushed when the read ends): all of them
     * arrive, in order, under the server's window (CONN/B3, then its FlowControlAck), and the client's ack goes out
     * once half the proxy's window was passed on.
     */
    @Test
    void aBurstOfPdusInOneWriteIsRelayedInOrderUnderTheServersWindow() throws Exception {
        RpchTestClient c = opened(262144);
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        int sent = 0;
        for (int i = 0; sent < 100_000; i++) {
            int length = 1000 + i;
            burst.writeBytes(ScriptedRpchServer.rpcPdu(14, length, i)); // alter_context: no response from the server
            expected.add("IN rpc " + length);
            sent += length;
        }
        c.sendIn(burst.toByteArray());
        List<String> seen = new ArrayList<>();
        while (seen.stream().filter(e -> e.startsWith("IN rpc ")).count() < expected.size()
                || !seen.contains("IN FlowControlAckWithDestination CLIENT")) {
            seen.add(event());
        }
        assertThat(seen.stream().filter(e -> e.startsWith("IN rpc ")).toList()).containsExactlyElementsOf(expected);
        assertThat(seen).contains("IN sent FlowControlAck"); // 100 KB needed the server's ack on the way
        assertThat(metrics.get("anywhere.rpcproxy.bytes").tag("direction", "client_to_server").counter().count())
                .isEqualTo(sent);
    }

    @Test
    void theOutboundProxyHonoursTheClientsWindowUntilItAcks() throws Exception {
        backend.responseBytes = 256 * 1024;
        RpchTestClient c = opened(0x10000);
        c.sendIn(ScriptedRpchServer.rpcPdu(0, 100, 9));
        long got = 0;
        while (got < 0x10000) {
            got += c.readPdu().length;
        }
        assertThat(got).isEqualTo(0x10000);
        c.out.setSoTimeout(500);
        assertThatThrownBy(c::readPdu).isInstanceOf(SocketTimeoutException.class);
        c.out.setSoTimeout(5000);
        long acked = got;
        c.ackOut(acked, 0x10000);
        while (got < 256 * 1024) {
            got += c.readPdu().length;
            if (got - acked >= 0x8000) {
                acked = got;
                c.ackOut(acked, 0x10000);
            }
        }
        assertThat(got).isEqualTo(256 * 1024);
        assertThat(backend.events).contains("OUT FlowControlAck", "OUT response sent");
        assertThat(backend.events).contains("IN FlowControlAckWithDestination OUT_PROXY");
        assertThat(metrics.get("anywhere.rpcproxy.flowcontrol.acks").tag("hop", "server_to_proxy").counter().count())
                .isGreaterThanOrEqualTo(4);
        assertThat(metrics.get("anywhere.rpcproxy.flowcontrol.acks").tag("hop", "proxy_to_client").counter().count())
                .isGreaterThanOrEqualTo(4);
    }

    @Test
    void aBackendThatIsNotAnNcacnHttpListenerGets503RpcError6ba() throws Exception {
        for (ScriptedRpchServer.Mode mode : List.of(ScriptedRpchServer.Mode.SILENT, ScriptedRpchServer.Mode.WRONG_BANNER)) {
            backend.mode = mode;
            RpchTestClient c = client();
            c.out = c.open("RPC_OUT_DATA", target, 76, new StringBuilder());
            c.sendOut(RpchTestClient.bytes(RtsPdus.connA1(1, c.vc, c.outCookie, 65536)));
            assertThat(response(c.out)).as(mode.name()).startsWith("HTTP/1.0 503 RPC Error: 6ba\r\n");
        }
        RpchTestClient c = client();
        c.in = c.open("RPC_IN_DATA", "ex1.frankysweb.local:" + closedPort, 1073741824L, new StringBuilder());
        c.sendIn(RpchTestClient.bytes(RtsPdus.connB1(1, c.vc, c.inCookie, 1073741824L, 300_000, c.group)));
        assertThat(response(c.in)).startsWith("HTTP/1.0 503 RPC Error: 6ba\r\n");
        assertThat(metrics.get("anywhere.rpcproxy.failures").tag("reason", "backend_unavailable").counter().count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aPortOutsideValidPortsNeverGetsASocket() throws Exception {
        RpchTestClient c = client();
        try (Socket s = new Socket("127.0.0.1", gateway.address().getPort())) {
            s.getOutputStream().write(RpchTestClient.head("RPC_OUT_DATA", "ex1:" + (backend.port() == 65535 ? 1 : backend.port() + 1), 76)
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(response(s)).startsWith("HTTP/1.0 503 RPC Error: 6ba\r\n");
        }
        assertThat(backend.accepted.get()).isZero();
        assertThat(c).isNotNull();
    }

    /** Sends {@code first} as the first body PDU of a fresh channel and returns the whole answer. */
    String firstPdu(String method, long length, byte[] first) throws Exception {
        RpchTestClient c = client();
        Socket s = c.open(method, target, length, new StringBuilder());
        s.getOutputStream().write(first);
        return response(s);
    }

    @Test
    void aWrongFirstPduGets400WithTheExactError() throws Exception {
        UUID u = UUID.randomUUID();
        String out = firstPdu("RPC_IN_DATA", 1L << 30, RpchTestClient.bytes(RtsPdus.connA1(1, u, u, 65536)));
        assertThat(out).startsWith("HTTP/1.1 400 Bad Request\r\n").endsWith("\r\n\r\nRTS PDU: CONN/A1 (expected: CONN/B1 or IN_R1/A1)\r\n");
        String ping = firstPdu("RPC_OUT_DATA", 76, RpchTestClient.bytes(RtsPdus.ping()));
        assertThat(ping).endsWith("\r\n\r\nRTS PDU: Ping (expected: CONN/A1)\r\n");
        String bind = firstPdu("RPC_IN_DATA", 1L << 30, ScriptedRpchServer.rpcPdu(11, 72, 1));
        assertThat(bind).contains("\r\n\r\nIN channel PDU: RpcPduFrame[").endsWith(" (expected: RTS CONN/B1 or IN_R1/A1)\r\n");
        String unknown = firstPdu("RPC_IN_DATA", 1L << 30,
                RpchTestClient.bytes(RtsPdu.of(RtsFlag.fromBits(0x0002), new RtsCommand.Version(1))));
        assertThat(unknown).contains("\r\n\r\nRTS PDU: unclassified, flags 0x0002 commands [").endsWith("(expected: CONN/B1 or IN_R1/A1)\r\n");
        byte[] huge = ScriptedRpchServer.rpcPdu(0, 64, 1);
        huge[8] = (byte) 0x28;
        huge[9] = (byte) 0x4f; // frag_length 20264 > 16384
        String capped = firstPdu("RPC_IN_DATA", 1L << 30, java.util.Arrays.copyOf(huge, 16));
        assertThat(capped).endsWith("\r\n\r\nfrag_length: 20264 (expected: <= 16384)\r\n");
        assertThat(backend.accepted.get()).isZero();
    }

    @Test
    void aSecondConnB1OnAnOpenInChannelClosesItWithoutAResponse() throws Exception {
        RpchTestClient c = opened(65536);
        c.sendIn(RpchTestClient.bytes(RtsPdus.connB1(1, c.vc, c.inCookie, 1L << 30, 300_000, c.group)));
        assertThat(response(c.in)).isEmpty();
        assertThat(metrics.get("anywhere.rpcproxy.failures").tag("reason", "protocol_error").counter().count()).isEqualTo(1);
    }

    @Test
    void pingsAndKeepAliveOnAnOpenInChannelAreConsumed() throws Exception {
        RpchTestClient c = opened(65536);
        c.sendIn(RpchTestClient.bytes(RtsPdus.ping()));
        c.sendIn(RpchTestClient.bytes(RtsPdus.keepAlive(300_000)));
        c.sendIn(ScriptedRpchServer.rpcPdu(0, 100, 3));
        assertThat(List.of(event(), event(), event())).containsExactlyInAnyOrder("OUT CONN/A2", "IN CONN/B2", "IN rpc 100");
        assertThat(c.readPdu()).hasSize(4096);
    }

    @Test
    void aServerThatAnswersSomethingElseThanC1LosesTheChannel() throws Exception {
        backend.mode = ScriptedRpchServer.Mode.BAD_C1;
        RpchTestClient c = client();
        assertThat(c.connect(target, 65536)).contains("HTTP/1.1 200 Success");
        assertThat(RtsPduKind.CONN_A3.matches(c.readRts())).isTrue();
        assertThat(closedByPeer(c.out)).isTrue();
        assertThat(closedByPeer(c.in)).isTrue();
    }

    @Test
    void aServerLegThatEndsMidPduClosesTheChannelsWithoutRelayingThePiece() throws Exception {
        backend.mode = ScriptedRpchServer.Mode.TRUNCATE;
        RpchTestClient c = opened(65536);
        assertThat(c.out.getInputStream().read()).isEqualTo(-1);
        assertThat(closedByPeer(c.in)).isTrue();
        assertThat(metrics.get("anywhere.rpcproxy.bytes").tag("direction", "server_to_client").counter().count()).isZero();
    }

    @Test
    void aMalformedPduFromTheServerIsAProtocolErrorThatClosesBothLegs() throws Exception {
        backend.mode = ScriptedRpchServer.Mode.GARBAGE;
        RpchTestClient c = opened(65536);
        assertThat(c.out.getInputStream().read()).isEqualTo(-1);
        assertThat(closedByPeer(c.in)).isTrue();
        assertThat(metrics.get("anywhere.rpcproxy.failures").tag("reason", "protocol_error").counter().count()).isEqualTo(1);
    }

    /**
     * A server that ends the virtual connection after answering closes both legs; here the IN leg closes first and
     * the fault follows on OUT 200 ms later. The client's IN channel still closes only after that fault is on its OUT
     * channel: a client that sees the IN channel close first takes the virtual connection for lost.
     */
    @Test
    void theInChannelClosesOnlyAfterTheServersLastAnswerReachedTheOutChannel() throws Exception {
        backend.mode = ScriptedRpchServer.Mode.FAULT_AFTER_IN_CLOSE;
        RpchTestClient c = opened(65536);
        c.sendIn(ScriptedRpchServer.rpcPdu(0, 100, 7));
        assertThat(c.in.getInputStream().read()).as("the IN channel's end").isEqualTo(-1);
        assertThat(c.out.getInputStream().available()).as("fault bytes on OUT when the IN channel closed")
                .isGreaterThanOrEqualTo(32);
        byte[] fault = c.readPdu();
        assertThat(fault[2]).as("PTYPE").isEqualTo((byte) 3);
        assertThat(fault[12]).as("call_id").isEqualTo((byte) 7);
        assertThat(closedByPeer(c.out)).isTrue();
    }

    @Test
    void anIdleOutChannelGetsPingsAndTheServerHearsOfThem() throws Exception {
        startGateway(testSettings().withKeepAlive(Duration.ofMillis(200)));
        RpchTestClient c = opened(65536);
        RtsPdu ping = c.readRts();
        // Names what came instead (it failed once in CI, not reproduced in six runs alone).
        assertThat(RtsPduKind.PING.matches(ping)).as("first RTS PDU after CONN/C2: %s %s", RtsPduKind.classify(ping), ping).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!backend.events.contains("OUT Ping Traffic Sent Notify") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(backend.events).contains("OUT Ping Traffic Sent Notify");
        // Still usable after the pings.
        c.sendIn(ScriptedRpchServer.rpcPdu(0, 100, 5));
        byte[] pdu;
        do {
            pdu = c.readPdu();
        } while (pdu[2] == 20);
        assertThat(pdu).hasSize(4096);
    }

    @Test
    void anIdleVirtualConnectionIsClosed() throws Exception {
        startGateway(ProxySettings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(400)));
        RpchTestClient c = opened(65536);
        assertThat(closedByPeer(c.out)).isTrue();
        assertThat(closedByPeer(c.in)).isTrue();
        assertThat(metrics.get("anywhere.rpcproxy.failures").tag("reason", "idle_timeout").counter().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void inChannelRecyclingOpensANewLegWithInR1A2() throws Exception {
        RpchTestClient c = opened(65536);
        UUID successor = UUID.randomUUID();
        Socket newIn = c.open("RPC_IN_DATA", target, 1L << 30, new StringBuilder());
        clients.add(new RpchTestClient(0) {
            {
                in = newIn;
            }
        });
        newIn.getOutputStream().write(RpchTestClient.bytes(RtsPdus.inR1A1(1, c.vc, c.inCookie, successor)));
        List<String> seen = new ArrayList<>();
        while (!seen.contains("IN IN_R1/A2")) {
            seen.add(event());
        }
        RtsPdu a2 = backend.received.stream().filter(RtsPduKind.IN_R1_A2::matches).findFirst().orElseThrow();
        RtsMessage.InR1A2 inR1A2 = (RtsMessage.InR1A2) RtsMessage.of(a2);
        assertThat(List.of(inR1A2.virtualConnectionCookie(), inR1A2.predecessorChannelCookie(),
                inR1A2.successorChannelCookie())).containsExactly(c.vc, c.inCookie, successor);
        // The server sent IN_R1/B1 on the predecessor: the old IN channel ends; the successor carries the traffic.
        assertThat(closedByPeer(c.in)).isTrue();
        newIn.getOutputStream().write(ScriptedRpchServer.rpcPdu(0, 100, 8));
        // RTS PDUs of the recycling handshake relayed to the client may come first; the RPC answer follows them.
        byte[] pdu = c.readPdu();
        for (int i = 0; i < 5 && pdu[2] == 20; i++) {
            pdu = c.readPdu();
        }
        assertThat(pdu).hasSize(4096);
    }

    @Test
    void aReplacementOutChannelOpensItsLegWithOutR1A4() throws Exception {
        RpchTestClient c = opened(65536);
        UUID successor = UUID.randomUUID();
        StringBuilder interim = new StringBuilder();
        Socket newOut = c.open("RPC_OUT_DATA", target, 120, interim);
        assertThat(interim.toString()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        newOut.getOutputStream().write(RpchTestClient.bytes(RtsPdus.outR1A3(1, c.vc, c.outCookie, successor, 65536)));
        assertThat(RpchTestClient.readHead(newOut.getInputStream())).startsWith("HTTP/1.1 200 Success\r\n");
        newOut.getOutputStream().write(RpchTestClient.bytes(RtsPdus.outR2C1()));
        RtsPdu a4 = backend.awaitReceived(RtsPduKind.OUT_R1_A4);
        assertThat(a4).isNotNull();
        RtsMessage.OutR1A4 outR1A4 = (RtsMessage.OutR1A4) RtsMessage.of(a4);
        assertThat(List.of(outR1A4.virtualConnectionCookie(), outR1A4.predecessorChannelCookie(),
                outR1A4.successorChannelCookie())).containsExactly(c.vc, c.outCookie, successor);
        c.switchOut(newOut);
        c.sendIn(ScriptedRpchServer.rpcPdu(0, 100, 4));
        assertThat(c.readPdu()).hasSize(4096);
    }

    @Test
    void aReplacementOutChannelAcceptsOutR1A11AsTheEndOfItsBody() throws Exception {
        // OUT_R1: the client switches to the successor with OUT_R1/A11 (24 bytes, like OUT_R2/C1) on it.
        RpchTestClient c = opened(65536);
        UUID successor = UUID.randomUUID();
        Socket newOut = c.replacementOut(target, successor);
        newOut.getOutputStream().write(RpchTestClient.bytes(RtsPdus.outR1A11()));
        assertThat(backend.awaitReceived(RtsPduKind.OUT_R1_A4)).isNotNull();
        c.switchOut(newOut);
        c.sendIn(ScriptedRpchServer.rpcPdu(0, 100, 4));
        assertThat(c.readPdu()).hasSize(4096);
    }
}
