package dev.anywhere.analyzer.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.rpch.RpchFailure.Kind;
import dev.anywhere.rpc.dce.ContextResult;
import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.Fragmenter;
import dev.anywhere.rpc.rpch.ForwardDestination;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RtsMessage;
import dev.anywhere.rpc.rpch.RtsPdu;
import dev.anywhere.rpc.rpch.RtsPduKind;
import dev.anywhere.rpc.rpch.RtsPdus;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client state machine byte by byte, over two EmbeddedChannels standing for the IN and OUT connections. */
class VirtualConnectionStateTest {

    private static final String OUT_200 = "HTTP/1.1 200 Success\r\nContent-Type: application/rpc\r\nContent-Length: 1073741824\r\n\r\n";

    private EmbeddedChannel in;
    private EmbeddedChannel out;
    private final EmbeddedChannel out2 = new EmbeddedChannel();
    private RpchClientOptions options;
    private VirtualConnection vc;
    private final Transcript transcript = new Transcript();

    @BeforeEach
    void attach() {
        attach(RpchClientOptions.builder("oa.frankysweb.org", 443, "EX1", 6001).build());
    }

    private void attach(RpchClientOptions o) {
        in = new EmbeddedChannel();
        out = new EmbeddedChannel();
        options = o;
        // A recycled channel gets out2 (OUT) ; IN recycling is tested over sockets.
        vc = VirtualConnection.attach(o, transcript, in, out, (name, method, l) -> {
            if (!name.startsWith("OUT")) {
                throw new RpchFailure(RpchFailure.Hop.TCP, Kind.UNSUPPORTED, "no IN recycling in this test");
            }
            return new VirtualConnection.OpenedLeg(new HttpLeg(name, o, transcript, l).install(out2), java.util.Optional.empty());
        });
    }

    private static byte[] drain(EmbeddedChannel ch) {
        ch.runPendingTasks();
        List<Byte> all = new ArrayList<>();
        ByteBuf b;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        while ((b = ch.readOutbound()) != null) {
            bytes.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        }
        return bytes.toByteArray();
    }

    /** Splits "headers\r\n\r\nbody" and returns the body. */
    private static byte[] body(byte[] wire, StringBuilder head) {
        String s = new String(wire, StandardCharsets.ISO_8859_1);
        int end = s.indexOf("\r\n\r\n");
        head.append(s, 0, end);
        byte[] b = new byte[wire.length - end - 4];
        System.arraycopy(wire, end + 4, b, 0, b.length);
        return b;
    }

    private void feedOut(String head, RtsPdu... pdus) {
        ByteBuf b = Unpooled.buffer();
        b.writeCharSequence(head, StandardCharsets.ISO_8859_1);
        for (RtsPdu p : pdus) {
            RpchCodec.encode(p, b);
        }
        out.writeInbound(b);
        in.runPendingTasks();
    }

    private void feedOut(DcePdu pdu) {
        out.writeInbound(DceCodec.encode(pdu, out.alloc()));
        in.runPendingTasks();
    }

    private RtsPdu open() {
        byte[] outWire = drain(out);
        byte[] inWire = drain(in);
        StringBuilder outHead = new StringBuilder();
        RtsPdu a1 = RpchCodec.decode(Unpooled.wrappedBuffer(body(outWire, outHead)));
        StringBuilder inHead = new StringBuilder();
        RtsPdu b1 = RpchCodec.decode(Unpooled.wrappedBuffer(body(inWire, inHead)));
        assertThat(a1.is(RtsPduKind.CONN_A1)).isTrue();
        assertThat(b1.is(RtsPduKind.CONN_B1)).isTrue();
        feedOut(OUT_200, RtsPdus.connA3(120_000), RtsPdus.connC2(1, 65536, 120_000));
        assertThat(vc.opened()).isCompleted();
        return a1;
    }

