package dev.anywhere.rpc.dce;

import dev.anywhere.rpc.wire.Guids;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * A protocol tower: the endpoint mapper's description of how to reach an interface, as a list of floors.
 * Each floor is a left-hand side (protocol identifier + data) and a right-hand side (address data), each
 * prefixed with a u16 little-endian byte count; the tower starts with a u16 little-endian floor count.
 *
 * <pre>
 * floor 1  0x0d + interface UUID + major (u16 LE) | minor (u16 LE)
 * floor 2  0x0d + transfer syntax UUID + major    | minor          (NDR 2.0)
 * floor 3  0x0b RPC connection-oriented           | minor version (u16 LE, 0)
 * floor 4  0x07 TCP port / 0x1f HTTP port         | port (u16 <b>big-endian</b>)
 * floor 5  0x09 IP address                        | IPv4 address (4 bytes, network order)
 * </pre>
 *
 * @see [C706] Appendix L Protocol Tower Encoding
 * @see [MS-RPCH] 2.1 Transport (RPC protocol identifier 0x1F for ncacn_http)
 */
public record Tower(List<Floor> floors) {
    /** Protocol identifier: a UUID floor (interface or transfer syntax). */
    public static final int PROTOCOL_UUID = 0x0d;
    /** Protocol identifier: RPC connection-oriented protocol, version 5. */
    public static final int PROTOCOL_RPC_CO = 0x0b;
    /** Protocol identifier: TCP port. */
    public static final int PROTOCOL_TCP = 0x07;
    /** Protocol identifier: UDP port. */
    public static final int PROTOCOL_UDP = 0x08;
    /** Protocol identifier: IPv4 address. */
    public static final int PROTOCOL_IP = 0x09;
    /** Protocol identifier: named pipe (ncacn_np). */
    public static final int PROTOCOL_NAMED_PIPE = 0x0f;
    /** Protocol identifier: NetBIOS host name (ncacn_np). */
    public static final int PROTOCOL_NETBIOS = 0x11;
    /** Protocol identifier: RPC over HTTP port (ncacn_http). */
    public static final int PROTOCOL_HTTP = 0x1f;

    /** Upper bound on floors accepted from the wire (real towers have 4 or 5). */
    public static final int MAX_FLOORS = 16;

    /** One floor of a tower. */
    public record Floor(Octets lhs, Octets rhs) {
        public Floor {
            Objects.requireNonNull(lhs, "lhs");
            Objects.requireNonNull(rhs, "rhs");
            if (lhs.isEmpty() || lhs.length() > 0xffff || rhs.length() > 0xffff) {
                throw new IllegalArgumentException("floor: lhs " + lhs.length() + " bytes, rhs " + rhs.length()
                        + " bytes (expected: lhs 1..65535 bytes, rhs 0..65535)");
            }
        }

        /** The protocol identifier (first byte of the left-hand side). */
        public int protocolId() {
            return lhs.get(0);
        }

        /** A UUID floor for {@code syntax}. */
        public static Floor uuid(SyntaxId syntax) {
            ByteBuf l = Unpooled.buffer(19);
            l.writeByte(PROTOCOL_UUID); // protocol identifier (1 byte)
            Guids.write(l, syntax.uuid()); // UUID (16 bytes)
            l.writeShortLE(syntax.major()); // major version (2 bytes, LE)
            ByteBuf r = Unpooled.buffer(2);
            r.writeShortLE(syntax.minor()); // minor version (2 bytes, LE)
            return new Floor(Octets.copyOf(l), Octets.copyOf(r));
        }

        /** A floor with a one-byte left-hand side. */
        public static Floor of(int protocolId, Octets rhs) {
            return new Floor(Octets.of((byte) protocolId), rhs);
        }

        /** The syntax of a UUID floor. */
        public Optional<SyntaxId> syntax() {
            if (protocolId() != PROTOCOL_UUID || lhs.length() != 19 || rhs.length() != 2) {
                return Optional.empty();
            }
            ByteBuf l = Unpooled.wrappedBuffer(lhs.toByteArray(), 1, 18);
            return Optional.of(new SyntaxId(Guids.read(l), l.readUnsignedShortLE(), rhs.get(0) | rhs.get(1) << 8));
        }
    }

    public Tower {
        floors = List.copyOf(floors);
        if (floors.isEmpty() || floors.size() > 0xffff) {
            throw new IllegalArgumentException("floor count: " + floors.size() + " (expected: 1..65535)");
        }
    }

    /** {@code ncacn_ip_tcp:host[port]} for {@code iface} with NDR 2.0. */
    public static Tower ncacnIpTcp(SyntaxId iface, Inet4Address host, int port) {
        return fiveFloors(iface, PROTOCOL_TCP, host, port);
    }

