package dev.anywhere.server.endpoints;

import static dev.anywhere.server.endpoints.RpcEndpointsTest.WINDOW;
import static dev.anywhere.server.endpoints.RpcEndpointsTest.TIMEOUT;
import static dev.anywhere.server.endpoints.RpcEndpointsTest.b2;
import static dev.anywhere.server.endpoints.RpcEndpointsTest.bind;
import static dev.anywhere.server.endpoints.RpcEndpointsTest.u32;
import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.rpch.ForwardDestination;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RtsPdu;
import dev.anywhere.rpc.rpch.RtsPdus;
import dev.anywhere.server.endpoints.RpcEndpointsTest.Pair;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's part of OUT channel recycling ([MS-RPCH] 3.2.1.5.3.4 OUT_R1, 3.2.1.5.3.5 OUT_R2) against scripted proxy
 * legs: lifetime counting (RPC and RTS bytes, Ping Traffic Sent Notify), OUT_R2/A1, both sequences, the switch without
 * losing, duplicating or reordering a PDU, and the error paths with their exact messages.
 */
class OutChannelRecyclingTest {

    /** The smallest ChannelLifetime; recycling starts at 7/8 of it (114 688 bytes). */
    static final long LIFETIME = 0x20000;
    static final long RECYCLE_AT = LIFETIME - LIFETIME / 8;
    /** CONN/A3 (the proxy's own) and CONN/C1 already travelled on a new OUT channel. */
    static final long OPENING_BYTES = 28 + 44;

    private final List<String> errors = new CopyOnWriteArrayList<>();
    private RpcEndpoints endpoints;
    private int http;
    /** The bind_ack of {@link #open}: the first RPC bytes on the OUT channel. */
    private long opened;

    @BeforeEach
    void start() throws Exception {
        endpoints = RpcEndpoints.start(RpcEndpoints.Options.defaults(InetAddress.getByName("127.0.0.1"))
                .withPorts(List.of(0)).withExtra(RpcEndpointsTest.echo())
                .withConnectionSetupTimeout(Duration.ofSeconds(5))
                .withErrors((remote, message) -> errors.add(message)));
        http = endpoints.ports().get(0);
    }

    @AfterEach
    void stop() {
        endpoints.close();
    }

    /** A scripted outbound proxy's view of one OUT leg: RPC bytes received (for its acks). */
    static final class OutLeg {
        final Peer peer;
        final UUID cookie;
        long rpcBytes;
        int lastLength;

        OutLeg(Peer peer, UUID cookie) {
            this.peer = peer;
            this.cookie = cookie;
        }

        /** The next PDU; RPC PDUs are acked at once with the whole window open. */
        Object next() throws Exception {
            byte[] b = peer.readPdu();
            lastLength = b.length;
            if (b[2] == 20) {
                return RpchCodec.decode(Unpooled.wrappedBuffer(b));
            }
            rpcBytes += b.length;
            peer.send(RtsPdus.flowControlAck(rpcBytes, WINDOW, cookie));
            return DceCodec.decode(Unpooled.wrappedBuffer(b));
        }
    }

    Pair open(UUID vc) throws Exception {
        UUID inCookie = UUID.randomUUID();
        UUID outCookie = UUID.randomUUID();
        Peer out = new Peer(http, true);
        Peer in = new Peer(http, true);
        out.send(RtsPdus.connA2(1, vc, outCookie, LIFETIME, WINDOW));
        in.send(b2(vc, inCookie));
        assertThat(out.readRts()).isEqualTo(RtsPdus.connC1(1, WINDOW, TIMEOUT));
        assertThat(in.readRts()).isEqualTo(RtsPdus.connB3(65536, 1));
        Pair p = new Pair(in, out, vc, inCookie, outCookie);
        p.in().send(bind(1, PresentationContext.ndr(0, RpcEndpointsTest.ECHO)));
        byte[] ack = p.out().readPdu();
        assertThat(DceCodec.decode(Unpooled.wrappedBuffer(ack))).isInstanceOf(DcePdu.BindAck.class);
        opened = OPENING_BYTES + ack.length;
        return p;
    }

