package dev.anywhere.rpc.rpch;

import dev.anywhere.rpc.dce.CoHeader;
import dev.anywhere.rpc.dce.PduType;
import dev.anywhere.rpc.dce.PfcFlag;
import dev.anywhere.rpc.wire.Guids;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
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
    private static final int RTS_PFC_BITS = PfcFlag.toBits(RTS_PFC);

    private RpchCodec() {}

    /** Decodes one RTS PDU from {@code in} in its wire form, moving its reader index past frag_length bytes. */
    public static RtsPdu decode(ByteBuf in) {
        List<RtsCommand> commands = new ArrayList<>(4);
        int flagBits = decodeBody(in, commands);
        return new RtsPdu(RtsFlag.fromBits(flagBits), commands);
    }

    /**
     * Decodes one RTS PDU from {@code in} into its typed record, moving its reader index past frag_length bytes.
     * Same checks and errors as {@link #decode(ByteBuf)}; a well-formed PDU of no known kind becomes
     * {@link RtsMessage.Unclassified}.
     */
    public static RtsMessage decodeMessage(ByteBuf in) {
        List<RtsCommand> commands = new ArrayList<>(4);
        int flagBits = decodeBody(in, commands);
        return typed(flagBits, commands);
    }

    /** Reads header and commands into {@code commands}; returns the Flags bits. */
    private static int decodeBody(ByteBuf in, List<RtsCommand> commands) {
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
        return flagBits;
    }

    /**
     * The record for the first catalogue entry whose signature {@code (flagBits, commands)} has — the one place
     * commands are read by position, after {@link RtsPduKind} has checked the types at each position.
     */
    static RtsMessage typed(int flagBits, List<RtsCommand> c) {
        RtsPduKind kind = RtsPduKind.firstMatch(flagBits, c);
        if (kind == null) {
            return new RtsMessage.Unclassified(new RtsPdu(RtsFlag.fromBits(flagBits), c));
        }
        return switch (kind) {
            case CONN_A1 -> new RtsMessage.ConnA1(version(c, 0), cookie(c, 1), cookie(c, 2), window(c, 3));
            case CONN_A2 -> new RtsMessage.ConnA2(version(c, 0), cookie(c, 1), cookie(c, 2), lifetime(c, 3),
                    window(c, 4));
            case CONN_A3 -> new RtsMessage.ConnA3(timeout(c, 0));
            case CONN_B1 -> new RtsMessage.ConnB1(version(c, 0), cookie(c, 1), cookie(c, 2), lifetime(c, 3),
                    ((RtsCommand.ClientKeepalive) c.get(4)).millis(), ((RtsCommand.AssociationGroupId) c.get(5)).id());
            case CONN_B2 -> new RtsMessage.ConnB2(version(c, 0), cookie(c, 1), cookie(c, 2), window(c, 3),
                    timeout(c, 4), ((RtsCommand.AssociationGroupId) c.get(5)).id(),
                    (RtsCommand.ClientAddress) c.get(6));
            case CONN_B3 -> new RtsMessage.ConnB3(window(c, 0), version(c, 1));
            case CONN_C1, CONN_C2 -> new RtsMessage.ConnC1(version(c, 0), window(c, 1), timeout(c, 2));
            case IN_R1_A1, IN_R2_A1 -> new RtsMessage.InR1A1(version(c, 0), cookie(c, 1), cookie(c, 2),
                    cookie(c, 3));
            case IN_R1_A2 -> new RtsMessage.InR1A2(version(c, 0), cookie(c, 1), cookie(c, 2), cookie(c, 3),
                    window(c, 4), timeout(c, 5));
            case IN_R1_A3, IN_R1_A4 -> new RtsMessage.InR1A3(destination(c, 0), version(c, 1), window(c, 2),
                    timeout(c, 3));
            case IN_R1_A5, IN_R1_A6, IN_R2_A2, IN_R2_A5, OUT_R2_A4 -> new RtsMessage.InR1A5(cookie(c, 0));
            case IN_R1_B1 -> new RtsMessage.InR1B1();
            case IN_R1_B2 -> new RtsMessage.InR1B2(window(c, 0));
            case IN_R2_A3, IN_R2_A4 -> new RtsMessage.InR2A3(destination(c, 0));
            case OUT_R1_A1, OUT_R1_A2, OUT_R2_A1, OUT_R2_A2 -> new RtsMessage.OutR1A1(destination(c, 0));
            case OUT_R1_A3, OUT_R2_A3 -> new RtsMessage.OutR1A3(version(c, 0), cookie(c, 1), cookie(c, 2),
                    cookie(c, 3), window(c, 4));
            case OUT_R1_A4 -> new RtsMessage.OutR1A4(version(c, 0), cookie(c, 1), cookie(c, 2), cookie(c, 3),
                    lifetime(c, 4), window(c, 5), timeout(c, 6));
            case OUT_R1_A5, OUT_R1_A6 -> new RtsMessage.OutR1A5(destination(c, 0), version(c, 1), timeout(c, 2));
            case OUT_R1_A7, OUT_R1_A8, OUT_R2_A8 -> new RtsMessage.OutR1A7(destination(c, 0), cookie(c, 1));
            case OUT_R1_A9, OUT_R1_A10, OUT_R1_A11, OUT_R2_B1 -> new RtsMessage.OutR1A9();
            case OUT_R2_A5, OUT_R2_A6 -> new RtsMessage.OutR2A5(destination(c, 0));
            case OUT_R2_A7 -> new RtsMessage.OutR2A7(destination(c, 0), cookie(c, 1), version(c, 2));
            case OUT_R2_B2 -> new RtsMessage.OutR2B2();
            case OUT_R2_B3 -> new RtsMessage.OutR2B3();
            case OUT_R2_C1 -> new RtsMessage.OutR2C1(c.get(0));
            case KEEP_ALIVE -> new RtsMessage.KeepAlive(((RtsCommand.ClientKeepalive) c.get(0)).millis());
            case PING_TRAFFIC_SENT_NOTIFY -> new RtsMessage.PingTrafficSentNotify(
                    ((RtsCommand.PingTrafficSentNotify) c.get(0)).bytes());
            case ECHO -> new RtsMessage.Echo();
            case PING -> new RtsMessage.Ping();
            case FLOW_CONTROL_ACK -> {
                RtsCommand.FlowControlAck a = (RtsCommand.FlowControlAck) c.get(0);
                yield new RtsMessage.FlowControlAck(a.bytesReceived(), a.availableWindow(), a.channelCookie());
            }
            case FLOW_CONTROL_ACK_WITH_DESTINATION -> {
                RtsCommand.FlowControlAck a = (RtsCommand.FlowControlAck) c.get(1);
                yield new RtsMessage.FlowControlAckWithDestination(destination(c, 0), a.bytesReceived(),
                        a.availableWindow(), a.channelCookie());
            }
        };
    }

    private static long version(List<RtsCommand> c, int i) {
        return ((RtsCommand.Version) c.get(i)).version();
    }

    private static UUID cookie(List<RtsCommand> c, int i) {
        return ((RtsCommand.Cookie) c.get(i)).cookie();
    }

    private static long window(List<RtsCommand> c, int i) {
        return ((RtsCommand.ReceiveWindowSize) c.get(i)).size();
    }

    private static long lifetime(List<RtsCommand> c, int i) {
        return ((RtsCommand.ChannelLifetime) c.get(i)).bytes();
    }

    private static long timeout(List<RtsCommand> c, int i) {
        return ((RtsCommand.ConnectionTimeout) c.get(i)).millis();
    }

    private static ForwardDestination destination(List<RtsCommand> c, int i) {
        return ((RtsCommand.Destination) c.get(i)).destination();
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

    /** The message's bytes in a new array, for fixed answers such as the echo. */
    public static byte[] toBytes(RtsMessage message) {
        return toBytes(message.toPdu());
    }

    /** Encodes {@code message} into a new buffer from {@code alloc}. */
    public static ByteBuf encode(RtsMessage message, ByteBufAllocator alloc) {
        if (message instanceof RtsMessage.FlowControlAck ack) {
            ByteBuf out = alloc.buffer(FLOW_CONTROL_ACK_LENGTH);
            writeAck(0, null, ack.bytesReceived(), ack.availableWindow(), ack.channelCookie(), out);
            return out;
        }
        if (message instanceof RtsMessage.FlowControlAckWithDestination ack) {
            ByteBuf out = alloc.buffer(FLOW_CONTROL_ACK_WITH_DESTINATION_LENGTH);
            writeAck(1, ack.destination(), ack.bytesReceived(), ack.availableWindow(), ack.channelCookie(), out);
            return out;
        }
        return encode(message.toPdu(), alloc);
    }

    /**
     * Appends {@code message} to {@code out}. Flow control acks — the RTS PDUs sent in proportion to data — are
     * written directly, without building their wire form.
     */
    public static void encode(RtsMessage message, ByteBuf out) {
        if (message instanceof RtsMessage.FlowControlAck ack) {
            writeAck(0, null, ack.bytesReceived(), ack.availableWindow(), ack.channelCookie(), out);
        } else if (message instanceof RtsMessage.FlowControlAckWithDestination ack) {
            writeAck(1, ack.destination(), ack.bytesReceived(), ack.availableWindow(), ack.channelCookie(), out);
        } else {
            encode(message.toPdu(), out);
        }
    }

    /** frag_length of a FlowControlAck: header + one FlowControlAck command. @see [MS-RPCH] 2.2.4.50 */
    public static final int FLOW_CONTROL_ACK_LENGTH = RtsPdu.HEADER_LENGTH
            + RtsCommandType.FLOW_CONTROL_ACK.fixedLength();
    /** frag_length of a FlowControlAckWithDestination: one Destination more. @see [MS-RPCH] 2.2.4.51 */
    public static final int FLOW_CONTROL_ACK_WITH_DESTINATION_LENGTH = FLOW_CONTROL_ACK_LENGTH
            + RtsCommandType.DESTINATION.fixedLength();

    /** The bytes {@code encode(RtsPdus.flowControlAck[WithDestination](...))} writes, field by field. */
    private static void writeAck(int destinations, ForwardDestination destination, long bytesReceived,
                                 long availableWindow, UUID channelCookie, ByteBuf out) {
        writeHeader(destinations == 0 ? FLOW_CONTROL_ACK_LENGTH : FLOW_CONTROL_ACK_WITH_DESTINATION_LENGTH,
                RtsFlag.OTHER_CMD.bit(), 1 + destinations, out);
        if (destination != null) {
            out.writeIntLE(RtsCommandType.DESTINATION.value()); // CommandType (4 bytes)
            out.writeIntLE(destination.value()); // Destination (4 bytes)
        }
        out.writeIntLE(RtsCommandType.FLOW_CONTROL_ACK.value()); // CommandType (4 bytes)
        out.writeIntLE((int) bytesReceived); // Ack.BytesReceived (4 bytes)
        out.writeIntLE((int) availableWindow); // Ack.AvailableWindow (4 bytes)
        Guids.write(out, channelCookie); // Ack.ChannelCookie (16 bytes)
    }

    /** The PDU's bytes in a new array, for fixed answers such as the echo. */
    public static byte[] toBytes(RtsPdu pdu) {
        ByteBuf buf = io.netty.buffer.Unpooled.buffer(pdu.fragLength());
        encode(pdu, buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    /** Encodes {@code pdu} into a new buffer from {@code alloc}. */
    public static ByteBuf encode(RtsPdu pdu, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(pdu.fragLength());
        encode(pdu, out);
        return out;
    }

    /** Appends {@code pdu} to {@code out}. */
    public static void encode(RtsPdu pdu, ByteBuf out) {
        writeHeader(pdu.fragLength(), RtsFlag.toBits(pdu.flags()), pdu.commands().size(), out);
        for (RtsCommand c : pdu.commands()) {
            writeCommand(c, out);
        }
    }

    private static void writeHeader(int fragLength, int flagBits, int commandCount, ByteBuf out) {
        out.writeByte(CoHeader.RPC_VERS); // rpc_vers (1 byte)
        out.writeByte(0); // rpc_vers_minor (1 byte)
        out.writeByte(PduType.RTS.value()); // PTYPE (1 byte)
        out.writeByte(RTS_PFC_BITS); // pfc_flags (1 byte)
        out.writeIntLE(CoHeader.DREP_LITTLE_ENDIAN_ASCII); // packed_drep (4 bytes)
        out.writeShortLE(fragLength); // frag_length (2 bytes)
        out.writeShortLE(0); // auth_length (2 bytes)
        out.writeIntLE(0); // call_id (4 bytes)
        out.writeShortLE(flagBits); // Flags (2 bytes)
        out.writeShortLE(commandCount); // NumberOfCommands (2 bytes)
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
