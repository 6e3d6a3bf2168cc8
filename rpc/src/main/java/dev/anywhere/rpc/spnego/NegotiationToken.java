package dev.anywhere.rpc.spnego;

import dev.anywhere.rpc.wire.Octets;

/**
 * A SPNEGO token ([RFC 4178] 4.2, [MS-SPNG] 2.2), as DCE/RPC carries it in the auth_value of binds, alter_contexts
 * and their answers with auth type 9 (RPC_C_AUTHN_GSS_NEGOTIATE, [MS-RPCE] 2.2.1.1.7): the initiator's first token
 * is a NegTokenInit inside the GSS InitialContextToken ([RFC 2743] 3.1); every later token, in both directions, is
 * a bare NegTokenResp.
 */
public sealed interface NegotiationToken permits NegTokenInit, NegTokenResp {

    /** The token's bytes as they go on the wire. */
    Octets encode();

    /** Decodes either kind; a NegTokenInit may come with or without its InitialContextToken wrapper. */
    static NegotiationToken decode(Octets token) {
        byte[] bytes = token.toByteArray();
        Der.Reader outer = new Der.Reader(bytes);
        switch (outer.peekTag()) {
            case Der.APPLICATION_0 -> {
                Der.Reader initial = outer.enter(Der.APPLICATION_0, "InitialContextToken");
                outer.expectEnd("SPNEGO token");
                byte[] thisMech = initial.contents(Der.OBJECT_IDENTIFIER, "thisMech");
                if (!java.util.Arrays.equals(thisMech, MechType.SPNEGO)) {
                    throw new SpnegoException("thisMech: " + MechType.of(thisMech) + " (expected: 1.3.6.1.5.5.2, SPNEGO)");
                }
                NegTokenInit init = NegTokenInit.decode(initial.enter(Der.context(0), "negTokenInit"));
                initial.expectEnd("InitialContextToken");
                return init;
            }
            case 0xA0 -> {
                NegTokenInit init = NegTokenInit.decode(outer.enter(Der.context(0), "negTokenInit"));
                outer.expectEnd("SPNEGO token");
                return init;
            }
            case 0xA1 -> {
                NegTokenResp resp = NegTokenResp.decode(outer.enter(Der.context(1), "negTokenResp"));
                outer.expectEnd("SPNEGO token");
                return resp;
            }
            case -1 -> throw new SpnegoException("SPNEGO token: empty");
            default -> throw new SpnegoException(String.format("SPNEGO token: tag 0x%02x (expected: 0x60, 0xa0 or 0xa1)", outer.peekTag()));
        }
    }
}
