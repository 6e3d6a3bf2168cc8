package dev.anywhere.rpc.rpch;

import static dev.anywhere.rpc.rpch.RtsPduKind.IN_R1_A3;
import static dev.anywhere.rpc.rpch.RtsPduKind.IN_R2_A3;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R1_A1;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R1_A5;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R1_A7;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R2_A5;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R2_A7;
import static dev.anywhere.rpc.rpch.RtsPduKind.OUT_R2_C1;

import dev.anywhere.rpc.rpch.RtsCommand.Ance;
import dev.anywhere.rpc.rpch.RtsCommand.ClientAddress;
import dev.anywhere.rpc.rpch.RtsCommand.ConnectionTimeout;
import dev.anywhere.rpc.rpch.RtsCommand.Cookie;
import dev.anywhere.rpc.rpch.RtsCommand.Destination;
import dev.anywhere.rpc.rpch.RtsCommand.Empty;
import dev.anywhere.rpc.rpch.RtsCommand.Padding;
import dev.anywhere.rpc.rpch.RtsCommand.ReceiveWindowSize;
import dev.anywhere.rpc.rpch.RtsCommand.Version;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A decoded RTS PDU of [MS-RPCH] 2.2.4 as an immutable record with named fields, one record per wire layout.
 * Several PDUs share a layout and differ only in who sends them on which leg (CONN/C1 and CONN/C2, the five
 * single-cookie PDUs, …); they share one record, named after the first of them, whose {@link #kinds()} lists all
 * (in catalogue order) so a state machine can {@link RtsPduKind#expect(RtsMessage, RtsPduKind...) expect} the
 * one its state allows. A PDU that is well-formed but matches no catalogue entry decodes to
 * {@link Unclassified}, which keeps its wire form.
 *
 * <p>Every record re-encodes to exactly the bytes it was decoded from: values the spec fixes for a PDU but a
 * peer may vary (a Destination, ClientAddress padding, OUT_R2/C1's Padding) are kept as fields. Window sizes
 * and lifetimes are in bytes, timeouts in milliseconds, u32 values as {@code long}. Values are range-checked
 * when the record is encoded ({@link #toPdu()}), by the {@link RtsCommand} records.
 *
 * <p>Build with the constructors (or {@link RtsPdus} for the wire form), decode with
 * {@link RpchCodec#decodeMessage(io.netty.buffer.ByteBuf)}, encode with
 * {@link RpchCodec#encode(RtsMessage, io.netty.buffer.ByteBuf)}. Java 17 has no pattern switch: dispatch with
 * {@code instanceof} on the records a state allows; the sealed hierarchy keeps the set closed.
 *
 * @see [MS-RPCH] 2.2.4 RTS PDUs
 */
public sealed interface RtsMessage extends RpchPdu {

    /** The catalogue entries this layout stands for, in catalogue order; empty for {@link Unclassified}. */
    default List<RtsPduKind> kinds() {
        return RtsLayouts.kinds(getClass());
    }

    /** The wire form: header flags and command list. */
    RtsPdu toPdu();

    /** True if this message's layout is that of {@code kind}. */
    default boolean is(RtsPduKind kind) {
        return kinds().contains(kind);
    }

    /** The typed form of a wire-level PDU. */
    static RtsMessage of(RtsPdu pdu) {
        return RpchCodec.typed(RtsFlag.toBits(pdu.flags()), pdu.commands());
    }

    /** The ranges of the Ack structure. @see [MS-RPCH] 2.2.3.4 Flow Control Acknowledgment */
    private static void checkAck(long bytesReceived, long availableWindow, UUID channelCookie) {
        if (bytesReceived < 0 || bytesReceived > 0xffff_ffffL) {
            throw new IllegalArgumentException("FlowControlAck BytesReceived: " + bytesReceived
                    + " (expected: 0..4294967295)");
        }
        if (availableWindow < 0 || availableWindow > 0xffff_ffffL) {
            throw new IllegalArgumentException("FlowControlAck AvailableWindow: " + availableWindow
                    + " (expected: 0..4294967295)");
        }
        Objects.requireNonNull(channelCookie, "channelCookie");
    }

    private static RtsPdu pdu(RtsPduKind kind, RtsCommand... commands) {
        return new RtsPdu(RtsFlag.fromBits(kind.flagBits()), List.of(commands));
    }

    /**
     * CONN/A1: client → outbound proxy, first PDU on a new OUT channel.
     *
     * @see [MS-RPCH] 2.2.4.2 CONN/A1 RTS PDU
     */
    record ConnA1(long version, UUID virtualConnectionCookie, UUID outChannelCookie, long receiveWindowSize)
            implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.connA1(version, virtualConnectionCookie, outChannelCookie, receiveWindowSize);
        }
    }

    /**
     * CONN/A2: outbound proxy → server, opens the OUT channel leg.
     *
     * @see [MS-RPCH] 2.2.4.3 CONN/A2 RTS PDU
     */
    record ConnA2(long version, UUID virtualConnectionCookie, UUID outChannelCookie, long channelLifetime,
                  long receiveWindowSize) implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.connA2(version, virtualConnectionCookie, outChannelCookie, channelLifetime,
                    receiveWindowSize);
        }
    }

    /**
     * CONN/A3: outbound proxy → client, the proxy's connection timeout.
     *
     * @see [MS-RPCH] 2.2.4.4 CONN/A3 RTS PDU
     */
    record ConnA3(long connectionTimeout) implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.connA3(connectionTimeout);
        }
    }

    /**
     * CONN/B1: client → inbound proxy, first PDU on a new IN channel.
     *
     * @see [MS-RPCH] 2.2.4.5 CONN/B1 RTS PDU
     */
    record ConnB1(long version, UUID virtualConnectionCookie, UUID inChannelCookie, long channelLifetime,
                  long clientKeepalive, UUID associationGroupId) implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.connB1(version, virtualConnectionCookie, inChannelCookie, channelLifetime, clientKeepalive,
                    associationGroupId);
        }
    }

    /**
     * CONN/B2: inbound proxy → server, opens the IN channel leg.
     *
     * @see [MS-RPCH] 2.2.4.6 CONN/B2 RTS PDU
     */
    record ConnB2(long version, UUID virtualConnectionCookie, UUID inChannelCookie, long receiveWindowSize,
                  long connectionTimeout, UUID associationGroupId, ClientAddress clientAddress)
            implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.connB2(version, virtualConnectionCookie, inChannelCookie, receiveWindowSize,
                    connectionTimeout, associationGroupId, clientAddress);
        }
    }

    /**
     * CONN/B3: server → inbound proxy, the server's receive window.
     *
     * @see [MS-RPCH] 2.2.4.7 CONN/B3 RTS PDU
     */
    record ConnB3(long receiveWindowSize, long version) implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.connB3(receiveWindowSize, version);
        }
    }

    /**
     * CONN/C1 (server → outbound proxy) and CONN/C2 (outbound proxy → client): the inbound proxy's receive
     * window and connection timeout; the virtual connection is open.
     *
     * @see [MS-RPCH] 2.2.4.8 CONN/C1 RTS PDU
     * @see [MS-RPCH] 2.2.4.9 CONN/C2 RTS PDU
     */
    record ConnC1(long version, long receiveWindowSize, long connectionTimeout) implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.connC1(version, receiveWindowSize, connectionTimeout);
        }
    }

    /**
     * IN_R1/A1 (client → successor inbound proxy) and IN_R2/A1 (client → the same inbound proxy): start IN
     * channel recycling.
     *
     * @see [MS-RPCH] 2.2.4.10 IN_R1/A1 RTS PDU
     * @see [MS-RPCH] 2.2.4.18 IN_R2/A1 RTS PDU
     */
    record InR1A1(long version, UUID virtualConnectionCookie, UUID predecessorChannelCookie,
                  UUID successorChannelCookie) implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.inR1A1(version, virtualConnectionCookie, predecessorChannelCookie, successorChannelCookie);
        }
    }

    /**
     * IN_R1/A2: successor inbound proxy → server.
     *
     * @see [MS-RPCH] 2.2.4.11 IN_R1/A2 RTS PDU
     */
    record InR1A2(long version, UUID virtualConnectionCookie, UUID predecessorChannelCookie,
                  UUID successorChannelCookie, long receiveWindowSize, long connectionTimeout)
            implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.inR1A2(version, virtualConnectionCookie, predecessorChannelCookie, successorChannelCookie,
                    receiveWindowSize, connectionTimeout);
        }
    }

    /**
     * IN_R1/A3 (server → outbound proxy) and IN_R1/A4 (outbound proxy → client): the successor inbound proxy's
     * values.
     *
     * @see [MS-RPCH] 2.2.4.12 IN_R1/A3 RTS PDU
     * @see [MS-RPCH] 2.2.4.13 IN_R1/A4 RTS PDU
     */
    record InR1A3(ForwardDestination destination, long version, long receiveWindowSize, long connectionTimeout)
            implements RtsMessage {
        public InR1A3 {
            Objects.requireNonNull(destination, "destination");
        }

        @Override
        public RtsPdu toPdu() {
            return pdu(IN_R1_A3, new Destination(destination), new Version(version),
                    new ReceiveWindowSize(receiveWindowSize), new ConnectionTimeout(connectionTimeout));
        }
    }

    /**
     * The single-cookie PDUs, all carrying the successor channel cookie: IN_R1/A5 (client → predecessor inbound
     * proxy), IN_R1/A6 (→ server), IN_R2/A2, IN_R2/A5 and OUT_R2/A4.
     *
     * @see [MS-RPCH] 2.2.4.14 IN_R1/A5 RTS PDU
     * @see [MS-RPCH] 2.2.4.15 IN_R1/A6 RTS PDU
     * @see [MS-RPCH] 2.2.4.19 IN_R2/A2 RTS PDU
     * @see [MS-RPCH] 2.2.4.22 IN_R2/A5 RTS PDU
     * @see [MS-RPCH] 2.2.4.37 OUT_R2/A4 RTS PDU
     */
    record InR1A5(UUID successorChannelCookie) implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.inR1A5(successorChannelCookie);
        }
    }

    /**
     * IN_R1/B1: server → predecessor inbound proxy, closes the old leg.
     *
     * @see [MS-RPCH] 2.2.4.16 IN_R1/B1 RTS PDU
     */
    record InR1B1() implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.inR1B1();
        }
    }

    /**
     * IN_R1/B2: server → successor inbound proxy, its receive window.
     *
     * @see [MS-RPCH] 2.2.4.17 IN_R1/B2 RTS PDU
     */
    record InR1B2(long receiveWindowSize) implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.inR1B2(receiveWindowSize);
        }
    }

    /**
     * IN_R2/A3 (server → outbound proxy) and IN_R2/A4 (outbound proxy → client): a Destination alone.
     *
     * @see [MS-RPCH] 2.2.4.20 IN_R2/A3 RTS PDU
     * @see [MS-RPCH] 2.2.4.21 IN_R2/A4 RTS PDU
     */
    record InR2A3(ForwardDestination destination) implements RtsMessage {
        public InR2A3 {
            Objects.requireNonNull(destination, "destination");
        }

        @Override
        public RtsPdu toPdu() {
            return pdu(IN_R2_A3, new Destination(destination));
        }
    }

    /**
     * OUT_R1/A1, OUT_R1/A2, OUT_R2/A1, OUT_R2/A2: server → outbound proxy → client, start OUT channel recycling.
     *
     * @see [MS-RPCH] 2.2.4.23 OUT_R1/A1 RTS PDU
     * @see [MS-RPCH] 2.2.4.24 OUT_R1/A2 RTS PDU
     * @see [MS-RPCH] 2.2.4.34 OUT_R2/A1 RTS PDU
     * @see [MS-RPCH] 2.2.4.35 OUT_R2/A2 RTS PDU
     */
    record OutR1A1(ForwardDestination destination) implements RtsMessage {
        public OutR1A1 {
            Objects.requireNonNull(destination, "destination");
        }

        @Override
        public RtsPdu toPdu() {
            return pdu(OUT_R1_A1, new Destination(destination));
        }
    }

    /**
     * OUT_R1/A3 (client → successor outbound proxy) and OUT_R2/A3 (client → the same outbound proxy): first PDU
     * on the successor OUT channel.
     *
     * @see [MS-RPCH] 2.2.4.25 OUT_R1/A3 RTS PDU
     * @see [MS-RPCH] 2.2.4.36 OUT_R2/A3 RTS PDU
     */
    record OutR1A3(long version, UUID virtualConnectionCookie, UUID predecessorChannelCookie,
                   UUID successorChannelCookie, long receiveWindowSize) implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.outR1A3(version, virtualConnectionCookie, predecessorChannelCookie, successorChannelCookie,
                    receiveWindowSize);
        }
    }

    /**
     * OUT_R1/A4: successor outbound proxy → server.
     *
     * @see [MS-RPCH] 2.2.4.26 OUT_R1/A4 RTS PDU
     */
    record OutR1A4(long version, UUID virtualConnectionCookie, UUID predecessorChannelCookie,
                   UUID successorChannelCookie, long channelLifetime, long receiveWindowSize,
                   long connectionTimeout) implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.outR1A4(version, virtualConnectionCookie, predecessorChannelCookie, successorChannelCookie,
                    channelLifetime, receiveWindowSize, connectionTimeout);
        }
    }

    /**
     * OUT_R1/A5 (server → predecessor outbound proxy) and OUT_R1/A6 (→ client).
     *
     * @see [MS-RPCH] 2.2.4.27 OUT_R1/A5 RTS PDU
     * @see [MS-RPCH] 2.2.4.28 OUT_R1/A6 RTS PDU
     */
    record OutR1A5(ForwardDestination destination, long version, long connectionTimeout) implements RtsMessage {
        public OutR1A5 {
            Objects.requireNonNull(destination, "destination");
        }

        @Override
        public RtsPdu toPdu() {
            return pdu(OUT_R1_A5, new Destination(destination), new Version(version),
                    new ConnectionTimeout(connectionTimeout));
        }
    }

    /**
     * OUT_R1/A7 (client → inbound proxy), OUT_R1/A8 and OUT_R2/A8 (inbound proxy → server): the successor OUT
     * channel's cookie, for the server.
     *
     * @see [MS-RPCH] 2.2.4.29 OUT_R1/A7 RTS PDU
     * @see [MS-RPCH] 2.2.4.30 OUT_R1/A8 RTS PDU
     * @see [MS-RPCH] 2.2.4.41 OUT_R2/A8 RTS PDU
     */
    record OutR1A7(ForwardDestination destination, UUID successorChannelCookie) implements RtsMessage {
        public OutR1A7 {
            Objects.requireNonNull(destination, "destination");
        }

        @Override
        public RtsPdu toPdu() {
            return pdu(OUT_R1_A7, new Destination(destination), new Cookie(successorChannelCookie));
        }
    }

    /**
     * ANCE alone: OUT_R1/A9 (server → predecessor outbound proxy), OUT_R1/A10 (→ client), OUT_R1/A11 (client →
     * successor outbound proxy), OUT_R2/B1 (server → outbound proxy).
     *
     * @see [MS-RPCH] 2.2.4.31 OUT_R1/A9 RTS PDU
     * @see [MS-RPCH] 2.2.4.32 OUT_R1/A10 RTS PDU
     * @see [MS-RPCH] 2.2.4.33 OUT_R1/A11 RTS PDU
     * @see [MS-RPCH] 2.2.4.42 OUT_R2/B1 RTS PDU
     */
    record OutR1A9() implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.outR1A9();
        }
    }

    /**
     * OUT_R2/A5 (server → outbound proxy) and OUT_R2/A6 (→ client): Destination and ANCE.
     *
     * @see [MS-RPCH] 2.2.4.38 OUT_R2/A5 RTS PDU
     * @see [MS-RPCH] 2.2.4.39 OUT_R2/A6 RTS PDU
     */
    record OutR2A5(ForwardDestination destination) implements RtsMessage {
        public OutR2A5 {
            Objects.requireNonNull(destination, "destination");
        }

        @Override
        public RtsPdu toPdu() {
            return pdu(OUT_R2_A5, new Destination(destination), Ance.INSTANCE);
        }
    }

    /**
     * OUT_R2/A7: client → inbound proxy on the IN channel, for the server.
     *
     * @see [MS-RPCH] 2.2.4.40 OUT_R2/A7 RTS PDU
     */
    record OutR2A7(ForwardDestination destination, UUID successorChannelCookie, long version)
            implements RtsMessage {
        public OutR2A7 {
            Objects.requireNonNull(destination, "destination");
        }

        @Override
        public RtsPdu toPdu() {
            return pdu(OUT_R2_A7, new Destination(destination), new Cookie(successorChannelCookie),
                    new Version(version));
        }
    }

    /**
     * OUT_R2/B2: server → outbound proxy, NegativeANCE.
     *
     * @see [MS-RPCH] 2.2.4.43 OUT_R2/B2 RTS PDU
     */
    record OutR2B2() implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.outR2B2();
        }
    }

    /**
     * OUT_R2/B3: outbound proxy → client, EOF + ANCE, the last PDU on the predecessor.
     *
     * @see [MS-RPCH] 2.2.4.44 OUT_R2/B3 RTS PDU
     */
    record OutR2B3() implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.outR2B3();
        }
    }

    /**
     * OUT_R2/C1: client → outbound proxy, PING with Empty or with Padding (kept verbatim).
     *
     * @see [MS-RPCH] 2.2.4.45 OUT_R2/C1 RTS PDU
     */
    record OutR2C1(RtsCommand filler) implements RtsMessage {
        public OutR2C1 {
            if (!(filler instanceof Empty) && !(filler instanceof Padding)) {
                throw new IllegalArgumentException("OUT_R2/C1 command: " + filler + " (expected: Empty or Padding)");
            }
        }

        /** OUT_R2/C1 with Empty, as Windows clients send it. */
        public OutR2C1() {
            this(Empty.INSTANCE);
        }

        @Override
        public RtsPdu toPdu() {
            return pdu(OUT_R2_C1, filler);
        }
    }

    /**
     * Keep-Alive: client → inbound proxy, changes the client keep-alive interval.
     *
     * @see [MS-RPCH] 2.2.4.46 Keep-Alive RTS PDU
     */
    record KeepAlive(long clientKeepalive) implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.keepAlive(clientKeepalive);
        }
    }

    /**
     * Ping Traffic Sent Notify: outbound proxy → server, ping bytes sent on the OUT channel.
     *
     * @see [MS-RPCH] 2.2.4.47 Ping Traffic Sent Notify RTS PDU
     */
    record PingTrafficSentNotify(long pingTrafficSent) implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.pingTrafficSentNotify(pingTrafficSent);
        }
    }

    /**
     * Echo: the body of an echo request and response (proxy discovery).
     *
     * @see [MS-RPCH] 2.2.4.48 Echo RTS PDU
     */
    record Echo() implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.echo();
        }
    }

    /**
     * Ping: idle filler on a channel.
     *
     * @see [MS-RPCH] 2.2.4.49 Ping RTS PDU
     */
    record Ping() implements RtsMessage {
        @Override
        public RtsPdu toPdu() {
            return RtsPdus.ping();
        }
    }

    /**
     * FlowControlAck: receiver → sender on the same hop.
     *
     * @see [MS-RPCH] 2.2.4.50 FlowControlAck RTS PDU
     * @see [MS-RPCH] 2.2.3.4 Flow Control Acknowledgment
     */
    record FlowControlAck(long bytesReceived, long availableWindow, UUID channelCookie) implements RtsMessage {
        /** Checked here, not at encoding: the codec writes an ack directly, without the command record. */
        public FlowControlAck {
            checkAck(bytesReceived, availableWindow, channelCookie);
        }

        @Override
        public RtsPdu toPdu() {
            return RtsPdus.flowControlAck(bytesReceived, availableWindow, channelCookie);
        }
    }

    /**
     * FlowControlAckWithDestination: receiver → sender across hops, forwarded by Destination.
     *
     * @see [MS-RPCH] 2.2.4.51 FlowControlAckWithDestination RTS PDU
     * @see [MS-RPCH] 2.2.3.4 Flow Control Acknowledgment
     */
    record FlowControlAckWithDestination(ForwardDestination destination, long bytesReceived, long availableWindow,
                                         UUID channelCookie) implements RtsMessage {
        /** Checked here, not at encoding: the codec writes an ack directly, without the command records. */
        public FlowControlAckWithDestination {
            Objects.requireNonNull(destination, "destination");
            checkAck(bytesReceived, availableWindow, channelCookie);
        }

        @Override
        public RtsPdu toPdu() {
            return RtsPdus.flowControlAckWithDestination(destination, bytesReceived, availableWindow, channelCookie);
        }
    }

    /**
     * A well-formed RTS PDU that matches no entry of [MS-RPCH] 2.2.4: kept in its wire form so a state machine
     * can name it in its error and a relay can pass it on unchanged.
     *
     * @see [MS-RPCH] 2.2.3.6 RTS PDU Structure
     */
    record Unclassified(RtsPdu pdu) implements RtsMessage {
        public Unclassified {
            Objects.requireNonNull(pdu, "pdu");
        }

        @Override
        public List<RtsPduKind> kinds() {
            return List.of();
        }

        @Override
        public RtsPdu toPdu() {
            return pdu;
        }
    }
}
