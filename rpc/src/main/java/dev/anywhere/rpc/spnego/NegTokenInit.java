package dev.anywhere.rpc.spnego;

import dev.anywhere.rpc.wire.Octets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The initiator's first SPNEGO token ([RFC 4178] 4.2.1): the mechanisms it offers, most preferred first, and
 * optimistically the first token of the first one.
 *
 * @param mechTypes the offered mechanisms, in the client's order
 * @param mechTypeList the DER encoding of the MechTypeList exactly as received (or encoded): both sides'
 *     mechListMIC is computed over these bytes ([RFC 4178] 5)
 * @param mechToken the optimistic token for {@code mechTypes.get(0)}, e.g. an NTLM NEGOTIATE_MESSAGE
 * @param mechListMic a MIC, which an initiator may send only after the mechanism is established (unusual here)
 */
public record NegTokenInit(List<MechType> mechTypes, Octets mechTypeList, Optional<Octets> mechToken, Optional<Octets> mechListMic)
        implements NegotiationToken {

    public NegTokenInit {
        mechTypes = List.copyOf(mechTypes);
        Objects.requireNonNull(mechTypeList, "mechTypeList");
        Objects.requireNonNull(mechToken, "mechToken");
        Objects.requireNonNull(mechListMic, "mechListMic");
        if (mechTypes.isEmpty()) {
            throw new SpnegoException("mechTypes: empty (at least one mechanism must be offered)");
        }
    }

    /** What a client sends: {@code mechTypes} and the first mechanism's first token. */
    public static NegTokenInit offering(List<MechType> mechTypes, Octets mechToken) {
        byte[][] oids = mechTypes.stream().map(MechType::encoded).toArray(byte[][]::new);
        return new NegTokenInit(mechTypes, Octets.of(Der.tlv(Der.SEQUENCE, oids)), Optional.of(mechToken), Optional.empty());
    }

    /** The preferred mechanism: the one the optimistic token belongs to. */
    public MechType preferred() {
        return mechTypes.get(0);
    }

    static NegTokenInit decode(Der.Reader negTokenInit) {
        Der.Reader fields = negTokenInit.enter(Der.SEQUENCE, "NegTokenInit");
        negTokenInit.expectEnd("negTokenInit");
        byte[] list = fields.enter(Der.context(0), "mechTypes").whole(Der.SEQUENCE, "MechTypeList");
        Der.Reader oids = new Der.Reader(list).enter(Der.SEQUENCE, "MechTypeList");
        List<MechType> mechTypes = new ArrayList<>();
        while (!oids.atEnd()) {
            mechTypes.add(MechType.of(oids.contents(Der.OBJECT_IDENTIFIER, "mechType")));
        }
        if (fields.peekTag() == Der.context(1)) {
            fields.skip("reqFlags"); // [RFC 4178] 4.2.1: SHOULD be ignored by the acceptor
        }
        Optional<Octets> token = Optional.empty();
        if (fields.peekTag() == Der.context(2)) {
            Der.Reader t = fields.enter(Der.context(2), "mechToken");
            token = Optional.of(Octets.of(t.contents(Der.OCTET_STRING, "mechToken")));
            t.expectEnd("mechToken");
        }
        Optional<Octets> mic = Optional.empty();
        if (fields.peekTag() == Der.context(3)) {
            // [MS-SPNG] 2.2.1 NegTokenInit2 puts negHints (a SEQUENCE) here and the MIC at [4]
            Der.Reader three = fields.enter(Der.context(3), "mechListMIC");
            if (three.peekTag() == Der.OCTET_STRING) {
                mic = Optional.of(Octets.of(three.contents(Der.OCTET_STRING, "mechListMIC")));
            }
        }
        if (fields.peekTag() == Der.context(4)) {
            mic = Optional.of(Octets.of(fields.enter(Der.context(4), "mechListMIC").contents(Der.OCTET_STRING, "mechListMIC")));
        }
        fields.expectEnd("NegTokenInit");
        if (mechTypes.isEmpty()) {
            throw new SpnegoException("mechTypes: empty (at least one mechanism must be offered)");
        }
        return new NegTokenInit(mechTypes, Octets.of(list), token, mic);
    }

    /** As the initiator sends it: inside the InitialContextToken ([RFC 2743] 3.1). */
    @Override
    public Octets encode() {
        List<byte[]> fields = new ArrayList<>();
        fields.add(Der.tlv(Der.context(0), mechTypeList.toByteArray()));
        mechToken.ifPresent(t -> fields.add(Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, t.toByteArray()))));
        mechListMic.ifPresent(m -> fields.add(Der.tlv(Der.context(3), Der.tlv(Der.OCTET_STRING, m.toByteArray()))));
        byte[] init = Der.tlv(Der.context(0), Der.tlv(Der.SEQUENCE, fields.toArray(byte[][]::new)));
        return Octets.of(Der.tlv(Der.APPLICATION_0, Der.tlv(Der.OBJECT_IDENTIFIER, MechType.SPNEGO), init));
    }
}
