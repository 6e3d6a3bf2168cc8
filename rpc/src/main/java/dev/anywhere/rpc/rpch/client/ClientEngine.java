package dev.anywhere.rpc.rpch.client;

import dev.anywhere.rpc.dce.PduType;
import dev.anywhere.rpc.rpch.ForwardDestination;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RtsMessage;
import dev.anywhere.rpc.rpch.RtsPduKind;
import dev.anywhere.rpc.rpch.RpchProtocolException;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.LongSupplier;

    /**
 * The client role of RPC over HTTP v2 as one I/O-free state machine: opening (CONN/A1, CONN/B1, then CONN/A3 and
 * CONN/C2), flow control as receiver on the OUT channel and sender on the IN channel, Pings on an idle IN channel, IN
 * and OUT channel recycling, and the faults of all of them. Both clients use it: the analyzer's
 * ({@code analyzer.rpch.VirtualConnection}, blocking opens, transcripts) and the bench's lean load client
 * ({@code bench.load.vc.LeanVirtualConnection}, zero-copy framing). They own the sockets, HTTP, DCE/RPC and timers;
 * every [MS-RPCH] decision is made here and reaches them as a call on {@link Actions}.
 *
 * <p>Not thread-safe: an adapter calls it from its one event loop. Actions are called synchronously, in protocol
 * order (e.g. IN_R1/A5 on the old IN channel before {@link Actions#switched}).
 *
 * @see [MS-RPCH] 3.2.2 Client Details
 * @see [MS-RPCH] 3.2.1.4.1 Flow Control and Receive Windows
 */
public final class ClientEngine {

    /** The RPC over HTTP v2 version every implementation sends. @see [MS-RPCH] 2.2.3.5.7 Version */
    public static final long VERSION = 1;
    /** How long an IN channel's close waits for answers still on their way on OUT ({@link #closeGraceMillis}). */
    public static final long CLOSE_GRACE_MILLIS = 150;
    /** IN channel body bytes kept free near the end of its lifetime, so flow control acks still fit. */
    static final int LIFETIME_RESERVE = 4096;

    /** Where the engine stands. */
    public enum Phase {
        /** HTTP connections being opened; nothing sent on the channels. */
        CONNECTING,
        /** CONN/A1 and CONN/B1 sent; waiting for CONN/A3 on OUT. */
        WAIT_A3,
        /** CONN/A3 received; waiting for CONN/C2 (the server paired IN and OUT). */
        WAIT_C2,
        /** CONN/C2 received: RPC traffic flows. */
        OPENED,
        /** Terminal: a fault ended the virtual connection. */
        FAILED,
        /** Terminal: closed by the client. */
        CLOSED
    }

    private enum InRecycle {
        /** One IN channel in use. */
        NONE,
        /** The successor IN channel is being opened; RPC PDUs wait. */
        CONNECTING,
        /** IN_R1/A1 sent on the successor; waiting for IN_R1/A4 or IN_R2/A4 on OUT. RPC PDUs wait. */
        WAIT_A4
    }

    private enum OutRecycle {
        /** One OUT channel in use. */
        NONE,
        /** OUT_R1/A2 received; the successor OUT channel is being opened. */
        CONNECTING,
        /** OUT_R1/A3 sent on the successor; waiting for OUT_R1/A6 or OUT_R2/A6 on the predecessor. */
        WAIT_A6,
        /** OUT_R1/A7 sent on IN; waiting for OUT_R1/A10 on the predecessor. */
        WAIT_A10,
        /** OUT_R2/A7 on IN and OUT_R2/C1 on the successor sent; waiting for OUT_R2/B3 on the predecessor. */
        WAIT_B3
    }

    /** What a PDU that arrived on a channel is for. */
    public enum Disposition {
        /** Feed it to {@link #onRts} or {@link #onRpc} now. */
        DELIVER,
        /** It came on the successor OUT channel before the switch: keep it, feed it after {@link Actions#switched}. */
        HOLD,
        /** Not a channel of this connection (any more), or the connection ended: discard it. */
        DROP
    }

