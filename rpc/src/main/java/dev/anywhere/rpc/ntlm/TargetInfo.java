package dev.anywhere.rpc.ntlm;

import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import dev.anywhere.rpc.wire.WireWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A TargetInfo list of AV_PAIRs as carried by CHALLENGE_MESSAGE and echoed inside the NTLMv2 client
 * challenge. The terminating MsvAvEOL pair is implicit: not held, always written.
 *
 * @see [MS-NLMP] 2.2.1.2 CHALLENGE_MESSAGE
 * @see [MS-NLMP] 2.2.2.1 AV_PAIR
 */
public final class TargetInfo {

    /** A list with no pairs; encodes as MsvAvEOL alone. */
    public static final TargetInfo EMPTY = new TargetInfo(List.of());

    private final List<AvPair> pairs;

    private TargetInfo(List<AvPair> pairs) {
        this.pairs = pairs;
    }

    /** A list of the given pairs, in order; MsvAvEOL must not be among them. */
    public static TargetInfo of(List<AvPair> pairs) {
        for (AvPair p : pairs) {
            if (p.id() == AvId.MSV_AV_EOL.code()) {
                throw new IllegalArgumentException("av pairs: MsvAvEOL in the list (expected: implicit terminator)");
            }
        }
        return new TargetInfo(List.copyOf(pairs));
    }

    /**
     * Decodes pairs up to and including MsvAvEOL. With {@code exact} the list must end at the end of
     * {@code bytes} (the CHALLENGE's TargetInfo field); without it, bytes may follow (the NTLMv2 client
     * challenge, where Z(4) follows).
     */
    public static TargetInfo decode(byte[] bytes, boolean exact) {
        WireReader in = NtlmLayout.reader(bytes);
        List<AvPair> pairs = new ArrayList<>();
        while (true) {
            if (in.remaining() == 0) {
                throw new NtlmProtocolException("target info: no MsvAvEOL after " + pairs.size()
                        + " av pairs (expected: MsvAvEOL terminator)");
            }
            int id = in.u16("av id"); // AvId (2 bytes)
            int len = in.u16("av len"); // AvLen (2 bytes)
            Optional<AvId> known = AvId.of(id);
            String name = known.map(AvId::specName).orElse("AvId(" + id + ")");
            if (known.isPresent()) {
                AvPair.checkShape(known.get(), len); // before reading or allocating
            }
            if (id == AvId.MSV_AV_EOL.code()) {
                break;
            }
            byte[] value = in.byteArray(len, name + " value"); // Value (AvLen bytes)
            pairs.add(new AvPair(id, Octets.of(value)));
        }
        if (exact && in.remaining() != 0) {
            throw new NtlmProtocolException(
                    "target info: " + in.remaining() + " bytes after MsvAvEOL (expected: 0)");
        }
        return new TargetInfo(List.copyOf(pairs));
    }

    /** The pairs followed by MsvAvEOL. */
    public byte[] encode() {
        WireWriter out = new WireWriter();
        for (AvPair p : pairs) {
            out.u16(p.id()).u16(p.value().length()).bytes(p.value());
        }
        out.u16(AvId.MSV_AV_EOL.code()).u16(0);
        return out.toByteArray();
    }

    /** The pairs in wire order, without MsvAvEOL. */
    public List<AvPair> pairs() {
        return pairs;
    }

    /** The first pair with {@code id}. */
    public Optional<AvPair> get(AvId id) {
        return pairs.stream().filter(p -> p.id() == id.code()).findFirst();
    }

    /** A copy with {@code pair} replacing the first pair of the same id, or appended. */
    public TargetInfo with(AvPair pair) {
        List<AvPair> copy = new ArrayList<>(pairs);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i).id() == pair.id()) {
                copy.set(i, pair);
                return of(copy);
            }
        }
        copy.add(pair);
        return of(copy);
    }

    /** MsvAvNbComputerName. */
    public Optional<String> nbComputerName() {
        return get(AvId.MSV_AV_NB_COMPUTER_NAME).map(AvPair::stringValue);
    }

    /** MsvAvNbDomainName. */
    public Optional<String> nbDomainName() {
        return get(AvId.MSV_AV_NB_DOMAIN_NAME).map(AvPair::stringValue);
    }

    /** MsvAvDnsComputerName. */
    public Optional<String> dnsComputerName() {
        return get(AvId.MSV_AV_DNS_COMPUTER_NAME).map(AvPair::stringValue);
    }

    /** MsvAvDnsDomainName. */
    public Optional<String> dnsDomainName() {
        return get(AvId.MSV_AV_DNS_DOMAIN_NAME).map(AvPair::stringValue);
    }

    /** MsvAvDnsTreeName. */
    public Optional<String> dnsTreeName() {
        return get(AvId.MSV_AV_DNS_TREE_NAME).map(AvPair::stringValue);
    }

    /** MsvAvTargetName (an SPN). */
    public Optional<String> targetName() {
        return get(AvId.MSV_AV_TARGET_NAME).map(AvPair::stringValue);
    }

    /** MsvAvTimestamp as a raw FILETIME. */
    public Optional<Long> timestamp() {
        return get(AvId.MSV_AV_TIMESTAMP).map(AvPair::longValue);
    }

    /** MsvAvTimestamp as an instant. */
    public Optional<Instant> timestampInstant() {
        return timestamp().map(FileTime::toInstant);
    }

    /** MsvAvFlags; empty when the pair is absent. */
    public Set<AvFlag> flags() {
        return get(AvId.MSV_AV_FLAGS).map(p -> AvFlag.fromBits(p.longValue())).orElse(Set.of());
    }

    /** MsvAvChannelBindings. */
    public Optional<Octets> channelBindings() {
        return get(AvId.MSV_AV_CHANNEL_BINDINGS).map(AvPair::value);
    }

    /** MsvAvSingleHost, raw. */
    public Optional<Octets> singleHost() {
        return get(AvId.MSV_AV_SINGLE_HOST).map(AvPair::value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TargetInfo other && pairs.equals(other.pairs);
    }

    @Override
    public int hashCode() {
        return pairs.hashCode();
    }

    @Override
    public String toString() {
        return pairs.toString();
    }
}
