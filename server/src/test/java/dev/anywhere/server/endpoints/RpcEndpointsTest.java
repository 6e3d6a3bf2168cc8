package dev.anywhere.server.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.dce.ContextResult;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.FragmentAssembler;
import dev.anywhere.rpc.dce.Fragmenter;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.PfcFlag;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.rpch.ForwardDestination;
import dev.anywhere.rpc.rpch.RtsCommand;
import dev.anywhere.rpc.rpch.RtsPdu;
import dev.anywhere.rpc.rpch.RtsPdus;
import dev.anywhere.rpc.wire.Octets;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoints on loopback, driven by scripted proxy legs and clients (v1, v2, ncacn_ip_tcp). */
class RpcEndpointsTest {

    static final SyntaxId ECHO = new SyntaxId(UUID.fromString("12345678-1234-abcd-ef00-0123456789ab"), 1, 0);
    static final SyntaxId MGMT = RpcEndpoints.mgmtInterface();
    static final long WINDOW = 65536;
    static final long TIMEOUT = 120_000;

    private final List<String> errors = new CopyOnWriteArrayList<>();
    private RpcEndpoints endpoints;
    private int http;
    private int tcp;

    /** opnum 0 echoes; 1 answers N pattern bytes (N = u32 in the stub); 2 faults access denied; 3 needs 4 bytes. */
    static InterfaceRegistry echo() {
        return new InterfaceRegistry().register(new RpcInterface(ECHO, "Echo", 4, call -> {
            switch (call.opnum()) {
                case 0:
                    return call.stub();
                case 1: {
                    NdrReader r = new NdrReader(call.stub());
                    int n = (int) r.u32("n");
                    byte[] b = new byte[n];
                    for (int i = 0; i < n; i++) {
                        b[i] = (byte) i;
                    }
                    return Octets.of(b);
                }
                case 2:
                    throw new RpcFaultException(DceStatus.ACCESS_DENIED);
                default: {
                    NdrReader r = new NdrReader(call.stub());
                    r.u32("value");
                    r.expectEnd("echo request");
                    return Octets.EMPTY;
                }
            }
        }));
    }

    @BeforeEach
    void start() throws Exception {
        endpoints = RpcEndpoints.start(RpcEndpoints.Options.defaults(InetAddress.getByName("127.0.0.1"))
                .withPorts(List.of(0)).withTcpPort(0).withExtra(echo())
                .withConnectionSetupTimeout(Duration.ofMillis(500))
                .withErrors((remote, message) -> errors.add(message)));
        http = endpoints.ports().get(0);
        tcp = endpoints.tcpPort().getAsInt();
    }

    @AfterEach
    void stop() {
        endpoints.close();
    }

    static DcePdu.Bind bind(int callId, PresentationContext... contexts) {
        return new DcePdu.Bind(callId, 4280, 4280, 0, List.of(contexts));
    }

    static Octets u32(long v) {
        return Octets.of((byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24));
    }