    @Test
    void channelRequestsCarryWindowsHeadersAndConnPdus() {
        byte[] outWire = drain(out);
        byte[] inWire = drain(in);
        StringBuilder outHead = new StringBuilder();
        StringBuilder inHead = new StringBuilder();
        RtsPdu a1 = RpchCodec.decode(Unpooled.wrappedBuffer(body(outWire, outHead)));
        RtsPdu b1 = RpchCodec.decode(Unpooled.wrappedBuffer(body(inWire, inHead)));
        assertThat(outHead.toString()).startsWith("RPC_OUT_DATA /rpc/rpcproxy.dll?EX1:6001 HTTP/1.1\r\n")
                .contains("content-length: 76", "user-agent: MSRPC", "accept: application/rpc", "host: oa.frankysweb.org",
                        "pragma: No-cache", "cache-control: no-cache", "connection: Keep-Alive");
        assertThat(inHead.toString()).startsWith("RPC_IN_DATA /rpc/rpcproxy.dll?EX1:6001 HTTP/1.1\r\n").contains("content-length: 1073741824");
        assertThat(a1.fragLength()).isEqualTo(76);
        RtsMessage.ConnA1 connA1 = (RtsMessage.ConnA1) RtsMessage.of(a1);
        RtsMessage.ConnB1 connB1 = (RtsMessage.ConnB1) RtsMessage.of(b1);
        assertThat(connA1.receiveWindowSize()).isEqualTo(262144);
        assertThat(b1.fragLength()).isEqualTo(104);
        assertThat(connB1.channelLifetime()).isEqualTo(1L << 30);
        assertThat(connB1.clientKeepalive()).isEqualTo(300_000);
        // both carry the same virtual connection cookie, each its own channel cookie
        assertThat(connA1.virtualConnectionCookie()).isEqualTo(connB1.virtualConnectionCookie());
        assertThat(connA1.outChannelCookie()).isNotEqualTo(connB1.inChannelCookie());
        assertThat(vc.opened()).isNotDone();
    }

    @Test
    void opensOnlyAfterA3ThenC2() {
        drain(out);
        drain(in);
        feedOut(OUT_200, RtsPdus.connA3(120_000));
        assertThat(vc.opened()).isNotDone();
        feedOut("", RtsPdus.connC2(1, 65536, 180_000));
        assertThat(vc.opened()).isCompleted();
        assertThat(vc.connectionTimeout()).isEqualTo(180_000);
        assertThat(vc.outProxyConnectionTimeout()).isEqualTo(120_000);
    }

    @Test
    void c2BeforeA3IsAProtocolError() {
        drain(out);
        drain(in);
        feedOut(OUT_200, RtsPdus.connC2(1, 65536, 120_000));
        assertThat(vc.opened()).isCompletedExceptionally();
        assertThat(vc.failure().orElseThrow()).hasMessage("virtual connection: RTS PDU: CONN/C1|CONN/C2 (expected: CONN/A3)");
        assertThat(in.isOpen()).isFalse();
        assertThat(out.isOpen()).isFalse();
    }

    @Test
    void a503OnTheOutChannelFailsTheOpening() {
        drain(out);
        drain(in);
        out.writeInbound(Unpooled.copiedBuffer("HTTP/1.0 503 RPC Error: 6ba\r\nContent-Length: 0\r\n\r\n", StandardCharsets.ISO_8859_1));
        in.runPendingTasks();
        assertThat(vc.opened()).isNotDone(); // waits briefly for the IN channel's answer
        in.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        in.runScheduledPendingTasks();
        assertThat(vc.failure().orElseThrow().kind()).isEqualTo(Kind.RPC_PROXY_ERROR);
        assertThat(vc.failure().orElseThrow()).hasMessageStartingWith("rpc proxy: OUT channel request: 503 RPC Error: 6ba");
    }

    /** A proxy failing after its 200 writes the error line into the body: that line is the failure, not a bad rpc_vers. */
    @Test
    void anHttpErrorLineInsideTheOutChannelBodyIsTheProxysError() {
        drain(out);
        drain(in);
        feedOut(OUT_200, RtsPdus.connA3(120_000));
        feedOut("HTTP/1.0 503 RPC Error: 6ba\r\nContent-Length: 0\r\n\r\n");
        assertThat(vc.failure().orElseThrow().kind()).isEqualTo(Kind.RPC_PROXY_ERROR);
        assertThat(vc.failure().orElseThrow()).hasMessage("rpc proxy: OUT channel body: 503 RPC Error: 6ba RPC_S_SERVER_UNAVAILABLE(0x6ba), the proxy refused "
                + "EX1:6001 (not in ValidPorts) or cannot reach it as an ncacn_http listener");
    }

