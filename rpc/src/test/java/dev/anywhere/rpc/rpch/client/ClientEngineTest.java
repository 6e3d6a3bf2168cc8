package dev.anywhere.rpc.rpch.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.dce.PduType;
import dev.anywhere.rpc.rpch.ForwardDestination;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RtsMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Drives the client role's state machine with the PDU sequences of [MS-RPCH] 3.2.2.4 (opening, IN and OUT recycling)
 * and 3.2.1.4.1 (flow control), and checks every action it asks for, in order; a wrong or missing transition fails.
 */
class ClientEngineTest {

    private static final long WINDOW = 65_536;
    private static final long LIFETIME = 1L << 30;

    /** What the engine asked for, in order. */
    private record Sent(ClientChannel channel, RtsMessage pdu) {
    }

    private final List<Object> actions = new ArrayList<>();
    private long now;

    private final ClientEngine.Actions recorder = new ClientEngine.Actions() {
        @Override
        public int send(ClientChannel channel, RtsMessage pdu) {
            actions.add(new Sent(channel, pdu));
            return RpchCodec.toBytes(pdu).length;
        }

        @Override
        public void opened() {
            actions.add("opened");
        }

        @Override
        public void openSuccessor(ClientChannel successor) {
            actions.add("open " + successor);
        }

        @Override
        public void switched(ClientChannel channel) {
            actions.add("switched " + channel);
        }

        @Override
        public void windowOpened() {
            actions.add("window");
        }

        @Override
        public void failed(ClientFault fault) {
            actions.add(new Fault(fault.kind(), fault.opened(), fault.message()));
        }
    };

    private ClientEngine engine(long inRecycleAfter, boolean recycles) {
        return new ClientEngine(new ClientEngine.Settings(WINDOW, LIFETIME, inRecycleAfter, 300_000, 0, recycles, "EX1:6001",
                () -> now), recorder);
    }

    private ClientEngine engine() {
        return engine(Long.MAX_VALUE, true);
    }

    /** A fault as the tests compare it: kind, when, and the English line. */
    private record Fault(ClientFault.Kind kind, boolean opened, String message) {
    }

    private static Fault fault(ClientFault f) {
        return new Fault(f.kind(), f.opened(), f.message());
    }

    private List<Object> take() {
        List<Object> copy = List.copyOf(actions);
        actions.clear();
        return copy;
    }

    private static RtsMessage pdu(Object action) {
        return ((Sent) action).pdu();
    }

    /** CONN/A1, CONN/B1, then CONN/A3 and CONN/C2 with the inbound proxy's window {@code peerWindow}. */
    private ClientEngine opened(ClientEngine e, long peerWindow) {
        e.start();
        e.onRts(new RtsMessage.ConnA3(900_000));
        e.onRts(new RtsMessage.ConnC1(1, peerWindow, 120_000)); // CONN/C2
        actions.clear();
        return e;
    }

    private UUID outCookie;
    private UUID inCookie;

    private ClientEngine openedRemembering(ClientEngine e, long peerWindow) {
        e.start();
        List<Object> conn = take();
        outCookie = ((RtsMessage.ConnA1) pdu(conn.get(0))).outChannelCookie();
        inCookie = ((RtsMessage.ConnB1) pdu(conn.get(1))).inChannelCookie();
        e.onRts(new RtsMessage.ConnA3(900_000));
        e.onRts(new RtsMessage.ConnC1(1, peerWindow, 120_000));
        actions.clear();
        return e;
    }

    // ================================================================== opening

    @Test
    void opensWithConnA1OnOutThenConnB1OnInAndIsOpenAfterConnC2() {
        ClientEngine e = engine();
        e.start();
        List<Object> sent = take();
        assertThat(sent).hasSize(2);
        assertThat(((Sent) sent.get(0)).channel()).isEqualTo(ClientChannel.OUT);
        RtsMessage.ConnA1 a1 = (RtsMessage.ConnA1) pdu(sent.get(0));
        assertThat(((Sent) sent.get(1)).channel()).isEqualTo(ClientChannel.IN);
        RtsMessage.ConnB1 b1 = (RtsMessage.ConnB1) pdu(sent.get(1));
        assertThat(a1.version()).isEqualTo(1);
        assertThat(a1.receiveWindowSize()).isEqualTo(WINDOW);
        assertThat(b1.virtualConnectionCookie()).isEqualTo(a1.virtualConnectionCookie()).isEqualTo(e.cookie());
        assertThat(b1.channelLifetime()).isEqualTo(LIFETIME);
        assertThat(b1.clientKeepalive()).isEqualTo(300_000);
        assertThat(b1.inChannelCookie()).isNotEqualTo(a1.outChannelCookie());
        assertThat(e.phase()).isEqualTo(ClientEngine.Phase.WAIT_A3);

        e.onRts(new RtsMessage.ConnA3(900_000));
        assertThat(take()).isEmpty();
        assertThat(e.phase()).isEqualTo(ClientEngine.Phase.WAIT_C2);
        assertThat(e.outProxyConnectionTimeout()).isEqualTo(900_000);

        e.onRts(new RtsMessage.ConnC1(1, 131_072, 120_000));
        assertThat(take()).containsExactly("opened");
        assertThat(e.isOpened()).isTrue();
        assertThat(e.peerWindow()).isEqualTo(131_072);
        assertThat(e.peerAvailable()).isEqualTo(131_072);
        assertThat(e.connectionTimeout()).isEqualTo(120_000);
    }