    /**
     * The client's side of the protocol as configured.
     *
     * @param receiveWindow the OUT channel receive window announced in CONN/A1 and OUT_R1/A3
     * @param inChannelLifetime the IN channel's Content-Length and CONN/B1 ChannelLifetime
     * @param inRecycleAfter IN channel body bytes after which it is recycled ({@link Long#MAX_VALUE}: never)
     * @param clientKeepalive CONN/B1 ClientKeepalive in ms
     * @param pingIntervalMillis idle time on the IN channel before a Ping; 0 = half the connection timeout, bounded;
     *        negative = the adapter runs no Ping timer (the engine then skips reading the clock per write)
     * @param recycles whether the adapter can open successor channels; without, the end of a channel fails the
     *        connection with {@link ClientFault.Kind#LIFETIME} or {@link ClientFault.Kind#RECYCLING_UNSUPPORTED}
     * @param target the RPC server the channels ask for ({@code EX1:6001}), for messages
     * @param clock nanosecond clock for the Ping timer
     */
    public record Settings(long receiveWindow, long inChannelLifetime, long inRecycleAfter, long clientKeepalive,
            long pingIntervalMillis, boolean recycles, String target, LongSupplier clock) {
        public Settings {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(clock, "clock");
        }
    }

    /** What the engine asks its I/O adapter to do. */
    public interface Actions {
        /** Writes {@code pdu} on {@code channel}; returns its length in bytes. */
        int send(ClientChannel channel, RtsMessage pdu);

        /** CONN/C2 arrived: RPC PDUs may flow ({@link #mayWrite}). */
        void opened();

        /**
         * Opens {@code successor} (a new HTTP connection with its channel request); the adapter then calls
         * {@link #successorReady} on success or {@link #fail} otherwise.
         */
        void openSuccessor(ClientChannel successor);

        /**
         * The successor of {@code channel} (IN or OUT) now is {@code channel}; the predecessor closes once its last
         * write is out. For OUT, feed the PDUs held from the successor now.
         */
        void switched(ClientChannel channel);

        /** The IN channel's window or the end of IN recycling lets queued RPC PDUs go: try {@link #mayWrite} again. */
        void windowOpened();

        /** The engine ended the virtual connection (its phase is {@link Phase#FAILED}). */
        void failed(ClientFault fault);
    }

    private final Settings settings;
    private final Actions actions;

    private final UUID vcCookie = UUID.randomUUID();
    private final UUID associationGroup = UUID.randomUUID();
    private UUID inCookie = UUID.randomUUID();
    private UUID outCookie = UUID.randomUUID();

    private Phase phase = Phase.CONNECTING;
    private boolean outResponded;
    private long outProxyConnectionTimeout;
    private long connectionTimeout;

    // IN channel: the client sends. @see [MS-RPCH] 3.2.1.4.1.2, 3.2.1.4.1.3
    private long peerWindow;
    private long peerAvailable;
    private long rpcBytesSentOnChannel;
    private long inBodyBytes;
    private long lastInWrite;
    // OUT channel: the client receives. @see [MS-RPCH] 3.2.1.4.1.1
    private long bytesReceivedOnChannel;
    private long unacked;

    private InRecycle inRecycle = InRecycle.NONE;
    private UUID inSuccessorCookie;
    private long inSuccessorBodyBytes;
    private OutRecycle outRecycle = OutRecycle.NONE;
    private UUID outSuccessorCookie;

    private long rpcBytesSent;
    private long rpcBytesReceived;
    private int acksSent;
    private int acksReceived;
    private int pingsSent;
    private int pingsReceived;
    private int inRecycles;
    private int outRecycles;