    @Test
    void bindThenCallWithAFragmentedResponse() throws Exception {
        open();
        CompletableFuture<BindResult> bind = vc.bind(Mgmt.INTERFACE);
        byte[] inWire = drain(in);
        DcePdu.Bind b = (DcePdu.Bind) DceCodec.decode(Unpooled.wrappedBuffer(inWire));
        assertThat(b.maxXmitFrag()).isEqualTo(5840);
        assertThat(b.contexts().get(0).abstractSyntax()).isEqualTo(Mgmt.INTERFACE);
        feedOut(new DcePdu.BindAck(b.callId(), 4280, 4280, 0x55, "6001", List.of(ContextResult.accepted(
                dev.anywhere.rpc.dce.SyntaxId.NDR))));
        BindResult r = bind.get(1, TimeUnit.SECONDS);
        assertThat(r.maxXmitFrag()).isEqualTo(4280);
        assertThat(r.assocGroupId()).isEqualTo(0x55);

        CompletableFuture<ByteBuf> call = vc.call(r.contextId(), 0, Unpooled.wrappedBuffer(new byte[10_000]));
        ByteBuf wire = Unpooled.wrappedBuffer(drain(in));
        int fragments = 0;
        while (wire.isReadable()) {
            DcePdu.Request q = (DcePdu.Request) DceCodec.decode(wire);
            assertThat(24 + q.stub().length()).isLessThanOrEqualTo(4280);
            fragments++;
        }
        assertThat(fragments).isEqualTo(3);
        byte[] answer = new byte[9000];
        answer[8999] = 7;
        for (DcePdu.CallFragment f : Fragmenter.fragment(new DcePdu.Response(2, r.contextId(), Octets.of(answer)), 4280)) {
            assertThat(call).isNotDone();
            feedOut(f);
        }
        ByteBuf result = call.get(1, TimeUnit.SECONDS);
        assertThat(ByteBufUtil.getBytes(result)).isEqualTo(answer);
        result.release();
    }

    @Test
    void faultCompletesTheCallExceptionally() {
        open();
        CompletableFuture<ByteBuf> call = vc.call(0, 9, Unpooled.EMPTY_BUFFER);
        drain(in);
        feedOut(new DcePdu.Fault(1, 0, DceStatus.NCA_S_OP_RNG_ERROR));
        assertThat(call).isCompletedExceptionally();
        try {
            call.get();
        } catch (InterruptedException | ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(RpcFaultException.class)
                    .hasMessage("fault nca_s_op_rng_error(0x1c010002) for call_id 1 (opnum 9)");
        }
    }

    @Test
    void acksTheOutChannelAfterHalfTheWindow() {
        RtsPdu a1 = open();
        drain(in);
        byte[] stub = new byte[5000];
        int sent = 0;
        while (sent < 131072) {
            DcePdu.Response r = new DcePdu.Response(99, 0, Octets.of(stub));
            ByteBuf b = DceCodec.encode(r, out.alloc());
            sent += b.readableBytes();
            out.writeInbound(b);
        }
        in.runPendingTasks();
        RtsPdu ack = RpchCodec.decode(Unpooled.wrappedBuffer(drain(in)));
        assertThat(ack.is(RtsPduKind.FLOW_CONTROL_ACK_WITH_DESTINATION)).isTrue();
        RtsMessage.FlowControlAckWithDestination fc = (RtsMessage.FlowControlAckWithDestination) RtsMessage.of(ack);
        assertThat(fc.destination()).isEqualTo(ForwardDestination.OUT_PROXY);
        assertThat(fc.bytesReceived()).isEqualTo(sent);
        assertThat(fc.availableWindow()).isEqualTo(262144);
        assertThat(fc.channelCookie()).isEqualTo(((RtsMessage.ConnA1) RtsMessage.of(a1)).outChannelCookie());
    }

    @Test
    void theInWindowFromC2LimitsSendingUntilAnAck() {
        drain(out);
        drain(in);
        feedOut(OUT_200, RtsPdus.connA3(120_000), RtsPdus.connC2(1, 8192, 120_000));
        vc.call(0, 0, Unpooled.wrappedBuffer(new byte[20_000]));
        int first = drain(in).length;
        assertThat(first).isLessThanOrEqualTo(8192);
        assertThat(vc.stats().queuedPdus()).isPositive();
        // the inbound proxy's ack (relayed on OUT) re-opens the window
        feedOut("", RtsPdus.flowControlAck(first, 8192, inCookie()));
        assertThat(drain(in).length).isPositive();
    }