    @Test
    void oneEventLoopPerCpuServesTheConnectionsNotNettysTwo() {
        assertThat(endpoints.eventLoopCount()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    // ---- v1 and ncacn_ip_tcp ----

    @Test
    void v1BindNegotiatesEachContext() throws Exception {
        try (Peer c = new Peer(http, true)) {
            c.send(bind(1,
                    PresentationContext.ndr(0, MGMT),
                    new PresentationContext(1, ECHO, List.of(SyntaxId.NDR64)),
                    PresentationContext.ndr(2, new SyntaxId(UUID.randomUUID(), 1, 0)),
                    new PresentationContext(3, MGMT, List.of(SyntaxId.bindTimeFeatureNegotiation(0x3))),
                    new PresentationContext(4, ECHO, List.of(SyntaxId.NDR64, SyntaxId.NDR))));
            DcePdu.BindAck ack = (DcePdu.BindAck) c.readDce();
            assertThat(ack.callId()).isEqualTo(1);
            assertThat(ack.maxXmitFrag()).isEqualTo(4280);
            assertThat(ack.maxRecvFrag()).isEqualTo(4280);
            assertThat(ack.assocGroupId()).isNotZero();
            assertThat(ack.secondaryAddress()).isEqualTo(Integer.toString(http));
            assertThat(ack.results()).containsExactly(
                    ContextResult.accepted(SyntaxId.NDR),
                    ContextResult.rejected(ContextResult.REASON_TRANSFER_SYNTAXES_NOT_SUPPORTED),
                    ContextResult.rejected(ContextResult.REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED),
                    ContextResult.negotiateAck(SyntaxId.FEATURE_KEEP_CONNECTION_ON_ORPHAN),
                    ContextResult.accepted(SyntaxId.NDR));

            c.send(new DcePdu.Request(2, 0, 2, Octets.EMPTY)); // MGMT is_server_listening
            DcePdu.Response r = (DcePdu.Response) c.readDce();
            assertThat(r.callId()).isEqualTo(2);
            assertThat(r.stub()).isEqualTo(Octets.ofHex("00000000 01000000"));

            c.send(new DcePdu.Request(3, 2, 0, Octets.EMPTY)); // rejected context
            assertFault(c.readDce(), 3, DceStatus.NCA_S_UNK_IF, true);
            c.send(new DcePdu.Request(4, 9, 0, Octets.EMPTY)); // never proposed
            assertFault(c.readDce(), 4, DceStatus.NCA_S_UNK_IF, true);
            c.send(new DcePdu.Request(5, 0, 5, Octets.EMPTY)); // MGMT has opnums 0..4
            assertFault(c.readDce(), 5, DceStatus.NCA_S_OP_RNG_ERROR, true);
            c.send(new DcePdu.Request(6, 4, 2, Octets.EMPTY)); // handler fault
            assertFault(c.readDce(), 6, DceStatus.ACCESS_DENIED, false);
            c.send(new DcePdu.Request(7, 4, 3, Octets.ofHex("01"))); // bad stub data
            assertFault(c.readDce(), 7, DceStatus.RPC_X_BAD_STUB_DATA, false);

            c.send(new DcePdu.AlterContext(PfcFlag.SINGLE_FRAGMENT, 8, 4280, 4280, ack.assocGroupId(),
                    List.of(PresentationContext.ndr(5, ECHO)), Optional.empty()));
            DcePdu.AlterContextResp alter = (DcePdu.AlterContextResp) c.readDce();
            assertThat(alter.results()).containsExactly(ContextResult.accepted(SyntaxId.NDR));
            c.send(new DcePdu.Request(9, 5, 0, Octets.ofHex("cafe")));
            assertThat(((DcePdu.Response) c.readDce()).stub()).isEqualTo(Octets.ofHex("cafe"));
        }
        assertThat(errors).isEmpty();
    }

    static void assertFault(DcePdu pdu, int callId, DceStatus status, boolean didNotExecute) {
        assertThat(pdu).isInstanceOf(DcePdu.Fault.class);
        DcePdu.Fault f = (DcePdu.Fault) pdu;
        assertThat(f.callId()).isEqualTo(callId);
        assertThat(f.status()).isEqualTo(status);
        assertThat(f.flags().contains(PfcFlag.DID_NOT_EXECUTE)).isEqualTo(didNotExecute);
    }

    @Test
    void fragmentationBothWays() throws Exception {
        try (Peer c = new Peer(tcp, false)) {
            c.send(bind(1, PresentationContext.ndr(0, ECHO)));
            assertThat(c.readDce()).isInstanceOf(DcePdu.BindAck.class);
            byte[] big = new byte[10_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 7);
            }
            List<DcePdu.CallFragment> request = Fragmenter.fragment(new DcePdu.Request(2, 0, 0, Octets.of(big)), 1432);
            assertThat(request).hasSizeGreaterThan(6);
            for (DcePdu.CallFragment f : request) {
                c.send(f);
            }
            FragmentAssembler assembler = new FragmentAssembler();
            Optional<DcePdu.CallFragment> whole = Optional.empty();
            int fragments = 0;
            while (whole.isEmpty() && fragments < 100) {
                byte[] pdu = c.readPdu();
                assertThat(pdu.length).isLessThanOrEqualTo(4280);
                whole = assembler.add((DcePdu.CallFragment) dev.anywhere.rpc.dce.DceCodec.decode(
                        io.netty.buffer.Unpooled.wrappedBuffer(pdu)));
                fragments++;
            }
            assertThat(fragments).isEqualTo(3);
            assertThat(whole.orElseThrow().stub()).isEqualTo(Octets.of(big));
        }
    }

    @Test
    void coCancelAndOrphanedAbandonAPartialRequest() throws Exception {
        try (Peer c = new Peer(http, true)) {
            c.send(bind(1, PresentationContext.ndr(0, ECHO)));
            c.readDce();
            List<DcePdu.CallFragment> call = Fragmenter.fragment(new DcePdu.Request(2, 0, 0, Octets.zeros(3000)), 1432);
            c.send(call.get(0));
            c.send(new DcePdu.CoCancel(PfcFlag.SINGLE_FRAGMENT, 2, Optional.empty()));
            assertFault(c.readDce(), 2, DceStatus.NCA_S_FAULT_CANCEL, false);
            List<DcePdu.CallFragment> orphan = Fragmenter.fragment(new DcePdu.Request(3, 0, 0, Octets.zeros(3000)), 1432);
            c.send(orphan.get(0));
            c.send(new DcePdu.Orphaned(PfcFlag.SINGLE_FRAGMENT, 3, Optional.empty()));
            c.send(new DcePdu.Request(4, 0, 0, Octets.ofHex("01020304")));
            DcePdu.Response r = (DcePdu.Response) c.readDce();
            assertThat(r.callId()).isEqualTo(4);
            assertThat(r.stub()).isEqualTo(Octets.ofHex("01020304"));
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void authenticatedBindIsRefusedWithBindNak() throws Exception {
        try (Peer c = new Peer(http, true)) {
            c.send(new DcePdu.Bind(PfcFlag.SINGLE_FRAGMENT, 1, 4280, 4280, 0, List.of(PresentationContext.ndr(0, MGMT)),
                    Optional.of(new dev.anywhere.rpc.dce.AuthVerifier(10, 6, 0, 0, Octets.zeros(32)))));
            DcePdu.BindNak nak = (DcePdu.BindNak) c.readDce();
            assertThat(nak.rejectReason()).isEqualTo(DcePdu.BindNak.AUTHENTICATION_TYPE_NOT_RECOGNIZED);
            c.send(bind(2, PresentationContext.ndr(0, MGMT)));
            assertThat(c.readDce()).isInstanceOf(DcePdu.BindAck.class);
        }
    }

    // ---- v2: pairing ----

    record Pair(Peer in, Peer out, UUID vc, UUID inCookie, UUID outCookie) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            in.close();
            out.close();
        }
    }

    static RtsPdu a2(UUID vc, UUID out, long window) {
        return RtsPdus.connA2(1, vc, out, 0x4000_0000L, window);
    }

    static RtsPdu b2(UUID vc, UUID in) throws Exception {
        return RtsPdus.connB2(1, vc, in, WINDOW, TIMEOUT, UUID.randomUUID(),
                new RtsCommand.ClientAddress(InetAddress.getByName("127.0.0.9")));
    }

    Pair open(UUID vc, boolean outFirst, long outWindow) throws Exception {
        UUID inCookie = UUID.randomUUID();
        UUID outCookie = UUID.randomUUID();
        Peer out = new Peer(http, true);
        Peer in = new Peer(http, true);
        if (outFirst) {
            out.send(a2(vc, outCookie, outWindow));
            assertThat(out.silentFor(100)).isTrue();
            in.send(b2(vc, inCookie));
        } else {
            in.send(b2(vc, inCookie));
            assertThat(in.silentFor(100)).isTrue();
            out.send(a2(vc, outCookie, outWindow));
        }
        assertThat(out.readRts()).isEqualTo(RtsPdus.connC1(1, WINDOW, TIMEOUT));
        assertThat(in.readRts()).isEqualTo(RtsPdus.connB3(65536, 1));
        return new Pair(in, out, vc, inCookie, outCookie);
    }

    static void echoOver(Pair p, int callId) throws Exception {
        p.in().send(new DcePdu.Request(callId, 0, 0, u32(callId)));
        DcePdu.Response r = (DcePdu.Response) p.out().readDce();
        assertThat(r.callId()).isEqualTo(callId);
        assertThat(r.stub()).isEqualTo(u32(callId));
    }

    static void bindOver(Pair p) throws Exception {
        p.in().send(bind(1, PresentationContext.ndr(0, ECHO)));
        DcePdu.BindAck ack = (DcePdu.BindAck) p.out().readDce();
        assertThat(ack.results()).containsExactly(ContextResult.accepted(SyntaxId.NDR));
    }

    @Test
    void v2LegsPairOutFirst() throws Exception {
        try (Pair p = open(UUID.randomUUID(), true, WINDOW)) {
            bindOver(p);
            echoOver(p, 2);
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void v2LegsPairInFirst() throws Exception {
        try (Pair p = open(UUID.randomUUID(), false, WINDOW)) {
            bindOver(p);
            echoOver(p, 2);
        }
        assertThat(errors).isEmpty();
    }

    /**
     * Legs are accepted on the workers round robin, so the two legs of a virtual connection usually land on different
     * event loops; the second one moves to the first one's loop. PDUs sent right behind the opening PDU (a bind and a
     * call in the same write) wait for the move and are handled in order.
     */
    @Test
    void theLegsOfAVirtualConnectionMoveToOneEventLoop() throws Exception {
        List<Pair> pairs = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                UUID vc = UUID.randomUUID();
                UUID inCookie = UUID.randomUUID();
                UUID outCookie = UUID.randomUUID();
                Peer out = new Peer(http, true);
                Peer in = new Peer(http, true);
                Pair p = new Pair(in, out, vc, inCookie, outCookie);
                pairs.add(p);
                out.send(a2(vc, outCookie, WINDOW));
                assertThat(out.silentFor(50)).isTrue();
                in.send(concat(Peer.bytes(b2(vc, inCookie)), Peer.bytes(bind(1, PresentationContext.ndr(0, ECHO))),
                        Peer.bytes(new DcePdu.Request(2, 0, 0, u32(2)))));
                assertThat(out.readRts()).isEqualTo(RtsPdus.connC1(1, WINDOW, TIMEOUT));
                assertThat(in.readRts()).isEqualTo(RtsPdus.connB3(65536, 1));
                assertThat(out.readDce()).isInstanceOf(DcePdu.BindAck.class);
                assertThat(((DcePdu.Response) out.readDce()).stub()).isEqualTo(u32(2));
            }
            for (Pair p : pairs) {
                assertThat(endpoints.legsShareALoop(p.vc())).as("legs of %s on one loop", p.vc()).isTrue();
                echoOver(p, 3);
            }
            if (endpoints.eventLoopCount() > 1) { // one loop per CPU: on one CPU every leg is already home
                assertThat(endpoints.legMoves()).as("legs moved (6 pairs accepted round robin)").isPositive();
            }
            // A successor IN leg (IN channel recycling) joins the same loop.
            Pair p = pairs.get(0);
            try (Peer successor = new Peer(http, true)) {
                UUID next = UUID.randomUUID();
                successor.send(RtsPdus.inR1A2(1, p.vc(), p.inCookie(), next, 32768, 240_000));
                assertThat(p.out().readRts()).isEqualTo(RtsPdus.inR1A3(1, 32768, 240_000));
                assertThat(endpoints.legsShareALoop(p.vc())).isTrue();
                p.in().send(RtsPdus.inR1A6(next));
                assertThat(p.in().readRts()).isEqualTo(RtsPdus.inR1B1());
                assertThat(successor.readRts()).isEqualTo(RtsPdus.inR1B2(65536));
                echoOver(new Pair(successor, p.out(), p.vc(), next, p.outCookie()), 4);
            }
        } finally {
            for (Pair p : pairs) {
                p.close();
            }
        }
        assertThat(errors).isEmpty();
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            b.writeBytes(part);
        }
        return b.toByteArray();
    }

