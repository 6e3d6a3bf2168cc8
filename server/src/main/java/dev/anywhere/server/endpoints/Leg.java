package dev.anywhere.server.endpoints;

import io.netty.channel.Channel;
import java.util.UUID;

/**
 * One TCP connection from a proxy that opened a leg of a virtual connection: CONN/B2 or IN_R1/A2 (IN leg, from an
 * inbound proxy) or CONN/A2 or OUT_R1/A4 (OUT leg, from an outbound proxy), with the values of that PDU.
 *
 * @param channel the TCP connection
 * @param in true for the IN leg
 * @param vcCookie the virtual connection cookie (pairs the legs)
 * @param channelCookie the IN or OUT channel cookie (flow control acks name it)
 * @param receiveWindow the proxy's receive window (B2: inbound proxy, copied into C1; A2: outbound proxy, our send window)
 * @param connectionTimeout B2's ConnectionTimeout (copied into C1); 0 for an OUT leg
 * @param version the RTS Version of the PDU
 * @param channelLifetime an OUT leg's ChannelLifetime (CONN/A2, OUT_R1/A4): the bytes the outbound proxy may send to
 *        the client on that OUT channel; 0 for an IN leg
 */
record Leg(Channel channel, boolean in, UUID vcCookie, UUID channelCookie, long receiveWindow, long connectionTimeout,
        long version, long channelLifetime) {

    String name() {
        return in ? "IN" : "OUT";
    }
}