    private java.util.UUID inCookie() {
        // the IN channel cookie is the second Cookie of CONN/B1, recorded in the transcript
        String line = transcript.lines().stream().filter(l -> l.contains("CONN/B1")).findFirst().orElseThrow();
        int i = line.indexOf("Cookie[cookie=", line.indexOf("Cookie[cookie=") + 1);
        return java.util.UUID.fromString(line.substring(i + 14, i + 50));
    }

    @Test
    void pingsOnOutAreIgnored() {
        open();
        feedOut("", RtsPdus.ping());
        assertThat(vc.stats().pingsReceived()).isEqualTo(1);
        assertThat(vc.failure()).isEmpty();
    }

    @Test
    void outChannelRecyclingOtherProxyR1() throws Exception {
        open();
        drain(in);
        feedOut("", RtsPdus.outR1A2());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3)).until(() -> {
            in.runPendingTasks();
            return drain(out2).length > 0;
        });
        feedOut("", RtsPdus.outR1A6(1, 120_000));
        assertThat(RpchCodec.decode(Unpooled.wrappedBuffer(drain(in))).is(RtsPduKind.OUT_R1_A7)).isTrue();
        feedOut("", RtsPdus.outR1A10());
        assertThat(RpchCodec.decode(Unpooled.wrappedBuffer(drain(out2))).is(RtsPduKind.OUT_R1_A11)).isTrue();
        assertThat(out.isOpen()).isFalse();
        assertThat(vc.stats().outChannelRecycles()).isEqualTo(1);
    }

    @Test
    void outChannelRecyclingSameProxyR2() throws Exception {
        RtsPdu a1 = open();
        drain(in);
        CompletableFuture<ByteBuf> call = vc.call(0, 0, Unpooled.EMPTY_BUFFER);
        drain(in);
        feedOut("", RtsPdus.outR2A2());
        byte[][] successor = new byte[1][];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3)).until(() -> {
            in.runPendingTasks();
            byte[] b = drain(out2);
            successor[0] = b;
            return b.length > 0;
        });
        StringBuilder head = new StringBuilder();
        RtsPdu a3 = RpchCodec.decode(Unpooled.wrappedBuffer(body(successor[0], head)));
        assertThat(head.toString()).startsWith("RPC_OUT_DATA /rpc/rpcproxy.dll?EX1:6001 HTTP/1.1").contains("content-length: 120");
        assertThat(a3.is(RtsPduKind.OUT_R1_A3)).isTrue();
        RtsMessage.OutR1A3 outR1A3 = (RtsMessage.OutR1A3) RtsMessage.of(a3);
        java.util.UUID successorCookie = outR1A3.successorChannelCookie();
        assertThat(outR1A3.predecessorChannelCookie()).isEqualTo(((RtsMessage.ConnA1) RtsMessage.of(a1)).outChannelCookie());
        // the (same) proxy answers on the predecessor with OUT_R2/A6; the client sends A7 on IN and C1 on the successor
        feedOut("", RtsPdus.outR2A6());
        RtsPdu a7 = RpchCodec.decode(Unpooled.wrappedBuffer(drain(in)));
        assertThat(a7.is(RtsPduKind.OUT_R2_A7)).isTrue();
        assertThat(((RtsMessage.OutR2A7) RtsMessage.of(a7)).successorChannelCookie()).isEqualTo(successorCookie);
        assertThat(RpchCodec.decode(Unpooled.wrappedBuffer(drain(out2))).is(RtsPduKind.OUT_R2_C1)).isTrue();
        // the successor's response may start before the predecessor's EOF: PDUs wait until the switch
        ByteBuf early = Unpooled.buffer();
        early.writeCharSequence(OUT_200, StandardCharsets.ISO_8859_1);
        DceCodec.encode(new DcePdu.Response(1, 0, Octets.of(new byte[] {1, 2, 3, 4})), early);
        out2.writeInbound(early);
        in.runPendingTasks();
        assertThat(call).isNotDone();
        feedOut("", RtsPdus.outR2B3());
        assertThat(out.isOpen()).isFalse();
        assertThat(call).isCompleted();
        assertThat(vc.stats().outChannelRecycles()).isEqualTo(1);
        assertThat(vc.failure()).isEmpty();
    }

    @Test
    void idleInChannelGetsPings() throws Exception {
        attach(RpchClientOptions.builder("oa.frankysweb.org", 443, "EX1", 6001).pingInterval(java.time.Duration.ofMillis(50)).build());
        open();
        drain(in);
        Thread.sleep(60);
        in.advanceTimeBy(60, TimeUnit.MILLISECONDS);
        in.runScheduledPendingTasks();
        RtsPdu ping = RpchCodec.decode(Unpooled.wrappedBuffer(drain(in)));
        assertThat(ping.is(RtsPduKind.PING)).isTrue();
    }

    // ================================================================== failures said in German (issue 17 item 4)

    private static final dev.anywhere.analyzer.text.Messages DE = dev.anywhere.analyzer.text.Messages.of("de");

    /** The failure's German line: there, with no English word, no Java class name and no "null". */
    private static String german(Throwable failure) {
        RpchFailure f = (RpchFailure) (failure instanceof ExecutionException e ? e.getCause() : failure);
        String line = f.detail(DE).orElseThrow(() -> new AssertionError("no German line for: " + f.getMessage()));
        assertThat(dev.anywhere.analyzer.text.TextAudit.englishWords(line)).as(line).isEmpty();
        assertThat(dev.anywhere.analyzer.text.Messages.CLASS_NAME.matcher(line).find()).as(line).isFalse();
        assertThat(line).doesNotContain("null");
        return line;
    }

    private static Throwable failureOf(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.get();
            throw new AssertionError("completed normally");
        } catch (InterruptedException | ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void aRefusedBindIsSaidInGerman() {
        open();
        CompletableFuture<BindResult> bind = vc.bind(Mgmt.INTERFACE);
        DcePdu.Bind b = (DcePdu.Bind) DceCodec.decode(Unpooled.wrappedBuffer(drain(in)));
        feedOut(new DcePdu.BindAck(b.callId(), 4280, 4280, 0x55, "6001", List.of(ContextResult.rejected(
                ContextResult.REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED))));
        RpchFailure f = (RpchFailure) failureOf(bind);
        assertThat(f.kind()).isEqualTo(Kind.BIND_REJECTED);
        assertThat(f).hasMessage("bind: " + Mgmt.INTERFACE + " refused: PROVIDER_REJECTION reason 1 (abstract syntax not supported)");
        assertThat(german(f)).isEqualTo(Mgmt.INTERFACE + " abgelehnt: PROVIDER_REJECTION, Grund 1 (abstrakte Syntax nicht unterstützt)");
    }

    @Test
    void aBindNakIsSaidInGermanAndStillReadAsARefusedAuthentication() {
        open();
        CompletableFuture<BindResult> bind = vc.bind(Mgmt.INTERFACE);
        DcePdu.Bind b = (DcePdu.Bind) DceCodec.decode(Unpooled.wrappedBuffer(drain(in)));
        feedOut(new DcePdu.BindNak(java.util.EnumSet.of(dev.anywhere.rpc.dce.PfcFlag.FIRST_FRAG, dev.anywhere.rpc.dce.PfcFlag.LAST_FRAG),
                b.callId(), 8, List.of(), Octets.EMPTY));
        RpchFailure f = (RpchFailure) failureOf(bind);
        assertThat(f.detail()).isEqualTo("bind_nak for " + Mgmt.INTERFACE + ": provider_reject_reason 8");
        assertThat(german(f)).isEqualTo("bind_nak für " + Mgmt.INTERFACE + ": provider_reject_reason 8");
    }

    @Test
    void aResponseWhoseSignatureDoesNotVerifyIsSaidInGerman() throws Exception {
        open();
        dev.anywhere.rpc.ntlm.NtlmServer server = new dev.anywhere.rpc.ntlm.NtlmServer(new dev.anywhere.rpc.ntlm.ServerIdentity("EX1",
                "FRANKYSWEB", "ex1.frankysweb.local", "frankysweb.local", "frankysweb.local"),
                (d, u) -> java.util.Optional.of(dev.anywhere.rpc.ntlm.NtHash.of("Passw0rd!")));
        CompletableFuture<BindResult> bind = vc.bind(Mgmt.INTERFACE, RpcAuth.privacy(
                dev.anywhere.rpc.ntlm.NtlmCredentials.ofPassword("FRANKYSWEB", "franky", "Passw0rd!")));
        DcePdu.Bind b = (DcePdu.Bind) DceCodec.decode(Unpooled.wrappedBuffer(drain(in)));
        dev.anywhere.rpc.dce.AuthVerifier negotiate = b.auth().orElseThrow();
        byte[] challenge = server.challenge(negotiate.authValue().toByteArray());
        feedOut(new DcePdu.BindAck(dev.anywhere.rpc.dce.PfcFlag.SINGLE_FRAGMENT, b.callId(), 4280, 4280, 0x55, "6001",
                List.of(ContextResult.accepted(dev.anywhere.rpc.dce.SyntaxId.NDR)), java.util.Optional.of(new dev.anywhere.rpc.dce.AuthVerifier(
                        dev.anywhere.rpc.dce.AuthVerifier.AUTHN_WINNT, negotiate.authLevel(), 0, negotiate.contextId(), Octets.of(challenge)))));
        int contextId = bind.get(1, TimeUnit.SECONDS).contextId();
        DcePdu.Auth3 auth3 = (DcePdu.Auth3) DceCodec.decode(Unpooled.wrappedBuffer(drain(in)));
        dev.anywhere.rpc.dce.PduSecurity serverSide = new dev.anywhere.rpc.dce.PduSecurity(negotiate.authLevel(), negotiate.contextId(),
                dev.anywhere.rpc.ntlm.NtlmSession.server(server.authenticate(auth3.auth().orElseThrow().authValue().toByteArray())));
        CompletableFuture<ByteBuf> call = vc.call(contextId, 1, Unpooled.wrappedBuffer(new byte[8]));
        drain(in);
        ByteBuf response = serverSide.protect(new DcePdu.Response(auth3.callId() + 1, contextId, Octets.ofHex("0102030405060708")),
                out.alloc());
        int last = response.writerIndex() - 1;
        response.setByte(last, response.getByte(last) ^ 0x01); // the signature's checksum, altered on the way
        out.writeInbound(response);
        in.runPendingTasks();
        RpchFailure f = (RpchFailure) failureOf(call);
        assertThat(f.kind()).isEqualTo(Kind.BAD_SIGNATURE);
        assertThat(f.detail()).startsWith("response to call_id " + (auth3.callId() + 1) + " (opnum 1): ");
        assertThat(german(f)).isEqualTo("Antwort auf call_id " + (auth3.callId() + 1) + " (opnum 1): die Signatur stimmt nicht");
    }

    @Test
    void aVirtualConnectionClosedMidCallIsSaidInGermanAndSoAreTheTranscriptsNotes() {
        open();
        CompletableFuture<ByteBuf> call = vc.call(0, 9, Unpooled.EMPTY_BUFFER);
        drain(in);
        out.close();
        in.runPendingTasks();
        RpchFailure f = (RpchFailure) failureOf(call);
        assertThat(f.kind()).isEqualTo(Kind.CLOSED);
        assertThat(f).hasMessage("virtual connection: the proxy closed the OUT channel while open");
        assertThat(german(f)).isEqualTo("der Proxy hat den offenen OUT-Kanal geschlossen");
        assertThat(transcript.lines()).anyMatch(l -> l.endsWith("VC     failed: virtual connection: the proxy closed the OUT channel while open"));
        List<String> german = transcript.lines(DE);
        assertThat(german).anyMatch(l -> l.endsWith("VC     gescheitert: virtuelle Verbindung: der Proxy hat den offenen OUT-Kanal geschlossen"))
                .anyMatch(l -> l.endsWith("OUT    Verbindung geschlossen"));
        // What was on the wire stays as it was; only the client's notes are German.
        assertThat(german.stream().filter(l -> l.contains(" → ") || l.contains(" ← ")).toList())
                .isEqualTo(transcript.lines().stream().filter(l -> l.contains(" → ") || l.contains(" ← ")).toList());
    }

    @Test
    void aTimedOutCallNamesWhatItAwaitedInGerman() {
        open();
        CompletableFuture<ByteBuf> call = vc.call(0, 9, Unpooled.EMPTY_BUFFER);
        drain(in);
        in.advanceTimeBy(options.callTimeout().toMillis() + 1, TimeUnit.MILLISECONDS);
        in.runScheduledPendingTasks();
        RpchFailure f = (RpchFailure) failureOf(call);
        assertThat(f.detail()).isEqualTo("response to call_id 1 (opnum 9) not received within " + options.callTimeout().toMillis() + " ms");
        assertThat(german(f)).isEqualTo("Antwort auf call_id 1 (opnum 9) nicht binnen " + options.callTimeout().toMillis() + " ms empfangen");
    }
}