    /** {@code ncacn_http:host[port]} for {@code iface} with NDR 2.0 ([MS-RPCH] 2.1: protocol identifier 0x1F). */
    public static Tower ncacnHttp(SyntaxId iface, Inet4Address host, int port) {
        return fiveFloors(iface, PROTOCOL_HTTP, host, port);
    }

    private static Tower fiveFloors(SyntaxId iface, int portProtocol, Inet4Address host, int port) {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        return new Tower(List.of(
                Floor.uuid(iface),
                Floor.uuid(SyntaxId.NDR),
                Floor.of(PROTOCOL_RPC_CO, Octets.of((byte) 0, (byte) 0)),
                Floor.of(portProtocol, Octets.of((byte) (port >>> 8), (byte) port)),
                Floor.of(PROTOCOL_IP, Octets.of(host.getAddress()))));
    }

    /** The interface of floor 1. */
    public Optional<SyntaxId> interfaceId() {
        return floors.get(0).syntax();
    }

    /** The transfer syntax of floor 2. */
    public Optional<SyntaxId> transferSyntax() {
        return floors.size() > 1 ? floors.get(1).syntax() : Optional.empty();
    }

    /** The port of the TCP / HTTP / UDP floor (big-endian on the wire). */
    public OptionalInt port() {
        for (Floor f : floors) {
            int p = f.protocolId();
            if ((p == PROTOCOL_TCP || p == PROTOCOL_HTTP || p == PROTOCOL_UDP) && f.lhs().length() == 1
                    && f.rhs().length() == 2) {
                return OptionalInt.of(f.rhs().get(0) << 8 | f.rhs().get(1));
            }
        }
        return OptionalInt.empty();
    }

    /** The IPv4 address of the IP floor. */
    public Optional<Inet4Address> host() {
        for (Floor f : floors) {
            if (f.protocolId() == PROTOCOL_IP && f.lhs().length() == 1 && f.rhs().length() == 4) {
                try {
                    return Optional.of((Inet4Address) InetAddress.getByAddress(f.rhs().toByteArray()));
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return Optional.empty();
    }

    /** {@code ncacn_ip_tcp}, {@code ncacn_http}, {@code ncacn_np}, {@code ncadg_ip_udp}, or empty. */
    public Optional<String> protocolSequence() {
        if (floors.size() < 4) {
            return Optional.empty();
        }
        int p = floors.get(3).protocolId();
        return switch (p) {
            case PROTOCOL_TCP -> Optional.of("ncacn_ip_tcp");
            case PROTOCOL_HTTP -> Optional.of("ncacn_http");
            case PROTOCOL_NAMED_PIPE -> Optional.of("ncacn_np");
            case PROTOCOL_UDP -> Optional.of("ncadg_ip_udp");
            default -> Optional.empty();
        };
    }

    /** The tower octet string. */
    public Octets encode() {
        ByteBuf out = Unpooled.buffer();
        out.writeShortLE(floors.size()); // floor count (2 bytes, LE)
        for (Floor f : floors) {
            out.writeShortLE(f.lhs().length()); // lhs byte count (2 bytes, LE)
            f.lhs().writeTo(out); // lhs: protocol identifier + data
            out.writeShortLE(f.rhs().length()); // rhs byte count (2 bytes, LE)
            f.rhs().writeTo(out); // rhs: address data
        }
        return Octets.copyOf(out);
    }

    /** Decodes a tower octet string, throwing {@link DceProtocolException} if it is malformed. */
    public static Tower decode(Octets octets) {
        return decode(octets, DceProtocolException::new);
    }

    static Tower decode(Octets octets, Function<String, ? extends RuntimeException> errors) {
        WireReader r = new WireReader(Unpooled.wrappedBuffer(octets.toByteArray()), errors);
        int count = r.u16("tower floor count"); // floor count (2 bytes)
        if (count == 0 || count > MAX_FLOORS) {
            throw r.error("tower floor count: " + count + " (expected: 1.." + MAX_FLOORS + ")");
        }
        List<Floor> floors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int lhsLength = r.u16("tower floor lhs length"); // lhs byte count (2 bytes)
            if (lhsLength == 0) {
                throw r.error("tower floor " + (i + 1) + " lhs length: 0 (expected: >= 1)");
            }
            Octets lhs = r.bytes(lhsLength, "tower floor lhs"); // lhs (lhs byte count)
            int rhsLength = r.u16("tower floor rhs length"); // rhs byte count (2 bytes)
            Octets rhs = r.bytes(rhsLength, "tower floor rhs"); // rhs (rhs byte count)
            floors.add(new Floor(lhs, rhs));
        }
        r.expectEnd("tower");
        return new Tower(floors);
    }
}