    @Test
    void connC2BeforeConnA3FailsNamingBoth() {
        ClientEngine e = engine();
        e.start();
        actions.clear();
        e.onRts(new RtsMessage.ConnC1(1, WINDOW, 120_000));
        assertThat(take()).containsExactly(new Fault(ClientFault.Kind.PROTOCOL, false,
                "RTS PDU: CONN/C1|CONN/C2 (expected: CONN/A3)"));
        assertThat(e.phase()).isEqualTo(ClientEngine.Phase.FAILED);
        e.onRts(new RtsMessage.ConnA3(900_000)); // input after a failure is discarded
        assertThat(take()).isEmpty();
    }

    /** Started, CONN/A3 received: waiting for CONN/C2. */
    private ClientEngine waitingForC2() {
        ClientEngine e = engine();
        e.start();
        e.onRts(new RtsMessage.ConnA3(900_000));
        actions.clear();
        return e;
    }

    @Test
    void pingInsteadOfConnC2Fails() {
        ClientEngine e = waitingForC2();
        e.onRts(new RtsMessage.Ping());
        assertThat(take()).containsExactly(new Fault(ClientFault.Kind.PROTOCOL, false,
                "RTS PDU: Ping (expected: CONN/C2)"));
    }

    @Test
    void anRpcPduBeforeConnC2FailsAndIsNotDelivered() {
        ClientEngine e = waitingForC2();
        assertThat(e.onRpc(PduType.BIND_ACK.value(), 60)).isFalse();
        assertThat(take()).containsExactly(new Fault(ClientFault.Kind.PROTOCOL, false,
                "OUT channel: bind_ack PDU (expected: CONN/C2)"));
    }

    @Test
    void closedChannelsAreNamedByWhatWasAwaited() {
        ClientEngine e = engine();
        e.start();
        assertThat(e.channelClosed(ClientChannel.OUT).message()).isEqualTo("the proxy closed the OUT channel before answering the channel request");
        e.outResponded();
        assertThat(e.channelClosed(ClientChannel.OUT).message()).isEqualTo("the proxy closed the OUT channel after 200, before CONN/A3");
        e.onRts(new RtsMessage.ConnA3(900_000));
        assertThat(fault(e.channelClosed(ClientChannel.IN))).isEqualTo(new Fault(ClientFault.Kind.CLOSED, false,
                "the proxy closed the IN channel after CONN/A3, before CONN/C2 (the RPC server did not complete the virtual "
                        + "connection; is EX1:6001 an ncacn_http listener?)"));
        e.onRts(new RtsMessage.ConnC1(1, WINDOW, 120_000));
        assertThat(fault(e.channelClosed(ClientChannel.IN))).isEqualTo(new Fault(ClientFault.Kind.CLOSED, true,
                "the proxy closed the IN channel while open"));
        e.close();
        assertThat(e.channelClosed(ClientChannel.IN)).isNull();
    }

    /** Only an open IN channel's close with answers awaited waits; the OUT channel carries the answers themselves. */
    @Test
    void anInCloseWaitsForAnswersOnlyWhileOpenAndAwaitingThem() {
        ClientEngine e = engine();
        e.start();
        assertThat(e.closeGraceMillis(ClientChannel.IN, true)).as("opening").isZero();
        e.onRts(new RtsMessage.ConnA3(900_000));
        e.onRts(new RtsMessage.ConnC1(1, WINDOW, 120_000));
        assertThat(e.closeGraceMillis(ClientChannel.IN, true)).isEqualTo(ClientEngine.CLOSE_GRACE_MILLIS).isEqualTo(150);
        assertThat(e.closeGraceMillis(ClientChannel.IN, false)).as("nothing awaited").isZero();
        assertThat(e.closeGraceMillis(ClientChannel.OUT, true)).as("OUT").isZero();
        e.close();
        assertThat(e.closeGraceMillis(ClientChannel.IN, true)).as("closed").isZero();
    }