    @Test
    void v2LegsPairOnlyByCookieWhenInterleaved() throws Exception {
        UUID vc1 = UUID.randomUUID();
        UUID vc2 = UUID.randomUUID();
        try (Peer out1 = new Peer(http, true); Peer out2 = new Peer(http, true);
                Peer in2 = new Peer(http, true); Peer in1 = new Peer(http, true)) {
            UUID o1 = UUID.randomUUID();
            UUID o2 = UUID.randomUUID();
            UUID i1 = UUID.randomUUID();
            UUID i2 = UUID.randomUUID();
            out1.send(a2(vc1, o1, WINDOW));
            out2.send(a2(vc2, o2, WINDOW));
            in2.send(b2(vc2, i2));
            assertThat(out2.readRts()).isEqualTo(RtsPdus.connC1(1, WINDOW, TIMEOUT));
            assertThat(in2.readRts()).isEqualTo(RtsPdus.connB3(65536, 1));
            assertThat(out1.silentFor(100)).isTrue();
            in1.send(b2(vc1, i1));
            assertThat(out1.readRts()).isEqualTo(RtsPdus.connC1(1, WINDOW, TIMEOUT));
            assertThat(in1.readRts()).isEqualTo(RtsPdus.connB3(65536, 1));
            Pair p1 = new Pair(in1, out1, vc1, i1, o1);
            Pair p2 = new Pair(in2, out2, vc2, i2, o2);
            bindOver(p2);
            bindOver(p1);
            echoOver(p1, 11);
            echoOver(p2, 22);
            assertThat(endpoints.virtualConnections()).isEqualTo(2);
        }
    }

