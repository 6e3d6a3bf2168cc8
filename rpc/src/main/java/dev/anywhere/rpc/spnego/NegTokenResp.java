package dev.anywhere.rpc.spnego;

import dev.anywhere.rpc.wire.Octets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every SPNEGO token after the first ([RFC 4178] 4.2.2): the acceptor's state and chosen mechanism (in its first
 * answer), the mechanism's next token, and once the mechanism is done, the MIC over the initiator's mechanism list.
 */
public record NegTokenResp(Optional<NegState> negState, Optional<MechType> supportedMech, Optional<Octets> responseToken,
        Optional<Octets> mechListMic) implements NegotiationToken {

    public NegTokenResp {
        Objects.requireNonNull(negState, "negState");
        Objects.requireNonNull(supportedMech, "supportedMech");
        Objects.requireNonNull(responseToken, "responseToken");
        Objects.requireNonNull(mechListMic, "mechListMic");
    }

    /** The acceptor's first answer: the mechanism it chose and that mechanism's answer (an NTLM CHALLENGE). */
    public static NegTokenResp acceptIncomplete(MechType chosen, Octets token) {
        return new NegTokenResp(Optional.of(NegState.ACCEPT_INCOMPLETE), Optional.of(chosen), Optional.of(token), Optional.empty());
    }

    /** The acceptor's last answer: done, with its MIC over the initiator's mechanism list. */
    public static NegTokenResp acceptCompleted(Optional<Octets> mechListMic) {
        return new NegTokenResp(Optional.of(NegState.ACCEPT_COMPLETED), Optional.empty(), Optional.empty(), mechListMic);
    }

    /** The acceptor refuses (no common mechanism, or authentication failed). */
    public static NegTokenResp reject() {
        return new NegTokenResp(Optional.of(NegState.REJECT), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The initiator's next token (an NTLM AUTHENTICATE) with its MIC over its own mechanism list. */
    public static NegTokenResp initiatorToken(Octets token, Optional<Octets> mechListMic) {
        return new NegTokenResp(Optional.empty(), Optional.empty(), Optional.of(token), mechListMic);
    }

    static NegTokenResp decode(Der.Reader negTokenResp) {
        Der.Reader fields = negTokenResp.enter(Der.SEQUENCE, "NegTokenResp");
        negTokenResp.expectEnd("negTokenResp");
        Optional<NegState> state = Optional.empty();
        Optional<MechType> mech = Optional.empty();
        Optional<Octets> token = Optional.empty();
        Optional<Octets> mic = Optional.empty();
        if (fields.peekTag() == Der.context(0)) {
            state = Optional.of(NegState.of(fields.enter(Der.context(0), "negState").contents(Der.ENUMERATED, "negState")));
        }
        if (fields.peekTag() == Der.context(1)) {
            mech = Optional.of(MechType.of(fields.enter(Der.context(1), "supportedMech").contents(Der.OBJECT_IDENTIFIER, "supportedMech")));
        }
        if (fields.peekTag() == Der.context(2)) {
            token = Optional.of(Octets.of(fields.enter(Der.context(2), "responseToken").contents(Der.OCTET_STRING, "responseToken")));
        }
        if (fields.peekTag() == Der.context(3)) {
            mic = Optional.of(Octets.of(fields.enter(Der.context(3), "mechListMIC").contents(Der.OCTET_STRING, "mechListMIC")));
        }
        fields.expectEnd("NegTokenResp");
        return new NegTokenResp(state, mech, token, mic);
    }

    @Override
    public Octets encode() {
        List<byte[]> fields = new ArrayList<>();
        negState.ifPresent(s -> fields.add(Der.tlv(Der.context(0), Der.tlv(Der.ENUMERATED, new byte[] {(byte) s.ordinal()}))));
        supportedMech.ifPresent(m -> fields.add(Der.tlv(Der.context(1), m.encoded())));
        responseToken.ifPresent(t -> fields.add(Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, t.toByteArray()))));
        mechListMic.ifPresent(m -> fields.add(Der.tlv(Der.context(3), Der.tlv(Der.OCTET_STRING, m.toByteArray()))));
        return Octets.of(Der.tlv(Der.context(1), Der.tlv(Der.SEQUENCE, fields.toArray(byte[][]::new))));
    }
}
