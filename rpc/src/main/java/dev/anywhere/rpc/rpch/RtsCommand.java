package dev.anywhere.rpc.rpch;

import dev.anywhere.rpc.wire.Octets;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.UUID;

/**
 * One RTS command: a u32 {@code CommandType} followed by a type-specific body. Each of the 15 commands is an
 * immutable record whose constructor enforces the spec's value ranges (as Samba's IDL {@code range()}
 * annotations do); {@link RpchCodec} turns a violation on the wire into an {@link RpchProtocolException}.
 *
 * @see [MS-RPCH] 2.2.3.5 RTS Commands
 */
public sealed interface RtsCommand {

    RtsCommandType type();

    /** Bytes on the wire including the 4-byte CommandType. */
    default int encodedLength() {
        return type().fixedLength();
    }

    private static long u32(String what, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + ": " + v + " (expected: " + min + ".." + max + ")");
        }
        return v;
    }

    /**
     * ReceiveWindowSize (0x0): the sender's receive window in bytes, 8 KiB…256 KiB.
     *
     * @see [MS-RPCH] 2.2.3.5.1 ReceiveWindowSize
     */
    record ReceiveWindowSize(long size) implements RtsCommand {
        public static final long MIN = 0x2000;
        public static final long MAX = 0x40000;

        public ReceiveWindowSize {
            u32("ReceiveWindowSize", size, MIN, MAX);
        }

        @Override
        public RtsCommandType type() {
            return RtsCommandType.RECEIVE_WINDOW_SIZE;
        }
    }

    /**
     * FlowControlAck (0x1): the Ack structure — bytes received, available window, channel cookie.
     *
     * @see [MS-RPCH] 2.2.3.5.2 FlowControlAck
     * @see [MS-RPCH] 2.2.3.4 Flow Control Acknowledgment
     */
    record FlowControlAck(long bytesReceived, long availableWindow, UUID channelCookie) implements RtsCommand {
        public FlowControlAck {
            u32("FlowControlAck BytesReceived", bytesReceived, 0, 0xffff_ffffL);
            u32("FlowControlAck AvailableWindow", availableWindow, 0, 0xffff_ffffL);
            Objects.requireNonNull(channelCookie, "channelCookie");
        }

        @Override
        public RtsCommandType type() {
            return RtsCommandType.FLOW_CONTROL_ACK;
        }
    }

    /**
     * ConnectionTimeout (0x2): the HTTP connection idle limit in milliseconds, 120 000…14 400 000.
     *
     * @see [MS-RPCH] 2.2.3.5.3 ConnectionTimeout
     */
    record ConnectionTimeout(long millis) implements RtsCommand {
        public static final long MIN = 120_000;
        public static final long MAX = 14_400_000;

        public ConnectionTimeout {
            u32("ConnectionTimeout", millis, MIN, MAX);
        }

        @Override
        public RtsCommandType type() {
            return RtsCommandType.CONNECTION_TIMEOUT;
        }
    }

    /**
     * Cookie (0x3): a 16-byte RTS cookie — virtual connection or channel cookie.
     *
     * @see [MS-RPCH] 2.2.3.5.4 Cookie
     */
    record Cookie(UUID cookie) implements RtsCommand {
        public Cookie {
            Objects.requireNonNull(cookie, "cookie");
        }

        @Override
        public RtsCommandType type() {
            return RtsCommandType.COOKIE;
        }
    }

    /**
     * ChannelLifetime (0x4): the channel's byte budget, 128 KiB…2 GiB.
     *
     * @see [MS-RPCH] 2.2.3.5.5 ChannelLifetime
     */
    record ChannelLifetime(long bytes) implements RtsCommand {
        public static final long MIN = 0x20000;
        public static final long MAX = 0x8000_0000L;

        public ChannelLifetime {
            u32("ChannelLifetime", bytes, MIN, MAX);
        }

        @Override
        public RtsCommandType type() {
            return RtsCommandType.CHANNEL_LIFETIME;
        }
    }

    /**
     * ClientKeepalive (0x5): the client's keep-alive interval in milliseconds: 0 (meaning 300 000) or at
     * least 60 000.
     *
     * @see [MS-RPCH] 2.2.3.5.6 ClientKeepalive
     */
    record ClientKeepalive(long millis) implements RtsCommand {
        public static final long MIN = 60_000;

        public ClientKeepalive {
            if (millis != 0) {
                u32("ClientKeepalive", millis, MIN, 0xffff_ffffL);
            }
        }

        @Override
        public RtsCommandType type() {
            return RtsCommandType.CLIENT_KEEPALIVE;
        }
    }

    /**
     * Version (0x6): the sender's RPC over HTTP v2 protocol version (1).
     *
     * @see [MS-RPCH] 2.2.3.5.7 Version
     */
    record Version(long version) implements RtsCommand {
        /** The only version defined. */
        public static final long V1 = 1;

        public Version {
            u32("Version", version, 0, 0xffff_ffffL);
        }

        @Override
        public RtsCommandType type() {
            return RtsCommandType.VERSION;
        }
    }

    /**
     * Empty (0x7): no body.
     *
     * @see [MS-RPCH] 2.2.3.5.8 Empty
     */
    record Empty() implements RtsCommand {
        public static final Empty INSTANCE = new Empty();

        @Override
        public RtsCommandType type() {
            return RtsCommandType.EMPTY;
        }
    }

    /**
     * Padding (0x8): a u32 ConformanceCount (0…0xFFFF) and that many bytes, kept verbatim.
     *
     * @see [MS-RPCH] 2.2.3.5.9 Padding
     */
    record Padding(Octets padding) implements RtsCommand {
        public static final int MAX_COUNT = 0xffff;

        public Padding {
            Objects.requireNonNull(padding, "padding");
            u32("Padding ConformanceCount", padding.length(), 0, MAX_COUNT);
        }

        /** {@code count} zero bytes of padding. */
        public static Padding zeros(int count) {
            u32("Padding ConformanceCount", count, 0, MAX_COUNT);
            return new Padding(Octets.zeros(count));
        }

        @Override
        public int encodedLength() {
            return 8 + padding.length();
        }

        @Override
        public RtsCommandType type() {
            return RtsCommandType.PADDING;
        }
    }

    /**
     * NegativeANCE (0x9): the successor channel was not established.
     *
     * @see [MS-RPCH] 2.2.3.5.10 NegativeANCE
     */
    record NegativeAnce() implements RtsCommand {
        public static final NegativeAnce INSTANCE = new NegativeAnce();

        @Override
        public RtsCommandType type() {
            return RtsCommandType.NEGATIVE_ANCE;
        }
    }

    /**
     * ANCE (0xA): the successor channel was established.
     *
     * @see [MS-RPCH] 2.2.3.5.11 ANCE
     */
    record Ance() implements RtsCommand {
        public static final Ance INSTANCE = new Ance();

        @Override
        public RtsCommandType type() {
            return RtsCommandType.ANCE;
        }
    }

    /**
     * ClientAddress (0xB): u32 AddressType (0 IPv4, 1 IPv6), 4 or 16 address bytes, then 12 bytes of padding
     * kept verbatim. Informational only: a Windows inbound proxy has been seen sending {@code 0.0.0.0} with the
     * real address in the padding (impacket tests/SMB_RPC/test_rpch.py test_7), so never reject on it.
     *
     * @see [MS-RPCH] 2.2.3.5.12 ClientAddress
     */
    record ClientAddress(InetAddress address, Octets padding) implements RtsCommand {
        public static final int PADDING_LENGTH = 12;
        public static final int IPV4 = 0;
        public static final int IPV6 = 1;

        public ClientAddress {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(padding, "padding");
            if (!(address instanceof Inet4Address) && !(address instanceof Inet6Address)) {
                throw new IllegalArgumentException("ClientAddress: " + address + " (expected: IPv4 or IPv6)");
            }
            if (padding.length() != PADDING_LENGTH) {
                throw new IllegalArgumentException("ClientAddress padding: " + padding.length() + " bytes (expected: 12)");
            }
        }

        /** {@code address} with zero padding. */
        public ClientAddress(InetAddress address) {
            this(address, Octets.zeros(PADDING_LENGTH));
        }

        /** 0 for IPv4, 1 for IPv6. */
        public int addressType() {
            return address instanceof Inet4Address ? IPV4 : IPV6;
        }

        @Override
        public int encodedLength() {
            return 4 + 4 + address.getAddress().length + PADDING_LENGTH;
        }

        @Override
        public RtsCommandType type() {
            return RtsCommandType.CLIENT_ADDRESS;
        }
    }

    /**
     * AssociationGroupId (0xC): the client's association group id, a 16-byte cookie.
     *
     * @see [MS-RPCH] 2.2.3.5.13 AssociationGroupId
     */
    record AssociationGroupId(UUID id) implements RtsCommand {
        public AssociationGroupId {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public RtsCommandType type() {
            return RtsCommandType.ASSOCIATION_GROUP_ID;
        }
    }

    /**
     * Destination (0xD): where the PDU is to be forwarded.
     *
     * @see [MS-RPCH] 2.2.3.5.14 Destination
     */
    record Destination(ForwardDestination destination) implements RtsCommand {
        public Destination {
            Objects.requireNonNull(destination, "destination");
        }

        @Override
        public RtsCommandType type() {
            return RtsCommandType.DESTINATION;
        }
    }

    /**
     * PingTrafficSentNotify (0xE): bytes of ping traffic the outbound proxy sent on the OUT channel.
     *
     * @see [MS-RPCH] 2.2.3.5.15 PingTrafficSentNotify
     */
    record PingTrafficSentNotify(long bytes) implements RtsCommand {
        public PingTrafficSentNotify {
            u32("PingTrafficSentNotify", bytes, 0, 0xffff_ffffL);
        }

        @Override
        public RtsCommandType type() {
            return RtsCommandType.PING_TRAFFIC_SENT_NOTIFY;
        }
    }
}