    // ================================================================== flow control

    @Test
    void receiverAcksOnceHalfTheWindowIsConsumedWithTheOutChannelCookie() {
        ClientEngine e = openedRemembering(engine(), WINDOW);
        assertThat(e.onRpc(PduType.RESPONSE.value(), 32_767)).isTrue();
        assertThat(take()).isEmpty();
        assertThat(e.onRpc(PduType.RESPONSE.value(), 1)).isTrue();
        assertThat(take()).containsExactly(new Sent(ClientChannel.IN,
                new RtsMessage.FlowControlAckWithDestination(ForwardDestination.OUT_PROXY, 32_768, WINDOW, outCookie)));
        assertThat(e.onRpc(PduType.RESPONSE.value(), 32_767)).isTrue();
        assertThat(take()).isEmpty(); // counting restarts after each ack
        e.onRpc(PduType.RESPONSE.value(), 1);
        assertThat(((RtsMessage.FlowControlAckWithDestination) pdu(take().get(0))).bytesReceived()).isEqualTo(65_536);
        assertThat(e.acksSent()).isEqualTo(2);
    }

    @Test
    void senderStopsAtTheWindowAndResumesOnAnAckForItsInChannel() {
        ClientEngine e = openedRemembering(engine(), 10_000);
        assertThat(e.mayWrite(10_001)).isFalse();
        assertThat(e.mayWrite(10_000)).isTrue();
        e.wrote(6_000);
        assertThat(e.mayWrite(4_000)).isTrue();
        assertThat(e.mayWrite(4_001)).isFalse();
        e.wrote(4_000);
        assertThat(e.mayWrite(1)).isFalse();

        e.onRts(new RtsMessage.FlowControlAck(10_000, 10_000, UUID.randomUUID())); // another channel's: discarded
        assertThat(take()).isEmpty();
        assertThat(e.mayWrite(1)).isFalse();

        // 4,000 of the 10,000 sent arrived; the proxy has 10,000 free: 10,000 - (10,000 - 4,000) available
        e.onRts(new RtsMessage.FlowControlAckWithDestination(ForwardDestination.CLIENT, 4_000, 10_000, inCookie));
        assertThat(take()).containsExactly("window");
        assertThat(e.peerAvailable()).isEqualTo(4_000);
        assertThat(e.mayWrite(4_000)).isTrue();
        assertThat(e.mayWrite(4_001)).isFalse();
        assertThat(e.acksReceived()).isEqualTo(1);
    }

    @Test
    void anAckClaimingMoreThanWasSentOpensTheWholeWindow() {
        ClientEngine e = openedRemembering(engine(), 10_000);
        e.wrote(1_000);
        e.onRts(new RtsMessage.FlowControlAck(5_000, 10_000, inCookie));
        assertThat(e.peerAvailable()).isEqualTo(10_000);
    }

    @Test
    void nothingMayBeWrittenBeforeConnC2() {
        ClientEngine e = engine();
        e.start();
        assertThat(e.mayWrite(1)).isFalse();
    }

    // ================================================================== pings

    @Test
    void pingsOnlyAnIdleInChannel() {
        ClientEngine e = opened(engine(), WINDOW);
        assertThat(e.pingIntervalMillis()).isEqualTo(60_000); // half the CONN/C2 connection timeout of 120 s
        now += 50_000_000_000L; // 50 s: under 9/10 of the interval
        e.onPingTimer();
        assertThat(take()).isEmpty();
        now += 5_000_000_000L;
        e.onPingTimer();
        assertThat(take()).containsExactly(new Sent(ClientChannel.IN, new RtsMessage.Ping()));
        e.wrote(100);
        now += 30_000_000_000L;
        e.onPingTimer();
        assertThat(take()).isEmpty();
        assertThat(e.pingsSent()).isEqualTo(1);
    }

    // ================================================================== IN channel recycling

