package dev.anywhere.rpc.dce;

import dev.anywhere.rpc.wire.Guids;
import dev.anywhere.rpc.wire.WireReader;
import io.netty.buffer.ByteBuf;
import java.util.Objects;
import java.util.UUID;

/**
 * An abstract or transfer syntax: interface UUID plus version ({@code p_syntax_id_t}, 20 bytes). On the wire
 * the version is one u32 with the major version in the low 16 bits and the minor in the high 16 bits.
 *
 * @see [C706] 12.6.3.1 Declarations (p_syntax_id_t)
 * @see [MS-RPCE] 3.3.1.5.3 Bind Time Feature Negotiation
 */
public record SyntaxId(UUID uuid, int major, int minor) {
    /** Bytes on the wire. */
    public static final int LENGTH = 20;

    /** NDR 2.0 transfer syntax {@code 8a885d04-1ceb-11c9-9fe8-08002b104860} v2.0. */
    public static final SyntaxId NDR = new SyntaxId(UUID.fromString("8a885d04-1ceb-11c9-9fe8-08002b104860"), 2, 0);
    /** NDR64 transfer syntax {@code 71710533-beba-4937-8319-b5dbef9ccc36} v1.0 ([MS-RPCE] NDR64). Not implemented. */
    public static final SyntaxId NDR64 = new SyntaxId(UUID.fromString("71710533-beba-4937-8319-b5dbef9ccc36"), 1, 0);
    /** The all-zero syntax a bind_ack carries for rejected or negotiated contexts. */
    public static final SyntaxId NONE = new SyntaxId(new UUID(0, 0), 0, 0);

    /** [MS-RPCE] 3.3.1.5.3: security context multiplexing supported. */
    public static final int FEATURE_SECURITY_CONTEXT_MULTIPLEXING = 0x01;
    /** [MS-RPCE] 3.3.1.5.3: keep connection on orphan supported. */
    public static final int FEATURE_KEEP_CONNECTION_ON_ORPHAN = 0x02;

    private static final long BTFN_MSB = 0x6cb71c2c_9812_4540L;

    public SyntaxId {
        Objects.requireNonNull(uuid, "uuid");
        if (major < 0 || major > 0xffff || minor < 0 || minor > 0xffff) {
            throw new IllegalArgumentException("syntax version: " + major + "." + minor + " (expected: 0..65535 each)");
        }
    }

    /**
     * The bind-time feature negotiation pseudo transfer syntax {@code 6cb71c2c-9812-4540-XXXX-000000000000}
     * v1.0, where bytes 8–9 carry {@code bitmask} little-endian; {@code 0x3} gives
     * {@code 6cb71c2c-9812-4540-0300-000000000000}.
     *
     * @see [MS-RPCE] 3.3.1.5.3 Bind Time Feature Negotiation
     */
    public static SyntaxId bindTimeFeatureNegotiation(int bitmask) {
        if (bitmask < 0 || bitmask > 0xffff) {
            throw new IllegalArgumentException("feature bitmask: " + bitmask + " (expected: 0..0xffff)");
        }
        long lsb = ((long) (bitmask & 0xff) << 56) | ((long) (bitmask >>> 8) << 48);
        return new SyntaxId(new UUID(BTFN_MSB, lsb), 1, 0);
    }

    /** True for {@code 6cb71c2c-9812-4540-XXXX-000000000000}. */
    public boolean isBindTimeFeatureNegotiation() {
        return uuid.getMostSignificantBits() == BTFN_MSB && (uuid.getLeastSignificantBits() & 0xffff_ffff_ffffL) == 0;
    }

    /** The feature bitmask of a bind-time feature negotiation syntax. */
    public int featureBitmask() {
        long lsb = uuid.getLeastSignificantBits();
        return (int) ((lsb >>> 56) & 0xff) | (int) (((lsb >>> 48) & 0xff) << 8);
    }

    static SyntaxId read(WireReader r, String field) {
        UUID uuid = r.guid(field + " if_uuid"); // if_uuid (16 bytes)
        int major = r.u16(field + " if_version"); // if_version major (2 bytes)
        int minor = r.u16(field + " if_version"); // if_version minor (2 bytes)
        return new SyntaxId(uuid, major, minor);
    }

    void write(ByteBuf out) {
        Guids.write(out, uuid); // if_uuid (16 bytes)
        out.writeShortLE(major); // if_version major (2 bytes)
        out.writeShortLE(minor); // if_version minor (2 bytes)
    }

    @Override
    public String toString() {
        return uuid + " v" + major + "." + minor;
    }
}
