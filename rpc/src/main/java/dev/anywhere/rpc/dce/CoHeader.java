package dev.anywhere.rpc.dce;

import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import io.netty.buffer.ByteBuf;
import java.util.Objects;
import java.util.Set;

/**
 * The 16-byte common header of every connection-oriented PDU, RTS included.
 *
 * <pre>
 *  0  rpc_vers        u8   5
 *  1  rpc_vers_minor  u8   0 (1 allowed by [MS-RPCE] 1.7)
 *  2  PTYPE           u8
 *  3  pfc_flags       u8
 *  4  packed_drep     u8[4] 10 00 00 00 = little-endian integers, ASCII, IEEE floats
 *  8  frag_length     u16  whole PDU including header and auth verifier
 * 10  auth_length     u16  length of auth_value (not the 8-byte sec_trailer)
 * 12  call_id         u32
 * </pre>
 *
 * @see [C706] 12.6.1 Connection-oriented PDU Structure (common fields)
 * @see [MS-RPCE] 2.2.2 Connection-Oriented RPC PDUs
 */
public record CoHeader(int versionMinor, PduType type, Set<PfcFlag> flags, int fragLength, int authLength, int callId) {
    /** Bytes in the common header. */
    public static final int LENGTH = 16;
    /** rpc_vers of every connection-oriented PDU. */
    public static final int RPC_VERS = 5;
    /** packed_drep byte 0 for little-endian integers and ASCII characters. */
    public static final int DREP_LITTLE_ENDIAN_ASCII = 0x10;

    public CoHeader {
        Objects.requireNonNull(type, "type");
        flags = PfcFlag.copy(flags);
        if (versionMinor != 0 && versionMinor != 1) {
            throw new IllegalArgumentException("rpc_vers_minor: " + versionMinor + " (expected: 0 or 1)");
        }
        if (fragLength < LENGTH || fragLength > 0xffff) {
            throw new IllegalArgumentException("frag_length: " + fragLength + " (expected: 16..65535)");
        }
        if (authLength < 0 || authLength > 0xffff) {
            throw new IllegalArgumentException("auth_length: " + authLength + " (expected: 0..65535)");
        }
    }

    /**
     * Reads and validates the common header: rpc_vers 5, minor 0 or 1, a connection-oriented PTYPE, the
     * little-endian ASCII IEEE data representation, frag_length ≥ 16.
     */
    public static CoHeader read(WireReader r) {
        int vers = r.u8("rpc_vers"); // rpc_vers (1 byte)
        if (vers != RPC_VERS) {
            throw r.error("rpc_vers: " + vers + " (expected: 5)");
        }
        int minor = r.u8("rpc_vers_minor"); // rpc_vers_minor (1 byte)
        if (minor != 0 && minor != 1) {
            throw r.error("rpc_vers_minor: " + minor + " (expected: 0 or 1)");
        }
        int ptype = r.u8("PTYPE"); // PTYPE (1 byte)
        PduType type = PduType.forValue(ptype);
        if (type == null) {
            throw r.error("PTYPE: " + ptype + " (expected: a connection-oriented PDU type 0, 2, 3, 11..20)");
        }
        int pfc = r.u8("pfc_flags"); // pfc_flags (1 byte)
        Octets drep = r.bytes(4, "packed_drep"); // packed_drep (4 bytes)
        checkDataRepresentation(drep, r);
        int fragLength = r.u16("frag_length"); // frag_length (2 bytes)
        if (fragLength < LENGTH) {
            throw r.error("frag_length: " + fragLength + " (expected: >= 16)");
        }
        int authLength = r.u16("auth_length"); // auth_length (2 bytes)
        int callId = r.i32("call_id"); // call_id (4 bytes)
        return new CoHeader(minor, type, PfcFlag.fromBits(pfc), fragLength, authLength, callId);
    }

    /**
     * Fails unless {@code drep} is little-endian / ASCII / IEEE. Bytes 2 and 3 are reserved and ignored.
     *
     * @see [C706] 14.1 Data Representation Format Label
     */
    public static void checkDataRepresentation(Octets drep, WireReader r) {
        String why = dataRepresentationProblem(drep.get(0), drep.get(1));
        if (why != null) {
            throw r.error("packed_drep: " + drep.hex() + " " + why
                    + " (expected: 10000000 little-endian, ASCII, IEEE; big-endian peers are not supported)");
        }
    }

    /** Why {@code drep0}/{@code drep1} are unsupported, or {@code null} if they are fine. */
    public static String dataRepresentationProblem(int drep0, int drep1) {
        if ((drep0 & 0xf0) != 0x10) {
            return (drep0 & 0xf0) == 0 ? "big-endian" : "unknown integer representation";
        }
        if ((drep0 & 0x0f) != 0) {
            return (drep0 & 0x0f) == 1 ? "EBCDIC" : "unknown character representation";
        }
        if (drep1 != 0) {
            return "non-IEEE floating point";
        }
        return null;
    }

    /** Writes the header. */
    public void write(ByteBuf out) {
        out.writeByte(RPC_VERS); // rpc_vers (1 byte)
        out.writeByte(versionMinor); // rpc_vers_minor (1 byte)
        out.writeByte(type.value()); // PTYPE (1 byte)
        out.writeByte(PfcFlag.toBits(flags)); // pfc_flags (1 byte)
        out.writeIntLE(DREP_LITTLE_ENDIAN_ASCII); // packed_drep (4 bytes): 10 00 00 00
        out.writeShortLE(fragLength); // frag_length (2 bytes)
        out.writeShortLE(authLength); // auth_length (2 bytes)
        out.writeIntLE(callId); // call_id (4 bytes)
    }

    /** Byte offset of frag_length in the header, for back-patching. */
    public static final int FRAG_LENGTH_OFFSET = 8;
}
