package dev.anywhere.rpc.ntlm;

import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import dev.anywhere.rpc.wire.WireWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One AV_PAIR of a TargetInfo list: AvId (2 bytes), AvLen (2 bytes), Value (AvLen bytes). The id is kept as
 * a number so that pairs from a newer spec revision survive (the client echoes them into its response).
 *
 * @param id the AvId wire value
 * @param value the Value bytes
 * @see [MS-NLMP] 2.2.2.1 AV_PAIR
 */
public record AvPair(int id, Octets value) {

    /** Checks id and length ranges and the fixed sizes of MsvAvFlags, MsvAvTimestamp and MsvAvChannelBindings. */
    public AvPair {
        if (id < 0 || id > 0xffff) {
            throw new IllegalArgumentException("av id: " + id + " (expected: 0 to 65535)");
        }
        if (value.length() > 0xffff) {
            throw new IllegalArgumentException("av len: " + value.length() + " (expected: at most 65535)");
        }
        Optional<AvId> known = AvId.of(id);
        if (known.isPresent()) {
            checkShape(known.get(), value.length());
        }
    }

    static void checkShape(AvId id, int len) {
        int expected = switch (id.kind()) {
            case EMPTY -> 0;
            case FIXED_4 -> 4;
            case FIXED_8 -> 8;
            case FIXED_16 -> 16;
            case STRING, OPAQUE -> -1;
        };
        if (expected >= 0 && len != expected) {
            throw new NtlmProtocolException(id.specName() + " length: " + len + " (expected: " + expected + ")");
        }
        if (id.kind() == AvId.Kind.STRING && len % 2 != 0) {
            throw new NtlmProtocolException(id.specName() + " length: " + len + " (expected: an even length, utf-16le)");
        }
    }

    /** A pair holding a UTF-16LE string. */
    public static AvPair ofString(AvId id, String value) {
        return new AvPair(id.code(), Octets.of(value.getBytes(StandardCharsets.UTF_16LE)));
    }

    /** A pair holding a 32-bit little-endian value. */
    public static AvPair ofInt(AvId id, int value) {
        return new AvPair(id.code(), Octets.of(new WireWriter().i32(value).toByteArray()));
    }

    /** A pair holding a 64-bit little-endian value. */
    public static AvPair ofLong(AvId id, long value) {
        return new AvPair(id.code(), Octets.of(new WireWriter().u64(value).toByteArray()));
    }

    /** The id as an enum constant, when this spec revision defines it. */
    public Optional<AvId> avId() {
        return AvId.of(id);
    }

    /** The value as a UTF-16LE string. */
    public String stringValue() {
        return new String(value.toByteArray(), StandardCharsets.UTF_16LE);
    }

    /** The value as a little-endian number (4 or 8 bytes). */
    public long longValue() {
        WireReader in = NtlmLayout.reader(value.toByteArray());
        return value.length() == 4 ? in.u32("av value") : in.u64("av value");
    }

    @Override
    public String toString() {
        String name = avId().map(AvId::specName).orElse("AvId(" + id + ")");
        boolean text = avId().map(a -> a.kind() == AvId.Kind.STRING).orElse(false);
        return name + "=" + (text ? stringValue() : value.hex());
    }
}