    /** Calls answering 4000 pattern bytes until the server sends OUT_R2/A1; returns the OUT leg's lifetime bytes. */
    static long driveToRecycle(Pair p, OutLeg out, long alreadySent, int firstCallId) throws Exception {
        long sent = alreadySent;
        for (int call = firstCallId; call < firstCallId + 100; call++) {
            p.in().send(new DcePdu.Request(call, 0, 1, u32(4000)));
            Object pdu = out.next();
            if (pdu instanceof RtsPdu r) {
                throw new AssertionError("unexpected " + r);
            }
            sent += out.lastLength;
            if (sent >= RECYCLE_AT) {
                assertThat(out.next()).isEqualTo(RtsPdus.outR2A1()); // right after the PDU that crossed 7/8
                return sent + 28;
            }
        }
        throw new AssertionError("no OUT_R2/A1 after 100 calls");
    }

    static void echo(Pair p, OutLeg out, int callId) throws Exception {
        p.in().send(new DcePdu.Request(callId, 0, 0, u32(callId)));
        DcePdu.Response r = (DcePdu.Response) out.next();
        assertThat(r.callId()).isEqualTo(callId);
        assertThat(r.stub()).isEqualTo(u32(callId));
    }

    @Test
    void outR1MovesTrafficToTheSuccessorLegAfterOutR1A8() throws Exception {
        try (Pair p = open(UUID.randomUUID()); Peer next = new Peer(http, true)) {
            OutLeg old = new OutLeg(p.out(), p.outCookie());
            old.rpcBytes = opened - OPENING_BYTES;
            driveToRecycle(p, old, opened, 2);
            UUID succ = UUID.randomUUID();
            next.send(RtsPdus.outR1A4(1, p.vc(), p.outCookie(), succ, LIFETIME, 32768, 240_000));
            assertThat(old.next()).isEqualTo(RtsPdus.outR1A5(1, 240_000));
            echo(p, old, 200); // the predecessor carries responses until OUT_R1/A8
            p.in().send(RtsPdus.outR1A8(succ));
            assertThat(old.next()).isEqualTo(RtsPdus.outR1A9());
            OutLeg fresh = new OutLeg(next, succ);
            echo(p, fresh, 201);
            // The client's acks for the predecessor still reach its proxy, which is draining.
            RtsPdu ackOld = RtsPdus.flowControlAckWithDestination(ForwardDestination.OUT_PROXY, 5000, 262144, p.outCookie());
            RtsPdu ackNew = RtsPdus.flowControlAckWithDestination(ForwardDestination.OUT_PROXY, 100, 262144, succ);
            p.in().send(ackOld).send(ackNew);
            assertThat(old.next()).isEqualTo(ackOld);
            assertThat(fresh.next()).isEqualTo(ackNew);
            p.out().close(); // the old outbound proxy finished (OUT_R1/A10) and let go: the connection stays
            echo(p, fresh, 202);
            assertThat(endpoints.virtualConnections()).isEqualTo(1);
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void outR1SwitchKeepsOrderWhenResponsesWaitForTheWindow() throws Exception {
        try (Pair p = open(UUID.randomUUID()); Peer next = new Peer(http, true)) {
            OutLeg old = new OutLeg(p.out(), p.outCookie());
            old.rpcBytes = opened - OPENING_BYTES;
            driveToRecycle(p, old, opened, 2);
            UUID succ = UUID.randomUUID();
            next.send(RtsPdus.outR1A4(1, p.vc(), p.outCookie(), succ, LIFETIME, WINDOW, 120_000));
            assertThat(old.next()).isEqualTo(RtsPdus.outR1A5(1, 120_000));
            // No more acks on the predecessor: its window closes after a few responses, the rest wait in our queue.
            for (int call = 300; call < 320; call++) {
                p.in().send(new DcePdu.Request(call, 0, 0, Octets4k.of(call)));
            }
            List<Integer> onOld = new ArrayList<>();
            for (byte[] b = p.out().readPduWithin(300); b != null; b = p.out().readPduWithin(300)) {
                onOld.add(((DcePdu.Response) DceCodec.decode(Unpooled.wrappedBuffer(b))).callId());
            }
            assertThat(onOld.size()).isBetween(1, 19);
            p.in().send(RtsPdus.outR1A8(succ));
            assertThat(p.out().readRts()).isEqualTo(RtsPdus.outR1A9()); // after every response written to it
            OutLeg fresh = new OutLeg(next, succ);
            List<Integer> all = new ArrayList<>(onOld);
            while (all.size() < 20) {
                DcePdu.Response r = (DcePdu.Response) fresh.next();
                assertThat(r.stub()).isEqualTo(Octets4k.of(r.callId()));
                all.add(r.callId());
            }
            assertThat(all).containsExactlyElementsOf(java.util.stream.IntStream.range(300, 320).boxed().toList());
            assertThat(fresh.peer.silentFor(100)).isTrue();
        }
        assertThat(errors).isEmpty();
    }

    /** Stubs of 4000 bytes that name their call. */
    static final class Octets4k {
        static dev.anywhere.rpc.wire.Octets of(int call) {
            byte[] b = new byte[4000];
            java.util.Arrays.fill(b, (byte) call);
            return dev.anywhere.rpc.wire.Octets.of(b);
        }
    }

    @Test
    void outR2SwitchesTheCookieOnTheSameLegAndRestartsTheLifetime() throws Exception {
        try (Pair p = open(UUID.randomUUID())) {
            OutLeg out = new OutLeg(p.out(), p.outCookie());
            out.rpcBytes = opened - OPENING_BYTES;
            driveToRecycle(p, out, opened, 2);
            UUID succ = UUID.randomUUID();
            p.out().send(RtsPdus.outR2A4(succ));
            assertThat(out.next()).isEqualTo(RtsPdus.outR2A5());
            echo(p, out, 200);
            p.in().send(RtsPdus.outR2A7(succ, 1)); // as the client sent it; a Windows inbound proxy strips the Version
            assertThat(out.next()).isEqualTo(RtsPdus.outR2B1());
            // Fresh counters under the successor cookie; the next recycling comes after another 7/8 lifetime.
            OutLeg successor = new OutLeg(p.out(), succ);
            long sent = driveToRecycle(p, successor, 0, 400);
            assertThat(sent).isBetween(RECYCLE_AT, RECYCLE_AT + 4100);
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void outR2AcceptsOutR2A8() throws Exception {
        try (Pair p = open(UUID.randomUUID())) {
            OutLeg out = new OutLeg(p.out(), p.outCookie());
            out.rpcBytes = opened - OPENING_BYTES;
            driveToRecycle(p, out, opened, 2);
            UUID succ = UUID.randomUUID();
            p.out().send(RtsPdus.outR2A4(succ));
            assertThat(out.next()).isEqualTo(RtsPdus.outR2A5());
            p.in().send(RtsPdus.outR2A8(succ));
            assertThat(out.next()).isEqualTo(RtsPdus.outR2B1());
            echo(p, new OutLeg(p.out(), succ), 300);
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void pingTrafficSentNotifyCountsAgainstTheLifetime() throws Exception {
        try (Pair p = open(UUID.randomUUID())) {
            p.out().send(RtsPdus.pingTrafficSentNotify(RECYCLE_AT - opened - 1));
            assertThat(p.out().silentFor(150)).isTrue(); // one byte short
            p.out().send(RtsPdus.pingTrafficSentNotify(1));
            assertThat(p.out().readRts()).isEqualTo(RtsPdus.outR2A1());
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void responsesWaitForTheSuccessorRatherThanExceedTheLifetime() throws Exception {
        try (Pair p = open(UUID.randomUUID()); Peer next = new Peer(http, true)) {
            OutLeg old = new OutLeg(p.out(), p.outCookie());
            old.rpcBytes = opened - OPENING_BYTES;
            long sent = driveToRecycle(p, old, opened, 2);
            long rpc = 0;
            int call = 500;
            List<Integer> onOld = new ArrayList<>();
            for (; call < 520; call++) {
                p.in().send(new DcePdu.Request(call, 0, 0, Octets4k.of(call)));
            }
            for (byte[] b = p.out().readPduWithin(300); b != null; b = p.out().readPduWithin(300)) {
                sent += b.length;
                old.rpcBytes += b.length;
                p.out().send(RtsPdus.flowControlAck(old.rpcBytes, WINDOW, p.outCookie()));
                onOld.add(((DcePdu.Response) DceCodec.decode(Unpooled.wrappedBuffer(b))).callId());
            }
            assertThat(sent).isLessThanOrEqualTo(LIFETIME - VirtualConnection.RTS_RESERVE);
            assertThat(onOld.size()).isLessThan(20);
            UUID succ = UUID.randomUUID();
            next.send(RtsPdus.outR1A4(1, p.vc(), p.outCookie(), succ, LIFETIME, WINDOW, 120_000));
            assertThat(old.next()).isEqualTo(RtsPdus.outR1A5(1, 120_000));
            p.in().send(RtsPdus.outR1A8(succ));
            assertThat(old.next()).isEqualTo(RtsPdus.outR1A9());
            OutLeg fresh = new OutLeg(next, succ);
            List<Integer> all = new ArrayList<>(onOld);
            while (all.size() < 20) {
                all.add(((DcePdu.Response) fresh.next()).callId());
            }
            assertThat(all).containsExactlyElementsOf(java.util.stream.IntStream.range(500, 520).boxed().toList());
        }
        assertThat(errors).isEmpty();
    }

    // ---- error paths: exact messages ----

    @Test
    void outR1A4BeforeOurOutR2A1IsRefusedOnThatLegOnly() throws Exception {
        try (Pair p = open(UUID.randomUUID()); Peer next = new Peer(http, true)) {
            next.send(RtsPdus.outR1A4(1, p.vc(), p.outCookie(), UUID.randomUUID(), LIFETIME, WINDOW, 120_000));
            assertThat(next.closedByServer()).isTrue();
            echo(p, new OutLeg(p.out(), p.outCookie()), 2);
            assertThat(errors).containsExactly("OUT_R1/A4: virtual connection " + p.vc() + " is not waiting for a "
                    + "successor OUT channel (expected: OUT_R1/A4 only after our OUT_R2/A1)");
        }
    }

    @Test
    void outR1A4ForAnUnknownVirtualConnectionIsRefused() throws Exception {
        UUID vc = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
        try (Peer next = new Peer(http, true)) {
            next.send(RtsPdus.outR1A4(1, vc, UUID.randomUUID(), UUID.randomUUID(), LIFETIME, WINDOW, 120_000));
            assertThat(next.closedByServer()).isTrue();
        }
        assertThat(errors).containsExactly("OUT_R1/A4: virtual connection " + vc + " unknown (expected: an open virtual "
                + "connection)");
    }

    @Test
    void outR1A4WithTheWrongPredecessorIsRefused() throws Exception {
        try (Pair p = open(UUID.randomUUID()); Peer next = new Peer(http, true)) {
            OutLeg old = new OutLeg(p.out(), p.outCookie());
            old.rpcBytes = opened - OPENING_BYTES;
            driveToRecycle(p, old, opened, 2);
            UUID wrong = UUID.fromString("00000000-0000-0000-0000-000000000001");
            next.send(RtsPdus.outR1A4(1, p.vc(), wrong, UUID.randomUUID(), LIFETIME, WINDOW, 120_000));
            assertThat(next.closedByServer()).isTrue();
            echo(p, old, 200);
            assertThat(errors).containsExactly("OUT_R1/A4 predecessor channel cookie: " + wrong + " (expected: "
                    + p.outCookie() + ")");
        }
    }

    @Test
    void outR1A8WithTheWrongSuccessorClosesTheVirtualConnection() throws Exception {
        UUID succ = UUID.randomUUID();
        try (Pair p = open(UUID.randomUUID()); Peer next = new Peer(http, true)) {
            OutLeg old = new OutLeg(p.out(), p.outCookie());
            old.rpcBytes = opened - OPENING_BYTES;
            driveToRecycle(p, old, opened, 2);
            next.send(RtsPdus.outR1A4(1, p.vc(), p.outCookie(), succ, LIFETIME, WINDOW, 120_000));
            assertThat(old.next()).isEqualTo(RtsPdus.outR1A5(1, 120_000));
            UUID wrong = UUID.fromString("00000000-0000-0000-0000-000000000002");
            p.in().send(RtsPdus.outR1A8(wrong));
            assertThat(p.in().closedByServer()).isTrue();
            assertThat(p.out().closedByServer()).isTrue();
            assertThat(next.closedByServer()).isTrue();
        }
        assertThat(errors).containsExactly("OUT_R1/A8 successor channel cookie: 00000000-0000-0000-0000-000000000002 "
                + "(expected: " + succ + ")");
        assertThat(endpoints.virtualConnections()).isZero();
    }

    @Test
    void recyclingPdusOutOfSequenceAreProtocolErrors() throws Exception {
        try (Pair p = open(UUID.randomUUID())) { // OUT_R2/A4 on the OUT leg before our OUT_R2/A1
            p.out().send(RtsPdus.outR2A4(UUID.randomUUID()));
            assertThat(p.out().closedByServer()).isTrue();
            assertThat(p.in().closedByServer()).isTrue();
        }
        try (Pair p = open(UUID.randomUUID())) { // OUT_R1/A8 on the IN leg with no recycling in progress
            p.in().send(RtsPdus.outR1A8(UUID.randomUUID()));
            assertThat(p.in().closedByServer()).isTrue();
        }
        try (Pair p = open(UUID.randomUUID()); Peer next = new Peer(http, true)) { // successor speaks before the switch
            OutLeg old = new OutLeg(p.out(), p.outCookie());
            old.rpcBytes = opened - OPENING_BYTES;
            driveToRecycle(p, old, opened, 2);
            UUID succ = UUID.randomUUID();
            next.send(RtsPdus.outR1A4(1, p.vc(), p.outCookie(), succ, LIFETIME, WINDOW, 120_000));
            assertThat(p.out().readRts()).isEqualTo(RtsPdus.outR1A5(1, 120_000));
            next.send(RtsPdus.pingTrafficSentNotify(20)).send(RtsPdus.ping()); // allowed
            next.send(RtsPdus.outR1A9());
            assertThat(next.closedByServer()).isTrue();
            assertThat(p.in().closedByServer()).isTrue();
        }
        try (Pair p = open(UUID.randomUUID()); Peer next = new Peer(http, true)) { // successor goes away mid-switch
            OutLeg old = new OutLeg(p.out(), p.outCookie());
            old.rpcBytes = opened - OPENING_BYTES;
            driveToRecycle(p, old, opened, 2);
            next.send(RtsPdus.outR1A4(1, p.vc(), p.outCookie(), UUID.randomUUID(), LIFETIME, WINDOW, 120_000));
            assertThat(p.out().readRts()).isEqualTo(RtsPdus.outR1A5(1, 120_000));
            next.close();
            assertThat(p.in().closedByServer()).isTrue();
        }
        assertThat(errors).containsExactly(
                "RTS PDU: IN_R1/A5|IN_R1/A6|IN_R2/A2|IN_R2/A5|OUT_R2/A4 (expected: FlowControlAck or Ping or Ping "
                        + "Traffic Sent Notify)",
                "RTS PDU: OUT_R1/A7|OUT_R1/A8|OUT_R2/A8 (expected: FlowControlAckWithDestination or Ping or Keep-Alive "
                        + "or IN_R2/A2)",
                "RTS PDU: OUT_R1/A9|OUT_R1/A10|OUT_R1/A11|OUT_R2/B1 (expected: Ping or Ping Traffic Sent Notify or "
                        + "FlowControlAck)");
        assertThat(endpoints.virtualConnections()).isZero();
    }

    @Test
    void aClientThatNeverRecyclesEndsTheConnectionOnceTheQueueIsFull() throws Exception {
        endpoints.close();
        endpoints = RpcEndpoints.start(RpcEndpoints.Options.defaults(InetAddress.getByName("127.0.0.1"))
                .withPorts(List.of(0)).withExtra(RpcEndpointsTest.echo())
                .withLimits(new RpcEndpoints.Limits(5840, 65536, 1 << 20, 16384, 64, Duration.ofSeconds(5), 16))
                .withErrors((remote, message) -> errors.add(message)));
        http = endpoints.ports().get(0);
        try (Pair p = open(UUID.randomUUID())) {
            OutLeg out = new OutLeg(p.out(), p.outCookie());
            out.rpcBytes = opened - OPENING_BYTES;
            driveToRecycle(p, out, opened, 2);
            // No OUT_R1/A4 or OUT_R2/A4 comes (Samba ignores OUT_R1/A2): responses pile up, the IN leg is still read.
            for (int call = 600; call < 612; call++) {
                p.in().send(new DcePdu.Request(call, 0, 0, Octets4k.of(call)));
            }
            assertThat(p.in().closedByServer()).isTrue();
            assertThat(p.out().closedByServer()).isTrue();
        }
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).startsWith("OUT channel recycling: ")
                .endsWith(" response bytes queued (expected: <= 32768 while the OUT channel is replaced)");
    }
}