    @Test
    void inChannelIsRecycledWhenItsBudgetIsUsedWithRpcPdusHeldUntilInR1A4() {
        ClientEngine e = openedRemembering(engine(50_000, true), WINDOW);
        e.wrote(40_000);
        assertThat(take()).isEmpty();
        e.wrote(10_000);
        assertThat(take()).containsExactly("open IN_SUCCESSOR");
        assertThat(e.mayWrite(1)).as("held while recycling").isFalse();

        assertThat(e.successorReady(ClientChannel.IN_SUCCESSOR)).isTrue();
        List<Object> a1 = take();
        assertThat(a1).hasSize(1);
        assertThat(((Sent) a1.get(0)).channel()).isEqualTo(ClientChannel.IN_SUCCESSOR);
        RtsMessage.InR1A1 r1a1 = (RtsMessage.InR1A1) pdu(a1.get(0));
        assertThat(r1a1.virtualConnectionCookie()).isEqualTo(e.cookie());
        assertThat(r1a1.predecessorChannelCookie()).isEqualTo(inCookie);
        UUID successor = r1a1.successorChannelCookie();

        e.onRts(new RtsMessage.InR1A3(ForwardDestination.CLIENT, 1, 131_072, 240_000)); // IN_R1/A4
        assertThat(take()).containsExactly(new Sent(ClientChannel.IN, new RtsMessage.InR1A5(successor)),
                "switched IN", "window");
        assertThat(e.inRecycles()).isEqualTo(1);
        assertThat(e.peerWindow()).isEqualTo(131_072);
        assertThat(e.connectionTimeout()).isEqualTo(240_000);
        assertThat(e.mayWrite(131_072)).isTrue();

        e.wrote(131_072);
        e.onRts(new RtsMessage.FlowControlAck(131_072, 131_072, inCookie)); // the predecessor's cookie: discarded
        assertThat(e.acksReceived()).isZero();
        e.onRts(new RtsMessage.FlowControlAck(131_072, 131_072, successor));
        assertThat(e.acksReceived()).isEqualTo(1);
    }

    @Test
    void inR2A4SwitchesKeepingTheWindow() {
        ClientEngine e = opened(engine(), 20_000);
        assertThat(e.recycleIn()).isTrue();
        assertThat(e.recycleIn()).as("already under way").isFalse();
        e.successorReady(ClientChannel.IN_SUCCESSOR);
        actions.clear();
        e.onRts(new RtsMessage.InR2A3(ForwardDestination.CLIENT)); // IN_R2/A4
        List<Object> done = take();
        assertThat(pdu(done.get(0))).isInstanceOf(RtsMessage.InR1A5.class);
        assertThat(done.subList(1, 3)).containsExactly("switched IN", "window");
        assertThat(e.peerWindow()).isEqualTo(20_000);
    }

    @Test
    void inR1A4WithoutRecyclingIsIgnored() {
        ClientEngine e = opened(engine(), WINDOW);
        e.onRts(new RtsMessage.InR1A3(ForwardDestination.CLIENT, 1, 131_072, 240_000));
        assertThat(take()).isEmpty();
        assertThat(e.peerWindow()).isEqualTo(WINDOW);
        assertThat(e.isOpened()).isTrue();
    }

    // ================================================================== OUT channel recycling

    /** OUT_R1/A2, then the successor's OUT_R1/A3; returns the successor cookie. */
    private UUID startOutRecycling(ClientEngine e) {
        e.onRts(new RtsMessage.OutR1A1(ForwardDestination.CLIENT)); // OUT_R1/A2
        assertThat(take()).containsExactly("open OUT_SUCCESSOR");
        assertThat(e.disposition(ClientChannel.OUT_SUCCESSOR)).isEqualTo(ClientEngine.Disposition.HOLD);
        assertThat(e.successorReady(ClientChannel.OUT_SUCCESSOR)).isTrue();
        List<Object> a3 = take();
        assertThat(((Sent) a3.get(0)).channel()).isEqualTo(ClientChannel.OUT_SUCCESSOR);
        RtsMessage.OutR1A3 r1a3 = (RtsMessage.OutR1A3) pdu(a3.get(0));
        assertThat(r1a3.predecessorChannelCookie()).isEqualTo(outCookie);
        assertThat(r1a3.receiveWindowSize()).isEqualTo(WINDOW);
        return r1a3.successorChannelCookie();
    }

