package dev.anywhere.rpc.rpch;

import dev.anywhere.rpc.dce.CoHeader;
import dev.anywhere.rpc.dce.Guids;
import dev.anywhere.rpc.dce.Octets;
import dev.anywhere.rpc.dce.PduType;
import dev.anywhere.rpc.dce.PfcFlag;
import dev.anywhere.rpc.dce.WireReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Encodes and decodes RTS PDUs field by field.
 *
 * <p>{@link #decode(ByteBuf)} reads exactly one PDU and checks everything [MS-RPCH] 2.2.3.6.1 requires of the
 * header (PTYPE 20, pfc_flags exactly FIRST_FRAG | LAST_FRAG, little-endian drep, auth_length 0, call_id 0),
 * that the Flags field has only defined bits, that every command type is known and every value in range, and
 * that NumberOfCommands commands fill frag_length exactly. Failures throw {@link RpchProtocolException}.
 *
 * <p>Encoding always writes rpc_vers 5.0 (what Windows sends on RTS); a received 5.1 header is accepted and
 * re-encoded as 5.0.
 *
 * @see [MS-RPCH] 2.2.3.6 RTS PDU Structure
 * @see [MS-RPCH] 2.2.3.5 RTS Commands
 */
public final class RpchCodec {
    private static final Set<PfcFlag> RTS_PFC = PfcFlag.SINGLE_FRAGMENT;

    private RpchCodec() {}

    /** Decodes one RTS PDU from {@code in}, moving its reader index past frag_length bytes. */
    public static RtsPdu decode(ByteBuf in) {
        WireReader r = new WireReader(in, RpchProtocolException::new);
        r.require(CoHeader.LENGTH, "header");
        CoHeader h = CoHeader.read(r);
        if (h.type() != PduType.RTS) {
            throw r.error("PTYPE: " + h.type().value() + " " + h.type().wireName() + " (expected: 20 rts)");
        }
        if (!h.flags().equals(RTS_PFC)) {
            throw r.error("pfc_flags: 0x" + hex2(PfcFlag.toBits(h.flags()))
                    + " (expected: 0x03 PFC_FIRST_FRAG | PFC_LAST_FRAG)");
        }
        if (h.authLength() != 0) {
            throw r.error("auth_length: " + h.authLength() + " (expected: 0)");
        }
        if (h.callId() != 0) {
            throw r.error("call_id: " + Integer.toUnsignedString(h.callId()) + " (expected: 0)");
        }
        if (h.fragLength() < RtsPdu.HEADER_LENGTH) {
            throw r.error("frag_length: " + h.fragLength() + " (expected: >= 20 for an RTS PDU)");
        }
        r.limit(h.fragLength() - CoHeader.LENGTH, "rts pdu");
        int flagBits = r.u16("Flags"); // Flags (2 bytes)
        if ((flagBits & ~RtsFlag.ALL_BITS) != 0) {
            throw r.error("Flags: 0x" + hex4(flagBits) + " (expected: only bits of 0x007f)");
        }
        int count = r.u16("NumberOfCommands"); // NumberOfCommands (2 bytes)
        // Every command is at least 4 bytes: reject an impossible count before allocating for it.
        if ((long) count * 4 > r.remaining()) {
            throw r.error("NumberOfCommands: " + count + " (expected: <= " + r.remaining() / 4
                    + ", what frag_length " + h.fragLength() + " can hold)");
        }
        List<RtsCommand> commands = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (r.remaining() == 0) {
                throw r.error("NumberOfCommands: " + count + " (expected: " + i + ", the commands frag_length "
                        + h.fragLength() + " holds)");
            }
            commands.add(readCommand(r));
        }
        if (r.remaining() != 0) {
            throw r.error("NumberOfCommands: " + count + " (expected: commands filling frag_length "
                    + h.fragLength() + ", " + r.remaining() + " bytes left over)");
        }
        return new RtsPdu(RtsFlag.fromBits(flagBits), commands);
    }

    private static RtsCommand readCommand(WireReader r) {
        long typeValue = r.u32("CommandType"); // CommandType (4 bytes)
        RtsCommandType type = RtsCommandType.forValue(typeValue);
        if (type == null) {
            throw r.error("CommandType: 0x" + Long.toHexString(typeValue) + " (expected: 0x0..0xe)");
        }
        try {
            return switch (type) {
                case RECEIVE_WINDOW_SIZE -> new RtsCommand.ReceiveWindowSize(
                        r.u32("ReceiveWindowSize")); // ReceiveWindowSize (4 bytes)
                case FLOW_CONTROL_ACK -> {
                    long bytesReceived = r.u32("BytesReceived"); // Ack.BytesReceived (4 bytes)
                    long available = r.u32("AvailableWindow"); // Ack.AvailableWindow (4 bytes)
                    UUID cookie = r.guid("ChannelCookie"); // Ack.ChannelCookie (16 bytes)
                    yield new RtsCommand.FlowControlAck(bytesReceived, available, cookie);
                }
                case CONNECTION_TIMEOUT -> new RtsCommand.ConnectionTimeout(
                        r.u32("ConnectionTimeout")); // ConnectionTimeout (4 bytes)
                case COOKIE -> new RtsCommand.Cookie(r.guid("Cookie")); // Cookie (16 bytes)
                case CHANNEL_LIFETIME -> new RtsCommand.ChannelLifetime(
                        r.u32("ChannelLifetime")); // ChannelLifetime (4 bytes)
                case CLIENT_KEEPALIVE -> new RtsCommand.ClientKeepalive(
                        r.u32("ClientKeepalive")); // ClientKeepalive (4 bytes)
                case VERSION -> new RtsCommand.Version(r.u32("Version")); // Version (4 bytes)
                case EMPTY -> RtsCommand.Empty.INSTANCE; // no body
                case PADDING -> {
                    long n = r.u32("Padding ConformanceCount"); // ConformanceCount (4 bytes)
                    if (n > RtsCommand.Padding.MAX_COUNT) {
                        throw r.error("Padding ConformanceCount: " + n + " (expected: <= 65535)");
                    }
                    yield new RtsCommand.Padding(r.bytes((int) n, "Padding")); // Padding (ConformanceCount bytes)
                }
                case NEGATIVE_ANCE -> RtsCommand.NegativeAnce.INSTANCE; // no body
                case ANCE -> RtsCommand.Ance.INSTANCE; // no body
                case CLIENT_ADDRESS -> {
                    long addressType = r.u32("AddressType"); // AddressType (4 bytes)
                    int length;
                    if (addressType == RtsCommand.ClientAddress.IPV4) {
                        length = 4;
                    } else if (addressType == RtsCommand.ClientAddress.IPV6) {
                        length = 16;
                    } else {
                        throw r.error("ClientAddress AddressType: " + addressType + " (expected: 0 IPv4 or 1 IPv6)");
                    }
                    Octets address = r.bytes(length, "ClientAddress"); // ClientAddress (4 or 16 bytes)
                    Octets padding = r.bytes(RtsCommand.ClientAddress.PADDING_LENGTH,
                            "ClientAddress padding"); // Padding (12 bytes)
                    yield new RtsCommand.ClientAddress(toInet(address), padding);
                }
                case ASSOCIATION_GROUP_ID -> new RtsCommand.AssociationGroupId(
                        r.guid("AssociationGroupId")); // AssociationGroupId (16 bytes)
                case DESTINATION -> {
                    long value = r.u32("Destination"); // Destination (4 bytes)
                    ForwardDestination d = ForwardDestination.forValue(value);
                    if (d == null) {
                        throw r.error("Destination: " + value + " (expected: 0..3)");
                    }
                    yield new RtsCommand.Destination(d);
                }
                case PING_TRAFFIC_SENT_NOTIFY -> new RtsCommand.PingTrafficSentNotify(
                        r.u32("PingTrafficSent")); // PingTrafficSent (4 bytes)
            };
        } catch (IllegalArgumentException e) {
            throw r.error(e.getMessage());
        }
    }

    private static InetAddress toInet(Octets address) {
        try {
            byte[] bytes = address.toByteArray();
            // No name lookup for a literal address. Inet6Address keeps an IPv4-mapped ::ffff:a.b.c.d an IPv6 address
            // (InetAddress.getByAddress would make it IPv4, re-encoded 12 bytes shorter than it came).
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always a valid address", e);
        }
    }

    /** Encodes {@code pdu} into a new buffer from {@code alloc}. */
    /** The PDU's bytes in a new array, for fixed answers such as the echo. */
    public static byte[] toBytes(RtsPdu pdu) {
        ByteBuf buf = io.netty.buffer.Unpooled.buffer(pdu.fragLength());
        encode(pdu, buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    public static ByteBuf encode(RtsPdu pdu, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(pdu.fragLength());
        encode(pdu, out);
        return out;
    }

    /** Appends {@code pdu} to {@code out}. */
    public static void encode(RtsPdu pdu, ByteBuf out) {
        out.writeByte(CoHeader.RPC_VERS); // rpc_vers (1 byte)
        out.writeByte(0); // rpc_vers_minor (1 byte)
        out.writeByte(PduType.RTS.value()); // PTYPE (1 byte)
        out.writeByte(PfcFlag.toBits(RTS_PFC)); // pfc_flags (1 byte)
        out.writeIntLE(CoHeader.DREP_LITTLE_ENDIAN_ASCII); // packed_drep (4 bytes)
        out.writeShortLE(pdu.fragLength()); // frag_length (2 bytes)
        out.writeShortLE(0); // auth_length (2 bytes)
        out.writeIntLE(0); // call_id (4 bytes)
        out.writeShortLE(RtsFlag.toBits(pdu.flags())); // Flags (2 bytes)
        out.writeShortLE(pdu.commands().size()); // NumberOfCommands (2 bytes)
        for (RtsCommand c : pdu.commands()) {
            writeCommand(c, out);
        }
    }

    private static void writeCommand(RtsCommand c, ByteBuf out) {
        out.writeIntLE(c.type().value()); // CommandType (4 bytes)
        if (c instanceof RtsCommand.ReceiveWindowSize x) {
            out.writeIntLE((int) x.size()); // ReceiveWindowSize (4 bytes)
        } else if (c instanceof RtsCommand.FlowControlAck x) {
            out.writeIntLE((int) x.bytesReceived()); // Ack.BytesReceived (4 bytes)
            out.writeIntLE((int) x.availableWindow()); // Ack.AvailableWindow (4 bytes)
            Guids.write(out, x.channelCookie()); // Ack.ChannelCookie (16 bytes)
        } else if (c instanceof RtsCommand.ConnectionTimeout x) {
            out.writeIntLE((int) x.millis()); // ConnectionTimeout (4 bytes)
        } else if (c instanceof RtsCommand.Cookie x) {
            Guids.write(out, x.cookie()); // Cookie (16 bytes)
        } else if (c instanceof RtsCommand.ChannelLifetime x) {
            out.writeIntLE((int) x.bytes()); // ChannelLifetime (4 bytes)
        } else if (c instanceof RtsCommand.ClientKeepalive x) {
            out.writeIntLE((int) x.millis()); // ClientKeepalive (4 bytes)
        } else if (c instanceof RtsCommand.Version x) {
            out.writeIntLE((int) x.version()); // Version (4 bytes)
        } else if (c instanceof RtsCommand.Padding x) {
            out.writeIntLE(x.padding().length()); // ConformanceCount (4 bytes)
            x.padding().writeTo(out); // Padding (ConformanceCount bytes)
        } else if (c instanceof RtsCommand.ClientAddress x) {
            out.writeIntLE(x.addressType()); // AddressType (4 bytes)
            out.writeBytes(x.address().getAddress()); // ClientAddress (4 or 16 bytes)
            x.padding().writeTo(out); // Padding (12 bytes)
        } else if (c instanceof RtsCommand.AssociationGroupId x) {
            Guids.write(out, x.id()); // AssociationGroupId (16 bytes)
        } else if (c instanceof RtsCommand.Destination x) {
            out.writeIntLE(x.destination().value()); // Destination (4 bytes)
        } else if (c instanceof RtsCommand.PingTrafficSentNotify x) {
            out.writeIntLE((int) x.bytes()); // PingTrafficSent (4 bytes)
        }
        // Empty, NegativeANCE, ANCE: no body
    }

    private static String hex2(int v) {
        return String.format("%02x", v);
    }

    private static String hex4(int v) {
        return String.format("%04x", v);
    }
}
