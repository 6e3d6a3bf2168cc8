package dev.anywhere.rpc.rpch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An RTS PDU: header flags and the ordered command list. The common header is implied (PTYPE 20, pfc_flags
 * FIRST_FRAG | LAST_FRAG, little-endian drep, auth_length 0, call_id 0) and frag_length is derived.
 *
 * <pre>
 *  0  common header (16 bytes), PTYPE 20
 * 16  Flags            u16
 * 18  NumberOfCommands u16
 * 20  commands, back to back, no alignment
 * </pre>
 *
 * <p>The wire form, inside the codec and for peers that script raw PDUs: build them with {@link RtsPdus}, name them
 * with {@link #kinds()}, read their fields through {@link RtsMessage#of(RtsPdu)}.
 *
 * @see [MS-RPCH] 2.2.3.6.1 RTS PDU Header
 * @see [MS-RPCH] 2.2.3.6.2 RTS PDU Body
 */
public record RtsPdu(Set<RtsFlag> flags, List<RtsCommand> commands) {
    /** Bytes in the RTS PDU header (common header + Flags + NumberOfCommands). */
    public static final int HEADER_LENGTH = 20;

    public RtsPdu {
        flags = RtsFlag.normalize(flags);
        commands = List.copyOf(commands);
        int length = HEADER_LENGTH;
        for (RtsCommand c : commands) {
            length += c.encodedLength();
        }
        if (length > 0xffff) {
            throw new IllegalArgumentException("frag_length: " + length + " (expected: <= 65535)");
        }
    }

    /** A PDU with the given flags and commands. */
    public static RtsPdu of(Set<RtsFlag> flags, RtsCommand... commands) {
        return new RtsPdu(flags, List.of(commands));
    }

    /** The frag_length this PDU encodes to. */
    public int fragLength() {
        int length = HEADER_LENGTH;
        for (RtsCommand c : commands) {
            length += c.encodedLength();
        }
        return length;
    }

    /** True if {@code flag} is set ({@code NONE} is "set" exactly when nothing else is). */
    public boolean has(RtsFlag flag) {
        return flags.contains(flag);
    }

    /** The command types in order: the PDU's signature with {@link #flags()}. */
    public List<RtsCommandType> commandTypes() {
        List<RtsCommandType> types = new ArrayList<>(commands.size());
        for (RtsCommand c : commands) {
            types.add(c.type());
        }
        return types;
    }

    /**
     * The first command of {@code type}, if any. Package-private: outside the codec PDUs are read through the named
     * fields of {@link RtsMessage}, never by command type or position.
     */
    <T extends RtsCommand> Optional<T> first(Class<T> type) {
        for (RtsCommand c : commands) {
            if (type.isInstance(c)) {
                return Optional.of(type.cast(c));
            }
        }
        return Optional.empty();
    }

    /** All commands of {@code type}, in order (e.g. the cookies of CONN/A1: VC, then OUT channel). Package-private. */
    <T extends RtsCommand> List<T> all(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (RtsCommand c : commands) {
            if (type.isInstance(c)) {
                out.add(type.cast(c));
            }
        }
        return out;
    }

    /**
     * Every catalogue entry whose signature this PDU matches, in catalogue order; empty if none. More than
     * one means the PDU's meaning depends on who sent it on which leg (e.g. CONN/C1 and CONN/C2).
     */
    public List<RtsPduKind> kinds() {
        return RtsPduKind.classify(this);
    }

    /** True if this PDU matches the signature of {@code kind}. */
    public boolean is(RtsPduKind kind) {
        return kind.matches(this);
    }

    @Override
    public String toString() {
        List<RtsPduKind> kinds = kinds();
        StringBuilder sb = new StringBuilder("RtsPdu[");
        sb.append(kinds.isEmpty() ? "unclassified" : kinds.stream().map(RtsPduKind::displayName)
                .reduce((a, b) -> a + "|" + b).orElseThrow());
        sb.append(' ').append(flags).append(' ').append(commands).append(']');
        return sb.toString();
    }
}
