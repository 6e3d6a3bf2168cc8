package dev.anywhere.rpc.dce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.wire.Octets;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VerificationTrailerTest {

    static final SyntaxId MGMT = new SyntaxId(UUID.fromString("afa8bd80-7d8a-11c9-bef4-08002b102989"), 1, 0);

    /** Samba 4.17's inq_if_ids request stub at PKT_INTEGRITY (no parameters): the trailer alone. */
    static final String SAMBA_STUB = "8ae3137102f43671 0100 0400 01000000 0240 2800 80bda8af8a7dc911bef408002b102989 01000000"
            + " 045d888aeb1cc9119fe808002b104860 02000000";

    @Test
    void sambasTrailerIsFoundAndMatchesItsRequest() {
        VerificationTrailer t = VerificationTrailer.find(Octets.ofHex(SAMBA_STUB)).orElseThrow();
        assertThat(t.dataLength()).isZero();
        assertThat(t.commands()).containsExactly(new VerificationTrailer.Bitmask(1, false),
                new VerificationTrailer.PresentationContext(MGMT, SyntaxId.NDR, false));
        assertThat(t.mismatch(2, 0, 1, MGMT::equals)).isEmpty();
        assertThat(t.mismatch(2, 0, 1, s -> false)).contains("verification trailer context: " + MGMT + " over " + SyntaxId.NDR
                + " (expected: the interface bound to context 0 over NDR)");
    }

    @Test
    void parametersBeforeTheTrailerAreKept() {
        Octets stub = Octets.ofHex("11223344 5566 0000" + SAMBA_STUB.replace(" ", ""));
        assertThat(VerificationTrailer.find(stub).orElseThrow().dataLength()).isEqualTo(8);
    }

    @Test
    void aHeaderThatDiffersFromTheRequestIsAMismatch() {
        // HEADER2 (must process, last): request, drep 10000000, call_id 7, context 1, opnum 3
        Octets stub = Octets.ofHex("8ae3137102f43671 03c0 1000 00000000 10000000 07000000 0100 0300");
        VerificationTrailer t = VerificationTrailer.find(stub).orElseThrow();
        assertThat(t.commands()).containsExactly(new VerificationTrailer.Header2(0, 0x10, 7, 1, 3, true));
        assertThat(t.mismatch(7, 1, 3, s -> true)).isEmpty();
        assertThat(t.mismatch(8, 1, 3, s -> true)).contains("verification trailer header: PTYPE 0, call_id 7, context 1, "
                + "opnum 3 (expected: request, 8, 1, 3)");
    }

    @Test
    void anUnknownMustProcessCommandIsAMismatchAndAnUnknownOptionalOneIsNot() {
        Octets must = Octets.ofHex("8ae3137102f43671 09c0 0200 abcd");
        assertThat(VerificationTrailer.find(must).orElseThrow().mismatch(1, 0, 0, s -> true))
                .contains("verification trailer command 9: unknown and marked must-process");
        Octets optional = Octets.ofHex("8ae3137102f43671 0940 0200 abcd");
        assertThat(VerificationTrailer.find(optional).orElseThrow().mismatch(1, 0, 0, s -> true)).isEmpty();
    }

    @Test
    void theSignatureInsideParametersIsNotATrailer() {
        // not 4-byte aligned; then aligned but without a command marked last; then commands running past the end
        assertThat(VerificationTrailer.find(Octets.ofHex("00 8ae3137102f43671 000000"))).isEmpty();
        assertThat(VerificationTrailer.find(Octets.ofHex("8ae3137102f43671 0100 0400 01000000"))).isEmpty();
        assertThat(VerificationTrailer.find(Octets.ofHex("8ae3137102f43671 0140 0800 01000000"))).isEmpty();
        assertThat(VerificationTrailer.find(Octets.ofHex("8ae3137102f43671 0140 0400 01000000 00"))).isEmpty();
        assertThat(VerificationTrailer.find(Octets.EMPTY)).isEqualTo(Optional.empty());
    }
}
