package dev.anywhere.rpc.rpch;

import dev.anywhere.rpc.rpch.RtsCommand.Ance;
import dev.anywhere.rpc.rpch.RtsCommand.AssociationGroupId;
import dev.anywhere.rpc.rpch.RtsCommand.ChannelLifetime;
import dev.anywhere.rpc.rpch.RtsCommand.ClientAddress;
import dev.anywhere.rpc.rpch.RtsCommand.ClientKeepalive;
import dev.anywhere.rpc.rpch.RtsCommand.ConnectionTimeout;
import dev.anywhere.rpc.rpch.RtsCommand.Cookie;
import dev.anywhere.rpc.rpch.RtsCommand.Destination;
import dev.anywhere.rpc.rpch.RtsCommand.Empty;
import dev.anywhere.rpc.rpch.RtsCommand.FlowControlAck;
import dev.anywhere.rpc.rpch.RtsCommand.NegativeAnce;
import dev.anywhere.rpc.rpch.RtsCommand.PingTrafficSentNotify;
import dev.anywhere.rpc.rpch.RtsCommand.ReceiveWindowSize;
import dev.anywhere.rpc.rpch.RtsCommand.Version;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Static factories for every RTS PDU of [MS-RPCH] 2.2.4, named after the spec ({@code connA1} builds CONN/A1).
 * Window sizes and lifetimes are in bytes, timeouts in milliseconds; each factory's result
 * {@link RtsPdu#is(RtsPduKind) is} the matching {@link RtsPduKind}.
 */
public final class RtsPdus {
    private RtsPdus() {}

    private static final Set<RtsFlag> NONE = RtsFlag.none();

    private static Set<RtsFlag> flags(RtsFlag first, RtsFlag... rest) {
        return EnumSet.of(first, rest);
    }

    /**
     * CONN/A1: client → outbound proxy, first PDU on a new OUT channel.
     *
     * @see [MS-RPCH] 2.2.4.2 CONN/A1 RTS PDU
     */
    public static RtsPdu connA1(long version, UUID virtualConnectionCookie, UUID outChannelCookie,
                                long clientReceiveWindow) {
        return RtsPdu.of(NONE, new Version(version), new Cookie(virtualConnectionCookie), new Cookie(outChannelCookie),
                new ReceiveWindowSize(clientReceiveWindow));
    }

    /**
     * CONN/A2: outbound proxy → server, opens the OUT channel leg.
     *
     * @see [MS-RPCH] 2.2.4.3 CONN/A2 RTS PDU
     */
    public static RtsPdu connA2(long version, UUID virtualConnectionCookie, UUID outChannelCookie,
                                long channelLifetime, long outboundProxyReceiveWindow) {
        return RtsPdu.of(flags(RtsFlag.OUT_CHANNEL), new Version(version), new Cookie(virtualConnectionCookie),
                new Cookie(outChannelCookie), new ChannelLifetime(channelLifetime),
                new ReceiveWindowSize(outboundProxyReceiveWindow));
    }

    /**
     * CONN/A3: outbound proxy → client, the proxy's connection timeout.
     *
     * @see [MS-RPCH] 2.2.4.4 CONN/A3 RTS PDU
     */
    public static RtsPdu connA3(long outboundProxyConnectionTimeout) {
        return RtsPdu.of(NONE, new ConnectionTimeout(outboundProxyConnectionTimeout));
    }

    /**
     * CONN/B1: client → inbound proxy, first PDU on a new IN channel.
     *
     * @see [MS-RPCH] 2.2.4.5 CONN/B1 RTS PDU
     */
    public static RtsPdu connB1(long version, UUID virtualConnectionCookie, UUID inChannelCookie,
                                long channelLifetime, long clientKeepalive, UUID associationGroupId) {
        return RtsPdu.of(NONE, new Version(version), new Cookie(virtualConnectionCookie), new Cookie(inChannelCookie),
                new ChannelLifetime(channelLifetime), new ClientKeepalive(clientKeepalive),
                new AssociationGroupId(associationGroupId));
    }

    /**
     * CONN/B2: inbound proxy → server, opens the IN channel leg.
     *
     * @see [MS-RPCH] 2.2.4.6 CONN/B2 RTS PDU
     */
    public static RtsPdu connB2(long version, UUID virtualConnectionCookie, UUID inChannelCookie,
                                long inboundProxyReceiveWindow, long inboundProxyConnectionTimeout,
                                UUID associationGroupId, ClientAddress clientAddress) {
        return RtsPdu.of(flags(RtsFlag.IN_CHANNEL), new Version(version), new Cookie(virtualConnectionCookie),
                new Cookie(inChannelCookie), new ReceiveWindowSize(inboundProxyReceiveWindow),
                new ConnectionTimeout(inboundProxyConnectionTimeout), new AssociationGroupId(associationGroupId),
                clientAddress);
    }

    /**
     * CONN/B3: server → inbound proxy, the server's receive window.
     *
     * @see [MS-RPCH] 2.2.4.7 CONN/B3 RTS PDU
     */
    public static RtsPdu connB3(long serverReceiveWindow, long version) {
        return RtsPdu.of(NONE, new ReceiveWindowSize(serverReceiveWindow), new Version(version));
    }

    /**
     * CONN/C1: server → outbound proxy once both legs are paired; carries the inbound proxy's values.
     *
     * @see [MS-RPCH] 2.2.4.8 CONN/C1 RTS PDU
     */
    public static RtsPdu connC1(long version, long inboundProxyReceiveWindow, long inboundProxyConnectionTimeout) {
        return RtsPdu.of(NONE, new Version(version), new ReceiveWindowSize(inboundProxyReceiveWindow),
                new ConnectionTimeout(inboundProxyConnectionTimeout));
    }

    /**
     * CONN/C2: outbound proxy → client, CONN/C1 forwarded; the virtual connection is open.
     *
     * @see [MS-RPCH] 2.2.4.9 CONN/C2 RTS PDU
     */
    public static RtsPdu connC2(long version, long inboundProxyReceiveWindow, long inboundProxyConnectionTimeout) {
        return connC1(version, inboundProxyReceiveWindow, inboundProxyConnectionTimeout);
    }

    /**
     * IN_R1/A1: client → successor inbound proxy, starts IN channel recycling.
     *
     * @see [MS-RPCH] 2.2.4.10 IN_R1/A1 RTS PDU
     */
    public static RtsPdu inR1A1(long version, UUID virtualConnectionCookie, UUID predecessorChannelCookie,
                                UUID successorChannelCookie) {
        return RtsPdu.of(flags(RtsFlag.RECYCLE_CHANNEL), new Version(version), new Cookie(virtualConnectionCookie),
                new Cookie(predecessorChannelCookie), new Cookie(successorChannelCookie));
    }

    /**
     * IN_R1/A2: successor inbound proxy → server.
     *
     * @see [MS-RPCH] 2.2.4.11 IN_R1/A2 RTS PDU
     */
    public static RtsPdu inR1A2(long version, UUID virtualConnectionCookie, UUID predecessorChannelCookie,
                                UUID successorChannelCookie, long inboundProxyReceiveWindow,
                                long inboundProxyConnectionTimeout) {
        return RtsPdu.of(flags(RtsFlag.IN_CHANNEL, RtsFlag.RECYCLE_CHANNEL), new Version(version),
                new Cookie(virtualConnectionCookie), new Cookie(predecessorChannelCookie),
                new Cookie(successorChannelCookie), new ReceiveWindowSize(inboundProxyReceiveWindow),
                new ConnectionTimeout(inboundProxyConnectionTimeout));
    }

    /**
     * IN_R1/A3: server → outbound proxy, forwarded to the client.
     *
     * @see [MS-RPCH] 2.2.4.12 IN_R1/A3 RTS PDU
     */
    public static RtsPdu inR1A3(long version, long inboundProxyReceiveWindow, long inboundProxyConnectionTimeout) {
        return RtsPdu.of(NONE, new Destination(ForwardDestination.CLIENT), new Version(version),
                new ReceiveWindowSize(inboundProxyReceiveWindow), new ConnectionTimeout(inboundProxyConnectionTimeout));
    }

    /**
     * IN_R1/A4: outbound proxy → client (same layout as IN_R1/A3).
     *
     * @see [MS-RPCH] 2.2.4.13 IN_R1/A4 RTS PDU
     */
    public static RtsPdu inR1A4(long version, long inboundProxyReceiveWindow, long inboundProxyConnectionTimeout) {
        return inR1A3(version, inboundProxyReceiveWindow, inboundProxyConnectionTimeout);
    }

    /**
     * IN_R1/A5: client → predecessor inbound proxy.
     *
     * @see [MS-RPCH] 2.2.4.14 IN_R1/A5 RTS PDU
     */
    public static RtsPdu inR1A5(UUID successorChannelCookie) {
        return RtsPdu.of(NONE, new Cookie(successorChannelCookie));
    }

    /**
     * IN_R1/A6: predecessor inbound proxy → server.
     *
     * @see [MS-RPCH] 2.2.4.15 IN_R1/A6 RTS PDU
     */
    public static RtsPdu inR1A6(UUID successorChannelCookie) {
        return inR1A5(successorChannelCookie);
    }

    /**
     * IN_R1/B1: server → predecessor inbound proxy, closes the old leg.
     *
     * @see [MS-RPCH] 2.2.4.16 IN_R1/B1 RTS PDU
     */
    public static RtsPdu inR1B1() {
        return RtsPdu.of(NONE, Empty.INSTANCE);
    }

    /**
     * IN_R1/B2: server → successor inbound proxy, its receive window.
     *
     * @see [MS-RPCH] 2.2.4.17 IN_R1/B2 RTS PDU
     */
    public static RtsPdu inR1B2(long serverReceiveWindow) {
        return RtsPdu.of(NONE, new ReceiveWindowSize(serverReceiveWindow));
    }

    /**
     * IN_R2/A1: client → inbound proxy that already serves the connection (same layout as IN_R1/A1).
     *
     * @see [MS-RPCH] 2.2.4.18 IN_R2/A1 RTS PDU
     */
    public static RtsPdu inR2A1(long version, UUID virtualConnectionCookie, UUID predecessorChannelCookie,
                                UUID successorChannelCookie) {
        return inR1A1(version, virtualConnectionCookie, predecessorChannelCookie, successorChannelCookie);
    }

    /**
     * IN_R2/A2: inbound proxy → server.
     *
     * @see [MS-RPCH] 2.2.4.19 IN_R2/A2 RTS PDU
     */
    public static RtsPdu inR2A2(UUID successorChannelCookie) {
        return RtsPdu.of(NONE, new Cookie(successorChannelCookie));
    }

    /**
     * IN_R2/A3: server → outbound proxy.
     *
     * @see [MS-RPCH] 2.2.4.20 IN_R2/A3 RTS PDU
     */
    public static RtsPdu inR2A3() {
        return RtsPdu.of(NONE, new Destination(ForwardDestination.CLIENT));
    }

    /**
     * IN_R2/A4: outbound proxy → client.
     *
     * @see [MS-RPCH] 2.2.4.21 IN_R2/A4 RTS PDU
     */
    public static RtsPdu inR2A4() {
        return inR2A3();
    }

    /**
     * IN_R2/A5: client → inbound proxy on the predecessor IN channel.
     *
     * @see [MS-RPCH] 2.2.4.22 IN_R2/A5 RTS PDU
     */
    public static RtsPdu inR2A5(UUID successorChannelCookie) {
        return RtsPdu.of(NONE, new Cookie(successorChannelCookie));
    }

    /**
     * OUT_R1/A1: server → outbound proxy, starts OUT channel recycling.
     *
     * @see [MS-RPCH] 2.2.4.23 OUT_R1/A1 RTS PDU
     */
    public static RtsPdu outR1A1() {
        return RtsPdu.of(flags(RtsFlag.RECYCLE_CHANNEL), new Destination(ForwardDestination.CLIENT));
    }

    /**
     * OUT_R1/A2: outbound proxy → client.
     *
     * @see [MS-RPCH] 2.2.4.24 OUT_R1/A2 RTS PDU
     */
    public static RtsPdu outR1A2() {
        return outR1A1();
    }

    /**
     * OUT_R1/A3: client → successor outbound proxy, first PDU on the new OUT channel.
     *
     * @see [MS-RPCH] 2.2.4.25 OUT_R1/A3 RTS PDU
     */
    public static RtsPdu outR1A3(long version, UUID virtualConnectionCookie, UUID predecessorChannelCookie,
                                 UUID successorChannelCookie, long clientReceiveWindow) {
        return RtsPdu.of(flags(RtsFlag.RECYCLE_CHANNEL), new Version(version), new Cookie(virtualConnectionCookie),
                new Cookie(predecessorChannelCookie), new Cookie(successorChannelCookie),
                new ReceiveWindowSize(clientReceiveWindow));
    }

    /**
     * OUT_R1/A4: successor outbound proxy → server.
     *
     * @see [MS-RPCH] 2.2.4.26 OUT_R1/A4 RTS PDU
     */
    public static RtsPdu outR1A4(long version, UUID virtualConnectionCookie, UUID predecessorChannelCookie,
                                 UUID successorChannelCookie, long channelLifetime, long outboundProxyReceiveWindow,
                                 long outboundProxyConnectionTimeout) {
        return RtsPdu.of(flags(RtsFlag.OUT_CHANNEL, RtsFlag.RECYCLE_CHANNEL), new Version(version),
                new Cookie(virtualConnectionCookie), new Cookie(predecessorChannelCookie),
                new Cookie(successorChannelCookie), new ChannelLifetime(channelLifetime),
                new ReceiveWindowSize(outboundProxyReceiveWindow),
                new ConnectionTimeout(outboundProxyConnectionTimeout));
    }

    /**
     * OUT_R1/A5: server → predecessor outbound proxy.
     *
     * @see [MS-RPCH] 2.2.4.27 OUT_R1/A5 RTS PDU
     */
    public static RtsPdu outR1A5(long version, long outboundProxyConnectionTimeout) {
        return RtsPdu.of(flags(RtsFlag.OUT_CHANNEL), new Destination(ForwardDestination.CLIENT), new Version(version),
                new ConnectionTimeout(outboundProxyConnectionTimeout));
    }

    /**
     * OUT_R1/A6: predecessor outbound proxy → client.
     *
     * @see [MS-RPCH] 2.2.4.28 OUT_R1/A6 RTS PDU
     */
    public static RtsPdu outR1A6(long version, long outboundProxyConnectionTimeout) {
        return outR1A5(version, outboundProxyConnectionTimeout);
    }

    /**
     * OUT_R1/A7: client → inbound proxy on the IN channel, for the server.
     *
     * @see [MS-RPCH] 2.2.4.29 OUT_R1/A7 RTS PDU
     */
    public static RtsPdu outR1A7(UUID successorChannelCookie) {
        return RtsPdu.of(flags(RtsFlag.OUT_CHANNEL), new Destination(ForwardDestination.SERVER),
                new Cookie(successorChannelCookie));
    }

    /**
     * OUT_R1/A8: inbound proxy → server.
     *
     * @see [MS-RPCH] 2.2.4.30 OUT_R1/A8 RTS PDU
     */
    public static RtsPdu outR1A8(UUID successorChannelCookie) {
        return outR1A7(successorChannelCookie);
    }

    /**
     * OUT_R1/A9: server → predecessor outbound proxy, ANCE.
     *
     * @see [MS-RPCH] 2.2.4.31 OUT_R1/A9 RTS PDU
     */
    public static RtsPdu outR1A9() {
        return RtsPdu.of(NONE, Ance.INSTANCE);
    }

    /**
     * OUT_R1/A10: predecessor outbound proxy → client, ANCE.
     *
     * @see [MS-RPCH] 2.2.4.32 OUT_R1/A10 RTS PDU
     */
    public static RtsPdu outR1A10() {
        return outR1A9();
    }

    /**
     * OUT_R1/A11: client → successor outbound proxy, ANCE.
     *
     * @see [MS-RPCH] 2.2.4.33 OUT_R1/A11 RTS PDU
     */
    public static RtsPdu outR1A11() {
        return outR1A9();
    }

    /**
     * OUT_R2/A1: server → outbound proxy, starts same-proxy OUT channel recycling.
     *
     * @see [MS-RPCH] 2.2.4.34 OUT_R2/A1 RTS PDU
     */
    public static RtsPdu outR2A1() {
        return outR1A1();
    }

    /**
     * OUT_R2/A2: outbound proxy → client.
     *
     * @see [MS-RPCH] 2.2.4.35 OUT_R2/A2 RTS PDU
     */
    public static RtsPdu outR2A2() {
        return outR1A1();
    }

    /**
     * OUT_R2/A3: client → outbound proxy on the successor OUT channel (same layout as OUT_R1/A3).
     *
     * @see [MS-RPCH] 2.2.4.36 OUT_R2/A3 RTS PDU
     */
    public static RtsPdu outR2A3(long version, UUID virtualConnectionCookie, UUID predecessorChannelCookie,
                                 UUID successorChannelCookie, long clientReceiveWindow) {
        return outR1A3(version, virtualConnectionCookie, predecessorChannelCookie, successorChannelCookie,
                clientReceiveWindow);
    }

    /**
     * OUT_R2/A4: outbound proxy → server.
     *
     * @see [MS-RPCH] 2.2.4.37 OUT_R2/A4 RTS PDU
     */
    public static RtsPdu outR2A4(UUID successorChannelCookie) {
        return RtsPdu.of(NONE, new Cookie(successorChannelCookie));
    }

    /**
     * OUT_R2/A5: server → outbound proxy.
     *
     * @see [MS-RPCH] 2.2.4.38 OUT_R2/A5 RTS PDU
     */
    public static RtsPdu outR2A5() {
        return RtsPdu.of(NONE, new Destination(ForwardDestination.CLIENT), Ance.INSTANCE);
    }

    /**
     * OUT_R2/A6: outbound proxy → client.
     *
     * @see [MS-RPCH] 2.2.4.39 OUT_R2/A6 RTS PDU
     */
    public static RtsPdu outR2A6() {
        return outR2A5();
    }

    /**
     * OUT_R2/A7: client → inbound proxy on the IN channel, for the server.
     *
     * @see [MS-RPCH] 2.2.4.40 OUT_R2/A7 RTS PDU
     */
    public static RtsPdu outR2A7(UUID successorChannelCookie, long version) {
        return RtsPdu.of(flags(RtsFlag.OUT_CHANNEL), new Destination(ForwardDestination.SERVER),
                new Cookie(successorChannelCookie), new Version(version));
    }

    /**
     * OUT_R2/A8: inbound proxy → server.
     *
     * @see [MS-RPCH] 2.2.4.41 OUT_R2/A8 RTS PDU
     */
    public static RtsPdu outR2A8(UUID successorChannelCookie) {
        return RtsPdu.of(flags(RtsFlag.OUT_CHANNEL), new Destination(ForwardDestination.SERVER),
                new Cookie(successorChannelCookie));
    }

    /**
     * OUT_R2/B1: server → outbound proxy, ANCE: the successor channel is established.
     *
     * @see [MS-RPCH] 2.2.4.42 OUT_R2/B1 RTS PDU
     */
    public static RtsPdu outR2B1() {
        return RtsPdu.of(NONE, Ance.INSTANCE);
    }

    /**
     * OUT_R2/B2: server → outbound proxy, NegativeANCE.
     *
     * @see [MS-RPCH] 2.2.4.43 OUT_R2/B2 RTS PDU
     */
    public static RtsPdu outR2B2() {
        return RtsPdu.of(NONE, NegativeAnce.INSTANCE);
    }

    /**
     * OUT_R2/B3: outbound proxy → client, EOF + ANCE, the last PDU on the predecessor.
     *
     * @see [MS-RPCH] 2.2.4.44 OUT_R2/B3 RTS PDU
     */
    public static RtsPdu outR2B3() {
        return RtsPdu.of(flags(RtsFlag.EOF), Ance.INSTANCE);
    }

    /**
     * OUT_R2/C1: client → outbound proxy, with Empty (24 bytes, the size of OUT_R1/A11).
     *
     * @see [MS-RPCH] 2.2.4.45 OUT_R2/C1 RTS PDU
     */
    public static RtsPdu outR2C1() {
        return RtsPdu.of(flags(RtsFlag.PING), Empty.INSTANCE);
    }

    /**
     * Keep-Alive: client → inbound proxy, changes the client keep-alive interval.
     *
     * @see [MS-RPCH] 2.2.4.46 Keep-Alive RTS PDU
     */
    public static RtsPdu keepAlive(long clientKeepalive) {
        return RtsPdu.of(flags(RtsFlag.OTHER_CMD), new ClientKeepalive(clientKeepalive));
    }

    /**
     * Ping Traffic Sent Notify: outbound proxy → server, ping bytes sent on the OUT channel.
     *
     * @see [MS-RPCH] 2.2.4.47 Ping Traffic Sent Notify RTS PDU
     */
    public static RtsPdu pingTrafficSentNotify(long pingTrafficSent) {
        return RtsPdu.of(flags(RtsFlag.OTHER_CMD), new PingTrafficSentNotify(pingTrafficSent));
    }

    /**
     * Echo: the body of an echo request and response (proxy discovery).
     *
     * @see [MS-RPCH] 2.2.4.48 Echo RTS PDU
     */
    public static RtsPdu echo() {
        return RtsPdu.of(flags(RtsFlag.ECHO));
    }

    /**
     * Ping: idle filler on a channel.
     *
     * @see [MS-RPCH] 2.2.4.49 Ping RTS PDU
     */
    public static RtsPdu ping() {
        return RtsPdu.of(flags(RtsFlag.PING));
    }

    /**
     * FlowControlAck: receiver → sender on the same hop.
     *
     * @see [MS-RPCH] 2.2.4.50 FlowControlAck RTS PDU
     */
    public static RtsPdu flowControlAck(long bytesReceived, long availableWindow, UUID channelCookie) {
        return RtsPdu.of(flags(RtsFlag.OTHER_CMD), new FlowControlAck(bytesReceived, availableWindow, channelCookie));
    }

    /**
     * FlowControlAckWithDestination: receiver → sender across hops, forwarded by Destination.
     *
     * @see [MS-RPCH] 2.2.4.51 FlowControlAckWithDestination RTS PDU
     */
    public static RtsPdu flowControlAckWithDestination(ForwardDestination destination, long bytesReceived,
                                                       long availableWindow, UUID channelCookie) {
        return RtsPdu.of(flags(RtsFlag.OTHER_CMD), new Destination(destination),
                new FlowControlAck(bytesReceived, availableWindow, channelCookie));
    }
}