    @Test
    void outChannelRecyclingR1() {
        ClientEngine e = openedRemembering(engine(), WINDOW);
        e.onRpc(PduType.RESPONSE.value(), 30_000);
        UUID successor = startOutRecycling(e);

        e.onRts(new RtsMessage.OutR1A5(ForwardDestination.CLIENT, 1, 120_000)); // OUT_R1/A6
        assertThat(take()).containsExactly(new Sent(ClientChannel.IN, new RtsMessage.OutR1A7(ForwardDestination.SERVER, successor)));
        assertThat(e.channelClosed(ClientChannel.OUT)).as("the predecessor may end now").isNull();

        e.onRts(new RtsMessage.OutR1A9()); // OUT_R1/A10
        assertThat(take()).containsExactly(new Sent(ClientChannel.OUT_SUCCESSOR, new RtsMessage.OutR1A9()), "switched OUT");
        assertThat(e.outRecycles()).isEqualTo(1);
        assertThat(e.disposition(ClientChannel.OUT_SUCCESSOR)).isEqualTo(ClientEngine.Disposition.DROP);

        // the new channel's bytes count from zero, acked with its cookie
        e.onRpc(PduType.RESPONSE.value(), 32_768);
        assertThat(take()).containsExactly(new Sent(ClientChannel.IN,
                new RtsMessage.FlowControlAckWithDestination(ForwardDestination.OUT_PROXY, 32_768, WINDOW, successor)));
        assertThat(e.channelClosed(ClientChannel.OUT)).isNotNull();
    }

    @Test
    void outChannelRecyclingR2() {
        ClientEngine e = openedRemembering(engine(), WINDOW);
        UUID successor = startOutRecycling(e);
        e.onRts(new RtsMessage.OutR2A5(ForwardDestination.CLIENT)); // OUT_R2/A6
        assertThat(take()).containsExactly(
                new Sent(ClientChannel.IN, new RtsMessage.OutR2A7(ForwardDestination.SERVER, successor, 1)),
                new Sent(ClientChannel.OUT_SUCCESSOR, new RtsMessage.OutR2C1()));
        e.onRts(new RtsMessage.OutR2B3());
        assertThat(take()).containsExactly("switched OUT");
    }

    @Test
    void recyclingPdusOutOfTheirStateAreIgnored() {
        ClientEngine e = opened(engine(), WINDOW);
        e.onRts(new RtsMessage.OutR1A5(ForwardDestination.CLIENT, 1, 120_000)); // OUT_R1/A6 without A2
        e.onRts(new RtsMessage.OutR2B3());
        assertThat(take()).isEmpty();
        assertThat(e.isOpened()).isTrue();
        assertThat(e.successorReady(ClientChannel.OUT_SUCCESSOR)).isFalse();
    }

    @Test
    void aClientThatDoesNotRecycleFailsOnOutR1A2() {
        ClientEngine e = opened(engine(Long.MAX_VALUE, false), WINDOW);
        e.onRpc(PduType.RESPONSE.value(), 100);
        actions.clear();
        e.onRts(new RtsMessage.OutR1A1(ForwardDestination.CLIENT));
        assertThat(take()).containsExactly(new Fault(ClientFault.Kind.RECYCLING_UNSUPPORTED, true,
                "OUT channel: the server asked to recycle the OUT channel after 100 RPC bytes (OUT_R1/A2; this client "
                        + "does not recycle channels)"));
        assertThat(e.recycleIn()).isFalse();
    }

    @Test
    void aClientThatDoesNotRecycleFailsAtTheEndOfTheInChannelLifetime() {
        ClientEngine e = new ClientEngine(new ClientEngine.Settings(WINDOW, 200_000, Long.MAX_VALUE, 300_000, -1, false,
                "EX1:6001", () -> now), recorder);
        e.start();
        e.onRts(new RtsMessage.ConnA3(900_000));
        e.onRts(new RtsMessage.ConnC1(1, 1 << 20, 120_000));
        actions.clear();
        long b1 = RpchCodec.toBytes(new RtsMessage.ConnB1(1, UUID.randomUUID(), UUID.randomUUID(), 200_000, 300_000,
                UUID.randomUUID())).length;
        int fits = (int) (200_000 - ClientEngine.LIFETIME_RESERVE - b1);
        assertThat(e.mayWrite(fits)).isTrue();
        e.wrote(fits);
        assertThat(take()).isEmpty();
        assertThat(e.mayWrite(1)).isFalse();
        assertThat(take()).containsExactly(new Fault(ClientFault.Kind.LIFETIME, true,
                "IN channel: its lifetime of 200000 bytes is used up (this client does not recycle channels)"));
    }

    @Test
    void aRecyclingClientRecyclesInsteadOfRunningOutOfLifetime() {
        ClientEngine e = new ClientEngine(new ClientEngine.Settings(WINDOW, 200_000, Long.MAX_VALUE, 300_000, 0, true,
                "EX1:6001", () -> now), recorder);
        opened(e, 1 << 20);
        e.wrote(190_000);
        assertThat(e.mayWrite(10_000)).isFalse();
        assertThat(take()).containsExactly("open IN_SUCCESSOR");
    }
}