    public ClientEngine(Settings settings, Actions actions) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.actions = Objects.requireNonNull(actions, "actions");
    }

    // ================================================================== opening

    /**
     * Both connections are up and their channel requests written: CONN/A1 on OUT, then CONN/B1 on IN.
     *
     * @see [MS-RPCH] 3.2.2.4.1.2 Opening a Virtual Connection
     * @see [MS-RPCH] 2.2.4.2 CONN/A1 RTS PDU
     * @see [MS-RPCH] 2.2.4.5 CONN/B1 RTS PDU
     */
    public void start() {
        if (phase != Phase.CONNECTING) {
            return;
        }
        phase = Phase.WAIT_A3;
        actions.send(ClientChannel.OUT, new RtsMessage.ConnA1(VERSION, vcCookie, outCookie, settings.receiveWindow()));
        inBodyBytes += actions.send(ClientChannel.IN, new RtsMessage.ConnB1(VERSION, vcCookie, inCookie,
                settings.inChannelLifetime(), settings.clientKeepalive(), associationGroup));
        lastInWrite = settings.clock().getAsLong();
    }

    /** The OUT channel's {@code 200} arrived (its body, the PDUs, follows). */
    public void outResponded() {
        outResponded = true;
    }

    // ================================================================== receiving on OUT

    /** Whether a PDU from {@code channel} is delivered now, held until the OUT switch or dropped. */
    public Disposition disposition(ClientChannel channel) {
        if (terminal()) {
            return Disposition.DROP;
        }
        if (channel == ClientChannel.OUT) {
            return Disposition.DELIVER;
        }
        return channel == ClientChannel.OUT_SUCCESSOR && outRecycle != OutRecycle.NONE ? Disposition.HOLD : Disposition.DROP;
    }

    /** An RTS PDU on the OUT channel. */
    public void onRts(RtsMessage r) {
        try {
            switch (phase) {
                case WAIT_A3 -> {
                    RtsPduKind.expect(r, RtsPduKind.CONN_A3);
                    outProxyConnectionTimeout = ((RtsMessage.ConnA3) r).connectionTimeout();
                    phase = Phase.WAIT_C2;
                }
                case WAIT_C2 -> {
                    RtsPduKind.expect(r, RtsPduKind.CONN_C2);
                    RtsMessage.ConnC1 c2 = (RtsMessage.ConnC1) r; // CONN/C2 has CONN/C1's layout
                    peerWindow = c2.receiveWindowSize();
                    peerAvailable = peerWindow;
                    connectionTimeout = c2.connectionTimeout();
                    phase = Phase.OPENED;
                    actions.opened();
                }
                case OPENED -> onRtsOpened(r);
                default -> {
                    // CONNECTING cannot receive; FAILED and CLOSED discard input
                }
            }
        } catch (RpchProtocolException e) {
            fail(ClientFault.Kind.PROTOCOL, ClientFault.Reason.PROTOCOL, Map.of("detail", String.valueOf(e.getMessage())));
        }
    }

    private void onRtsOpened(RtsMessage r) {
        if (r instanceof RtsMessage.FlowControlAck ack) {
            onAck(ack.bytesReceived(), ack.availableWindow(), ack.channelCookie());
        } else if (r instanceof RtsMessage.FlowControlAckWithDestination ack) {
            onAck(ack.bytesReceived(), ack.availableWindow(), ack.channelCookie());
        } else if (r instanceof RtsMessage.Ping) {
            pingsReceived++;
        } else if ((r.is(RtsPduKind.IN_R1_A4) || r.is(RtsPduKind.IN_R2_A4)) && inRecycle == InRecycle.WAIT_A4) {
            switchIn(r);
        } else if (r.is(RtsPduKind.OUT_R1_A2) && outRecycle == OutRecycle.NONE) {
            startOutRecycle();
        } else if (r.is(RtsPduKind.OUT_R1_A6) && outRecycle == OutRecycle.WAIT_A6) {
            send(ClientChannel.IN, new RtsMessage.OutR1A7(ForwardDestination.SERVER, outSuccessorCookie));
            outRecycle = OutRecycle.WAIT_A10;
        } else if (r.is(RtsPduKind.OUT_R2_A6) && outRecycle == OutRecycle.WAIT_A6) {
            send(ClientChannel.IN, new RtsMessage.OutR2A7(ForwardDestination.SERVER, outSuccessorCookie, VERSION));
            actions.send(ClientChannel.OUT_SUCCESSOR, new RtsMessage.OutR2C1());
            outRecycle = OutRecycle.WAIT_B3;
        } else if (r.is(RtsPduKind.OUT_R1_A10) && outRecycle == OutRecycle.WAIT_A10) {
            actions.send(ClientChannel.OUT_SUCCESSOR, new RtsMessage.OutR1A9()); // OUT_R1/A11 has A9's layout
            switchOut();
        } else if (r.is(RtsPduKind.OUT_R2_B3) && outRecycle == OutRecycle.WAIT_B3) {
            switchOut();
        }
        // Keep-Alive, Echo and recycling PDUs out of their state: nothing to do. @see [MS-RPCH] 3.2.2.5.1
    }

    /**
     * An RPC (non-RTS) PDU of {@code fragLength} bytes and type {@code ptype} on the OUT channel: counts it against the
     * receive window (acknowledging once half of it is consumed) and returns whether the adapter may process it.
     *
     * @see [MS-RPCH] 3.2.1.4.1.1 Receiver
     * @see [MS-RPCH] 2.2.4.51 FlowControlAckWithDestination RTS PDU
     */
    public boolean onRpc(int ptype, int fragLength) {
        if (phase != Phase.OPENED) {
            if (phase == Phase.WAIT_A3 || phase == Phase.WAIT_C2) {
                PduType type = PduType.forValue(ptype);
                fail(ClientFault.Kind.PROTOCOL, ClientFault.Reason.UNEXPECTED_PDU, Map.of("type",
                        type == null ? "type " + ptype : type.wireName(), "expected",
                        String.valueOf(phase == Phase.WAIT_A3 ? RtsPduKind.CONN_A3 : RtsPduKind.CONN_C2)));
            }
            return false;
        }
        bytesReceivedOnChannel += fragLength;
        rpcBytesReceived += fragLength;
        unacked += fragLength;
        if (unacked * 2 >= settings.receiveWindow()) {
            sendAck();
        }
        return phase == Phase.OPENED;
    }

    private void sendAck() {
        if (inBodyBytes + RpchCodec.FLOW_CONTROL_ACK_WITH_DESTINATION_LENGTH > settings.inChannelLifetime()) {
            lifetimeUsedUp();
            return;
        }
        acksSent++;
        unacked = 0;
        send(ClientChannel.IN, new RtsMessage.FlowControlAckWithDestination(ForwardDestination.OUT_PROXY,
                bytesReceivedOnChannel & 0xffff_ffffL, settings.receiveWindow(), outCookie));
    }

    /**
     * A flow control ack for the IN channel, forwarded by the outbound proxy: available = AvailableWindow − bytes in
     * flight; an ack for another channel is discarded.
     *
     * @see [MS-RPCH] 3.2.1.4.1.2 Sender
     */
    private void onAck(long ackBytesReceived, long availableWindow, UUID channelCookie) {
        if (!channelCookie.equals(inCookie)) {
            return;
        }
        acksReceived++;
        long inFlight = ((rpcBytesSentOnChannel & 0xffff_ffffL) - ackBytesReceived) & 0xffff_ffffL;
        if (inFlight > rpcBytesSentOnChannel) {
            inFlight = 0; // claims more than was sent: take it as "everything arrived"
        }
        peerAvailable = Math.max(0, availableWindow - inFlight);
        actions.windowOpened();
    }

    // ================================================================== sending on IN

    /**
     * Whether an RPC PDU of {@code fragLength} bytes may go out on the IN channel now: the connection is open, no IN
     * recycling is under way, it fits the inbound proxy's window and the channel's lifetime. Near the end of the
     * lifetime this starts recycling (or, if the adapter cannot recycle, fails the connection).
     *
     * @see [MS-RPCH] 3.2.1.4.1.3 Sender: send while the next PDU fits the available window
     */
    public boolean mayWrite(int fragLength) {
        if (phase != Phase.OPENED || inRecycle != InRecycle.NONE || fragLength > peerAvailable) {
            return false;
        }
        if (inBodyBytes + fragLength > settings.inChannelLifetime() - LIFETIME_RESERVE) {
            if (settings.recycles()) {
                startInRecycle();
            } else {
                lifetimeUsedUp();
            }
            return false;
        }
        return true;
    }

    /** An RPC PDU of {@code fragLength} bytes went out on the IN channel (after {@link #mayWrite} said yes). */
    public void wrote(int fragLength) {
        peerAvailable -= fragLength;
        rpcBytesSentOnChannel += fragLength;
        rpcBytesSent += fragLength;
        inBodyBytes += fragLength;
        if (settings.pingIntervalMillis() >= 0) {
            lastInWrite = settings.clock().getAsLong();
        }
        recycleInWhenDue();
    }

    private void send(ClientChannel channel, RtsMessage pdu) {
        int n = actions.send(channel, pdu);
        if (channel == ClientChannel.IN) {
            inBodyBytes += n;
            lastInWrite = settings.clock().getAsLong();
            recycleInWhenDue();
        }
    }

    /** Every write on IN counts against its budget, RTS PDUs too. */
    private void recycleInWhenDue() {
        if (inBodyBytes >= settings.inRecycleAfter() && inRecycle == InRecycle.NONE && settings.recycles()
                && phase == Phase.OPENED) {
            startInRecycle();
        }
    }

    private void lifetimeUsedUp() {
        fail(ClientFault.Kind.LIFETIME, ClientFault.Reason.LIFETIME, Map.of("bytes", String.valueOf(settings.inChannelLifetime())));
    }

    // ================================================================== pings and keep-alive

    /**
     * The Ping timer's period in ms once opened: the configured interval, else half of the shorter of the connection
     * timeout and the client keep-alive, at least 1 s.
     *
     * @see [MS-RPCH] 3.2.2.3.1 Keep-Alive Timer
     */
    public long pingIntervalMillis() {
        if (settings.pingIntervalMillis() > 0) {
            return settings.pingIntervalMillis();
        }
        long keepalive = settings.clientKeepalive() == 0 ? 300_000 : settings.clientKeepalive();
        return Math.max(1000, Math.min(connectionTimeout, keepalive) / 2);
    }

    /**
     * The Ping timer fired: a Ping goes out on the IN channel if nothing was written there for about an interval.
     *
     * @see [MS-RPCH] 2.2.4.49 Ping RTS PDU
     */
    public void onPingTimer() {
        if (settings.pingIntervalMillis() < 0) {
            return;
        }
        long interval = pingIntervalMillis() * 1_000_000L;
        if (phase == Phase.OPENED && settings.clock().getAsLong() - lastInWrite >= interval * 9 / 10) {
            ping();
        }
    }

    /** Sends a Ping on the IN channel now (when open). */
    public void ping() {
        if (phase == Phase.OPENED) {
            pingsSent++;
            send(ClientChannel.IN, new RtsMessage.Ping());
        }
    }

    /** Tells the inbound proxy a new client keep-alive interval. @see [MS-RPCH] 2.2.4.46 Keep-Alive RTS PDU */
    public void keepAlive(long millis) {
        if (phase == Phase.OPENED) {
            send(ClientChannel.IN, new RtsMessage.KeepAlive(millis));
        }
    }

    // ================================================================== IN channel recycling

    /** Starts IN channel recycling now; false if not open, already recycling or the adapter cannot recycle. */
    public boolean recycleIn() {
        if (phase != Phase.OPENED || inRecycle != InRecycle.NONE || !settings.recycles()) {
            return false;
        }
        startInRecycle();
        return true;
    }

    /** @see [MS-RPCH] 3.2.2.4.1.3.1 IN Channel Recycling */
    private void startInRecycle() {
        inRecycle = InRecycle.CONNECTING;
        inSuccessorCookie = UUID.randomUUID();
        actions.openSuccessor(ClientChannel.IN_SUCCESSOR);
    }

    /**
     * The successor channel's connection is up and its channel request written; false (close it) if the connection
     * ended meanwhile. IN: IN_R1/A1 on it. OUT: OUT_R1/A3 on it.
     *
     * @see [MS-RPCH] 2.2.4.10 IN_R1/A1 RTS PDU
     * @see [MS-RPCH] 2.2.4.25 OUT_R1/A3 RTS PDU
     */
    public boolean successorReady(ClientChannel successor) {
        if (phase != Phase.OPENED) {
            return false;
        }
        if (successor == ClientChannel.IN_SUCCESSOR && inRecycle == InRecycle.CONNECTING) {
            inRecycle = InRecycle.WAIT_A4;
            inSuccessorBodyBytes = actions.send(ClientChannel.IN_SUCCESSOR,
                    new RtsMessage.InR1A1(VERSION, vcCookie, inCookie, inSuccessorCookie));
            return true;
        }
        if (successor == ClientChannel.OUT_SUCCESSOR && outRecycle == OutRecycle.CONNECTING) {
            outRecycle = OutRecycle.WAIT_A6;
            actions.send(ClientChannel.OUT_SUCCESSOR, new RtsMessage.OutR1A3(VERSION, vcCookie, outCookie,
                    outSuccessorCookie, settings.receiveWindow()));
            return true;
        }
        return false;
    }

    /**
     * IN_R1/A4 (or IN_R2/A4): IN_R1/A5 on the predecessor so the server can drain it, then the successor is the IN
     * channel, with the new inbound proxy's window.
     *
     * @see [MS-RPCH] 2.2.4.13 IN_R1/A4 RTS PDU
     * @see [MS-RPCH] 2.2.4.14 IN_R1/A5 RTS PDU
     */
    private void switchIn(RtsMessage a4) {
        actions.send(ClientChannel.IN, new RtsMessage.InR1A5(inSuccessorCookie));
        actions.switched(ClientChannel.IN);
        inCookie = inSuccessorCookie;
        inSuccessorCookie = null;
        if (a4 instanceof RtsMessage.InR1A3 values) { // IN_R1/A4 carries the new proxy's values; IN_R2/A4 none
            peerWindow = values.receiveWindowSize();
            connectionTimeout = values.connectionTimeout();
        }
        peerAvailable = peerWindow;
        rpcBytesSentOnChannel = 0;
        inBodyBytes = inSuccessorBodyBytes;
        lastInWrite = settings.clock().getAsLong();
        inRecycle = InRecycle.NONE;
        inRecycles++;
        actions.windowOpened();
    }

    // ================================================================== OUT channel recycling

    /**
     * OUT_R1/A2 (= OUT_R2/A2): the server asks for a new OUT channel; the predecessor then says R1 (OUT_R1/A6: A7 on
     * IN, A10, A11 on the successor) or R2 (OUT_R2/A6: A7 on IN, C1 on the successor, B3 on the predecessor).
     *
     * @see [MS-RPCH] 3.2.2.4.1.3.2 OUT Channel Recycling
     * @see [MS-RPCH] 2.2.4.24 OUT_R1/A2 RTS PDU
     */
    private void startOutRecycle() {
        if (!settings.recycles()) {
            fail(ClientFault.Kind.RECYCLING_UNSUPPORTED, ClientFault.Reason.RECYCLING_UNSUPPORTED,
                    Map.of("bytes", String.valueOf(rpcBytesReceived)));
            return;
        }
        outRecycle = OutRecycle.CONNECTING;
        outSuccessorCookie = UUID.randomUUID();
        actions.openSuccessor(ClientChannel.OUT_SUCCESSOR);
    }

    private void switchOut() {
        outCookie = outSuccessorCookie;
        outSuccessorCookie = null;
        outRecycle = OutRecycle.NONE;
        outRecycles++;
        bytesReceivedOnChannel = 0;
        unacked = 0;
        actions.switched(ClientChannel.OUT);
    }

    // ================================================================== ends

    /**
     * The connection of {@code channel} ended: null if the protocol expects that (the predecessor OUT channel after
     * its last recycling PDU, a channel no longer in use), else the fault to fail with. The adapter decides when to
     * fail (the analyzer waits a moment for a more telling HTTP answer while opening).
     */
    public ClientFault channelClosed(ClientChannel channel) {
        if (terminal()) {
            return null;
        }
        if (channel == ClientChannel.OUT && (outRecycle == OutRecycle.WAIT_A10 || outRecycle == OutRecycle.WAIT_B3)) {
            return null;
        }
        ClientFault.Reason when = switch (phase) {
            case CONNECTING, WAIT_A3 -> channel == ClientChannel.OUT && outResponded ? ClientFault.Reason.CLOSED_AFTER_200
                    : ClientFault.Reason.CLOSED_BEFORE_ANSWER;
            case WAIT_C2 -> ClientFault.Reason.CLOSED_BEFORE_C2;
            default -> ClientFault.Reason.CLOSED_WHILE_OPEN;
        };
        return new ClientFault(ClientFault.Kind.CLOSED, phase == Phase.OPENED, when,
                Map.of("channel", channel.direction(), "target", settings.target()));
    }

    /**
     * How long the adapter waits, after the connection of {@code channel} ended with a fault from
     * {@link #channelClosed}, before failing with it (0: at once); the OUT channel's own close ends the wait early.
     * A server that ends the association after its answer (the fault ERROR_ACCESS_DENIED after a refused rpc_auth_3)
     * makes the proxy close both channels, and on two TCP connections the IN channel's close can overtake the answer on
     * OUT. Our gateway closes IN only after OUT's last writes; a proxy or middlebox in front of it relays the two
     * connections independently, and other servers' order is unknown. So while answers are awaited an IN close waits
     * {@link #CLOSE_GRACE_MILLIS}; with nothing awaited there is nothing to lose.
     *
     * @param answersAwaited whether calls are waiting for their answers
     */
    public long closeGraceMillis(ClientChannel channel, boolean answersAwaited) {
        return channel == ClientChannel.IN && phase == Phase.OPENED && answersAwaited ? CLOSE_GRACE_MILLIS : 0;
    }

    private void fail(ClientFault.Kind kind, ClientFault.Reason reason, Map<String, String> values) {
        fail(new ClientFault(kind, phase == Phase.OPENED, reason, values));
    }

    /** Ends the connection with {@code fault} (once; later calls and input are ignored) and tells the adapter. */
    public void fail(ClientFault fault) {
        if (terminal()) {
            return;
        }
        phase = Phase.FAILED;
        actions.failed(fault);
    }

    /** The adapter ended the connection for a reason of its own (HTTP, TLS, a timeout): input is ignored from now. */
    public void abort() {
        if (!terminal()) {
            phase = Phase.FAILED;
        }
    }

    /** Closed by the client (the protocol has no goodbye PDU; the adapter closes the connections). */
    public void close() {
        if (!terminal()) {
            phase = Phase.CLOSED;
        }
    }

    public boolean terminal() {
        return phase == Phase.FAILED || phase == Phase.CLOSED;
    }

    // ================================================================== state, for adapters and tests

    public Phase phase() {
        return phase;
    }

    public boolean isOpened() {
        return phase == Phase.OPENED;
    }

    /** Whether the OUT channel's {@code 200} arrived. */
    public boolean outHasResponded() {
        return outResponded;
    }

    /** Whether IN channel recycling is under way (RPC PDUs wait for it). */
    public boolean recyclingIn() {
        return inRecycle != InRecycle.NONE;
    }

    /** The virtual connection cookie of CONN/A1 and CONN/B1. */
    public UUID cookie() {
        return vcCookie;
    }

    /** The CONN/C2 (or latest IN_R1/A4) connection timeout, the inbound proxy's, in ms. */
    public long connectionTimeout() {
        return connectionTimeout;
    }

    /** The CONN/A3 connection timeout, the outbound proxy's, in ms. */
    public long outProxyConnectionTimeout() {
        return outProxyConnectionTimeout;
    }

    /** The inbound proxy's receive window (CONN/C2 or IN_R1/A4). */
    public long peerWindow() {
        return peerWindow;
    }

    /** Bytes the inbound proxy's window has left. */
    public long peerAvailable() {
        return peerAvailable;
    }

    public long rpcBytesSent() {
        return rpcBytesSent;
    }

    /** RPC bytes received on all OUT channels. */
    public long rpcBytesReceived() {
        return rpcBytesReceived;
    }

    public int acksSent() {
        return acksSent;
    }

    public int acksReceived() {
        return acksReceived;
    }

    public int pingsSent() {
        return pingsSent;
    }

    public int pingsReceived() {
        return pingsReceived;
    }

    public int inRecycles() {
        return inRecycles;
    }

    public int outRecycles() {
        return outRecycles;
    }
}