    @Test
    void duplicateCookieSupersedesTheOldVirtualConnection() throws Exception {
        UUID vc = UUID.randomUUID();
        try (Pair old = open(vc, true, WINDOW)) {
            bindOver(old);
            try (Pair fresh = open(vc, false, WINDOW)) {
                assertThat(old.in().closedByServer()).isTrue();
                assertThat(old.out().closedByServer()).isTrue();
                bindOver(fresh);
                echoOver(fresh, 5);
            }
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void duplicateLegOfAHalfOpenConnectionReplacesIt() throws Exception {
        UUID vc = UUID.randomUUID();
        try (Peer first = new Peer(http, true); Peer second = new Peer(http, true); Peer in = new Peer(http, true)) {
            first.send(a2(vc, UUID.randomUUID(), WINDOW));
            assertThat(first.silentFor(100)).isTrue();
            second.send(a2(vc, UUID.randomUUID(), WINDOW));
            assertThat(first.closedByServer()).isTrue();
            in.send(b2(vc, UUID.randomUUID()));
            assertThat(second.readRts()).isEqualTo(RtsPdus.connC1(1, WINDOW, TIMEOUT));
        }
    }

    @Test
    void setupTimerClosesALoneLeg() throws Exception {
        UUID vc = UUID.fromString("00000000-0000-0000-0000-00000000cafe");
        try (Peer in = new Peer(http, true)) {
            in.send(b2(vc, UUID.randomUUID()));
            assertThat(in.closedByServer()).isTrue();
        }
        assertThat(errors).containsExactly("connection setup: virtual connection " + vc
                + " has only its IN leg after PT0.5S (expected: both legs)");
        assertThat(endpoints.virtualConnections()).isZero();
    }

    @Test
    void silentConnectionIsClosedAfterTheSetupTimeout() throws Exception {
        try (Peer c = new Peer(http, true)) {
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(errors).containsExactly("connection setup: no PDU within PT0.5S (expected: a first PDU)");
    }

    // ---- v2: flow control ----

    @Test
    void outLegHonoursTheOutboundProxyWindow() throws Exception {
        try (Pair p = open(UUID.randomUUID(), true, 8192)) {
            p.in().send(bind(1, PresentationContext.ndr(0, ECHO)));
            long received = p.out().readPdu().length; // bind_ack: RPC PDUs count against the window
            p.in().send(new DcePdu.Request(2, 0, 1, u32(20_000))); // 20 000 bytes in 4280-byte fragments
            FragmentAssembler assembler = new FragmentAssembler();
            Optional<DcePdu.CallFragment> whole = Optional.empty();
            int fragments = 0;
            while (whole.isEmpty() && fragments < 20) {
                byte[] pdu = p.out().readPdu();
                received += pdu.length;
                fragments++;
                whole = assembler.add((DcePdu.CallFragment) dev.anywhere.rpc.dce.DceCodec.decode(
                        io.netty.buffer.Unpooled.wrappedBuffer(pdu)));
                if (whole.isEmpty() && fragments < 4) {
                    // The next full fragment (4280 bytes) does not fit in what is left of 8192: silence until we ack.
                    assertThat(p.out().silentFor(150)).as("after fragment %d", fragments).isTrue();
                    p.out().send(RtsPdus.flowControlAck(received, 8192, p.outCookie()));
                }
                // The last fragment (3000 bytes) fits in the 3912 bytes left after fragment 4: it comes unasked.
            }
            assertThat(whole.orElseThrow().stub().length()).isEqualTo(20_000);
            assertThat(fragments).isEqualTo(5);
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void inLegIsAcknowledgedAfterHalfTheWindow() throws Exception {
        try (Pair p = open(UUID.randomUUID(), true, WINDOW)) {
            bindOver(p);
            long sent = Peer.bytes(bind(1, PresentationContext.ndr(0, ECHO))).length;
            int calls = 0;
            while (sent < 32768) {
                DcePdu.Request q = new DcePdu.Request(10 + calls, 0, 3, Octets.zeros(4000));
                sent += Peer.bytes(q).length;
                p.in().send(q);
                calls++;
            }
            RtsPdu ack = p.in().readRts();
            assertThat(ack).isEqualTo(RtsPdus.flowControlAck(sent, 65536, p.inCookie()));
        }
    }

    @Test
    void flowControlAckForTheOutboundProxyIsForwardedOnTheOutLeg() throws Exception {
        try (Pair p = open(UUID.randomUUID(), false, WINDOW)) {
            RtsPdu ack = RtsPdus.flowControlAckWithDestination(ForwardDestination.OUT_PROXY, 1000, 262144,
                    UUID.randomUUID());
            p.in().send(ack);
            p.in().send(RtsPdus.ping());
            assertThat(p.out().readRts()).isEqualTo(ack);
            bindOver(p);
        }
        assertThat(errors).isEmpty();
    }

    // ---- v2: IN channel recycling (IN_R1, a new inbound proxy leg) ----

    @Test
    void inChannelRecyclingMovesRpcTrafficToTheSuccessorLeg() throws Exception {
        try (Pair p = open(UUID.randomUUID(), true, WINDOW); Peer successor = new Peer(http, true)) {
            bindOver(p);
            UUID next = UUID.randomUUID();
            successor.send(RtsPdus.inR1A2(1, p.vc(), p.inCookie(), next, 32768, 240_000));
            assertThat(p.out().readRts()).isEqualTo(RtsPdus.inR1A3(1, 32768, 240_000));
            echoOver(p, 2); // the predecessor still carries calls until IN_R1/A6
            p.in().send(RtsPdus.inR1A6(next));
            assertThat(p.in().readRts()).isEqualTo(RtsPdus.inR1B1());
            assertThat(successor.readRts()).isEqualTo(RtsPdus.inR1B2(65536));
            p.in().close(); // the old inbound proxy goes away; the virtual connection stays
            echoOver(new Pair(successor, p.out(), p.vc(), next, p.outCookie()), 3);
            assertThat(endpoints.virtualConnections()).isEqualTo(1);
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void inChannelRecyclingThroughTheSameProxySwitchesTheCookie() throws Exception {
        try (Pair p = open(UUID.randomUUID(), true, WINDOW)) {
            bindOver(p);
            UUID next = UUID.randomUUID();
            p.in().send(RtsPdus.inR2A2(next));
            assertThat(p.out().readRts()).isEqualTo(RtsPdus.inR2A3());
            long sent = 0;
            int calls = 0;
            while (sent < 32768) { // the next IN-leg ack names the successor channel cookie
                DcePdu.Request q = new DcePdu.Request(10 + calls, 0, 3, Octets.zeros(4000));
                sent += Peer.bytes(q).length;
                p.in().send(q);
                calls++;
            }
            assertThat(p.in().readRts()).isEqualTo(RtsPdus.flowControlAck(sent, 65536, next));
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void inChannelRecyclingWithTheWrongPredecessorIsRefused() throws Exception {
        try (Pair p = open(UUID.randomUUID(), true, WINDOW); Peer successor = new Peer(http, true)) {
            UUID wrong = UUID.fromString("00000000-0000-0000-0000-000000000001");
            successor.send(RtsPdus.inR1A2(1, p.vc(), wrong, UUID.randomUUID(), 32768, 240_000));
            assertThat(successor.closedByServer()).isTrue();
            bindOver(p); // the virtual connection is untouched
        }
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).startsWith("IN_R1/A2 predecessor channel cookie: " + "00000000-0000-0000-0000-000000000001"
                + " (expected: ");
    }

    // ---- malformed input: that connection closes with the exact error, others carry on ----

    @Test
    void malformedInputClosesOnlyThatConnection() throws Exception {
        try (Peer bystander = new Peer(http, true); Pair pair = open(UUID.randomUUID(), true, WINDOW)) {
            bystander.send(bind(1, PresentationContext.ndr(0, ECHO)));
            bystander.readDce();

            try (Peer c = new Peer(http, true)) { // a client PDU where a proxy's belongs
                c.send(RtsPdus.connB1(1, UUID.randomUUID(), UUID.randomUUID(), 0x4000_0000L, 300_000, UUID.randomUUID()));
                assertThat(c.closedByServer()).isTrue();
            }
            try (Peer c = new Peer(http, true)) { // frag_length below the header
                c.send(Octets.ofHex("05000b0310000000 0800 0000 01000000").toByteArray());
                assertThat(c.closedByServer()).isTrue();
            }
            try (Peer c = new Peer(http, true)) { // truncated bind body
                c.send(Octets.ofHex("05000b0310000000 1800 0000 01000000 d016d016").toByteArray());
                c.send(Octets.ofHex("00000000").toByteArray());
                assertFault(c.readDce(), 1, DceStatus.NCA_S_PROTO_ERROR, false);
                assertThat(c.closedByServer()).isTrue();
            }
            try (Peer c = new Peer(tcp, false)) { // RTS on ncacn_ip_tcp
                c.send(RtsPdus.ping());
                assertThat(c.closedByServer()).isTrue();
            }
            try (Peer c = new Peer(tcp, false)) { // request before bind
                c.send(new DcePdu.Request(7, 0, 0, Octets.EMPTY));
                assertFault(c.readDce(), 7, DceStatus.NCA_S_PROTO_ERROR, false);
                assertThat(c.closedByServer()).isTrue();
            }
            pair.in().send(b2(pair.vc(), UUID.randomUUID())); // a second CONN/B2 on an open IN leg
            assertThat(pair.in().closedByServer()).isTrue();
            assertThat(pair.out().closedByServer()).isTrue();

            bystander.send(new DcePdu.Request(2, 0, 0, Octets.ofHex("6f6b")));
            assertThat(((DcePdu.Response) bystander.readDce()).stub()).isEqualTo(Octets.ofHex("6f6b"));
        }
        assertThat(errors).containsExactly(
                "RTS PDU: CONN/B1 (expected: CONN/B2 or CONN/A2 or IN_R1/A2 or OUT_R1/A4)",
                "frag_length: 8 (expected: >= 16)",
                "truncated n_context_elem: 0 bytes (expected: 1)",
                "first PDU on ncacn_ip_tcp: RTS PDU (expected: a DCE/RPC PDU)",
                "request: before bind (expected: bind first)",
                "RTS PDU: CONN/B2 (expected: FlowControlAckWithDestination or Ping or Keep-Alive or IN_R2/A2)");
    }
}
